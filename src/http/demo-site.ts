import { existsSync } from 'node:fs';
import { join } from 'node:path';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { configJs } from '../demo/config-js.js';
import type { PoolAndClient } from '../runtime.js';

export interface DemoSiteOptions {
  /** dist/web (built by npm run build); the demo site is in its demo/ folder. */
  webRoot: string;
  publicUrl: () => string;
  siteIds: () => Promise<PoolAndClient | undefined>;
}

const TEXT = 'text/plain; charset=utf-8';

const NO_POOL =
  'The demo site has no user pool: start Cognate with COGNATE_DEMO=on (the default) to create the WildRydes demo, ' +
  'or set COGNATE_SITE_USER_POOL_ID and COGNATE_SITE_CLIENT_ID.\n';

const NOT_BUILT = 'The demo site is not built: run `npm run build` (it writes dist/web/demo), then reload.\n';

/** The origin of the public URL, which the pages call for the Cognito API (it may differ from the page's host). */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * The Wild Rydes demo site at / (GET and HEAD only: POST / is the Cognito API) and its generated
 * /js/config.js, under a strict CSP: scripts, styles and connections from this origin only.
 */
export function demoSiteRoutes(opts: DemoSiteOptions) {
  const root = join(opts.webRoot, 'demo');
  const index = join(root, 'index.html');
  return async (app: FastifyInstance) => {
    // Registered inside this plugin, so these headers cover the site and nothing else.
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          connectSrc: ["'self'", () => originOf(opts.publicUrl()) ?? "'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          objectSrc: ["'none'"],
        },
      },
      // Cognate is often reached over plain http on a developer machine; HSTS belongs to the TLS proxy.
      strictTransportSecurity: false,
      xFrameOptions: { action: 'deny' },
    });

    app.get('/js/config.js', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      const ids = await opts.siteIds();
      if (!ids) return reply.code(503).type(TEXT).send(NO_POOL);
      const base = opts.publicUrl();
      return reply
        .type('text/javascript; charset=utf-8')
        .send(configJs({ poolId: ids.poolId, clientId: ids.clientId, endpoint: `${base}/`, invokeUrl: `${base}/demo/api` }));
    });

    // The build may run after the server started: check until the pages are there.
    let built = existsSync(index);
    await app.register(async (site) => {
      site.addHook('onRequest', async (_request, reply) => {
        if (built || (built = existsSync(index))) return;
        return reply.code(503).type(TEXT).header('cache-control', 'no-store').send(NOT_BUILT);
      });
      await site.register(fastifyStatic, { root, prefix: '/', index: 'index.html', wildcard: true, serveDotFiles: false, suppressWarning: true });
    });
  };
}
