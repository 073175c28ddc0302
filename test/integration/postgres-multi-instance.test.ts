import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminGetUserCommand, CognitoIdentityProviderClient, ConfirmSignUpCommand, GetUserCommand, GlobalSignOutCommand, InitiateAuthCommand, ListUsersCommand,
  RespondToAuthChallengeCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { NGINX, nginxConfig } from '../helpers/nginx-config.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-database.js';
import { passwordClaim, srpClient, type PasswordVerifierChallenge } from '../helpers/sdk-srp.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { ADMIN, TEST_MASTER_KEY } from '../helpers/test-server.js';

/**
 * Three Cognate processes on one PostgreSQL database behind nginx (round-robin on loopback), started at
 * the same moment on an empty database. Any request may land on any instance: SRP state travels sealed,
 * codes, tokens and keys live in the database. One instance is killed with -9 under load: every
 * acknowledged write is there, and the other two serve on.
 */
const PASSWORD = 'Multi-Instance-1';
const dir = mkdtempSync(join(tmpdir(), 'cognate-multi-'));
const smtp = new SmtpSink();
let db: TestDatabase;
let nginx: ChildProcess | undefined;
let publicUrl: string;
let poolId: string;
let clientId: string;

interface Instance {
  child: ChildProcess;
  url: string;
  out: string;
  /** Unsigned client straight to this instance (public operations). */
  sdk: CognitoIdentityProviderClient;
  admin: CognitoIdentityProviderClient;
}
const instances: Instance[] = [];
let viaNginx: CognitoIdentityProviderClient;
let adminViaNginx: CognitoIdentityProviderClient;

const clients = (endpoint: string) => {
  const base = { endpoint: `${endpoint}/`, region: 'us-east-1', maxAttempts: 1 };
  return {
    sdk: new CognitoIdentityProviderClient({ ...base, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } }),
    admin: new CognitoIdentityProviderClient({ ...base, credentials: ADMIN }),
  };
};

/** `cognate serve` as a user would run it, on the shared database, until it prints its banner. */
function startInstance(): Promise<Instance> {
  const child = spawn(process.execPath, ['bin/cognate.js', 'serve'], {
    env: {
      ...process.env, COGNATE_PORT: '0', COGNATE_DATABASE_URL: db.url, COGNATE_PUBLIC_URL: publicUrl, COGNATE_SMTP_URL: smtp.url,
      COGNATE_LOG_LEVEL: 'info', COGNATE_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId, COGNATE_ADMIN_SECRET_ACCESS_KEY: ADMIN.secretAccessKey,
      COGNATE_CONSOLE_ADMIN_PASSWORD: 'Console-Admin-1', COGNATE_MASTER_KEY: TEST_MASTER_KEY,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const instance = { child, out: '' } as Instance;
  child.stdout!.on('data', (d) => (instance.out += d));
  child.stderr!.on('data', (d) => (instance.out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in 60 s:\n${instance.out}`)), 60_000);
    const poll = setInterval(() => {
      // The banner shows the public (nginx) URL; the port the instance listens on is in its log.
      const listening = /"msg":"Server listening at http:\/\/127\.0\.0\.1:(\d+)"/.exec(instance.out);
      if (instance.out.includes('Admin (SigV4) access key id') && listening) {
        clearInterval(poll);
        clearTimeout(timer);
        instance.url = `http://127.0.0.1:${listening[1]}`;
        Object.assign(instance, clients(instance.url));
        resolve(instance);
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`instance exited with ${code}:\n${instance.out}`));
    });
  });
}

