import { spawn, type ChildProcess } from 'node:child_process';
import { kill, track } from './children.js';
import { treeCpuMs } from './proc-cpu.js';

/**
 * The real Cognate server as a child process — `node bin/cognate.js serve --workers N`, as a user runs
 * it — on a database the caller owns (it outlives the server: one database, several setups), so that
 * its CPU time can be read from /proc apart from the benchmark's own: the primary and its workers.
 */
export interface ServerProcess {
  url: string;
  poolId: string;
  clientId: string;
  pid: number;
  /** Lines the server logged at warn level or above (pino JSON on stdout). */
  warnings: string[];
  /** utime + stime of the server's processes so far (primary and workers), in ms. */
  cpuMs(): number;
  /** Rejects if the server exits before stop() (with the end of its stderr); never settles otherwise. */
  crashed: Promise<never>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  repoRoot: string;
  databaseUrl: string;
  admin: { accessKeyId: string; secretAccessKey: string };
  /** COGNATE_MASTER_KEY: the same for every process on the database. */
  masterKey: string;
  workers: number;
  /** 0 (default): a free port, read from the banner. */
  port?: number;
  /** The URL clients reach it at (nginx in front); the banner then shows this one. */
  publicUrl?: string;
  /** Go before the script, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

const STARTUP_TIMEOUT_MS = 120_000;

export async function startServerProcess(o: ServerOptions): Promise<ServerProcess> {
  // A clean environment for the server: none of the caller's COGNATE_* settings (SMTP, public URL...).
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COGNATE_')));
  Object.assign(env, {
    COGNATE_PORT: String(o.port ?? 0),
    COGNATE_HOST: '127.0.0.1',
    COGNATE_DATABASE_URL: o.databaseUrl,
    COGNATE_DEMO: 'on',
    COGNATE_LOG_LEVEL: 'warn',
    COGNATE_ADMIN_ACCESS_KEY_ID: o.admin.accessKeyId,
    COGNATE_ADMIN_SECRET_ACCESS_KEY: o.admin.secretAccessKey,
    COGNATE_MASTER_KEY: o.masterKey,
    // The load comes from one address: lift the per-address limit (as its docs say for a load test).
    // The per-pool limit stays at its default (2000 requests/s), which these loads stay under.
    COGNATE_RATE_LIMIT: 'off',
    COGNATE_CONSOLE_ADMIN_PASSWORD: 'Bench-Console-1',
    ...(o.publicUrl ? { COGNATE_PUBLIC_URL: o.publicUrl } : {}),
  });
  const args = [...(o.nodeArgs ?? []), 'bin/cognate.js', 'serve', '--workers', String(o.workers)];
  const child = track(spawn(process.execPath, args, { cwd: o.repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  try {
    const info = await readStartup(child);
    if (o.port) info.url = `http://127.0.0.1:${o.port}`;
    return makeHandle(child, info);
  } catch (err) {
    await kill(child);
    throw err;
  }
}

interface StartupInfo {
  url: string;
  poolId: string;
  clientId: string;
  warnings: string[];
  stderrTail: () => string;
}

/** Parses the banner; keeps reading stdout afterwards (a full pipe would block the server). */
function readStartup(child: ChildProcess): Promise<StartupInfo> {
  return new Promise((resolve, reject) => {
    const found: Partial<StartupInfo> = {};
    const warnings: string[] = [];
    let stderrTail = '';
    let pending = '';
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`the server did not start within ${STARTUP_TIMEOUT_MS / 1000} s:\n${stderrTail}`)), STARTUP_TIMEOUT_MS);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-4000);
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('{"level"')) {
          if (warnings.length < 50) warnings.push(line);
          continue;
        }
        // "Cognate is running at http://127.0.0.1:1234/   (2 workers)"
        found.url ??= /Cognate is running at (\S+?)\/?(?:\s|$)/.exec(line)?.[1];
        found.poolId ??= /Demo pool \(WildRydes\)\s+(\S+)/.exec(line)?.[1];
        found.clientId ??= /Demo app client\s+(\S+)/.exec(line)?.[1];
      }
      if (!settled && found.url && found.poolId && found.clientId) {
        settled = true;
        clearTimeout(timer);
        resolve({ url: found.url, poolId: found.poolId, clientId: found.clientId, warnings, stderrTail: () => stderrTail });
      }
    });
    child.once('exit', (code, signal) => fail(new Error(`the server exited during startup (${signal ?? `code ${code}`}):\n${stderrTail}`)));
    child.once('error', fail);
  });
}

function makeHandle(child: ChildProcess, info: StartupInfo): ServerProcess {
  const pid = child.pid!;
  let stopped = false;
  const crashed = new Promise<never>((_resolve, reject) => {
    child.once('exit', (code, signal) => {
      if (!stopped) reject(new Error(`the server exited unexpectedly (${signal ?? `code ${code}`}):\n${info.stderrTail()}`));
    });
  });
  crashed.catch(() => {}); // observed by whoever races it; not an unhandled rejection otherwise
  return {
    url: info.url, poolId: info.poolId, clientId: info.clientId, pid, warnings: info.warnings, crashed,
    cpuMs: () => treeCpuMs([pid]),
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill(child);
    },
  };
}
