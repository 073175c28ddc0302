import { execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AdminConfirmSignUpCommand, AdminDeleteUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { track } from './children.js';
import { BENCH_PASSWORD, benchEmail, cognitoCall } from './cognito-client.js';
import { reapedChildrenCpuMs } from './proc-cpu.js';

/** Where users are created through the API: a running setup (one server, or nginx in front of several). */
export interface ApiTarget {
  url: string;
  poolId: string;
  clientId: string;
  admin: { accessKeyId: string; secretAccessKey: string };
  /** CPU of the Cognate processes so far, ms. */
  serverCpuMs(): number;
}

/** What creating (or confirming) a range of users took: wall time and the server's CPU time. */
export interface BatchTiming {
  count: number;
  wallMs: number;
  serverCpuMs: number;
}

/**
 * Runs task(i) for every i in [from, to) with at most `concurrency` in flight; the first failure stops
 * the batch. Progress goes to stderr as one line rewritten in place (every 10 % when not a terminal).
 */
async function runConcurrently(label: string, from: number, to: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  const total = to - from;
  const started = performance.now();
  const progress = progressLine(label, total, started);
  let next = from;
  let done = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < to) {
      const i = next++;
      try {
        await task(i);
      } catch (err) {
        failed = true;
        throw new Error(`${label} of user #${i} (${benchEmail(i)}) failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      progress(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(total, 1)) }, worker));
  progress(done, true);
  return performance.now() - started;
}

export function progressLine(label: string, total: number, started: number) {
  const tty = process.stderr.isTTY === true;
  let lastDraw = 0;
  let lastDecile = -1;
  return (done: number, final = false) => {
    const now = performance.now();
    const decile = Math.floor((done / Math.max(total, 1)) * 10);
    if (tty ? !final && now - lastDraw < 200 : decile === lastDecile) return;
    lastDraw = now;
    lastDecile = decile;
    const rate = done / Math.max((now - started) / 1000, 1e-3);
    const text = `      ${label.padEnd(20)} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${Math.floor((done / Math.max(total, 1)) * 100)} %)  ${rate.toFixed(0)}/s`;
    if (tty) process.stderr.write(`\r\x1b[2K${text}${final ? '\n' : ''}`);
    else process.stderr.write(`${text}\n`);
  };
}

async function timed(target: ApiTarget, count: number, run: () => Promise<number>): Promise<BatchTiming> {
  const cpuBefore = target.serverCpuMs();
  const wallMs = await run();
  return { count, wallMs, serverCpuMs: target.serverCpuMs() - cpuBefore };
}

/** SignUp (unsigned, plain fetch) for users [from, to) of the demo pool, whose username is the email. */
export function signUpUsers(target: ApiTarget, from: number, to: number, concurrency: number): Promise<BatchTiming> {
  return timed(target, to - from, () =>
    runConcurrently('SignUp', from, to, concurrency, async (i) => {
      await cognitoCall(target.url, 'SignUp', { ClientId: target.clientId, Username: benchEmail(i), Password: BENCH_PASSWORD });
    }),
  );
}

/** AdminConfirmSignUp through the AWS SDK v3 admin client (SigV4 with the credentials the server was given). */
export async function confirmUsers(target: ApiTarget, from: number, to: number, concurrency: number): Promise<BatchTiming> {
  // The SDK's notice that later versions need Node 22 would break the progress line; it says nothing about the run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const admin = new CognitoIdentityProviderClient({ endpoint: `${target.url}/`, region: 'us-east-1', credentials: target.admin, maxAttempts: 1 });
  try {
    return await timed(target, to - from, () =>
      runConcurrently('AdminConfirmSignUp', from, to, concurrency, async (i) => {
        await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: target.poolId, Username: benchEmail(i) }));
      }),
    );
  } finally {
    admin.destroy();
  }
}

/** AdminDeleteUser for users [from, to) (the SignUp probes, so that the pool keeps its size). */
export async function deleteUsers(target: ApiTarget, from: number, to: number, concurrency: number): Promise<void> {
  const admin = new CognitoIdentityProviderClient({ endpoint: `${target.url}/`, region: 'us-east-1', credentials: target.admin, maxAttempts: 1 });
  try {
    await runConcurrently('AdminDeleteUser', from, to, concurrency, async (i) => {
      await admin.send(new AdminDeleteUserCommand({ UserPoolId: target.poolId, Username: benchEmail(i) }));
    });
  } finally {
    admin.destroy();
  }
}

const run = promisify(execFile);

/**
 * The bulk import command, if this checkout has it: `cognate users import <csv> --pool <id>`. Its help
 * is asked once; undefined when there is none (the benchmark then fills pools through SignUp).
 */
export async function findImportCommand(repoRoot: string): Promise<string[] | undefined> {
  for (const group of ['users', 'user']) {
    const help = await run(process.execPath, ['bin/cognate.js', group, '--help'], { cwd: repoRoot }).then((r) => r.stdout, () => '');
    if (/^\s+import\b/m.test(help)) return ['bin/cognate.js', group, 'import'];
  }
  return undefined;
}

/**
 * A user-import CSV (Cognito's format: the pool's columns, cognito:mfa_enabled, cognito:username) of
 * benchmark users [from, to): email verified, email as username, as the demo pool wants.
 */
export async function writeFillerCsv(dir: string, from: number, to: number): Promise<string> {
  const file = join(dir, `filler-${from}-${to}.csv`);
  const out = createWriteStream(file);
  out.write('email,email_verified,cognito:mfa_enabled,cognito:username\n');
  for (let i = from; i < to; i++) {
    const email = benchEmail(i);
    if (!out.write(`${email},true,false,${email}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return file;
}

export interface ImportTiming {
  count: number;
  wallMs: number;
  /** CPU of the import command itself (it writes to the database directly). */
  importCpuMs: number;
  output: string;
}

/**
 * Runs the import command on `csv` into the pool, with the database URL in its environment, and waits
 * for it; its progress lines pass through to stderr.
 */
export async function importUsers(
  repoRoot: string, command: string[], database: { url: string; masterKey: string }, poolId: string, csv: string, count: number,
): Promise<ImportTiming> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COGNATE_')));
  env.COGNATE_DATABASE_URL = database.url;
  env.COGNATE_MASTER_KEY = database.masterKey;
  env.COGNATE_LOG_LEVEL = 'warn';
  const started = performance.now();
  const child = track(spawn(process.execPath, [...command, csv, '--pool', poolId], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  let output = '';
  const reapedBefore = reapedChildrenCpuMs();
  const relay = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
    process.stderr.write(chunk.toString('utf8').replace(/^(?=.)/gm, '      '));
  };
  child.stdout!.on('data', relay);
  child.stderr!.on('data', relay);
  const [code] = (await once(child, 'exit')) as [number | null];
  // Nothing else of ours exits meanwhile: what our reaped children used grew by the import's CPU.
  const cpu = reapedChildrenCpuMs() - reapedBefore;
  if (code !== 0) throw new Error(`${command.join(' ')} ${csv} --pool ${poolId} failed (exit ${code}):\n${output}`);
  return { count, wallMs: performance.now() - started, importCpuMs: cpu, output: output.trim().split('\n').slice(-3).join('\n') };
}
