import {
  CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand, DeleteUserPoolClientCommand, DeleteUserPoolCommand,
  DescribeUserPoolClientCommand, DescribeUserPoolCommand, InitiateAuthCommand, ListUserPoolClientsCommand, ListUserPoolsCommand, SignUpCommand,
  UpdateUserPoolClientCommand, UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/** Pools and app clients through the AWS SDK v3, with their success paths and the errors Cognate raises. */
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.stop());

const createPool = async (input: Partial<ConstructorParameters<typeof CreateUserPoolCommand>[0]> = {}) =>
  (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'pool', ...input }))).UserPool!;

const createClient = async (poolId: string, input: Partial<ConstructorParameters<typeof CreateUserPoolClientCommand>[0]> = {}) =>
  (await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ...input }))).UserPoolClient!;

describe('CreateUserPool / DescribeUserPool', () => {
  it('creates a pool with the API defaults and describes it', async () => {
    const before = Date.now();
    const created = await createPool({ PoolName: 'Defaults', UsernameAttributes: ['email'] });
    expect(created.Id).toMatch(/^us-east-1_[A-Za-z0-9]+$/);
    expect(created.Name).toBe('Defaults');
    expect(created.CreationDate).toBeInstanceOf(Date);
    expect(created.CreationDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(created.CreationDate!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    const { UserPool: pool } = await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: created.Id }));
    expect(pool!.Id).toBe(created.Id);
    expect(pool!.Name).toBe('Defaults');
    expect(pool!.Arn).toMatch(new RegExp(`^arn:aws:cognito-idp:us-east-1:\\d{12}:userpool/${created.Id}$`));
    expect(pool!.CreationDate).toBeInstanceOf(Date);
    expect(pool!.LastModifiedDate).toBeInstanceOf(Date);
    expect(pool!.Policies?.PasswordPolicy).toMatchObject({
      MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7,
    });
    expect(pool!.UsernameConfiguration?.CaseSensitive).toBe(true);
    expect(pool!.UsernameAttributes).toEqual(['email']);
    expect(pool!.DeletionProtection).toBe('INACTIVE');
    expect(pool!.MfaConfiguration).toBe('OFF');
    expect(pool!.EstimatedNumberOfUsers).toBe(0);
    const names = pool!.SchemaAttributes!.map((a) => a.Name);
    expect(names).toEqual(expect.arrayContaining(['sub', 'email', 'email_verified', 'name', 'phone_number', 'updated_at']));
    expect(pool!.SchemaAttributes!.find((a) => a.Name === 'sub')).toMatchObject({ AttributeDataType: 'String', Mutable: false, Required: true });
  });

  it('keeps the settings it was given (password policy, case sensitivity, custom attributes)', async () => {
    const created = await createPool({
      PoolName: 'Custom',
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: false } },
      UsernameConfiguration: { CaseSensitive: false },
      Schema: [{ Name: 'team', AttributeDataType: 'String', Mutable: true }],
      AutoVerifiedAttributes: ['email'],
    });
    const { UserPool: pool } = await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: created.Id }));
    expect(pool!.Policies?.PasswordPolicy).toMatchObject({ MinimumLength: 12, RequireSymbols: false, RequireUppercase: false });
    expect(pool!.UsernameConfiguration?.CaseSensitive).toBe(false);
    expect(pool!.AutoVerifiedAttributes).toEqual(['email']);
    expect(pool!.SchemaAttributes!.map((a) => a.Name)).toContain('custom:team');
  });

  it('refuses UsernameAttributes together with AliasAttributes', async () => {
    await expect(createPool({ UsernameAttributes: ['email'], AliasAttributes: ['email'] })).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('refuses an input that breaks the model with a validation message', async () => {
    await expect(createPool({ PoolName: '' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringMatching(/^1 validation error detected: Value '' at 'poolName' failed to satisfy constraint: Member must have length greater than or equal to 1/),
    });
  });

  it('answers an unknown pool with ResourceNotFoundException', async () => {
    await expect(server.admin.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_doesnotex' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_doesnotex does not exist.',
    });
  });

  it('refuses a request signed with the wrong secret key', async () => {
    const forged = new CognitoIdentityProviderClient({
      endpoint: `${server.url}/`, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: ADMIN.accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    try {
      await expect(forged.send(new ListUserPoolsCommand({ MaxResults: 1 }))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    } finally {
      forged.destroy();
    }
  });
});

describe('ListUserPools', () => {
  it('pages through every pool with MaxResults 1, without repeats', async () => {
    const own = await startTestServer();
    try {
      // Every server has the admin console's own pool.
      const ids: string[] = [own.console.poolId];
      for (const name of ['a', 'b', 'c']) ids.push((await own.admin.send(new CreateUserPoolCommand({ PoolName: name }))).UserPool!.Id!);
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await own.admin.send(new ListUserPoolsCommand({ MaxResults: 1, NextToken: token }));
        expect(page.UserPools!.length).toBe(1);
        const summary = page.UserPools![0]!;
        expect(summary.Status).toBe('Enabled');
        expect(summary.CreationDate).toBeInstanceOf(Date);
        seen.push(summary.Id!);
        token = page.NextToken;
        pages++;
      } while (token && pages < 10);
      expect(pages).toBe(4);
      expect(new Set(seen).size).toBe(4);
      expect([...seen].sort()).toEqual([...ids].sort());

      const all = await own.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      expect(all.UserPools!.map((p) => p.Id).sort()).toEqual([...ids].sort());
      expect(all.NextToken).toBeUndefined();
      expect(all.UserPools!.find((p) => p.Id === ids[2])?.Name).toBe('b');
      expect(all.UserPools!.find((p) => p.Id === ids[0])?.Name).toBe('cognate-console');
    } finally {
      await own.stop();
    }
  });

  it('refuses a malformed NextToken and an out-of-range MaxResults', async () => {
    await expect(server.admin.send(new ListUserPoolsCommand({ MaxResults: 1, NextToken: '!!!' }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Invalid NextToken.',
    });
    await expect(server.admin.send(new ListUserPoolsCommand({ MaxResults: 61 }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining("at 'maxResults' failed to satisfy constraint"),
    });
  });
});

describe('UpdateUserPool', () => {
  it('applies a new password policy to the next SignUp, both ways', async () => {
    const pool = await createPool({ Policies: { PasswordPolicy: { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true } } });
    const client = await createClient(pool.Id!);
    const signUp = (Username: string, Password: string) => server.sdk.send(new SignUpCommand({ ClientId: client.ClientId, Username, Password }));

    await expect(signUp('before', 'lowercase1')).rejects.toMatchObject({
      name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password must have uppercase characters',
    });
    await server.admin.send(new UpdateUserPoolCommand({
      UserPoolId: pool.Id, Policies: { PasswordPolicy: { MinimumLength: 10, RequireUppercase: false, RequireLowercase: true, RequireNumbers: true, RequireSymbols: false } },
    }));
    const { UserPool: updated } = await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
    expect(updated!.Policies?.PasswordPolicy).toMatchObject({ MinimumLength: 10, RequireUppercase: false, RequireSymbols: false });
    expect(updated!.LastModifiedDate!.getTime()).toBeGreaterThanOrEqual(updated!.CreationDate!.getTime());

    await expect(signUp('short', 'lower1')).rejects.toMatchObject({
      name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough',
    });
    await expect(signUp('ninechar', 'lowercas1')).rejects.toMatchObject({
      name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough',
    });
    const ok = await signUp('after', 'lowercase12');
    expect(ok.UserConfirmed).toBe(false);
    expect(ok.UserSub).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown pool with ResourceNotFoundException', async () => {
    await expect(server.admin.send(new UpdateUserPoolCommand({ UserPoolId: 'us-east-1_doesnotex' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_doesnotex does not exist.',
    });
  });
});

describe('DeleteUserPool', () => {
  it('is refused while deletion protection is active, then allowed', async () => {
    const pool = await createPool({ DeletionProtection: 'ACTIVE' });
    await expect(server.admin.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining('deletion protection'),
    });
    await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));

    await server.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, DeletionProtection: 'INACTIVE' }));
    await server.admin.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id }));
    await expect(server.admin.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: `User pool ${pool.Id} does not exist.`,
    });
    await expect(server.admin.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('takes the pool’s clients with it', async () => {
    const { poolId, clientId } = await createWorkshopPool(server);
    await server.admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    await expect(
      server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'a@example.com', PASSWORD: 'x' } })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: `User pool client ${clientId} does not exist.` });
  });
});

