import {
  AdminConfirmSignUpCommand, AdminDeleteUserCommand, CreateUserPoolClientCommand, GetTokensFromRefreshTokenCommand, GetUserCommand,
  GlobalSignOutCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, RevokeTokenCommand, SignUpCommand,
  type AuthFlowType,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTimestamp, N } from '../../src/crypto/srp.js';
import { passwordClaim, srpClient, type PasswordVerifierChallenge } from '../helpers/sdk-srp.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * InitiateAuth (password, SRP, refresh), RespondToAuthChallenge, GetTokensFromRefreshToken, GetUser,
 * GlobalSignOut and RevokeToken through the AWS SDK v3.
 */
let server: TestServer;
let poolId: string;
/** Workshop client: SRP, refresh, user password and admin password flows; LEGACY existence errors. */
let clientId: string;
/** Same flows, PreventUserExistenceErrors ENABLED. */
let quietClientId: string;
/** Default flows only (SRP, refresh, custom). */
let srpOnlyClientId: string;
/** User password flow only, no SRP. */
let passwordOnlyClientId: string;
/** Token revocation disabled. */
let noRevocationClientId: string;

const EMAIL = 'rider@example.com';
const PASSWORD = 'Wild-Rydes-1';
let sub: string;

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
/** The server's clock (it may have been moved). */
let offset = 0;
const serverNow = () => new Date(Date.now() + offset);
const advance = (ms: number) => {
  offset += ms;
  server.advance(ms);
};

async function addClient(input: Record<string, unknown>): Promise<string> {
  const out = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'extra', ...input }));
  return out.UserPoolClient!.ClientId!;
}

async function createUser(email: string, password = PASSWORD, confirmed = true): Promise<string> {
  const out = await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: password }));
  if (confirmed) await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
  return out.UserSub!;
}

const initiate = (AuthFlow: AuthFlowType | string, AuthParameters: Record<string, string>, ClientId = clientId) =>
  server.sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: AuthFlow as AuthFlowType, AuthParameters }));
const passwordAuth = (USERNAME: string, PASSWORD_: string, ClientId = clientId) => initiate('USER_PASSWORD_AUTH', { USERNAME, PASSWORD: PASSWORD_ }, ClientId);
const respond = (ChallengeResponses: Record<string, string>, ClientId = clientId) =>
  server.sdk.send(new RespondToAuthChallengeCommand({ ClientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses }));

async function signIn(ClientId = clientId, email = EMAIL, password = PASSWORD) {
  return (await passwordAuth(email, password, ClientId)).AuthenticationResult!;
}

async function startSrp(username: string, ClientId = clientId) {
  const client = srpClient();
  const out = await initiate('USER_SRP_AUTH', { USERNAME: username, SRP_A: client.srpA }, ClientId);
  return { client, out, challenge: out.ChallengeParameters as PasswordVerifierChallenge };
}

beforeAll(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createWorkshopPool(server, { PreventUserExistenceErrors: 'LEGACY' }));
  const flows = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'];
  quietClientId = await addClient({ ExplicitAuthFlows: flows, PreventUserExistenceErrors: 'ENABLED' });
  srpOnlyClientId = await addClient({});
  passwordOnlyClientId = await addClient({ ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  noRevocationClientId = await addClient({ ExplicitAuthFlows: flows, EnableTokenRevocation: false });
  sub = await createUser(EMAIL);
  await createUser('waiting@example.com', PASSWORD, false);
});
afterAll(async () => server?.stop());

