import {
  AdminConfirmSignUpCommand, AdminDeleteUserCommand, AdminGetUserCommand, AdminInitiateAuthCommand, AdminRespondToAuthChallengeCommand,
  ConfirmSignUpCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, GetUserCommand, InitiateAuthCommand, ListUsersCommand, SignUpCommand,
  type AuthFlowType, type ExplicitAuthFlowsType, type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordClaim, srpClient } from '../helpers/sdk-srp.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/** The admin user operations, ListUsers and username case rules through the AWS SDK v3. */
let server: TestServer;
let poolId: string;
let clientId: string;

const PASSWORD = 'Admin-Ops-1';
const FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'];

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

beforeAll(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createWorkshopPool(server, { PreventUserExistenceErrors: 'LEGACY' }));
});
afterAll(async () => server?.stop());

async function newPool(input: Record<string, unknown> = {}, clientInput: Record<string, unknown> = {}) {
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'admin-users', ...input }));
  const id = pool.UserPool!.Id!;
  const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: 'c', ExplicitAuthFlows: FLOWS, PreventUserExistenceErrors: 'LEGACY', ...clientInput }));
  return { poolId: id, clientId: client.UserPoolClient!.ClientId! };
}

const signUp = (Username: string, ClientId = clientId, Password = PASSWORD, email?: string) =>
  server.sdk.send(new SignUpCommand({ ClientId, Username, Password, UserAttributes: email ? [{ Name: 'email', Value: email }] : undefined }));
const getUser = (Username: string, UserPoolId = poolId) => server.admin.send(new AdminGetUserCommand({ UserPoolId, Username }));
const adminAuth = (AuthFlow: AuthFlowType | string, AuthParameters: Record<string, string>, ClientId = clientId, UserPoolId = poolId) =>
  server.admin.send(new AdminInitiateAuthCommand({ UserPoolId, ClientId, AuthFlow: AuthFlow as AuthFlowType, AuthParameters }));
const passwordAuth = (USERNAME: string, password: string, ClientId: string) =>
  server.sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: password } }));

describe('AdminConfirmSignUp', () => {
  it('confirms an UNCONFIRMED user without verifying the email; a second time is refused', async () => {
    const email = 'admin-confirmed@example.com';
    await signUp(email);
    const code = await server.smtp.codeFor(email);
    expect((await getUser(email)).UserStatus).toBe('UNCONFIRMED');
    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
    const user = await getUser(email);
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes!.find((a) => a.Name === 'email_verified')).toBeUndefined();

    await expect(server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
    // The mailed code is of no use any more.
    await expect(server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
  });

  it('answers an unknown user with UserNotFoundException and an unknown pool with ResourceNotFoundException', async () => {
    await expect(server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'ghost@example.com' }))).rejects.toMatchObject({
      name: 'UserNotFoundException', message: 'User does not exist.',
    });
    await expect(server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: 'us-east-1_doesnotex', Username: 'x' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_doesnotex does not exist.',
    });
  });
});

describe('AdminGetUser', () => {
  it('finds a user by email (any case) or by internal username in an email-username pool', async () => {
    const email = 'lookup@example.com';
    const { UserSub } = await signUp(email);
    const byEmail = await getUser(email);
    expect(byEmail).toMatchObject({ Username: UserSub, Enabled: true, UserStatus: 'UNCONFIRMED', UserMFASettingList: [] });
    expect(byEmail.UserCreateDate).toBeInstanceOf(Date);
    expect(byEmail.UserLastModifiedDate).toBeInstanceOf(Date);
    expect(byEmail.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'sub', Value: UserSub }, { Name: 'email', Value: email }]));
    expect((await getUser('LookUp@Example.com')).Username).toBe(UserSub);
    expect((await getUser(UserSub!)).Username).toBe(UserSub);
  });

  it('answers an unknown user and an unknown pool', async () => {
    await expect(getUser('ghost@example.com')).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    await expect(getUser('x', 'us-east-1_doesnotex')).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_doesnotex does not exist.',
    });
    await expect(getUser('has space')).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining("at 'username' failed to satisfy constraint"),
    });
  });
});

