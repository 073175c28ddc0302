import type { FastifyInstance } from 'fastify';
import type { Mailer } from '../mail/mailer.js';
import type { Store } from '../store/store.js';

/**
 * GET /_dev/outbox: the mail Cognate would have sent, newest first, so a newcomer without an SMTP
 * server can finish the sign-up flow. Only registered when no SMTP server is configured.
 */
export function devOutboxRoutes(store: Store, mailer: Mailer) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { limit?: string } }>('/_dev/outbox', async (request, reply) => {
      const limit = Math.min(Math.max(Number(request.query.limit) || 50, 1), 500);
      return reply.header('cache-control', 'no-store').send({ messages: await devOutboxMessages(store, mailer, limit) });
    });
  };
}

/** The newest queued messages, opened (the dev outbox shows what would have been mailed). */
export async function devOutboxMessages(store: Store, mailer: Mailer, limit: number) {
  const rows = await store.outbox.recent(limit);
  return rows.map((row) => {
    const m = mailer.open(row.sealed);
    return { id: row.id, poolId: row.poolId, to: row.recipient, subject: m?.subject, text: m?.text, html: m?.html, createdAt: row.createdAt / 1000, delivered: row.sentAt !== null };
  });
}