describe('CreateUserPoolClient / DescribeUserPoolClient', () => {
  let poolId: string;
  beforeAll(async () => {
    poolId = (await createPool()).Id!;
  });

  it('creates a client without a secret, with the API defaults (but PreventUserExistenceErrors ENABLED, as the console)', async () => {
    const created = await createClient(poolId, { ClientName: 'web' });
    expect(created.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(created.ClientSecret).toBeUndefined();
    expect(created.UserPoolId).toBe(poolId);
    expect(created.ClientName).toBe('web');
    expect(created.CreationDate).toBeInstanceOf(Date);
    expect([...created.ExplicitAuthFlows!].sort()).toEqual(['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
    expect(created).toMatchObject({
      AccessTokenValidity: 60, IdTokenValidity: 60, RefreshTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
      EnableTokenRevocation: true, PreventUserExistenceErrors: 'ENABLED', AuthSessionValidity: 3,
    });

    const { UserPoolClient: described } = await server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId }));
    expect(described).toMatchObject({
      ClientId: created.ClientId, ClientName: 'web', UserPoolId: poolId, AccessTokenValidity: 60, RefreshTokenValidity: 30, EnableTokenRevocation: true,
    });
    expect(described!.ClientSecret).toBeUndefined();
  });

  it('generates a secret on request and shows it on Describe', async () => {
    const created = await createClient(poolId, { ClientName: 'server', GenerateSecret: true });
    expect(created.ClientSecret).toMatch(/^[a-z0-9]{40,}$/);
    const { UserPoolClient: described } = await server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId }));
    expect(described!.ClientSecret).toBe(created.ClientSecret);
  });

  it('keeps explicit settings (flows, validity, units)', async () => {
    const created = await createClient(poolId, {
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], AccessTokenValidity: 2, IdTokenValidity: 30,
      TokenValidityUnits: { IdToken: 'minutes' }, RefreshTokenValidity: 7, PreventUserExistenceErrors: 'LEGACY', EnableTokenRevocation: false,
    });
    expect(created).toMatchObject({
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], AccessTokenValidity: 2, IdTokenValidity: 30, RefreshTokenValidity: 7,
      TokenValidityUnits: { AccessToken: 'hours', IdToken: 'minutes', RefreshToken: 'days' }, PreventUserExistenceErrors: 'LEGACY', EnableTokenRevocation: false,
    });
  });

  it('refuses a token validity out of range, and an unknown pool', async () => {
    await expect(createClient(poolId, { AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'days' } })).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Invalid range for token validity.',
    });
    await expect(createClient('us-east-1_doesnotex')).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_doesnotex does not exist.',
    });
  });

  it('describes only a client of the given pool', async () => {
    const other = await createPool();
    const client = await createClient(poolId);
    await expect(server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: other.Id, ClientId: client.ClientId }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: `User pool client ${client.ClientId} does not exist.`,
    });
    await expect(server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: 'nosuchclient0000000000000' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool client nosuchclient0000000000000 does not exist.',
    });
  });
});