describe('InitiateAuth USER_PASSWORD_AUTH', () => {
  it('returns Bearer tokens for one hour and a refresh token', async () => {
    const out = await passwordAuth(EMAIL, PASSWORD);
    expect(out.ChallengeName).toBeUndefined();
    expect(out.Session).toBeUndefined();
    const result = out.AuthenticationResult!;
    expect(result.TokenType).toBe('Bearer');
    expect(result.ExpiresIn).toBe(3600);
    expect(result.RefreshToken).toMatch(/^[A-Za-z0-9_.=-]{40,}$/);
    const id = claims(result.IdToken!);
    expect(id).toMatchObject({ token_use: 'id', aud: clientId, email: EMAIL, 'cognito:username': sub, sub });
    const access = claims(result.AccessToken!);
    expect(access).toMatchObject({ token_use: 'access', client_id: clientId, username: sub, sub, scope: 'aws.cognito.signin.user.admin' });
    expect(access.exp).toBe((access.iat as number) + 3600);
  });

  it('signs in with the email in another case (the pool is case-insensitive)', async () => {
    const result = await signIn(clientId, EMAIL.toUpperCase());
    expect(claims(result.AccessToken!).sub).toBe(sub);
  });

  it('refuses a wrong password', async () => {
    await expect(passwordAuth(EMAIL, 'Wrong-Password-1')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('tells an unconfirmed user so, whatever the password', async () => {
    await expect(passwordAuth('waiting@example.com', PASSWORD)).rejects.toMatchObject({ name: 'UserNotConfirmedException', message: 'User is not confirmed.' });
    await expect(passwordAuth('waiting@example.com', 'Wrong-Password-1')).rejects.toMatchObject({ name: 'UserNotConfirmedException' });
  });

  it('is refused for a client that does not allow the flow', async () => {
    await expect(passwordAuth(EMAIL, PASSWORD, srpOnlyClientId)).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'USER_PASSWORD_AUTH flow not enabled for this client',
    });
  });

  it('reveals an unknown user to a LEGACY client only', async () => {
    await expect(passwordAuth('ghost@example.com', PASSWORD)).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    await expect(passwordAuth('ghost@example.com', PASSWORD, quietClientId)).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Incorrect username or password.',
    });
  });

  it('refuses ADMIN_USER_PASSWORD_AUTH (and ADMIN_NO_SRP_AUTH) on the public operation', async () => {
    for (const flow of ['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH']) {
      await expect(initiate(flow, { USERNAME: EMAIL, PASSWORD })).rejects.toMatchObject({
        name: 'InvalidParameterException', message: 'Initiate Auth method not supported',
      });
    }
  });

  it('refuses missing parameters, an unknown flow and an unknown client', async () => {
    await expect(initiate('USER_PASSWORD_AUTH', { PASSWORD })).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Missing required parameter USERNAME',
    });
    await expect(initiate('NO_SUCH_FLOW', { USERNAME: EMAIL })).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining("at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set"),
    });
    await expect(passwordAuth(EMAIL, PASSWORD, 'nosuchclient0000000000000')).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool client nosuchclient0000000000000 does not exist.',
    });
  });
});

describe('InitiateAuth REFRESH_TOKEN_AUTH', () => {
  it('issues new ID and access tokens of the same family, without a new refresh token', async () => {
    const first = await signIn();
    for (const flow of ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN']) {
      const out = await initiate(flow, { REFRESH_TOKEN: first.RefreshToken! });
      const result = out.AuthenticationResult!;
      expect(result.RefreshToken).toBeUndefined();
      expect(result.TokenType).toBe('Bearer');
      expect(result.ExpiresIn).toBe(3600);
      expect(result.AccessToken).not.toBe(first.AccessToken);
      const access = claims(result.AccessToken!);
      expect(access.origin_jti).toBe(claims(first.AccessToken!).origin_jti);
      expect(access.auth_time).toBe(claims(first.AccessToken!).auth_time);
      expect(claims(result.IdToken!).email).toBe(EMAIL);
    }
  });

  it('refuses an unknown refresh token, one of another client, and an expired one', async () => {
    await expect(initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: 'not-a-refresh-token' })).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Invalid Refresh Token',
    });
    const other = await signIn(quietClientId);
    await expect(initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: other.RefreshToken! })).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Invalid Refresh Token',
    });
    advance(31 * 86400_000);
    try {
      await expect(initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: other.RefreshToken! }, quietClientId)).rejects.toMatchObject({
        name: 'NotAuthorizedException', message: 'Refresh Token has expired',
      });
    } finally {
      advance(-31 * 86400_000);
    }
    await expect(initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: other.RefreshToken! }, quietClientId)).resolves.toBeDefined();
  });
});

