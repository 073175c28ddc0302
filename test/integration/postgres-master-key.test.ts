import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import {
  CognitoIdentityProviderClient, ConfirmSignUpCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/settings.js';
import { fingerprint, parseMasterKey, unwrapSecret } from '../../src/crypto/master-key.js';
import { startServer } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-database.js';
import { passwordClaim, srpClient, type PasswordVerifierChallenge } from '../helpers/sdk-srp.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Secrets at rest on PostgreSQL, where the master key comes from COGNATE_MASTER_KEY (there is no default
 * key file): a start without one is refused with what to set; after a full run no table holds a salt,
 * verifier, private key, admin secret, server secret or refresh token; `cognate keys rotate` prints the new
 * key once, after which the old key is refused and the new one serves the users and tokens from before.
 */
const run = promisify(execFile);
const EMAIL = 'pg-sealed@example.com';
const PASSWORD = 'Pg-Sealed-Secret-1';
const firstKey = randomBytes(32).toString('base64');
let database: TestDatabase;
let server: TestServer;
let poolId: string;
let clientId: string;
let refreshToken: string;

/** The environment without any COGNATE_* setting of the caller's. */
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COGNATE_')));

async function start(masterKey: string): Promise<TestServer> {
  const s = await startTestServer({ databaseUrl: database.url, masterKey, adminAccessKeyId: undefined, adminSecretAccessKey: undefined });
  s.admin.destroy();
  const admin = new CognitoIdentityProviderClient({ endpoint: `${s.url}/`, region: 'us-east-1', maxAttempts: 1, credentials: s.runtime.admin });
  return { ...s, admin, stop: async () => (admin.destroy(), s.stop()) };
}

async function refusal(over: Partial<Config>): Promise<string> {
  const config = loadConfig({}, { port: 0, databaseUrl: database.url, demo: 'off', logLevel: 'silent', ...over });
  const message = await startServer(config, pino({ level: 'silent' })).then(
    async (s) => (await s.close(), undefined),
    (err: unknown) => (err instanceof Error ? err.message : String(err)),
  );
  if (message === undefined) throw new Error('the server started');
  return message;
}

async function query<T>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Every row of every table of the database, as text. */
async function tables(): Promise<string> {
  const names = await query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = current_schema()");
  const dumps = await Promise.all(names.map(async ({ table_name: t }) => `${t}: ${JSON.stringify(await query(`select * from "${t}"`))}`));
  return dumps.join('\n');
}

async function srpSignIn(): Promise<string> {
  const client = srpClient();
  const started = await server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: EMAIL, SRP_A: client.srpA } }));
  const answered = await server.sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: passwordClaim(client, poolId, PASSWORD, started.ChallengeParameters as PasswordVerifierChallenge),
    }),
  );
  return answered.AuthenticationResult!.RefreshToken!;
}

const refresh = async (token: string) =>
  (await server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } })))
    .AuthenticationResult;

async function expectNoSecretInTables(masterKey: string): Promise<void> {
  const user = (await server.store.users.getByEmailKey(poolId, EMAIL))!;
  const [row] = await query<{ value: string }>("select value from kv where key = 'server-secret'");
  const key = parseMasterKey(masterKey, 'test');
  const secret = unwrapSecret({ key, fingerprint: fingerprint(key), created: false }, row!.value);
  const secrets: Record<string, string> = {
    salt: user.salt, verifier: user.verifier, 'private key': 'PRIVATE KEY', 'admin secret': server.runtime.admin.secretAccessKey,
    'server secret (hex)': secret.toString('hex'), 'server secret (base64)': secret.toString('base64'), 'refresh token': refreshToken,
    'master key': masterKey,
  };
  const text = await tables();
  expect(text).toMatch(/"verifier":"s1:/);
  expect(text).toMatch(/"private_key":"s1:/);
  for (const [label, v] of Object.entries(secrets)) expect(text.includes(v), `${label} in the database`).toBe(false);
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe('secrets at rest on PostgreSQL', () => {
  it('a start without COGNATE_MASTER_KEY or COGNATE_MASTER_KEY_FILE is refused, saying what to set', async () => {
    const expected = /^Cognate failed to start: COGNATE_DATABASE_URL names a PostgreSQL database, so there is no default master key file: set COGNATE_MASTER_KEY \(32 random bytes/;
    await expect(run(process.execPath, ['bin/cognate.js', 'serve'], { env: { ...cleanEnv(), COGNATE_DATABASE_URL: database.url, COGNATE_PORT: '0' }, timeout: 30_000 }))
      .rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(expected) });
  });

  it('after a full run (sign-up, SRP sign-in, refresh) no table holds a secret', async () => {
    server = await start(firstKey);
    ({ poolId, clientId } = await createWorkshopPool(server));
    await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: EMAIL, Password: PASSWORD }));
    await server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: EMAIL, ConfirmationCode: await server.smtp.codeFor(EMAIL) }));
    refreshToken = await srpSignIn();
    expect((await refresh(refreshToken))?.AccessToken).toBeTruthy();
    await expectNoSecretInTables(firstKey);
  });

  it('cognate keys rotate with COGNATE_MASTER_KEY prints the new key once; the old key is refused, the new one serves users and tokens from before', async () => {
    const adminSecret = server.runtime.admin.secretAccessKey;
    const { stdout } = await run(process.execPath, ['bin/cognate.js', 'keys', 'rotate'], {
      env: { ...cleanEnv(), COGNATE_DATABASE_URL: database.url, COGNATE_MASTER_KEY: firstKey }, timeout: 30_000,
    });
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('New master key (shown once; the database is re-wrapped under it next):');
    const nextKey = lines[1]!;
    const next = parseMasterKey(nextKey, 'the printed key');
    expect(lines[2]).toBe(`master key rotated: ${fingerprint(parseMasterKey(firstKey, 'k'))} -> ${fingerprint(next)}`);
    expect(stdout).toContain('Set COGNATE_MASTER_KEY to the new key on every instance and restart them');

    // The running server holds the unwrapped secret: it keeps working.
    expect(await srpSignIn()).toBeTruthy();
    await server.stop();

    expect(await refusal({ masterKey: firstKey })).toMatch(`COGNATE_MASTER_KEY does not open this database (it was sealed with key ${fingerprint(next)})`);
    server = await start(nextKey);
    expect(server.runtime.admin.secretAccessKey).toBe(adminSecret);
    expect(await srpSignIn()).toBeTruthy();
    expect((await refresh(refreshToken))?.IdToken).toBeTruthy();
    await expectNoSecretInTables(nextKey);
  });
});
