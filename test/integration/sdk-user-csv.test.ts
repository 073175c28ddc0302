import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AddCustomAttributesCommand, CreateUserPoolCommand, DescribeUserPoolCommand, GetCSVHeaderCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * GetCSVHeader through the AWS SDK v3 and Debian's AWS CLI v2: the header of Cognito's user-import CSV
 * (the format `cognate users import` reads and `cognate users export` writes, see test/cli/users-import.test.ts).
 */
const run = promisify(execFile);
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.stop());

/** Cognito's header for a pool without custom attributes, as its documentation shows it. */
const STANDARD = [
  'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'email',
  'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'phone_number_verified', 'address', 'updated_at',
];
const MISSING_POOL = 'us-east-1_NoSuchPol';

const header = (UserPoolId: string) => server.admin.send(new GetCSVHeaderCommand({ UserPoolId }));

describe('GetCSVHeader', () => {
  it("lists the standard attributes in Cognito's order, then cognito:mfa_enabled and cognito:username", async () => {
    const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'Plain' }));
    const out = await header(pool.UserPool!.Id!);
    expect(out.UserPoolId).toBe(pool.UserPool!.Id);
    expect(out.CSVHeader).toEqual([...STANDARD, 'cognito:mfa_enabled', 'cognito:username']);
  });

  it('lists custom attributes (developer-only ones too) after updated_at, in schema order, also those added later', async () => {
    const pool = await server.admin.send(
      new CreateUserPoolCommand({
        PoolName: 'Custom',
        UsernameAttributes: ['email'],
        Schema: [
          { Name: 'tier', AttributeDataType: 'String', Mutable: true },
          { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
          { Name: 'score', AttributeDataType: 'Number', DeveloperOnlyAttribute: true },
        ],
      }),
    );
    const UserPoolId = pool.UserPool!.Id!;
    await server.admin.send(new AddCustomAttributesCommand({ UserPoolId, CustomAttributes: [{ Name: 'plan', AttributeDataType: 'String' }] }));
    const out = await header(UserPoolId);
    expect(out.CSVHeader).toEqual([...STANDARD, 'custom:tier', 'dev:custom:score', 'custom:plan', 'cognito:mfa_enabled', 'cognito:username']);
    // The same custom attributes as the pool's schema says it has.
    const described = await server.admin.send(new DescribeUserPoolCommand({ UserPoolId }));
    const custom = described.UserPool!.SchemaAttributes!.map((a) => a.Name!).filter((n) => n.includes('custom:'));
    expect(out.CSVHeader!.filter((n) => n.includes('custom:')).sort()).toEqual(custom.sort());
  });

  it('answers ResourceNotFoundException for an unknown pool', async () => {
    await expect(header(MISSING_POOL)).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: `User pool ${MISSING_POOL} does not exist.` });
  });

  it("refuses a malformed pool id with InvalidParameterException in Cognito's wording", async () => {
    await expect(header('no-underscore')).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value 'no-underscore' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
    });
    await expect(header('x'.repeat(56))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining('Member must have length less than or equal to 55'),
    });
  });
});

describe('aws cognito-idp get-csv-header (AWS CLI v2)', () => {
  const cli = (...args: string[]) =>
    run('/usr/bin/aws', ['--endpoint-url', server.url, '--region', 'us-east-1', '--output', 'json', 'cognito-idp', 'get-csv-header', ...args], {
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '',
        AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true', AWS_ACCESS_KEY_ID: ADMIN.accessKeyId, AWS_SECRET_ACCESS_KEY: ADMIN.secretAccessKey,
      },
      timeout: 30_000,
    });

  it('prints the header, and the error for an unknown pool', async () => {
    const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'Cli', Schema: [{ Name: 'team', AttributeDataType: 'String' }] }));
    const { stdout } = await cli('--user-pool-id', pool.UserPool!.Id!);
    expect(JSON.parse(stdout)).toEqual({ UserPoolId: pool.UserPool!.Id, CSVHeader: [...STANDARD, 'custom:team', 'cognito:mfa_enabled', 'cognito:username'] });
    await expect(cli('--user-pool-id', MISSING_POOL)).rejects.toMatchObject({ code: 254, stderr: expect.stringContaining('ResourceNotFoundException') });
  });
});