describe('InitiateAuth USER_SRP_AUTH + RespondToAuthChallenge', () => {
  it('answers with PASSWORD_VERIFIER and no Session; the client proof signs the user in', async () => {
    const { client, out, challenge } = await startSrp(EMAIL);
    expect(out.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(out.Session).toBeUndefined();
    expect(out.AuthenticationResult).toBeUndefined();
    expect(Object.keys(out.ChallengeParameters!).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
    expect(challenge.USER_ID_FOR_SRP).toBe(sub);
    expect(challenge.USERNAME).toBe(sub);
    expect(challenge.SALT).toMatch(/^[0-9a-f]+$/);
    expect(challenge.SRP_B).toMatch(/^[0-9a-f]+$/);
    expect(challenge.SECRET_BLOCK).toMatch(/^[A-Za-z0-9+/=_-]+$/);

    const result = (await respond(passwordClaim(client, poolId, PASSWORD, challenge))).AuthenticationResult!;
    expect(result.TokenType).toBe('Bearer');
    expect(result.RefreshToken).toBeDefined();
    expect(claims(result.IdToken!)['cognito:username']).toBe(sub);
  });

  it('accepts the typed email as USERNAME in the answer', async () => {
    const { client, challenge } = await startSrp(EMAIL.toUpperCase());
    const answer = { ...passwordClaim(client, poolId, PASSWORD, challenge), USERNAME: EMAIL };
    expect((await respond(answer)).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('refuses a wrong password, and a replayed SECRET_BLOCK after a success', async () => {
    const wrong = await startSrp(EMAIL);
    await expect(respond(passwordClaim(wrong.client, poolId, 'Wrong-Password-1', wrong.challenge))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Incorrect username or password.',
    });

    const { client, challenge } = await startSrp(EMAIL);
    const answer = passwordClaim(client, poolId, PASSWORD, challenge);
    await respond(answer);
    await expect(respond(answer)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    // A fresh signature over a new TIMESTAMP does not revive the spent block either.
    const later = passwordClaim(client, poolId, PASSWORD, challenge, { at: new Date(serverNow().getTime() + 2000) });
    await expect(respond(later)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('refuses a TIMESTAMP 10 minutes old', async () => {
    const { client, challenge } = await startSrp(EMAIL);
    const stale = passwordClaim(client, poolId, PASSWORD, challenge, { at: new Date(serverNow().getTime() - 10 * 60_000) });
    await expect(respond(stale)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    // The same challenge, answered with a current TIMESTAMP, still works: only the TIMESTAMP was wrong.
    expect((await respond(passwordClaim(client, poolId, PASSWORD, challenge, { at: serverNow() }))).AuthenticationResult).toBeDefined();
  });

  it('refuses a zero-padded day of month, as AWS does', async () => {
    // Move the server to the 5th of next month, so the day has one digit.
    const now = new Date();
    const target = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 5, 9, 4, 7);
    const shift = target - Date.now();
    advance(shift);
    try {
      const at = serverNow();
      expect(at.getUTCDate()).toBe(5);
      const canonical = formatTimestamp(at);
      const padded = canonical.replace(/^(\w{3} \w{3}) 5 /, '$1 05 ');
      expect(padded).not.toBe(canonical);
      expect(padded).toMatch(/^\w{3} \w{3} 05 \d{2}:\d{2}:\d{2} UTC \d{4}$/);

      const first = await startSrp(EMAIL);
      await expect(respond(passwordClaim(first.client, poolId, PASSWORD, first.challenge, { timestamp: padded }))).rejects.toMatchObject({
        name: 'NotAuthorizedException', message: 'Incorrect username or password.',
      });
      const second = await startSrp(EMAIL);
      expect((await respond(passwordClaim(second.client, poolId, PASSWORD, second.challenge, { timestamp: canonical }))).AuthenticationResult).toBeDefined();
    } finally {
      advance(-shift);
    }
  });

  it('refuses an unparsable TIMESTAMP with InvalidParameterException', async () => {
    const { client, challenge } = await startSrp(EMAIL);
    const answer = passwordClaim(client, poolId, PASSWORD, challenge, { timestamp: serverNow().toISOString() });
    await expect(respond(answer)).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.',
    });
  });

  it('refuses an SRP_A that is 0 mod N, or not hexadecimal', async () => {
    for (const srpA of [N.toString(16), (2n * N).toString(16), '0']) {
      await expect(initiate('USER_SRP_AUTH', { USERNAME: EMAIL, SRP_A: srpA })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    }
    await expect(initiate('USER_SRP_AUTH', { USERNAME: EMAIL, SRP_A: 'xyz' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(initiate('USER_SRP_AUTH', { USERNAME: EMAIL })).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Missing required parameter SRP_A',
    });
  });

  it('refuses a tampered SECRET_BLOCK, a block answered through another client, and an expired challenge', async () => {
    const { client, challenge } = await startSrp(EMAIL);
    const block = Buffer.from(challenge.SECRET_BLOCK!, 'base64');
    block.writeUInt8(block.readUInt8(block.length - 1) ^ 1, block.length - 1);
    const tampered = passwordClaim(client, poolId, PASSWORD, { ...challenge, SECRET_BLOCK: block.toString('base64') });
    await expect(respond(tampered)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    await expect(respond(passwordClaim(client, poolId, PASSWORD, challenge), quietClientId)).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Incorrect username or password.',
    });

    const late = await startSrp(EMAIL);
    advance(6 * 60_000);
    try {
      await expect(respond(passwordClaim(late.client, poolId, PASSWORD, late.challenge, { at: serverNow() }))).rejects.toMatchObject({
        name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.',
      });
    } finally {
      advance(-6 * 60_000);
    }
  });

  it('tells an unconfirmed user so after a correct proof', async () => {
    const { client, challenge } = await startSrp('waiting@example.com');
    await expect(respond(passwordClaim(client, poolId, PASSWORD, challenge))).rejects.toMatchObject({
      name: 'UserNotConfirmedException', message: 'User is not confirmed.',
    });
  });

  it('reveals an unknown user to a LEGACY client; an ENABLED client gets a stable simulated challenge', async () => {
    await expect(startSrp('ghost@example.com')).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });

    const one = await startSrp('ghost@example.com', quietClientId);
    const two = await startSrp('ghost@example.com', quietClientId);
    expect(one.out.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(one.challenge.USER_ID_FOR_SRP).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(two.challenge.USER_ID_FOR_SRP).toBe(one.challenge.USER_ID_FOR_SRP);
    expect(two.challenge.SALT).toBe(one.challenge.SALT);
    await expect(respond(passwordClaim(one.client, poolId, PASSWORD, one.challenge), quietClientId)).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Incorrect username or password.',
    });
  });

  it('is refused for a client without ALLOW_USER_SRP_AUTH, and an unsupported challenge is refused', async () => {
    await expect(startSrp(EMAIL, passwordOnlyClientId)).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      server.sdk.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', ChallengeResponses: { USERNAME: sub } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(respond({ USERNAME: sub }, 'nosuchclient0000000000000')).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool client nosuchclient0000000000000 does not exist.',
    });
  });
});

describe('GetTokensFromRefreshToken', () => {
  it('issues new tokens from a refresh token', async () => {
    const first = await signIn();
    const out = await server.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: first.RefreshToken }));
    const result = out.AuthenticationResult!;
    expect(result.TokenType).toBe('Bearer');
    expect(result.ExpiresIn).toBe(3600);
    expect(result.RefreshToken).toBeUndefined();
    expect(claims(result.AccessToken!)).toMatchObject({ sub, origin_jti: claims(first.AccessToken!).origin_jti });
    const user = await server.sdk.send(new GetUserCommand({ AccessToken: result.AccessToken }));
    expect(user.Username).toBe(sub);
  });

  it('refuses an unknown or foreign refresh token, and an unknown client', async () => {
    await expect(server.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: 'not-a-refresh-token' }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Invalid Refresh Token',
    });
    const other = await signIn(quietClientId);
    await expect(server.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: other.RefreshToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Invalid Refresh Token',
    });
    await expect(
      server.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: 'nosuchclient0000000000000', RefreshToken: other.RefreshToken })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'User pool client nosuchclient0000000000000 does not exist.' });
  });
});

