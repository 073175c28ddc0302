import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * The console's single-page app from <webRoot>/console (Vite, base '/console/'), under the /console
 * prefix this plugin is registered with. Any other GET under /console/ (but /console/api/) answers
 * index.html, so a reload on /console/pools/… keeps the page; without a build: 503.
 */
export function consoleStatic(webRoot: string) {
  const root = join(webRoot, 'console');
  const index = join(root, 'index.html');
  return async (app: FastifyInstance) => {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      decorateReply: false,
      wildcard: true,
      suppressWarning: true,
      // Vite's assets carry a content hash; index.html must be revalidated so a new build shows at once.
      setHeaders: (reply, path) => {
        reply.header('cache-control', path.includes('/assets/') && !path.endsWith('.html') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    app.get('', (_request, reply) => reply.redirect('/console/', 302));

    app.setNotFoundHandler(async (request, reply) => {
      const path = (request.raw.url ?? '').split('?')[0]!;
      if (path.startsWith('/console/api/') || path === '/console/api') return reply.code(404).header('cache-control', 'no-store').send({ message: 'Not found.' });
      if (request.method !== 'GET' && request.method !== 'HEAD') return reply.code(404).send({ message: 'Not found.' });
      let html: Buffer;
      try {
        html = await readFile(index);
      } catch {
        return reply.code(503).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send('The console is not built: run npm run build');
      }
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
    });
  };
}
