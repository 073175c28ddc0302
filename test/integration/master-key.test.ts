import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CognitoIdentityProviderClient, ConfirmSignUpCommand, InitiateAuthCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSealedStore } from '../../src/bulk/open-sealed-store.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/settings.js';
import { fingerprint, loadMasterKey, readKeyFile, unwrapSecret } from '../../src/crypto/master-key.js';
import { startServer } from '../../src/server.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Secrets at rest on SQLite with the default key file (master.key next to the database): after a full run
 * the database file holds no SRP salt or verifier, no private key, no admin secret, no server secret and no
 * refresh token; another key is refused at start; `cognate keys rotate` (the real CLI) swaps the key while
 * the server runs, and users and refresh tokens from before keep working; a database from before sealing
 * is upgraded on its first start.
 */
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'cognate-master-key-'));
const dbPath = join(dir, 'cognate.db');
const databaseUrl = `sqlite:${dbPath}`;
const keyFile = join(dir, 'master.key');
const EMAIL = 'sealed@example.com';
const PASSWORD = 'Sealed-Secret-1';

let server: TestServer;
let poolId: string;
let clientId: string;
/** The refresh token issued before the rotation and the upgrade. */
let refreshToken: string;
let adminSecret: string;

/** A test server on this file, with admin credentials generated (and so stored in kv) rather than configured. */
async function start(): Promise<TestServer> {
  const s = await startTestServer({ databaseUrl, adminAccessKeyId: undefined, adminSecretAccessKey: undefined });
  s.admin.destroy();
  const admin = new CognitoIdentityProviderClient({ endpoint: `${s.url}/`, region: 'us-east-1', maxAttempts: 1, credentials: s.runtime.admin });
  return { ...s, admin, stop: async () => (admin.destroy(), s.stop()) };
}

/** startServer with these settings must refuse to start; resolves to the message. */
async function refusal(over: Partial<Config>): Promise<string> {
  const config = loadConfig({}, { port: 0, databaseUrl, demo: 'off', logLevel: 'silent', ...over });
  const started = await startServer(config, pino({ level: 'silent' })).then(
    async (s) => (await s.close(), undefined),
    (err: unknown) => (err instanceof Error ? err.message : String(err)),
  );
  if (started === undefined) throw new Error('the server started');
  return started;
}

function signIn(email: string, password: string): Promise<CognitoUserSession> {
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${server.url}/` });
  const user = new CognitoUser({ Username: email, Pool: pool });
  return new Promise((resolve, reject) => user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), { onSuccess: resolve, onFailure: reject }));
}

const refresh = async (token: string) =>
  (await server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } })))
    .AuthenticationResult;

/** Every row of every table, read-only, as text. */
function tables(): string {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const names = db.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[];
    return names.map((t) => `${t}: ${JSON.stringify(db.prepare(`select * from "${t}"`).all())}`).join('\n');
  } finally {
    db.close();
  }
}

function storedServerSecret(): string {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("select value from kv where key = 'server-secret'").pluck().get() as string;
  } finally {
    db.close();
  }
}

/** The database's bytes, write-ahead log included. */
const fileBytes = () => Buffer.concat([`${dbPath}`, `${dbPath}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f))).toString('latin1');

/** What must not be in the database: read through the server's (sealing) store and from the key file. */
async function secretsOfTheRun(): Promise<Record<string, string>> {
  const user = (await server.store.users.getByEmailKey(poolId, EMAIL))!;
  const keys = await server.store.keys.list(poolId);
  const secret = unwrapSecret(loadMasterKey({ kind: 'file', file: keyFile }, undefined), storedServerSecret());
  const body = keys[0]!.privateKeyPem.split('\n')[3]!;
  expect(body.length).toBeGreaterThan(40);
  return {
    salt: user.salt, verifier: user.verifier, 'PEM header': 'PRIVATE KEY', 'PEM body': body, 'admin secret': adminSecret,
    'server secret (hex)': secret.toString('hex'), 'server secret (base64)': secret.toString('base64'), 'refresh token': refreshToken, password: PASSWORD,
  };
}

