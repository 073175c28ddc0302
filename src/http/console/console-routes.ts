import type { FastifyInstance } from 'fastify';
import type { Dispatcher } from '../../api/dispatch.js';
import type { Sealer } from '../../crypto/seal.js';
import type { PoolAndClient } from '../../runtime.js';

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
}

/** The admin console at /console and its authenticated API at /console/api. (Being built: issue 3.) */
export function consoleRoutes(_opts: ConsoleOptions) {
  return async (_app: FastifyInstance) => {};
}
