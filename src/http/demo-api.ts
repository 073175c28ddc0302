import type { FastifyInstance } from 'fastify';
import type { PoolAndClient } from '../runtime.js';

export interface DemoApiOptions {
  siteIds: () => Promise<PoolAndClient | undefined>;
  issuerFor: (poolId: string) => string;
  jwks: (poolId: string) => Promise<{ keys: Record<string, string>[] } | undefined>;
}

/** The sample protected REST API of the demo (POST /demo/api/ride). (Being built: issue 3.) */
export function demoApiRoutes(_opts: DemoApiOptions) {
  return async (_app: FastifyInstance) => {};
}