function expectNone(text: string, secrets: Record<string, string>): void {
  for (const [label, value] of Object.entries(secrets)) expect(text.includes(value), `${label} in the database`).toBe(false);
}

beforeAll(async () => {
  server = await start();
  ({ poolId, clientId } = await createWorkshopPool(server));
  adminSecret = server.runtime.admin.secretAccessKey;
  expect(server.runtime.admin.generated).toBe(true);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('secrets at rest', () => {
  it('a full run (sign-up, SRP sign-in, refresh) leaves no secret in the database file', async () => {
    await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: EMAIL, Password: PASSWORD }));
    await server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: EMAIL, ConfirmationCode: await server.smtp.codeFor(EMAIL) }));
    const session = await signIn(EMAIL, PASSWORD);
    refreshToken = session.getRefreshToken().getToken();
    expect((await refresh(refreshToken))?.AccessToken).toBeTruthy();

    const secrets = await secretsOfTheRun();
    const text = tables();
    expect(text).toMatch(/"verifier":"s1:/);
    expect(text).toMatch(/"private_key":"s1:/);
    expect(text).toMatch(/"value":"m1:[0-9a-f]{16}:/);
    expectNone(text, secrets);
    // Not even in the file's free pages or its write-ahead log: they were never written in the clear.
    expectNone(fileBytes(), secrets);
  });

  it('the key file was created on first start with mode 0600 (and its fingerprint logged, never the key)', () => {
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readKeyFile(keyFile)!;
    const created = server.logs.find((l) => l.msg === 'master key file created (mode 0600): back it up apart from the database');
    expect(created).toMatchObject({ file: keyFile, masterKey: fingerprint(key) });
    expect(JSON.stringify(server.logs)).not.toContain(key.toString('base64'));
  });

  it('a start with another master key is refused, naming the key that sealed the database', async () => {
    const sealedWith = fingerprint(readKeyFile(keyFile)!);
    const other = randomBytes(32);
    expect(await refusal({ masterKey: other.toString('base64') })).toBe(
      `COGNATE_MASTER_KEY does not open this database (it was sealed with key ${sealedWith}); the key given is ${fingerprint(other)}.`,
    );
    const otherFile = join(dir, 'other.key');
    writeFileSync(otherFile, `${other.toString('hex')}\n`, { mode: 0o600 });
    expect(await refusal({ masterKeyFile: otherFile })).toMatch(`COGNATE_MASTER_KEY does not open this database (it was sealed with key ${sealedWith})`);
    // A missing key file is not replaced by a new one.
    expect(await refusal({ masterKeyFile: join(dir, 'missing.key') })).toMatch(`The database is sealed with master key ${sealedWith}, but the key file`);
    expect(existsSync(join(dir, 'missing.key'))).toBe(false);
  });

  it('a key file that others may read is refused', async () => {
    chmodSync(keyFile, 0o644);
    try {
      expect(await refusal({})).toBe(`The master key file ${keyFile} is open to other users (mode 0644): run \`chmod 600 ${keyFile}\` (only its owner may read it).`);
    } finally {
      chmodSync(keyFile, 0o600);
    }
  });

  it('cognate keys rotate: the running server goes on; then the old key opens nothing, the new one opens all, and users and refresh tokens from before still work', async () => {
    const oldKey = readKeyFile(keyFile)!;
    const { stdout } = await run(process.execPath, ['bin/cognate.js', 'keys', 'rotate'], { env: { ...process.env, COGNATE_DATABASE_URL: databaseUrl }, timeout: 30_000 });
    const newKey = readKeyFile(keyFile)!;
    expect(newKey.equals(oldKey)).toBe(false);
    expect(stdout).toContain(`master key rotated: ${fingerprint(oldKey)} -> ${fingerprint(newKey)}\nthe new key is in ${keyFile}`);
    expect(stdout).not.toContain(newKey.toString('base64'));
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(existsSync(`${keyFile}.old`)).toBe(false);

    // The running server holds the unwrapped secret: it keeps working.
    expect((await signIn(EMAIL, PASSWORD)).isValid()).toBe(true);
    expect((await refresh(refreshToken))?.AccessToken).toBeTruthy();
    await server.stop();

    const oldFile = join(dir, 'old.key');
    writeFileSync(oldFile, oldKey.toString('base64'), { mode: 0o600 });
    expect(await refusal({ masterKeyFile: oldFile })).toMatch(`COGNATE_MASTER_KEY does not open this database (it was sealed with key ${fingerprint(newKey)})`);

    // The CLI opens the stored admin credentials with the new key too.
    const shown = await run(process.execPath, ['bin/cognate.js', 'admin-credentials'], { env: { ...process.env, COGNATE_DATABASE_URL: databaseUrl }, timeout: 30_000 });
    expect(JSON.parse(shown.stdout)).toMatchObject({ secretAccessKey: adminSecret });

    server = await start();
    expect(server.runtime.admin).toMatchObject({ secretAccessKey: adminSecret, generated: false });
    expect((await signIn(EMAIL, PASSWORD)).getIdToken().decodePayload().email).toBe(EMAIL);
    expect((await refresh(refreshToken))?.IdToken).toBeTruthy();
    expectNone(tables(), await secretsOfTheRun());
  });
});

