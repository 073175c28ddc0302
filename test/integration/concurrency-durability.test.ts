import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminGetUserCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { ADMIN, createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

const PASSWORD = 'Wild-Rydes-1';
const ROOT = new URL('../../', import.meta.url).pathname;

interface Reply {
  status: number;
  json: Record<string, unknown>;
}

async function call(url: string, op: string, body: object): Promise<Reply> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${op}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const signUp = (url: string, clientId: string, username: string, email = username) =>
  call(url, 'SignUp', { ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] });

describe('concurrent sign-ups of one username', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it.each([
    ['a username pool', false],
    ['an email-as-username pool', true],
  ])('in %s: exactly one of 20 wins, the rest get UsernameExistsException', async (_label, emailAsUsername) => {
    server = await startTestServer();
    let poolId: string;
    let clientId: string;
    if (emailAsUsername) {
      ({ poolId, clientId } = await createWorkshopPool(server));
    } else {
      const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'plain' }));
      poolId = pool.UserPool!.Id!;
      const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }));
      clientId = client.UserPoolClient!.ClientId!;
    }
    const name = emailAsUsername ? 'racer@example.com' : 'racer';
    const mailBefore = (await server.store.outbox.recent(1000)).length;
    const url = server.url;
    const replies = await Promise.all(Array.from({ length: 20 }, () => signUp(url, clientId, name, 'racer@example.com')));

    const won = replies.filter((r) => r.status === 200);
    const lost = replies.filter((r) => r.status !== 200);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const r of lost) {
      expect(r.status).toBe(400);
      expect(r.json.__type).toBe('UsernameExistsException');
    }
    expect(await server.store.users.count(poolId)).toBe(1);
    const [user] = await server.store.users.list(poolId, { limit: 10 });
    expect(user!.sub).toBe(won[0]!.json.UserSub);
    // Only the winner's verification mail (email pools verify automatically) was queued.
    expect((await server.store.outbox.recent(1000)).length - mailBefore).toBe(emailAsUsername ? 1 : 0);
  });
});

// ---- kill -9 durability with the real server process ----

interface Spawned {
  child: ChildProcess;
  url: string;
  poolId: string;
  clientId: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();
const dirs: string[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Starts `node --import tsx src/main.ts` on port 0 and reads the URL and demo ids from its banner. */
function spawnServer(dbPath: string): Promise<Spawned> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      COGNATE_PORT: '0',
      COGNATE_HOST: '127.0.0.1',
      COGNATE_DATABASE_URL: `sqlite:${dbPath}`,
      COGNATE_DEMO: 'on',
      COGNATE_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId,
      COGNATE_ADMIN_SECRET_ACCESS_KEY: ADMIN.secretAccessKey,
      COGNATE_LOG_LEVEL: 'warn',
      COGNATE_SMTP_URL: '',
      COGNATE_PUBLIC_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s\nstdout:\n${out}\nstderr:\n${err}`)), 20_000);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before it was ready\nstdout:\n${out}\nstderr:\n${err}`));
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('Admin (SigV4) access key id')) return;
      const url = /Cognate is running at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1];
      const poolId = /Demo pool \(WildRydes\)\s+(\S+)/.exec(out)?.[1];
      const clientId = /Demo app client\s+(\S+)/.exec(out)?.[1];
      clearTimeout(timer);
      if (!url || !poolId || !clientId) reject(new Error(`cannot read the banner:\n${out}`));
      else resolve({ child, url, poolId, clientId, exited });
    });
  });
}

