import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../test/helpers/free-port.js';
import { startNginx, type Nginx } from './nginx.js';
import type { ApiTarget } from './populate.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/**
 * One server configuration under test: a single `cognate serve --workers N`, or several instances
 * (each `cognate serve`) on the same database with nginx in front and a shared COGNATE_PUBLIC_URL.
 */
export interface SetupSpec {
  workers: number;
  /** 1: the server alone; more: that many instances behind nginx. */
  instances: number;
}

export interface Setup extends ApiTarget {
  spec: SetupSpec;
  /** CPU of nginx so far (0 without it), ms. */
  nginxCpuMs(): number;
  warnings: string[];
  /** Rejects when any server process dies before stop(). */
  crashed: Promise<never>;
  stop(): Promise<void>;
}

export interface SetupContext {
  repoRoot: string;
  databaseUrl: string;
  admin: { accessKeyId: string; secretAccessKey: string };
  masterKey: string;
  nodeArgs?: string[];
}

export const setupLabel = (s: SetupSpec) =>
  s.instances > 1
    ? `${s.instances} instances${s.workers > 1 ? ` × ${s.workers} workers` : ''} + nginx`
    : `${s.workers} worker${s.workers > 1 ? 's' : ''}`;

export async function startSetup(spec: SetupSpec, ctx: SetupContext): Promise<Setup> {
  const common = { repoRoot: ctx.repoRoot, databaseUrl: ctx.databaseUrl, admin: ctx.admin, masterKey: ctx.masterKey, workers: spec.workers, nodeArgs: ctx.nodeArgs };
  if (spec.instances <= 1) {
    const server = await startServerProcess(common);
    return { ...server, spec, admin: ctx.admin, serverCpuMs: server.cpuMs, nginxCpuMs: () => 0 };
  }
  const nginxPort = await freePort();
  const publicUrl = `http://127.0.0.1:${nginxPort}`;
  const ports = await Promise.all(Array.from({ length: spec.instances }, freePort));
  const started = await Promise.allSettled(ports.map((port) => startServerProcess({ ...common, port, publicUrl })));
  const servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  let nginx: Nginx | undefined;
  try {
    if (failed) throw failed.reason;
    nginx = await startNginx(nginxPort, servers.map((s) => s.url));
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    throw err;
  }
  const first = servers[0]!;
  const ngx = nginx;
  return {
    spec, url: ngx.url, poolId: first.poolId, clientId: first.clientId, admin: ctx.admin,
    warnings: servers.flatMap((s) => s.warnings),
    crashed: Promise.race(servers.map((s) => s.crashed)),
    serverCpuMs: () => servers.reduce((sum, s) => sum + s.cpuMs(), 0),
    nginxCpuMs: () => ngx.cpuMs(),
    async stop() {
      await ngx.stop();
      await Promise.all(servers.map((s: ServerProcess) => s.stop()));
    },
  };
}

/**
 * Waits until the given CPU counter has (almost) stopped: the dev outbox has drained, PostgreSQL's
 * autovacuum has finished. At most 2 ticks (4 %) in half a second, twice in a row.
 */
export async function waitUntilIdle(cpuMs: () => number, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let last = cpuMs();
  let quiet = 0;
  while (Date.now() < deadline) {
    await sleep(500);
    const now = cpuMs();
    quiet = now - last <= 20 ? quiet + 1 : 0;
    if (quiet >= 2) return true;
    last = now;
  }
  return false;
}