describe('a database from before sealing', () => {
  /**
   * Turns this database back into what the previous release wrote: every secret in the clear, the server
   * secret as plain hex, no upgrade mark, no key file.
   */
  async function unseal(): Promise<void> {
    const opened = await openSealedStore(loadConfig({}, { databaseUrl }));
    const db = new Database(dbPath);
    try {
      const secret = unwrapSecret(loadMasterKey({ kind: 'file', file: keyFile }, undefined), storedServerSecret());
      for (const pool of await opened.pools.list(undefined, 100)) {
        for (const u of await opened.users.list(pool.id, { limit: 1000 })) {
          db.prepare('update users set salt = ?, verifier = ? where pool_id = ? and username = ?').run(u.salt, u.verifier, pool.id, u.username);
        }
        for (const k of await opened.keys.list(pool.id)) db.prepare('update signing_keys set private_key = ? where kid = ?').run(k.privateKeyPem, k.kid);
      }
      for (const key of ['admin-credentials', 'console']) db.prepare('update kv set value = ? where key = ?').run(await opened.kv.get(key), key);
      db.prepare("update kv set value = ? where key = 'server-secret'").run(secret.toString('hex'));
      db.prepare("delete from kv where key = 'secrets-at-rest'").run();
    } finally {
      db.close();
      await opened.close();
    }
    unlinkSync(keyFile);
  }

  it('is upgraded on its first start: a key file is made, the server secret wrapped, every secret sealed; users, tokens and the admin secret keep working', async () => {
    await server.stop();
    await unseal();
    const before = tables();
    expect(before).toMatch(/"verifier":"[0-9a-f]+"/);
    expect(before).toContain('-----BEGIN PRIVATE KEY-----');
    expect(before).toContain(adminSecret);

    server = await start();
    const messages = server.logs.map((l) => l.msg);
    expect(messages).toContain('master key file created (mode 0600): back it up apart from the database');
    expect(messages).toContain('one-time upgrade: the server secret is now wrapped under the master key');
    // Two pools (the workshop pool and the console's): 2 users, 4 signing keys, the admin credentials and the console seed.
    expect(server.logs.find((l) => l.msg === 'one-time upgrade: the secrets that were in the clear in the database are sealed')).toMatchObject({
      sealed: { users: 2, keys: 4, kv: 2 },
    });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(server.runtime.admin).toMatchObject({ secretAccessKey: adminSecret, generated: false });
    expect((await signIn(EMAIL, PASSWORD)).isValid()).toBe(true);
    expect((await refresh(refreshToken))?.AccessToken).toBeTruthy();
    expectNone(tables(), await secretsOfTheRun());

    // Once: the next start finds nothing to upgrade.
    await server.stop();
    server = await start();
    expect(server.logs.map((l) => l.msg).filter((m) => String(m).startsWith('one-time upgrade') || String(m).startsWith('master key file'))).toEqual([]);
  });
});
