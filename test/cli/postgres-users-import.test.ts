import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminGetUserCommand, ConfirmForgotPasswordCommand, CreateUserPoolCommand, DescribeUserPoolCommand, ForgotPasswordCommand, InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognateCli } from '../helpers/cognate-cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-database.js';
import { createWorkshopPool, startTestServer, TEST_MASTER_KEY, type TestServer } from '../helpers/test-server.js';

/**
 * `cognate users import` on PostgreSQL, where one failed statement would abort its transaction: rows
 * refused for a taken username or email — earlier in the same batch, in an earlier batch, or before the
 * import — leave the rest of their batch in; a kill -9 mid-import loses no committed batch and the rerun
 * repeats none. (users-import.test.ts covers the rest on SQLite.)
 */
let database: TestDatabase;
let server: TestServer;
let dir: string;
let cli: ReturnType<typeof cognateCli>;

const SUMMARY = /^imported (\d+) users, (\d+) failed(?: \(see (.+)\))?, in \d+\.\d s \(\d+ rows\/s\)\n$/;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer({ databaseUrl: database.url });
  dir = mkdtempSync(join(tmpdir(), 'cognate-pg-users-import-'));
  cli = cognateCli(database.url, { COGNATE_MASTER_KEY: TEST_MASTER_KEY });
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const userCount = async (UserPoolId: string) => (await server.admin.send(new DescribeUserPoolCommand({ UserPoolId }))).UserPool!.EstimatedNumberOfUsers!;

function csvFile(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('cognate users import on PostgreSQL', () => {
  it('refuses taken usernames and emails row by row and keeps the rest of each batch', async () => {
    const { poolId, clientId } = await createWorkshopPool(server);
    const before = csvFile('before.csv', ['cognito:username,email_verified,cognito:mfa_enabled', 'kim@example.com,true,false']);
    expect(SUMMARY.exec((await cli.run('users', 'import', before, '--pool', poolId)).stdout)?.slice(1, 3)).toEqual(['1', '0']);

    const file = csvFile('riders.csv', [
      'cognito:username,email_verified,given_name,cognito:mfa_enabled',
      'amy@example.com,true,Amy,false',
      'AMY@example.com,true,Amy again,false',
      'ben@example.com,true,Ben,false',
      'kim@example.com,true,Kim again,false',
      'cal@example.com,true,Cal,false',
      'ben@example.com,true,Ben again,false',
      'dee@example.com,false,Dee,false',
      'eli@example.com,true,Eli,false',
    ]);
    // Batches of 3: a duplicate within a batch (line 3), of an earlier import (5), of an earlier batch (7).
    const { stdout } = await cli.run('users', 'import', file, '--pool', poolId, '--batch-size', '3');
    expect(SUMMARY.exec(stdout)?.slice(1, 4)).toEqual(['4', '4', `${file}.errors.csv`]);
    expect(parse(readFileSync(`${file}.errors.csv`))).toEqual([
      ['line', 'cognito:username', 'reason'],
      ['3', 'AMY@example.com', 'An account with the given email already exists.'],
      ['5', 'kim@example.com', 'An account with the given email already exists.'],
      ['7', 'ben@example.com', 'An account with the given email already exists.'],
      ['8', 'dee@example.com', 'The User Record does not set any of the auto verified attributes to verified. (Example: email_verified to true).'],
    ]);
    expect(await userCount(poolId)).toBe(5);
    for (const [email, name] of [['amy@example.com', 'Amy'], ['ben@example.com', 'Ben'], ['cal@example.com', 'Cal'], ['eli@example.com', 'Eli']]) {
      const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
      expect(user.UserStatus).toBe('RESET_REQUIRED');
      expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'given_name', Value: name }, { Name: 'email', Value: email }]));
    }
    expect((await cli.run('users', 'import', file, '--pool', poolId)).stdout).toBe(`already imported: ${file} into ${poolId} (4 users, 4 failed); nothing to do\n`);

    const sent = server.smtp.messages.length;
    await server.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'cal@example.com' }));
    const code = await server.smtp.codeFor('cal@example.com', sent);
    await server.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'cal@example.com', ConfirmationCode: code, Password: 'Imported-Cal-1' }));
    const signedIn = await server.sdk.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'cal@example.com', PASSWORD: 'Imported-Cal-1' } }),
    );
    expect(signedIn.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('resumes after a kill -9 with every row in exactly once', { timeout: 300_000 }, async () => {
    const pool = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'Resume', AutoVerifiedAttributes: ['email'] }))).UserPool!.Id!;
    const total = 20_000;
    const lines = ['cognito:username,email,email_verified,cognito:mfa_enabled'];
    for (let i = 1; i <= total; i++) lines.push(`user${i},user${i}@example.com,${i % 4000 === 0 ? 'false' : 'true'},false`);
    const file = csvFile('resume.csv', lines);
    const child = cli.spawn('users', 'import', file, '--pool', pool, '--batch-size', '500');
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    for (let n = 0; n < 1000; ) {
      await new Promise((r) => setTimeout(r, 50));
      n = await userCount(pool);
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(await userCount(pool)).toBeLessThan(total - 5);

    const { stdout, stderr } = await cli.run('users', 'import', file, '--pool', pool, '--batch-size', '500');
    expect(stderr).toMatch(/^resuming after row \d+: /);
    expect(SUMMARY.exec(stdout)?.slice(1, 3)).toEqual([String(total - 5), '5']);
    expect(await userCount(pool)).toBe(total - 5);
    const errors = parse(readFileSync(`${file}.errors.csv`)) as string[][];
    expect(errors.slice(1).map((r) => r[0])).toEqual(['4001', '8001', '12001', '16001', '20001']);
  });
});
