import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminGetUserCommand, ConfirmForgotPasswordCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, DescribeUserPoolCommand,
  ForgotPasswordCommand, GetCSVHeaderCommand, InitiateAuthCommand, ListUsersCommand, SignUpCommand, type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEALED_PREFIX } from '../../src/store/sealed-secrets.js';
import { cognateCli } from '../helpers/cognate-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * `cognate users import` / `users export` as an operator runs them: real CLI processes on the SQLite
 * file of a running test server, whose API then shows the users (and signs them in after a reset).
 */
let server: TestServer;
let dir: string;
let cli: ReturnType<typeof cognateCli>;

const NEW_PASSWORD = 'Imported-Rider-1';
const NOTHING_VERIFIED = 'The User Record does not set any of the auto verified attributes to verified. (Example: email_verified to true).';
const SUMMARY = /^imported (\d+) users, (\d+) failed(?: \(see (.+)\))?, in \d+\.\d s \(\d+ rows\/s\)\n$/;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cognate-users-import-'));
  const databaseUrl = `sqlite:${join(dir, 'cognate.db')}`;
  server = await startTestServer({ databaseUrl });
  cli = cognateCli(databaseUrl);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** An email-as-username pool (the workshop's) with a custom attribute, and a LEGACY and an ENABLED client. */
async function ridersPool(name: string): Promise<{ poolId: string; clientId: string; quietClientId: string }> {
  const pool = await server.admin.send(
    new CreateUserPoolCommand({
      PoolName: name, UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false },
      Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }],
    }),
  );
  const poolId = pool.UserPool!.Id!;
  const client = async (PreventUserExistenceErrors: 'LEGACY' | 'ENABLED') =>
    (await server.admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: PreventUserExistenceErrors, PreventUserExistenceErrors, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient!.ClientId!;
  return { poolId, clientId: await client('LEGACY'), quietClientId: await client('ENABLED') };
}

async function allUsers(UserPoolId: string): Promise<UserType[]> {
  const users: UserType[] = [];
  let PaginationToken: string | undefined;
  do {
    const page = await server.admin.send(new ListUsersCommand({ UserPoolId, PaginationToken }));
    users.push(...page.Users!);
    PaginationToken = page.PaginationToken;
  } while (PaginationToken);
  return users;
}

const userCount = async (UserPoolId: string) => (await server.admin.send(new DescribeUserPoolCommand({ UserPoolId }))).UserPool!.EstimatedNumberOfUsers!;
const attributesOf = (u: { Attributes?: { Name?: string; Value?: string }[]; UserAttributes?: { Name?: string; Value?: string }[] }) =>
  Object.fromEntries((u.Attributes ?? u.UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));

