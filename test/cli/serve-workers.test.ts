import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient, ConfirmSignUpCommand, InitiateAuthCommand, ListUserPoolsCommand, RespondToAuthChallengeCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordClaim, srpClient, type PasswordVerifierChallenge } from '../helpers/sdk-srp.js';
import { SmtpSink } from '../helpers/smtp-sink.js';

/**
 * `cognate serve --workers 2`: one primary and two worker processes on one SQLite file, sharing the port.
 * Requests are spread over both workers, SRP state crosses between them, each mail goes out once (the
 * outbox is claimed, not read), and a worker killed with -9 is replaced while the other serves on.
 */
const dir = mkdtempSync(join(tmpdir(), 'cognate-workers-'));
const smtp = new SmtpSink();
let child: ChildProcess;
let out = '';
let url: string;
let poolId: string;
let clientId: string;
let sdk: CognitoIdentityProviderClient;
const PASSWORD = 'Workers-Pass-1';

/** The JSON log lines the processes wrote (the banner's lines are plain text). */
const logs = () =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const waitFor = async (what: () => boolean, label: string, ms = 30_000) => {
  const until = Date.now() + ms;
  while (!what()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${label}:\n${out.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

beforeAll(async () => {
  await smtp.listen();
  child = spawn(process.execPath, ['bin/cognate.js', 'serve', '--workers', '2'], {
    env: {
      ...process.env, COGNATE_PORT: '0', COGNATE_DATABASE_URL: `sqlite:${join(dir, 'cognate.db')}`, COGNATE_LOG_LEVEL: 'info',
      COGNATE_SMTP_URL: smtp.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await waitFor(() => out.includes('Admin (SigV4) access key id'), 'the banner', 60_000);
  url = /Cognate is running at (http:\/\/\S+?)\/\s+\(2 workers\)/.exec(out)![1]!;
  poolId = /Demo pool \(WildRydes\)\s+(\S+)/.exec(out)![1]!;
  clientId = /Demo app client\s+(\S+)/.exec(out)![1]!;
  sdk = new CognitoIdentityProviderClient({ endpoint: `${url}/`, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
}, 90_000);

afterAll(async () => {
  sdk?.destroy();
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  await smtp.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signUpAndConfirm(email: string): Promise<void> {
  await sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
  const code = await smtp.codeFor(email);
  await sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }));
}

async function srpSignIn(email: string): Promise<string> {
  const client = srpClient();
  const started = await sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: client.srpA } }));
  const challenge = started.ChallengeParameters as PasswordVerifierChallenge;
  const done = await sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: passwordClaim(client, poolId, PASSWORD, challenge),
    }),
  );
  return done.AuthenticationResult!.AccessToken!;
}

describe('cognate serve --workers 2', () => {
  it('prints one banner with the secrets generated once, and both workers serve requests', async () => {
    expect(out.match(/Cognate is running at/g)).toHaveLength(1);
    expect(out.match(/Admin secret access key \(generated now/g)).toHaveLength(1);
    const emails = Array.from({ length: 8 }, (_, i) => `rider${i}@workers.example.com`);
    await Promise.all(emails.map(signUpAndConfirm));
    for (const email of emails) expect((await srpSignIn(email)).split('.')).toHaveLength(3);
    const workers = new Set(logs().filter((l) => l.msg === 'signed in' || l.msg === 'user signed up').map((l) => l.worker));
    expect([...workers].sort()).toEqual([1, 2]);
    // Every code went out exactly once although both workers run a mail sender.
    await new Promise((r) => setTimeout(r, 1500));
    for (const email of emails) expect(smtp.count(email)).toBe(1);
  });

  it('replaces a worker killed with -9; the other keeps serving and no write is lost', async () => {
    const victim = logs().find((l) => l.worker === 1 && typeof l.pid === 'number')!.pid as number;
    process.kill(victim, 'SIGKILL');
    // Until the primary has seen the death it may still hand a new connection to the dead worker (that request
    // would never be answered; a client's timeout and retry covers it): wait for that, then use new connections.
    await waitFor(() => logs().some((l) => l.msg === 'worker died' && l.pid === victim), 'the primary to notice');
    sdk.destroy();
    // As a real client: a request that gets no answer times out and is sent again.
    sdk = new CognitoIdentityProviderClient({
      endpoint: `${url}/`, region: 'us-east-1', maxAttempts: 3, requestHandler: { requestTimeout: 15_000 }, credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    await signUpAndConfirm('after-kill@workers.example.com');
    // A replacement starts (slowly on a loaded machine: it compiles the TypeScript again).
    await waitFor(() => logs().some((l) => l.worker === 3 && l.msg === 'worker listening'), 'a replacement worker', 120_000);
    expect(await srpSignIn('after-kill@workers.example.com')).toBeTruthy();
    for (let i = 0; i < 8; i++) expect(await srpSignIn(`rider${i}@workers.example.com`)).toBeTruthy();
  }, 240_000);

  it('answers admin calls signed with the credentials the primary printed', async () => {
    const accessKeyId = /Admin \(SigV4\) access key id: (\S+)/.exec(out)![1]!;
    const secretAccessKey = /Admin secret access key \(generated now[^)]*\): (\S+)/.exec(out)![1]!;
    const admin = new CognitoIdentityProviderClient({ endpoint: `${url}/`, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId, secretAccessKey } });
    const pools = await admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(pools.UserPools!.map((p) => p.Id)).toContain(poolId);
    admin.destroy();
  });

  it('stops the primary and its workers on SIGTERM', async () => {
    const pids = [...new Set(logs().map((l) => l.pid as number))];
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    const alive = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });
});
