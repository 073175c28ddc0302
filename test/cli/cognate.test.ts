import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AdminGetUserCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestServer, type TestServer } from '../helpers/test-server.js';

const run = promisify(execFile);
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.stop());

/** The `cognate` command as a user runs it, against the test server, with the admin credentials in the env. */
async function cognate(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['bin/cognate.js', ...args, ...(args[0] === 'config-js' || args[0] === 'pool' || args[0] === 'client' || args[0] === 'user' ? ['--endpoint', server.url] : [])], {
    env: { ...process.env, COGNATE_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId, COGNATE_ADMIN_SECRET_ACCESS_KEY: ADMIN.secretAccessKey },
    timeout: 30_000,
  });
  return stdout;
}

describe('the cognate command', () => {
  it('creates a pool and a client, prints config.js, and confirms a user by hand', async () => {
    const pool = JSON.parse(await cognate('pool', 'create', '--name', 'CliPool', '--email-username')) as { Id: string; Arn: string };
    expect(pool.Id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(pool.Arn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.Id}`);
    const listed = JSON.parse(await cognate('pool', 'list')) as { Id: string }[];
    expect(listed.map((p) => p.Id)).toContain(pool.Id);

    const client = JSON.parse(await cognate('client', 'create', '--pool', pool.Id, '--name', 'web')) as { ClientId: string; ClientSecret?: string };
    expect(client.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(client.ClientSecret).toBeUndefined();

    const configJs = await cognate('config-js', '--pool', pool.Id, '--client', client.ClientId);
    const window: { _config?: { cognito: Record<string, string>; api: Record<string, string> } } = {};
    new Function('window', configJs)(window);
    expect(window._config).toEqual({
      cognito: { userPoolId: pool.Id, userPoolClientId: client.ClientId, region: 'us-east-1', endpoint: `${server.url}/` },
      api: { invokeUrl: '' },
    });

    await server.sdk.send(new SignUpCommand({ ClientId: client.ClientId, Username: 'cli@example.com', Password: 'Cli-passw0rd' }));
    expect(await cognate('user', 'confirm', '--pool', pool.Id, '--username', 'cli@example.com')).toContain('confirmed cli@example.com');
    const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: pool.Id, Username: 'cli@example.com' }));
    expect(user.UserStatus).toBe('CONFIRMED');
  });

  it('fails with the Cognito error and a non-zero exit for an unknown client', async () => {
    await expect(cognate('config-js', '--pool', 'us-east-1_NoSuchPol', '--client', 'nosuchclient')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('ResourceNotFoundException'),
    });
  });
});
