import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { publicUrlOf } from './config/load-config.js';
import type { Config } from './config/settings.js';
import { ensureConsole, type ConsoleSeed } from './console/seed-console.js';
import { ensureDemo, type DemoIds } from './demo/seed-demo.js';
import { rotateDueSigningKeys } from './domain/key-rotation.js';
import { openStore } from './store/open-store.js';
import { withReadCache } from './store/read-cache.js';
import type { Store } from './store/store.js';
import { createRuntime, type Runtime } from './runtime.js';

export interface RunningServer {
  url: string;
  port: number;
  app: FastifyInstance;
  store: Store;
  runtime: Runtime;
  demo?: DemoIds;
  /** The admin console's pool and client; generatedPassword only on the start that created its administrator. */
  console: ConsoleSeed;
  close(): Promise<void>;
}

const PURGE_EVERY_MS = 10 * 60_000;

export interface PreparedDatabase {
  demo?: DemoIds;
  console: ConsoleSeed;
  admin: Runtime['admin'];
}

/**
 * What the first start does before serving, without listening: migrate, create the server secret,
 * the admin credentials, the demo and the console pool. The cluster's primary runs it once so that its
 * workers find everything in place (and the secrets generated now are printed by the primary, once).
 */
export async function prepareDatabase(config: Config, logger: FastifyBaseLogger, now: () => number = Date.now): Promise<PreparedDatabase> {
  const store = await openStore(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous });
  try {
    const runtime = await createRuntime(config, store, logger, now);
    const demo = config.demo === 'on' ? await ensureDemo(runtime.deps) : undefined;
    return { demo, console: await ensureConsole(runtime.deps, config), admin: runtime.admin };
  } finally {
    await store.close();
  }
}

/** Opens the store (migrating it), wires the runtime, listens, seeds the demo and the console, starts the mail sender. */
export async function startServer(config: Config, logger: FastifyBaseLogger, now: () => number = Date.now): Promise<RunningServer> {
  const opened = withReadCache(await openStore(config.databaseUrl, { poolSize: config.databasePoolSize, sqliteSynchronous: config.sqliteSynchronous }));
  // The runtime opens the database's secrets with the master key; its store seals them at rest.
  const runtime = await createRuntime(config, opened, logger, now).catch(async (err: unknown) => {
    await opened.close();
    throw err;
  });
  const store = runtime.deps.store;
  const app = await buildApp(config, runtime, logger);
  await app.listen({ port: config.port, host: config.host });
  const port = (app.server.address() as AddressInfo).port;
  const url = publicUrlOf(config, port);
  runtime.setPublicUrl(url);
  let demo: DemoIds | undefined;
  let consoleSeed: ConsoleSeed;
  try {
    demo = config.demo === 'on' ? await ensureDemo(runtime.deps) : undefined;
    consoleSeed = await ensureConsole(runtime.deps, config);
  } catch (err) {
    await app.close();
    await store.close();
    throw err;
  }
  runtime.sender.start();
  const purge = setInterval(() => {
    store.tokens.purgeExpired(now()).catch((err) => logger.warn({ err }, 'purge failed'));
    store.limits.purgeExpired(now()).catch((err) => logger.warn({ err }, 'purge of limits failed'));
    if (config.signingKeyRotationDays > 0) {
      rotateDueSigningKeys(runtime.deps, config.signingKeyRotationDays * 86_400_000).catch((err) => logger.warn({ err }, 'signing key rotation failed'));
    }
  }, PURGE_EVERY_MS);
  purge.unref();
  return {
    url, port, app, store, runtime, demo, console: consoleSeed,
    async close() {
      clearInterval(purge);
      await app.close();
      await runtime.sender.stop();
      await store.close();
    },
  };
}