describe('AdminDeleteUser', () => {
  it('deletes the user, their sessions, and frees the email', async () => {
    const email = 'deleted@example.com';
    await signUp(email);
    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
    const tokens = (await passwordAuth(email, PASSWORD, clientId)).AuthenticationResult!;

    await server.admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: email }));
    await expect(getUser(email)).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    await expect(passwordAuth(email, PASSWORD, clientId)).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    await expect(
      server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(server.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({ name: 'UserNotFoundException' });
    await expect(server.admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: email }))).rejects.toMatchObject({
      name: 'UserNotFoundException', message: 'User does not exist.',
    });

    const again = await signUp(email);
    expect((await getUser(email)).Username).toBe(again.UserSub);
  });

  it('answers an unknown pool with ResourceNotFoundException', async () => {
    await expect(server.admin.send(new AdminDeleteUserCommand({ UserPoolId: 'us-east-1_doesnotex', Username: 'x' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_doesnotex does not exist.',
    });
  });
});

describe('AdminInitiateAuth / AdminRespondToAuthChallenge', () => {
  const email = 'admin-auth@example.com';
  let sub: string;
  beforeAll(async () => {
    sub = (await signUp(email)).UserSub!;
    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
  });

  it('signs in with ADMIN_USER_PASSWORD_AUTH (and its legacy name ADMIN_NO_SRP_AUTH)', async () => {
    for (const flow of ['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH']) {
      const out = await adminAuth(flow, { USERNAME: email, PASSWORD });
      const result = out.AuthenticationResult!;
      expect(result).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
      expect(result.RefreshToken).toBeDefined();
      expect(claims(result.AccessToken!)).toMatchObject({ sub, client_id: clientId });
    }
  });

  it('refreshes with REFRESH_TOKEN_AUTH', async () => {
    const { RefreshToken } = (await adminAuth('ADMIN_USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD })).AuthenticationResult!;
    const out = await adminAuth('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: RefreshToken! });
    expect(out.AuthenticationResult?.AccessToken).toBeDefined();
    expect(out.AuthenticationResult?.RefreshToken).toBeUndefined();
  });

  it('refuses a wrong password, an unknown user, an unconfirmed user', async () => {
    await expect(adminAuth('ADMIN_USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD: 'Wrong-Password-1' })).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Incorrect username or password.',
    });
    await expect(adminAuth('ADMIN_USER_PASSWORD_AUTH', { USERNAME: 'ghost@example.com', PASSWORD })).rejects.toMatchObject({
      name: 'UserNotFoundException', message: 'User does not exist.',
    });
    await signUp('admin-unconfirmed@example.com');
    await expect(adminAuth('ADMIN_USER_PASSWORD_AUTH', { USERNAME: 'admin-unconfirmed@example.com', PASSWORD })).rejects.toMatchObject({
      name: 'UserNotConfirmedException', message: 'User is not confirmed.',
    });
  });

  it('refuses a client without ALLOW_ADMIN_USER_PASSWORD_AUTH, a client of another pool, and an unknown pool', async () => {
    const plain = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'no-admin' }));
    await expect(adminAuth('ADMIN_USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD }, plain.UserPoolClient!.ClientId!)).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Auth flow not enabled for this client',
    });
    const other = await newPool();
    await expect(adminAuth('ADMIN_USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD }, other.clientId)).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: `User pool client ${other.clientId} does not exist.`,
    });
    await expect(adminAuth('ADMIN_USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD }, clientId, 'us-east-1_doesnotex')).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_doesnotex does not exist.',
    });
  });

  it('answers USER_SRP_AUTH with PASSWORD_VERIFIER; AdminRespondToAuthChallenge completes it', async () => {
    const client = srpClient();
    const out = await adminAuth('USER_SRP_AUTH', { USERNAME: email, SRP_A: client.srpA });
    expect(out.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(out.Session).toBeUndefined();
    expect(out.ChallengeParameters).toMatchObject({ USER_ID_FOR_SRP: sub, USERNAME: sub });
    const respond = (password: string, ClientId = clientId) =>
      server.admin.send(new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId, ClientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: passwordClaim(client, poolId, password, out.ChallengeParameters!),
      }));
    await expect(respond(PASSWORD, 'nosuchclient0000000000000')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const result = (await respond(PASSWORD)).AuthenticationResult!;
    expect(result.TokenType).toBe('Bearer');
    expect(claims(result.IdToken!)['cognito:username']).toBe(sub);
    // The challenge is spent.
    await expect(respond(PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });

    const other = srpClient();
    const second = await adminAuth('USER_SRP_AUTH', { USERNAME: email, SRP_A: other.srpA });
    await expect(server.admin.send(new AdminRespondToAuthChallengeCommand({
      UserPoolId: poolId, ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: passwordClaim(other, poolId, 'Wrong-Password-1', second.ChallengeParameters!),
    }))).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });
});

