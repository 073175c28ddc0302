import type { FastifyInstance } from 'fastify';
import type { PoolAndClient } from '../runtime.js';

export interface DemoSiteOptions {
  /** dist/web (built by npm run build); the demo site is in its demo/ folder. */
  webRoot: string;
  publicUrl: () => string;
  siteIds: () => Promise<PoolAndClient | undefined>;
}

/** The Wild Rydes demo site at / and its generated /js/config.js. (Being built: issue 3.) */
export function demoSiteRoutes(_opts: DemoSiteOptions) {
  return async (_app: FastifyInstance) => {};
}