describe('GetUser', () => {
  it('returns the internal username and the attributes', async () => {
    const { AccessToken } = await signIn();
    const user = await server.sdk.send(new GetUserCommand({ AccessToken }));
    expect(user.Username).toBe(sub);
    expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'sub', Value: sub }, { Name: 'email', Value: EMAIL }]));
  });

  it('refuses an ID token, a forged token and an expired one', async () => {
    const { AccessToken, IdToken } = await signIn();
    await expect(server.sdk.send(new GetUserCommand({ AccessToken: IdToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Invalid Access Token',
    });
    const [h, , s] = AccessToken!.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims(AccessToken!), username: 'someone-else' })).toString('base64url');
    await expect(server.sdk.send(new GetUserCommand({ AccessToken: `${h}.${forgedPayload}.${s}` }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Invalid Access Token',
    });
    advance(3601_000);
    try {
      await expect(server.sdk.send(new GetUserCommand({ AccessToken }))).rejects.toMatchObject({
        name: 'NotAuthorizedException', message: 'Access Token has expired',
      });
    } finally {
      advance(-3601_000);
    }
  });

  it('answers UserNotFoundException once the user is deleted', async () => {
    await createUser('short-lived@example.com');
    const { AccessToken } = await signIn(clientId, 'short-lived@example.com');
    await server.admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'short-lived@example.com' }));
    await expect(server.sdk.send(new GetUserCommand({ AccessToken }))).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    await expect(server.sdk.send(new GlobalSignOutCommand({ AccessToken }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });
});