describe('ListUsers', () => {
  let listPoolId: string;
  let listClientId: string;
  const names = Array.from({ length: 25 }, (_, i) => `user${String(i).padStart(2, '0')}`);
  /** Odd users get a "pre-" email, the first 10 are confirmed. */
  const emailOf = (i: number) => (i % 2 ? `pre-${names[i]}@example.com` : `${names[i]}@example.com`);
  const subs = new Map<string, string>();

  beforeAll(async () => {
    ({ poolId: listPoolId, clientId: listClientId } = await newPool());
    for (let i = 0; i < names.length; i++) {
      subs.set(names[i]!, (await signUp(names[i]!, listClientId, PASSWORD, emailOf(i))).UserSub!);
      if (i < 10) await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: listPoolId, Username: names[i] }));
    }
  });

  const list = (input: { Filter?: string; Limit?: number; PaginationToken?: string; AttributesToGet?: string[] } = {}) =>
    server.admin.send(new ListUsersCommand({ UserPoolId: listPoolId, ...input }));

  async function listAll(input: { Filter?: string; Limit?: number } = {}): Promise<{ users: UserType[]; pages: number }> {
    const users: UserType[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await list({ ...input, PaginationToken: token });
      if (input.Limit) expect(page.Users!.length).toBeLessThanOrEqual(input.Limit);
      users.push(...page.Users!);
      token = page.PaginationToken;
      pages++;
    } while (token && pages < 100);
    return { users, pages };
  }

  it('visits every user exactly once with Limit and PaginationToken', async () => {
    const { users, pages } = await listAll({ Limit: 7 });
    expect(pages).toBe(4);
    const seen = users.map((u) => u.Username!);
    expect(new Set(seen).size).toBe(25);
    expect([...seen].sort()).toEqual(names);
    const first = users.find((u) => u.Username === 'user00')!;
    expect(first).toMatchObject({ Enabled: true, UserStatus: 'CONFIRMED' });
    expect(first.UserCreateDate).toBeInstanceOf(Date);
    expect(first.Attributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: 'user00@example.com' }, { Name: 'sub', Value: subs.get('user00') }]));

    const all = await list();
    expect(all.Users!.length).toBe(25);
    expect(all.PaginationToken).toBeUndefined();
  });

  it('filters on email, exactly and by prefix', async () => {
    const exact = await list({ Filter: 'email = "user04@example.com"' });
    expect(exact.Users!.map((u) => u.Username)).toEqual(['user04']);
    const prefix = await listAll({ Filter: 'email ^= "pre"', Limit: 5 });
    expect(prefix.users.map((u) => u.Username).sort()).toEqual(names.filter((_, i) => i % 2));
    expect((await list({ Filter: 'email = "nobody@example.com"' })).Users).toEqual([]);
  });

  it('filters on status, user status, sub and username', async () => {
    const unconfirmed = await listAll({ Filter: 'cognito:user_status = "UNCONFIRMED"', Limit: 4 });
    expect(unconfirmed.users.map((u) => u.Username).sort()).toEqual(names.slice(10));
    expect(unconfirmed.users.every((u) => u.UserStatus === 'UNCONFIRMED')).toBe(true);
    const confirmed = await list({ Filter: 'cognito:user_status = "confirmed"' });
    expect(confirmed.Users!.map((u) => u.Username).sort()).toEqual(names.slice(0, 10));

    expect((await listAll({ Filter: 'status = "Enabled"', Limit: 10 })).users.length).toBe(25);
    expect((await list({ Filter: 'status = "Disabled"' })).Users).toEqual([]);

    const bySub = await list({ Filter: `sub = "${subs.get('user17')}"` });
    expect(bySub.Users!.map((u) => u.Username)).toEqual(['user17']);
    expect((await list({ Filter: 'username = "user05"' })).Users!.map((u) => u.Username)).toEqual(['user05']);
    expect((await list({ Filter: 'username ^= "user1"' })).Users!.map((u) => u.Username).sort()).toEqual(names.slice(10, 20));
  });

  it('returns only the attributes asked for', async () => {
    const out = await list({ AttributesToGet: ['email'], Limit: 5 });
    expect(out.Users!.length).toBe(5);
    for (const user of out.Users!) {
      expect(user.Attributes!.map((a) => a.Name)).toEqual(['email']);
    }
  });

  it('refuses a bad filter, a bad pagination token and an unknown pool', async () => {
    for (const Filter of ['email = user00@example.com', 'email == "x"', 'custom:team = "x"', 'email = "a" and name = "b"']) {
      await expect(list({ Filter })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    }
    await expect(list({ PaginationToken: '!!!' })).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Invalid PaginationToken.' });
    await expect(server.admin.send(new ListUsersCommand({ UserPoolId: 'us-east-1_doesnotex' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_doesnotex does not exist.',
    });
  });
});

describe('username case', () => {
  it('CaseSensitive false: “Alice” signs in as “ALICE”, and “ALICE” cannot sign up again', async () => {
    const pool = await newPool({ UsernameConfiguration: { CaseSensitive: false } });
    const { UserSub } = await signUp('Alice', pool.clientId);
    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: 'alice' }));
    expect((await getUser('aLiCe', pool.poolId)).Username).toBe('Alice');

    const result = (await passwordAuth('ALICE', PASSWORD, pool.clientId)).AuthenticationResult!;
    expect(claims(result.AccessToken!)).toMatchObject({ sub: UserSub, username: 'Alice' });
    expect((await server.sdk.send(new GetUserCommand({ AccessToken: result.AccessToken }))).Username).toBe('Alice');

    const client = srpClient();
    const out = await server.sdk.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'ALICE', SRP_A: client.srpA } }));
    expect(out.ChallengeParameters?.USER_ID_FOR_SRP).toBe('Alice');
    await expect(signUp('ALICE', pool.clientId)).rejects.toMatchObject({ name: 'UsernameExistsException', message: 'User already exists' });
  });

  it('CaseSensitive true: “alice” and “Alice” are two users', async () => {
    const pool = await newPool({ UsernameConfiguration: { CaseSensitive: true } });
    const lower = await signUp('alice', pool.clientId, 'Lower-case-1');
    const upper = await signUp('Alice', pool.clientId, 'Upper-case-1');
    expect(lower.UserSub).not.toBe(upper.UserSub);
    for (const name of ['alice', 'Alice']) await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: name }));

    expect((await getUser('alice', pool.poolId)).UserAttributes).toContainEqual({ Name: 'sub', Value: lower.UserSub });
    expect((await getUser('Alice', pool.poolId)).UserAttributes).toContainEqual({ Name: 'sub', Value: upper.UserSub });
    await expect(getUser('ALICE', pool.poolId)).rejects.toMatchObject({ name: 'UserNotFoundException' });

    expect(claims((await passwordAuth('alice', 'Lower-case-1', pool.clientId)).AuthenticationResult!.AccessToken!).sub).toBe(lower.UserSub);
    expect(claims((await passwordAuth('Alice', 'Upper-case-1', pool.clientId)).AuthenticationResult!.AccessToken!).sub).toBe(upper.UserSub);
    await expect(passwordAuth('alice', 'Upper-case-1', pool.clientId)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    await expect(passwordAuth('ALICE', 'Upper-case-1', pool.clientId)).rejects.toMatchObject({ name: 'UserNotFoundException' });

    const listed = await server.admin.send(new ListUsersCommand({ UserPoolId: pool.poolId, Filter: 'username = "alice"' }));
    expect(listed.Users!.map((u) => u.Username)).toEqual(['alice']);
  });
});