function csvFile(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('cognate users import', () => {
  let riders: Awaited<ReturnType<typeof ridersPool>>;
  beforeAll(async () => {
    riders = await ridersPool('Riders');
  });

  it('imports the valid rows as RESET_REQUIRED users, writes the refused ones with line and reason, and goes on', async () => {
    // A user who signed up before the import holds an email that a row wants.
    await server.sdk.send(new SignUpCommand({ ClientId: riders.clientId, Username: 'early@example.com', Password: 'Early-Rider-1' }));
    const file = csvFile('riders.csv', [
      'cognito:username,email,email_verified,given_name,custom:tier,cognito:mfa_enabled',
      'ann@example.com,ann@example.com,true,Ann,gold,false',
      'bob@example.com,,TRUE,"Bob, Jr.",silver,FALSE',
      'cat@example.com,cat@example.com,true,Smith\\, Cat,,false',
      'dan@example.com,dan@example.com,false,Dan,,false',
      'eve@example.com,eve@example.com,true,Eve,,true',
      'ANN@example.com,ann@example.com,true,Ann again,,false',
      'not-an-email,,true,Nobody,,false',
      'fay@example.com,fay@example.com,yes,Fay,,false',
      'gus@example.com,other@example.com,true,Gus,,false',
      'early@example.com,early@example.com,true,Early,,false',
      `hal@example.com,hal@example.com,true,${'h'.repeat(2049)},,false`,
      'ivy@example.com,ivy@example.com,true,Too,many,values,false',
      ',,true,,,false',
    ]);
    const { stdout } = await cli.run('users', 'import', file, '--pool', riders.poolId);
    expect(stdout).toMatch(SUMMARY);
    const [, imported, failed, errorsFile] = SUMMARY.exec(stdout)!;
    expect([imported, failed, errorsFile]).toEqual(['3', '10', `${file}.errors.csv`]);
    expect(parse(readFileSync(`${file}.errors.csv`))).toEqual([
      ['line', 'cognito:username', 'reason'],
      ['5', 'dan@example.com', NOTHING_VERIFIED],
      ['6', 'eve@example.com', 'cognito:mfa_enabled is true, but Cognate has no MFA: import the user with false.'],
      ['7', 'ANN@example.com', 'An account with the given email already exists.'],
      ['8', 'not-an-email', 'Username should be an email.'],
      ['9', 'fay@example.com', 'email_verified must be true or false.'],
      ['10', 'gus@example.com', "cognito:username must be the user's email: the user pool signs in with email as username."],
      ['11', 'early@example.com', 'An account with the given email already exists.'],
      ['12', 'hal@example.com', 'Attributes did not conform to the schema: given_name: String must be no longer than 2048 characters'],
      ['13', 'ivy@example.com', "The row has 7 values for the header's 6 columns."],
      ['14', '', 'cognito:username is empty.'],
    ]);

    const ann = await server.admin.send(new AdminGetUserCommand({ UserPoolId: riders.poolId, Username: 'ann@example.com' }));
    expect(ann.UserStatus).toBe('RESET_REQUIRED');
    expect(ann.Enabled).toBe(true);
    const annAttributes = attributesOf(ann);
    expect(annAttributes).toEqual({ sub: ann.Username, email: 'ann@example.com', email_verified: 'true', given_name: 'Ann', 'custom:tier': 'gold' });
    expect(ann.Username).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const bob = await server.admin.send(new AdminGetUserCommand({ UserPoolId: riders.poolId, Username: 'bob@example.com' }));
    expect(attributesOf(bob)).toMatchObject({ email: 'bob@example.com', email_verified: 'true', given_name: 'Bob, Jr.', 'custom:tier': 'silver' });
    const cat = await server.admin.send(new AdminGetUserCommand({ UserPoolId: riders.poolId, Username: 'cat@example.com' }));
    expect(attributesOf(cat).given_name).toBe('Smith, Cat');
    const users = await allUsers(riders.poolId);
    expect(users.map((u) => attributesOf(u).email).sort()).toEqual(['ann@example.com', 'bob@example.com', 'cat@example.com', 'early@example.com']);
    expect(new Set(users.map((u) => attributesOf(u).sub)).size).toBe(4);
    // Their (random) salt and verifier rest sealed, as the server seals every user's.
    const db = new Database(join(dir, 'cognate.db'), { readonly: true });
    const stored = db.prepare('select salt, verifier from users where pool_id = ? and username = ?').get(riders.poolId, ann.Username) as { salt: string; verifier: string };
    db.close();
    expect(stored.salt.startsWith(SEALED_PREFIX) && stored.verifier.startsWith(SEALED_PREFIX)).toBe(true);

    // Run again: nothing to do, nothing changes.
    expect((await cli.run('users', 'import', file, '--pool', riders.poolId)).stdout).toBe(
      `already imported: ${file} into ${riders.poolId} (3 users, 10 failed); nothing to do\n`,
    );
    expect(await userCount(riders.poolId)).toBe(4);
  });

  it('lets an imported user set a password with ForgotPassword / ConfirmForgotPassword, and sign in with it', async () => {
    const signIn = (PASSWORD: string, ClientId = riders.clientId) =>
      server.sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ann@example.com', PASSWORD } }));
    // No password was imported: none signs in. A LEGACY client is told to reset it (with any password, in
    // either flow); an ENABLED one gets the generic answer (PreventUserExistenceErrors).
    await expect(signIn('Any-Password-1', riders.quietClientId)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    const resetRequired = { name: 'PasswordResetRequiredException', message: 'Password reset required for the user' };
    await expect(signIn('Any-Password-1')).rejects.toMatchObject(resetRequired);
    await expect(server.sdk.send(new InitiateAuthCommand({
      ClientId: riders.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'ann@example.com', SRP_A: 'ab'.repeat(384) },
    }))).rejects.toMatchObject(resetRequired);
    const before = server.smtp.messages.length;
    const delivery = await server.sdk.send(new ForgotPasswordCommand({ ClientId: riders.clientId, Username: 'ann@example.com' }));
    expect(delivery.CodeDeliveryDetails).toEqual({ Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const code = await server.smtp.codeFor('ann@example.com', before);
    await server.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: riders.clientId, Username: 'ann@example.com', ConfirmationCode: code, Password: NEW_PASSWORD }));
    const out = await signIn(NEW_PASSWORD);
    expect(out.AuthenticationResult?.IdToken).toBeTruthy();
    const ann = await server.admin.send(new AdminGetUserCommand({ UserPoolId: riders.poolId, Username: 'ann@example.com' }));
    expect(ann.UserStatus).toBe('CONFIRMED');
  });

  it('refuses a file whose header does not fit the pool, with a clear message, and writes nothing', async () => {
    const pool = await ridersPool('Refusing');
    const before = await userCount(pool.poolId);
    const refused = async (lines: string[], message: string) => {
      const file = csvFile('refused.csv', lines);
      await expect(cli.run('users', 'import', file, '--pool', pool.poolId)).rejects.toMatchObject({ code: 1, stderr: `cognate: ${message}\n` });
      expect(existsSync(`${file}.errors.csv`)).toBe(false);
      expect(await userCount(pool.poolId)).toBe(before);
    };
    const header = (await server.admin.send(new GetCSVHeaderCommand({ UserPoolId: pool.poolId }))).CSVHeader!.join(',');
    await refused(
      ['cognito:username,email,email_verified,favourite_colour,cognito:mfa_enabled', 'zed@example.com,zed@example.com,true,blue,false'],
      `The CSV header has columns that are not in the user pool's header: "favourite_colour". The pool's header (GetCSVHeader): ${header}`,
    );
    await refused(
      ['cognito:username,email,email_verified', 'zed@example.com,zed@example.com,true'],
      'The CSV header must have the columns cognito:username and cognito:mfa_enabled; missing: cognito:mfa_enabled.',
    );
    await refused(
      ['cognito:username,email,email,cognito:mfa_enabled', 'zed@example.com,zed@example.com,zed@example.com,false'],
      'The CSV header names a column more than once: email.',
    );
    const file = csvFile('ok.csv', ['cognito:username,email_verified,cognito:mfa_enabled', 'zed@example.com,true,false']);
    await expect(cli.run('users', 'import', file, '--pool', 'us-east-1_NoSuchPol')).rejects.toMatchObject({
      code: 1, stderr: 'cognate: User pool us-east-1_NoSuchPol does not exist.\n',
    });
    const unverified = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'NoAutoVerify' }))).UserPool!.Id!;
    await expect(cli.run('users', 'import', file, '--pool', unverified)).rejects.toMatchObject({
      code: 1,
      stderr: 'cognate: The user pool has no auto-verified attributes (email or phone_number): imported users could not reset their password, so it takes no import.\n',
    });
    expect(await userCount(unverified)).toBe(0);
  });

  it('exports a pool as its CSV, which imports into another pool with the same users and attributes', async () => {
    const copy = await ridersPool('RidersCopy');
    const header = (await server.admin.send(new GetCSVHeaderCommand({ UserPoolId: riders.poolId }))).CSVHeader!;
    const { stdout, stderr } = await cli.run('users', 'export', '--pool', riders.poolId);
    const rows = parse(stdout) as string[][];
    expect(rows[0]).toEqual(header);
    expect(stderr).toMatch(/^exported 4 users in \d+\.\d s \(\d+ rows\/s\)\n$/);
    const usernames = rows.slice(1).map((r) => r[header.indexOf('cognito:username')]).sort();
    // cognito:username is what a person signs in with: the email, in this pool.
    expect(usernames).toEqual(['ann@example.com', 'bob@example.com', 'cat@example.com', 'early@example.com']);

    const file = join(dir, 'riders-export.csv');
    expect((await cli.run('users', 'export', '--pool', riders.poolId, '--out', file)).stderr).toMatch(new RegExp(`^exported 4 users to ${file} in `));
    expect(readFileSync(file, 'utf8')).toBe(stdout);
    // early@example.com signed up but never confirmed: with no verified email it is not importable, as in Cognito.
    const imported = await cli.run('users', 'import', file, '--pool', copy.poolId);
    expect(SUMMARY.exec(imported.stdout)?.slice(1, 3)).toEqual(['3', '1']);
    expect((parse(readFileSync(`${file}.errors.csv`)) as string[][]).slice(1).map((r) => r.slice(1))).toEqual([['early@example.com', NOTHING_VERIFIED]]);

    const byEmail = (users: UserType[]) =>
      Object.fromEntries(users.map((u) => {
        const { sub: _sub, ...rest } = attributesOf(u);
        return [rest.email, rest];
      }));
    const original = (await allUsers(riders.poolId)).filter((u) => attributesOf(u).email !== 'early@example.com');
    const copied = await allUsers(copy.poolId);
    expect(Object.keys(byEmail(copied)).sort()).toEqual(['ann@example.com', 'bob@example.com', 'cat@example.com']);
    expect(byEmail(copied)).toEqual(byEmail(original));
    expect(copied.map((u) => u.UserStatus)).toEqual(['RESET_REQUIRED', 'RESET_REQUIRED', 'RESET_REQUIRED']);
  });

  it('resumes after a kill -9: every row is imported (or refused) exactly once', { timeout: 300_000 }, async () => {
    const pool = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'Resume', AutoVerifiedAttributes: ['email'] }))).UserPool!.Id!;
    const total = 50_000;
    const refusedEvery = 5_000;
    const lines = ['cognito:username,email,email_verified,cognito:mfa_enabled'];
    for (let i = 1; i <= total; i++) lines.push(`user${i},user${i}@example.com,true,${i % refusedEvery === 0 ? 'true' : 'false'}`);
    const file = csvFile('resume.csv', lines);

    const child = cli.spawn('users', 'import', file, '--pool', pool, '--batch-size', '1000');
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    for (let n = 0; n < 3000; ) {
      await new Promise((r) => setTimeout(r, 50));
      n = await userCount(pool);
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const partial = await userCount(pool);
    expect(partial).toBeGreaterThanOrEqual(3000);
    expect(partial).toBeLessThan(total - total / refusedEvery);

    const { stdout, stderr } = await cli.run('users', 'import', file, '--pool', pool, '--batch-size', '1000');
    expect(stderr).toMatch(/^resuming after row (\d+)000: the rows before it were imported by an earlier run\n/);
    expect(SUMMARY.exec(stdout)?.slice(1, 4)).toEqual([String(total - total / refusedEvery), String(total / refusedEvery), `${file}.errors.csv`]);
    expect(await userCount(pool)).toBe(total - total / refusedEvery);
    // A row imported twice would be refused as taken the second time: none was, and each refusal is listed once.
    const errors = parse(readFileSync(`${file}.errors.csv`)) as string[][];
    expect(errors.slice(1).map((r) => r[0])).toEqual(Array.from({ length: total / refusedEvery }, (_, k) => String((k + 1) * refusedEvery + 1)));
    const exported = parse((await cli.run('users', 'export', '--pool', pool)).stdout) as string[][];
    const usernames = exported.slice(1).map((r) => r[exported[0]!.indexOf('cognito:username')]!);
    expect(usernames.length).toBe(total - total / refusedEvery);
    expect(new Set(usernames).size).toBe(usernames.length);
    expect(usernames.every((u) => Number(u.slice(4)) % refusedEvery !== 0)).toBe(true);
  });
});
