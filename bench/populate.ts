import { AdminConfirmSignUpCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { BENCH_PASSWORD, benchEmail, cognitoCall } from './cognito-client.js';
import type { ServerProcess } from './server-process.js';

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

function progressLine(label: string, total: number, started: number) {
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
    const text = `  ${label.padEnd(20)} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${Math.floor((done / Math.max(total, 1)) * 100)} %)  ${rate.toFixed(0)}/s`;
    if (tty) process.stderr.write(`\r\x1b[2K${text}${final ? '\n' : ''}`);
    else process.stderr.write(`${text}\n`);
  };
}

async function timed(server: ServerProcess, count: number, run: () => Promise<number>): Promise<BatchTiming> {
  const cpuBefore = server.cpuMs();
  const wallMs = await run();
  return { count, wallMs, serverCpuMs: server.cpuMs() - cpuBefore };
}

/** SignUp (unsigned, plain fetch) for users [from, to) of the demo pool, whose username is the email. */
export function signUpUsers(server: ServerProcess, from: number, to: number, concurrency: number): Promise<BatchTiming> {
  return timed(server, to - from, () =>
    runConcurrently('SignUp', from, to, concurrency, async (i) => {
      await cognitoCall(server.url, 'SignUp', { ClientId: server.clientId, Username: benchEmail(i), Password: BENCH_PASSWORD });
    }),
  );
}

/** AdminConfirmSignUp through the AWS SDK v3 admin client (SigV4 with the credentials the server was given). */
export async function confirmUsers(server: ServerProcess, from: number, to: number, concurrency: number): Promise<BatchTiming> {
  // The SDK's notice that later versions need Node 22 would break the progress line; it says nothing about the run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const admin = new CognitoIdentityProviderClient({ endpoint: `${server.url}/`, region: 'us-east-1', credentials: server.admin, maxAttempts: 1 });
  try {
    return await timed(server, to - from, () =>
      runConcurrently('AdminConfirmSignUp', from, to, concurrency, async (i) => {
        await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: server.poolId, Username: benchEmail(i) }));
      }),
    );
  } finally {
    admin.destroy();
  }
}
