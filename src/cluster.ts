import cluster, { type Worker } from 'node:cluster';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config/settings.js';
import { prepareDatabase, startServer, type PreparedDatabase } from './server.js';

/** What a worker tells the primary once it listens. */
interface ListeningMessage {
  type: 'cognate:listening';
  url: string;
}

const isListening = (m: unknown): m is ListeningMessage =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'cognate:listening';

/** A worker that dies this soon after its start is not restarted (it would only die again). */
const CRASH_LOOP_MS = 5_000;

/**
 * The cluster's primary: prepares the database once (migrations, secrets, demo and console seeds), forks
 * `config.workers` workers that share the listening port (node:cluster hands connections out round-robin),
 * restarts a worker that dies, and stops them all on SIGINT/SIGTERM. Every worker is a whole server on the
 * same database: nothing is kept in one process's memory that another would need (SRP state is sealed in
 * the SECRET_BLOCK, codes, tokens and keys live in the store).
 */
export async function runPrimary(config: Config, logger: FastifyBaseLogger, onReady: (url: string, prepared: PreparedDatabase) => void): Promise<void> {
  const prepared = await prepareDatabase(config, logger);
  let stopping = false;
  let announced = false;
  let ready = 0;
  const started = new Map<number, number>();

  const fork = (): Worker => {
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
    worker.on('message', (m: unknown) => {
      if (!isListening(m)) return;
      ready += 1;
      if (!announced && ready >= config.workers) {
        announced = true;
        onReady(m.url, prepared);
      }
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const lived = Date.now() - (started.get(worker.id) ?? 0);
    logger.error({ workerId: worker.id, pid: worker.process.pid, code, signal }, 'worker died');
    if (lived < CRASH_LOOP_MS && !announced) {
      logger.fatal('a worker died while starting; stopping');
      process.exit(1);
    }
    fork();
  });

  for (let i = 0; i < config.workers; i++) fork();
  logger.info({ workers: config.workers }, 'primary started its workers');

  const stop = (signal: string) => {
    stopping = true;
    logger.info({ signal }, 'shutting down the workers');
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    const deadline = setTimeout(() => process.exit(0), 10_000);
    deadline.unref();
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** A worker: a whole server; it tells the primary its URL and closes cleanly on SIGTERM. */
export async function runWorker(config: Config, logger: FastifyBaseLogger): Promise<void> {
  const log = logger.child({ worker: cluster.worker?.id });
  const server = await startServer(config, log);
  log.info({ url: server.url }, 'worker listening');
  process.send?.({ type: 'cognate:listening', url: server.url } satisfies ListeningMessage);
  process.once('SIGTERM', () => {
    server.close().finally(() => process.exit(0));
  });
  // The primary going away (killed with -9) must not leave workers behind.
  process.once('disconnect', () => {
    server.close().finally(() => process.exit(0));
  });
}
