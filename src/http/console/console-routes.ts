import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Dispatcher } from '../../api/dispatch.js';
import type { Sealer } from '../../crypto/seal.js';
import type { PoolAndClient } from '../../runtime.js';
import { consoleApi } from './console-api.js';
import { consoleStatic } from './console-static.js';

export interface ConsoleOptions {
  /** dist/web (built by npm run build); the console is in its console/ folder. */
  webRoot: string;
  publicUrl: () => string;
  dispatcher: Dispatcher;
  sealer: Sealer;
  consoleIds: () => Promise<PoolAndClient | undefined>;
  siteIds: () => Promise<PoolAndClient | undefined>;
  issuerFor: (poolId: string) => string;
  jwks: (poolId: string) => Promise<{ keys: Record<string, string>[] } | undefined>;
  /** The dev outbox's messages when no SMTP server is configured; undefined otherwise. */
  outbox?: (limit: number) => Promise<object[]>;
  /** The server's clock (ms) for session expiry; Date.now by default. */
  now?: () => number;
}

/** The public URL's origin, for the CSP's connect-src (the login page signs in at `<public URL>/`). */
function publicOrigin(publicUrl: string): string {
  try {
    return new URL(publicUrl).origin;
  } catch {
    return "'self'";
  }
}

/**
 * The admin console at /console: its single-page app (dist/web/console, any other path under
 * /console/ answers its index.html) and its authenticated JSON API at /console/api. Strict security
 * headers on all of it; the browser never holds the SigV4 secret: the API calls the dispatcher directly.
 */
export function consoleRoutes(opts: ConsoleOptions) {
  return async (app: FastifyInstance) => {
    await app.register(
      async (c) => {
        await c.register(helmet, {
          contentSecurityPolicy: {
            useDefaults: false,
            directives: {
              defaultSrc: ["'self'"],
              scriptSrc: ["'self'"],
              styleSrc: ["'self'"],
              connectSrc: ["'self'", () => publicOrigin(opts.publicUrl())],
              imgSrc: ["'self'", 'data:'],
              fontSrc: ["'self'"],
              objectSrc: ["'none'"],
              baseUri: ["'self'"],
              formAction: ["'self'"],
              frameAncestors: ["'none'"],
            },
          },
          frameguard: { action: 'deny' },
          // HSTS is the deployment's choice for the whole host, not one path's.
          strictTransportSecurity: false,
        });
        // Cookies are parsed and written by @fastify/cookie (the session's value is sealed by us).
        await c.register(cookie);
        await c.register(consoleApi(opts), { prefix: '/api' });
        await c.register(consoleStatic(opts.webRoot));
      },
      { prefix: '/console' },
    );
  };
}
