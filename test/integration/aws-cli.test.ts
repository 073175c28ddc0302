import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Debian's AWS CLI v2 (/usr/bin/aws, botocore underneath) against Cognate: the admin operations are
 * SigV4-signed with the admin credentials, SignUp goes unsigned. No config or credentials file is read.
 */
const run = promisify(execFile);
const AWS = '/usr/bin/aws';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.stop());

interface CliOptions {
  secretAccessKey?: string;
  /** No credentials at all (the call must then be unsigned). */
  anonymous?: boolean;
}

function cliEnv(options: CliOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8',
    AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true',
  };
  if (!options.anonymous) {
    env.AWS_ACCESS_KEY_ID = ADMIN.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = options.secretAccessKey ?? ADMIN.secretAccessKey;
  }
  return env;
}

/** Runs `aws cognito-idp <args>` and parses its JSON output. */
async function cli(args: string[], options: CliOptions = {}): Promise<Record<string, any>> {
  const { stdout } = await run(AWS, ['--endpoint-url', server.url, '--region', 'us-east-1', '--output', 'json', 'cognito-idp', ...args], {
    env: cliEnv(options), timeout: 30_000,
  });
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, any>);
}

/** Runs a call that must fail; returns its exit code and stderr. */
async function cliFailure(args: string[], options: CliOptions = {}): Promise<{ code: number; stderr: string }> {
  try {
    await cli(args, options);
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: e.code ?? -1, stderr: e.stderr ?? '' };
  }
  throw new Error(`aws ${args.join(' ')} succeeded`);
}

describe('the AWS CLI v2', () => {
  it('creates a pool and a client, signs a user up, lists, confirms and reads them', async () => {
    const pool = await cli(['create-user-pool', '--pool-name', 'CliPool', '--username-attributes', 'email', '--auto-verified-attributes', 'email']);
    const poolId: string = pool.UserPool.Id;
    expect(poolId).toMatch(/^us-east-1_[A-Za-z0-9]+$/);
    expect(pool.UserPool.Name).toBe('CliPool');
    expect(pool.UserPool.Policies.PasswordPolicy.MinimumLength).toBe(8);

    const client = await cli(['create-user-pool-client', '--user-pool-id', poolId, '--client-name', 'cli-app', '--explicit-auth-flows', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    const clientId: string = client.UserPoolClient.ClientId;
    expect(clientId).toMatch(/^[a-z0-9]{26}$/);
    expect(client.UserPoolClient.UserPoolId).toBe(poolId);
    expect(client.UserPoolClient.ClientSecret).toBeUndefined();

    const email = 'cli-user@example.com';
    const signUp = await cli(
      ['sign-up', '--no-sign-request', '--client-id', clientId, '--username', email, '--password', 'Cli-Pass-1', '--user-attributes', `Name=email,Value=${email}`],
      { anonymous: true },
    );
    expect(signUp.UserConfirmed).toBe(false);
    expect(signUp.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(signUp.CodeDeliveryDetails).toEqual({ Destination: 'c***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(await server.smtp.codeFor(email)).toMatch(/^\d{6}$/);

    const listed = await cli(['list-users', '--user-pool-id', poolId]);
    expect(listed.Users).toHaveLength(1);
    expect(listed.Users[0]).toMatchObject({ Username: signUp.UserSub, UserStatus: 'UNCONFIRMED', Enabled: true });
    expect(listed.Users[0].Attributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: email }]));
    const filtered = await cli(['list-users', '--user-pool-id', poolId, '--filter', 'cognito:user_status = "UNCONFIRMED"']);
    expect(filtered.Users.map((u: { Username: string }) => u.Username)).toEqual([signUp.UserSub]);

    const confirmed = await cli(['admin-confirm-sign-up', '--user-pool-id', poolId, '--username', email]);
    expect(confirmed).toEqual({});
    const user = await cli(['admin-get-user', '--user-pool-id', poolId, '--username', email]);
    expect(user).toMatchObject({ Username: signUp.UserSub, UserStatus: 'CONFIRMED', Enabled: true });
    expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: email }, { Name: 'sub', Value: signUp.UserSub }]));
    expect(Number.isNaN(Date.parse(user.UserCreateDate))).toBe(false);
  });

  it('reports Cognito errors by type', async () => {
    const { code, stderr } = await cliFailure(['describe-user-pool', '--user-pool-id', 'us-east-1_doesnotex']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('ResourceNotFoundException');
    expect(stderr).toContain('User pool us-east-1_doesnotex does not exist.');
  });

  it('fails with InvalidSignatureException when signed with the wrong secret key', async () => {
    const { code, stderr } = await cliFailure(['list-user-pools', '--max-results', '10'], { secretAccessKey: 'wrong-secret-access-key-0123456789abcdef' });
    expect(code).not.toBe(0);
    expect(stderr).toContain('InvalidSignatureException');
    // The right key works for the same call.
    const ok = await cli(['list-user-pools', '--max-results', '10']);
    expect(Array.isArray(ok.UserPools)).toBe(true);
  });
});