describe('ListUserPoolClients', () => {
  it('pages through the clients of one pool', async () => {
    const pool = await createPool();
    const other = await createPool();
    await createClient(other.Id!, { ClientName: 'elsewhere' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createClient(pool.Id!, { ClientName: `c${i}` })).ClientId!);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await server.admin.send(new ListUserPoolClientsCommand({ UserPoolId: pool.Id, MaxResults: 2, NextToken: token }));
      expect(page.UserPoolClients!.length).toBeLessThanOrEqual(2);
      for (const c of page.UserPoolClients!) {
        expect(c.UserPoolId).toBe(pool.Id);
        expect(c.ClientName).toMatch(/^c\d$/);
        seen.push(c.ClientId!);
      }
      token = page.NextToken;
      pages++;
    } while (token && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it('answers an unknown pool with ResourceNotFoundException and a bad token with InvalidParameterException', async () => {
    await expect(server.admin.send(new ListUserPoolClientsCommand({ UserPoolId: 'us-east-1_doesnotex' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_doesnotex does not exist.',
    });
    const pool = await createPool();
    await expect(server.admin.send(new ListUserPoolClientsCommand({ UserPoolId: pool.Id, NextToken: '!!!' }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Invalid NextToken.',
    });
  });
});

describe('UpdateUserPoolClient', () => {
  it('changes the name and the flows, and the new flows take effect', async () => {
    const pool = await createPool();
    const client = await createClient(pool.Id!, { ClientName: 'before', PreventUserExistenceErrors: 'LEGACY' });
    const passwordAuth = () =>
      server.sdk.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nobody', PASSWORD: 'Passw0rd!' } }));
    await expect(passwordAuth()).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'USER_PASSWORD_AUTH flow not enabled for this client' });

    const { UserPoolClient: updated } = await server.admin.send(new UpdateUserPoolClientCommand({
      UserPoolId: pool.Id, ClientId: client.ClientId, ClientName: 'after', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: 30, TokenValidityUnits: { AccessToken: 'minutes' }, PreventUserExistenceErrors: 'LEGACY',
    }));
    expect(updated).toMatchObject({ ClientId: client.ClientId, ClientName: 'after', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], AccessTokenValidity: 30 });
    const { UserPoolClient: described } = await server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: client.ClientId }));
    expect(described).toMatchObject({ ClientName: 'after', AccessTokenValidity: 30, TokenValidityUnits: { AccessToken: 'minutes' } });
    expect(described!.LastModifiedDate!.getTime()).toBeGreaterThanOrEqual(described!.CreationDate!.getTime());

    // The flow is now allowed: the same call gets as far as looking the user up.
    await expect(passwordAuth()).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
  });

  it('answers an unknown client or pool with ResourceNotFoundException', async () => {
    const pool = await createPool();
    await expect(server.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: 'nosuchclient0000000000000' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool client nosuchclient0000000000000 does not exist.',
    });
    await expect(server.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: 'us-east-1_doesnotex', ClientId: 'nosuchclient0000000000000' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_doesnotex does not exist.',
    });
  });
});

describe('DeleteUserPoolClient', () => {
  it('deletes the client; signing in with it is then refused', async () => {
    const { poolId, clientId } = await createWorkshopPool(server);
    await server.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    await expect(
      server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'a@example.com', PASSWORD: 'Passw0rd!' } })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: `User pool client ${clientId} does not exist.` });
    await expect(server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const list = await server.admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId }));
    expect(list.UserPoolClients).toEqual([]);
    await expect(server.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: `User pool client ${clientId} does not exist.`,
    });
  });
});