function integrityCheck(dbPath: string, readonly: boolean): string {
  const db = new Database(dbPath, { readonly, fileMustExist: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

function storedEmailKeys(dbPath: string, poolId: string): Set<string> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('select email_key from users where pool_id = ?').all(poolId) as { email_key: string }[];
    return new Set(rows.map((r) => r.email_key));
  } finally {
    db.close();
  }
}

describe('durability across kill -9', () => {
  it('keeps every acknowledged sign-up and an intact database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognate-kill-'));
    dirs.push(dir);
    const dbPath = join(dir, 'c.db');
    const first = await spawnServer(dbPath);
    const run = Date.now();
    const acknowledged: string[] = [];

    // 30 sign-ups, 6 at a time, all acknowledged.
    for (let batch = 0; batch < 5; batch++) {
      const emails = Array.from({ length: 6 }, (_, i) => `before-${run}-${batch * 6 + i}@example.com`);
      const replies = await Promise.all(emails.map((e) => signUp(first.url, first.clientId, e)));
      replies.forEach((r, i) => {
        expect(r.status, JSON.stringify(r.json)).toBe(200);
        acknowledged.push(emails[i]!);
      });
    }
    expect(acknowledged).toHaveLength(30);

    // 60 more in flight; kill -9 as soon as a few of them are acknowledged.
    let acks = 0;
    let killed = false;
    const inFlight = Array.from({ length: 60 }, async (_, i) => {
      const email = `during-${run}-${i}@example.com`;
      try {
        const r = await signUp(first.url, first.clientId, email);
        if (r.status === 200 && !killed) {
          acknowledged.push(email);
          if (++acks === 3) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
        return r.status;
      } catch {
        return 'no answer';
      }
    });
    const outcomes = await Promise.all(inFlight);
    expect(killed).toBe(true);
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // Some requests really were cut off by the kill.
    expect(outcomes.filter((o) => o === 'no answer').length).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThanOrEqual(33);

    // The crashed database, as the kill left it (WAL included, opened read-only so nothing is checkpointed).
    expect(integrityCheck(dbPath, true)).toBe('ok');
    const onDisk = storedEmailKeys(dbPath, first.poolId);
    for (const email of acknowledged) expect(onDisk.has(email.toLowerCase()), email).toBe(true);

    // Restart on the same file: the same demo pool, and every acknowledged user is there.
    const second = await spawnServer(dbPath);
    expect(second.poolId).toBe(first.poolId);
    expect(second.clientId).toBe(first.clientId);
    const admin = new CognitoIdentityProviderClient({ endpoint: `${second.url}/`, region: 'us-east-1', credentials: ADMIN, maxAttempts: 1 });
    try {
      for (const email of acknowledged) {
        const user = await admin.send(new AdminGetUserCommand({ UserPoolId: second.poolId, Username: email }));
        expect(user.UserStatus).toBe('UNCONFIRMED');
        expect(user.UserAttributes).toContainEqual({ Name: 'email', Value: email });
      }
      const listed: string[] = [];
      let token: string | undefined;
      do {
        const page = await admin.send(new ListUsersCommand({ UserPoolId: second.poolId, Limit: 60, PaginationToken: token }));
        for (const u of page.Users ?? []) listed.push(u.Attributes!.find((a) => a.Name === 'email')!.Value!);
        token = page.PaginationToken;
      } while (token);
      for (const email of acknowledged) expect(listed).toContain(email);
      expect(listed.length).toBe(onDisk.size);
      expect(listed.length).toBeLessThanOrEqual(90);
      // The restarted server takes new sign-ups.
      expect((await signUp(second.url, second.clientId, `after-${run}@example.com`)).status).toBe(200);
    } finally {
      admin.destroy();
      second.child.kill('SIGTERM');
      await second.exited;
    }
    expect(integrityCheck(dbPath, false)).toBe('ok');
  });
});

// ---- mail while the SMTP server is down ----

describe('the mail outbox', () => {
  let server: TestServer | undefined;
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await sink?.close();
    await server?.stop();
    sink = undefined;
    server = undefined;
  });

  it('does not hold up SignUp while SMTP is down, and delivers the code once it is back', async () => {
    // A port where nothing listens (taken, then freed).
    const probe = new SmtpSink();
    const port = await probe.listen(0);
    await probe.close();
    server = await startTestServer({ smtpUrl: `smtp://127.0.0.1:${port}` });
    const { poolId, clientId } = await createWorkshopPool(server);
    const email = 'offline@example.com';

    const started = Date.now();
    const reply = await signUp(server.url, clientId, email);
    expect(reply.status, JSON.stringify(reply.json)).toBe(200);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(reply.json.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });

    // The first delivery fails and is scheduled again one second later.
    const failedOnce = async () => (await server!.store.outbox.recent(100)).find((m) => m.recipient === email && m.attempts >= 1);
    const deadline = Date.now() + 10_000;
    let failed = await failedOnce();
    while (!failed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      failed = await failedOnce();
    }
    expect(failed, 'the first delivery attempt should fail').toBeDefined();
    expect(failed!.sentAt).toBeNull();
    expect(failed!.lastError).toMatch(/ECONNREFUSED|connect/i);
    const warning = server.logs.find((l) => l.msg === 'mail delivery failed; will retry');
    expect(warning).toMatchObject({ attempts: 1, retryInMs: 1000 });

    // SMTP comes back on the same port: the retry delivers the code, and the code confirms the user.
    sink = new SmtpSink();
    expect(await sink.listen(port)).toBe(port);
    const code = await sink.codeFor(email);
    const confirmed = await call(server.url, 'ConfirmSignUp', { ClientId: clientId, Username: email, ConfirmationCode: code });
    expect(confirmed.status, JSON.stringify(confirmed.json)).toBe(200);
    const user = await server.store.users.getByEmailKey(poolId, email);
    expect(user?.status).toBe('CONFIRMED');
    expect(sink.count(email)).toBe(1);
    const row = (await server.store.outbox.recent(100)).find((m) => m.recipient === email);
    expect(row?.sentAt).not.toBeNull();
    expect(row?.lastError).toBeNull();
  });
});
