import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/store.js';

/** GET /health: 200 once the store answers, 503 otherwise. */
export function healthRoutes(store: Store) {
  return async (app: FastifyInstance) => {
    app.get('/health', async (_request, reply) => {
      try {
        await store.kv.get('health-probe');
        return reply.send({ status: 'ok' });
      } catch {
        return reply.code(503).send({ status: 'unavailable' });
      }
    });
  };
}
