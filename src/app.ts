import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Config } from './config/settings.js';
import { Dispatcher } from './api/dispatch.js';
import { OPERATIONS } from './api/operations/index.js';
import { apiPlugin } from './api/plugin.js';
import { RateLimiter } from './domain/rate-limits.js';
import { devOutboxMessages, devOutboxRoutes } from './http/dev-outbox.js';
import { healthRoutes } from './http/health.js';
import { wellKnownRoutes } from './http/well-known.js';
import { consoleRoutes } from './http/console/console-routes.js';
import { demoApiRoutes } from './http/demo-api.js';
import { demoSiteRoutes } from './http/demo-site.js';
import type { Runtime } from './runtime.js';

/** Where npm run build puts the browser code. */
const WEB_ROOT = fileURLToPath(new URL('../dist/web/', import.meta.url));

const EXPOSED = ['x-amzn-RequestId', 'x-amzn-ErrorType', 'x-amzn-ErrorMessage', 'Date'];

/** COGNATE_TRUST_PROXY=<n>: the n proxies nearest to Cognate are trusted (proxy-addr counts hops from 0). */
const trustHops = (n: number) => (_address: string, hop: number) => hop < n;

/** Builds the HTTP app (never listens): the Cognito API at POST /, JWKS, health and the dev outbox. */
export async function buildApp(config: Config, runtime: Runtime, logger: FastifyBaseLogger): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger,
    // One log line per API call comes from the API plugin; Fastify's own request lines are off.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: () => randomUUID(),
    bodyLimit: config.bodyLimit,
    // A request trickled in slowly holds a connection and a parser: it gets this long, headers included
    // (Node checks every second here, not every 30 s, so that the limit is what it says).
    serverFactory: (handler) => {
      const timeout = config.requestTimeout * 1000;
      return createServer({ requestTimeout: timeout, headersTimeout: Math.min(timeout, 60_000), connectionsCheckingInterval: 1000 }, handler);
    },
    // Behind a proxy, request.ip (the per-address rate limit, the log) comes from X-Forwarded-For.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : (config.trustProxy ?? false),
  });
  // Browsers call the API from any origin (the demo site, an app on localhost): answer preflights
  // and put the CORS headers on every response, errors included.
  await app.register(cors, { origin: true, methods: ['GET', 'POST', 'OPTIONS'], exposedHeaders: EXPOSED, maxAge: 86400 });
  const admin = runtime.admin;
  const limiter = new RateLimiter(runtime.deps.store.limits, runtime.deps.now, {
    perIp: config.rateLimit === 'on' ? config.rateLimitPerIp : undefined,
    perPool: config.rateLimitPerPool,
  });
  const dispatcher = new Dispatcher(
    OPERATIONS,
    runtime.deps,
    { lookupSecret: (id) => (id === admin.accessKeyId ? admin.secretAccessKey : undefined) },
    limiter,
  );
  await app.register(apiPlugin(dispatcher, config.bodyLimit));
  await app.register(healthRoutes(runtime.deps.store));
  await app.register(wellKnownRoutes(runtime.deps, runtime.publicUrl));
  if (runtime.sender.mode === 'dev-outbox') await app.register(devOutboxRoutes(runtime.deps.store, runtime.deps.mailer));
  const common = { siteIds: runtime.siteIds, issuerFor: runtime.deps.issuerFor, jwks: runtime.jwks };
  await app.register(demoApiRoutes({ ...common, now: runtime.deps.now }));
  await app.register(demoSiteRoutes({ webRoot: WEB_ROOT, publicUrl: runtime.publicUrl, siteIds: runtime.siteIds }));
  await app.register(
    consoleRoutes({
      ...common, webRoot: WEB_ROOT, publicUrl: runtime.publicUrl, dispatcher, sealer: runtime.deps.sealer, consoleIds: runtime.consoleIds, now: runtime.deps.now,
      outbox: runtime.sender.mode === 'dev-outbox' ? (limit) => devOutboxMessages(runtime.deps.store, runtime.deps.mailer, limit) : undefined,
    }),
  );
  return app;
}