describe('GlobalSignOut', () => {
  it('revokes every access and refresh token of the user', async () => {
    const email = 'leaver@example.com';
    await createUser(email);
    const a = await signIn(clientId, email);
    const b = await signIn(quietClientId, email);
    await server.sdk.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken }));

    for (const token of [a.AccessToken, b.AccessToken]) {
      await expect(server.sdk.send(new GetUserCommand({ AccessToken: token }))).rejects.toMatchObject({
        name: 'NotAuthorizedException', message: 'Access Token has been revoked',
      });
    }
    await expect(initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: a.RefreshToken! })).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Refresh Token has been revoked',
    });
    await expect(server.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: quietClientId, RefreshToken: b.RefreshToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Refresh Token has been revoked',
    });
    await expect(server.sdk.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Access Token has been revoked',
    });

    // Signing in again works.
    const fresh = await signIn(clientId, email);
    expect((await server.sdk.send(new GetUserCommand({ AccessToken: fresh.AccessToken }))).Username).toBeDefined();
  });

  it('also revokes the access tokens of a client without token revocation', async () => {
    const email = 'leaver2@example.com';
    await createUser(email);
    const tokens = await signIn(noRevocationClientId, email);
    expect(claims(tokens.AccessToken!).origin_jti).toBeUndefined();
    await server.sdk.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    await expect(server.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Access Token has been revoked',
    });
    // A token issued after the sign-out (its iat in a later second) is good.
    await new Promise((r) => setTimeout(r, 1050 - (serverNow().getTime() % 1000)));
    const fresh = await signIn(noRevocationClientId, email);
    expect((await server.sdk.send(new GetUserCommand({ AccessToken: fresh.AccessToken }))).Username).toBeDefined();
  });

  it('refuses a malformed token', async () => {
    await expect(server.sdk.send(new GlobalSignOutCommand({ AccessToken: 'a.b.c' }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Invalid Access Token',
    });
  });
});

describe('RevokeToken', () => {
  it('revokes a refresh token and the access tokens of its family, not other sessions', async () => {
    const email = 'revoker@example.com';
    await createUser(email);
    const revoked = await signIn(clientId, email);
    const kept = await signIn(clientId, email);
    const refreshed = (await initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: revoked.RefreshToken! })).AuthenticationResult!;
    const out = await server.sdk.send(new RevokeTokenCommand({ ClientId: clientId, Token: revoked.RefreshToken }));
    expect(out.$metadata.httpStatusCode).toBe(200);

    await expect(initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: revoked.RefreshToken! })).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Refresh Token has been revoked',
    });
    for (const token of [revoked.AccessToken, refreshed.AccessToken]) {
      await expect(server.sdk.send(new GetUserCommand({ AccessToken: token }))).rejects.toMatchObject({
        name: 'NotAuthorizedException', message: 'Access Token has been revoked',
      });
    }
    expect((await server.sdk.send(new GetUserCommand({ AccessToken: kept.AccessToken }))).Username).toBeDefined();
    expect((await initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: kept.RefreshToken! })).AuthenticationResult).toBeDefined();
  });

  it('ignores a token of another client', async () => {
    const other = await signIn(quietClientId);
    await server.sdk.send(new RevokeTokenCommand({ ClientId: clientId, Token: other.RefreshToken }));
    expect((await initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: other.RefreshToken! }, quietClientId)).AuthenticationResult).toBeDefined();
  });

  it('refuses an access token with UnsupportedTokenTypeException', async () => {
    const { AccessToken } = await signIn();
    await expect(server.sdk.send(new RevokeTokenCommand({ ClientId: clientId, Token: AccessToken }))).rejects.toMatchObject({
      name: 'UnsupportedTokenTypeException',
    });
  });

  it('refuses a client with token revocation disabled, and an unknown client', async () => {
    const { RefreshToken } = await signIn(noRevocationClientId);
    await expect(server.sdk.send(new RevokeTokenCommand({ ClientId: noRevocationClientId, Token: RefreshToken }))).rejects.toMatchObject({
      name: 'UnsupportedOperationException',
    });
    expect((await initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: RefreshToken! }, noRevocationClientId)).AuthenticationResult).toBeDefined();
    await expect(server.sdk.send(new RevokeTokenCommand({ ClientId: 'nosuchclient0000000000000', Token: RefreshToken }))).rejects.toMatchObject({
      name: 'UnauthorizedException',
    });
  });
});