async function startNginx(port: number): Promise<void> {
  const conf = nginxConfig({
    dir, port, upstreams: instances.map((i) => i.url), serverOptions: 'max_fails=1 fail_timeout=30s', keepalive: 16, location: 'proxy_next_upstream error timeout;',
  });
  writeFileSync(join(dir, 'nginx.conf'), conf);
  nginx = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  const until = Date.now() + 10_000;
  for (;;) {
    const ok = await fetch(`${publicUrl}/health`).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > until) throw new Error(`nginx did not start:\n${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  await smtp.listen();
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  // All three at once on an empty database: migrations, server secret and demo seed race, one wins.
  instances.push(...(await Promise.all([startInstance(), startInstance(), startInstance()])));
  await startNginx(port);
  ({ sdk: viaNginx, admin: adminViaNginx } = clients(publicUrl));
  const demoOf = (i: Instance) => /Demo pool \(WildRydes\)\s+(\S+)/.exec(i.out)?.[1];
  poolId = demoOf(instances[0]!)!;
  clientId = /Demo app client\s+(\S+)/.exec(instances[0]!.out)![1]!;
  expect(instances.map(demoOf)).toEqual([poolId, poolId, poolId]);
}, 120_000);

afterAll(async () => {
  nginx?.kill('SIGTERM');
  for (const i of instances) {
    i.sdk?.destroy();
    i.admin?.destroy();
    if (i.child.exitCode === null && i.child.signalCode === null) {
      i.child.kill('SIGTERM');
      await new Promise((r) => i.child.once('exit', r));
    }
  }
  viaNginx?.destroy();
  adminViaNginx?.destroy();
  await smtp.close();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const A = () => instances[0]!;
const B = () => instances[1]!;
const C = () => instances[2]!;

async function srpSignIn(email: string, start: CognitoIdentityProviderClient, answer: CognitoIdentityProviderClient) {
  const client = srpClient();
  const started = await start.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: client.srpA } }));
  const challenge = started.ChallengeParameters as PasswordVerifierChallenge;
  const done = await answer.send(
    new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: passwordClaim(client, poolId, PASSWORD, challenge) }),
  );
  return done.AuthenticationResult!;
}

describe('three instances on one PostgreSQL behind nginx', () => {
  it('signs up on one instance, confirms on another, and signs in with SRP across a third and the first', async () => {
    const email = 'across@multi.example.com';
    await A().sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
    const code = await smtp.codeFor(email);
    await B().sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }));
    // InitiateAuth on C, RespondToAuthChallenge on A: the SRP state is in the sealed SECRET_BLOCK.
    const tokens = await srpSignIn(email, C().sdk, A().sdk);
    const me = await B().sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    expect(me.UserAttributes!.find((a) => a.Name === 'email')?.Value).toBe(email);
    // One issuer for all: the public URL that nginx answers on.
    const iss = JSON.parse(Buffer.from(tokens.IdToken!.split('.')[1]!, 'base64url').toString()).iss as string;
    expect(iss).toBe(`${publicUrl}/${poolId}`);
  });

  it('a GlobalSignOut on one instance refuses refresh and the access token on the others', async () => {
    const email = 'signout@multi.example.com';
    await B().sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
    await C().sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: await smtp.codeFor(email) }));
    const tokens = await srpSignIn(email, A().sdk, B().sdk);
    const refresh = () =>
      C().sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }));
    expect((await refresh()).AuthenticationResult?.AccessToken).toBeDefined();
    await A().sdk.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    await expect(refresh()).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(B().sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Access Token has been revoked',
    });
  });

  it('nginx spreads requests over all three instances', async () => {
    const email = 'roundrobin@multi.example.com';
    await viaNginx.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
    await viaNginx.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: await smtp.codeFor(email) }));
    const before = instances.map((i) => (i.out.match(/"msg":"signed in"/g) ?? []).length);
    for (let n = 0; n < 6; n++) await srpSignIn(email, viaNginx, viaNginx);
    const after = instances.map((i) => (i.out.match(/"msg":"signed in"/g) ?? []).length);
    expect(after.map((a, n) => a - before[n]!).every((d) => d > 0)).toBe(true);
  });

  it('a same-username SignUp storm across the instances has exactly one winner', async () => {
    const email = 'storm@multi.example.com';
    const results = await Promise.allSettled(
      Array.from({ length: 24 }, (_, n) => instances[n % 3]!.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect(r.reason).toMatchObject({ name: 'UsernameExistsException' });
    }
    const listed = await A().admin.send(new ListUsersCommand({ UserPoolId: poolId, Filter: `email = "${email}"` }));
    expect(listed.Users).toHaveLength(1);
  });

  it('loses no acknowledged write when one instance is killed with -9 under load, and the others serve on', async () => {
    const acknowledged: string[] = [];
    const failed: string[] = [];
    let n = 0;
    let killed = false;
    const worker = async () => {
      while (n < 90) {
        const email = `load${n++}@multi.example.com`;
        if (!killed && acknowledged.length >= 20) {
          killed = true;
          C().child.kill('SIGKILL');
        }
        try {
          await viaNginx.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
          acknowledged.push(email);
        } catch {
          failed.push(email);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(killed).toBe(true);
    // A request in flight on the killed instance may fail (it was never acknowledged); most go through.
    expect(acknowledged.length).toBeGreaterThan(80);
    for (const email of acknowledged) {
      const user = await A().admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
      expect(user.UserStatus).toBe('UNCONFIRMED');
    }
    // After the kill, nginx sends everything to the two live instances.
    for (let k = 0; k < 6; k++) {
      await viaNginx.send(new SignUpCommand({ ClientId: clientId, Username: `after${k}@multi.example.com`, Password: PASSWORD }));
    }
    await expect(adminViaNginx.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'after5@multi.example.com' }))).resolves.toMatchObject({
      UserStatus: 'UNCONFIRMED',
    });
  });
});
