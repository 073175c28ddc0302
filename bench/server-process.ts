import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The real Cognate server as a child process (`node --import tsx src/main.ts`) on a fresh SQLite file,
 * so that its CPU time can be read from /proc/<pid>/stat apart from the benchmark's own.
 */
export interface ServerProcess {
  url: string;
  poolId: string;
  clientId: string;
  pid: number;
  admin: { accessKeyId: string; secretAccessKey: string };
  /** Lines the server logged at warn level or above (pino JSON on stdout). */
  warnings: string[];
  /** utime + stime of the server process so far, in ms. */
  cpuMs(): number;
  /** Waits until the server has used (almost) no CPU for a while: e.g. the dev outbox has drained. */
  waitUntilIdle(timeoutMs?: number): Promise<void>;
  /** Rejects if the server exits before stop() (with the end of its stderr); never settles otherwise. */
  crashed: Promise<never>;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 120_000;

/** Clock ticks per second of /proc/<pid>/stat (usually 100). */
export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime (all threads) of a process, in clock ticks. Fields 14 and 15; `comm` may hold spaces. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  return Number(fields[14 - 3]) + Number(fields[15 - 3]);
}

/** CPU time, in ms, that every process on the machine has used (user, nice, system, irq, softirq of /proc/stat). */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user + nice + system + irq + softirq) * 1000) / CLOCK_TICKS;
}

/** `nodeArgs` go before `--import tsx` (e.g. --cpu-prof to profile the server during a run). */
export async function startServerProcess(repoRoot: string, nodeArgs: string[] = []): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-bench-'));
  const admin = { accessKeyId: 'AKIABENCHADMIN000001', secretAccessKey: randomBytes(24).toString('hex') };
  // A clean environment for the server: none of the caller's COGNATE_* settings (SMTP, public URL...).
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COGNATE_')));
  Object.assign(env, {
    COGNATE_PORT: '0',
    COGNATE_HOST: '127.0.0.1',
    COGNATE_DATABASE_URL: `sqlite:${join(dir, 'cognate.db')}`,
    COGNATE_DEMO: 'on',
    COGNATE_LOG_LEVEL: 'warn',
    COGNATE_ADMIN_ACCESS_KEY_ID: admin.accessKeyId,
    COGNATE_ADMIN_SECRET_ACCESS_KEY: admin.secretAccessKey,
  });
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const info = await readStartup(child);
    return makeHandle(child, info, admin, cleanup);
  } catch (err) {
    await kill(child);
    cleanup();
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
    const timer = setTimeout(() => fail(new Error(`the server did not start within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
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
        found.url ??= /Cognate is running at (\S+?)\/?$/.exec(line)?.[1];
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

function makeHandle(child: ChildProcess, info: StartupInfo, admin: ServerProcess['admin'], cleanup: () => void): ServerProcess {
  const pid = child.pid!;
  const cpuMs = () => (cpuTicks(pid) * 1000) / CLOCK_TICKS;
  let stopped = false;
  const crashed = new Promise<never>((_resolve, reject) => {
    child.once('exit', (code, signal) => {
      if (!stopped) reject(new Error(`the server exited unexpectedly (${signal ?? `code ${code}`}):\n${info.stderrTail()}`));
    });
  });
  crashed.catch(() => {}); // observed by whoever races it; not an unhandled rejection otherwise
  return {
    url: info.url, poolId: info.poolId, clientId: info.clientId, pid, admin, warnings: info.warnings, cpuMs, crashed,
    async waitUntilIdle(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let last = cpuMs();
      while (Date.now() < deadline) {
        await sleep(500);
        const now = cpuMs();
        if (now - last <= 20) return; // at most 2 ticks (4 %) in half a second
        last = now;
      }
      process.stderr.write(`  (the server was still busy after ${timeoutMs / 1000} s; measuring anyway)\n`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill(child);
      cleanup();
    },
  };
}

/** SIGTERM (graceful close), then SIGKILL if it has not exited within 5 s. */
async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(5000).then(() => true)]);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}
