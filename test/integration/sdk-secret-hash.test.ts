import { createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand, AdminInitiateAuthCommand, AdminRespondToAuthChallengeCommand, AdminSetUserPasswordCommand, ConfirmForgotPasswordCommand, ConfirmSignUpCommand,
  DescribeUserPoolClientCommand, ForgotPasswordCommand, GetTokensFromRefreshTokenCommand, GetUserCommand, InitiateAuthCommand,
  ResendConfirmationCodeCommand, RespondToAuthChallengeCommand, RevokeTokenCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordClaim, srpClient } from '../helpers/sdk-srp.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * App clients with a secret: SECRET_HASH (COGNITO_REFERENCE §2.8) on every ClientId-scoped call, ClientSecret on
 * token calls. Each call is refused without the hash and with a wrong one, and accepted with the right one.
 * (amazon-cognito-identity-js and Amplify cannot use such clients: the AWS SDK only.)
 */
let server: TestServer;
let poolId: string;
let clientId: string;
let secret: string;
let sub: string;

const EMAIL = 'secret-keeper@example.com';
const PASSWORD = 'Secret-Hash-1';

/** Base64(HMAC-SHA256(key = client secret, message = username + client id)). */
const hashFor = (username: string) => createHmac('sha256', secret).update(username + clientId).digest('base64');
const missing = () => ({ name: 'NotAuthorizedException', message: `Client ${clientId} is configured with secret but SECRET_HASH was not received` });
const unverified = () => ({ name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${clientId}` });

const passwordAuth = (params: Record<string, string>) =>
  server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: EMAIL, PASSWORD, ...params } }));
const refresh = (params: Record<string, string>) =>
  server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: params }));

beforeAll(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createWorkshopPool(server, { GenerateSecret: true }));
  secret = (await server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient!.ClientSecret!;
});
afterAll(async () => server?.stop());

describe('SignUp, ConfirmSignUp and ResendConfirmationCode with a client secret', () => {
  it('refuses a missing or wrong SecretHash and accepts the right one', async () => {
    const signUp = (SecretHash?: string) => server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: EMAIL, Password: PASSWORD, SecretHash }));
    await expect(signUp()).rejects.toMatchObject(missing());
    await expect(signUp(hashFor('someone-else@example.com'))).rejects.toMatchObject(unverified());
    // The hash of the right message under another key is wrong too.
    await expect(signUp(createHmac('sha256', 'not-the-secret').update(EMAIL + clientId).digest('base64'))).rejects.toMatchObject(unverified());
    const out = await signUp(hashFor(EMAIL));
    expect(out.UserConfirmed).toBe(false);
    sub = out.UserSub!;
    const first = await server.smtp.codeFor(EMAIL);

    const before = server.smtp.messages.length;
    const resend = (SecretHash?: string) => server.sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: EMAIL, SecretHash }));
    await expect(resend()).rejects.toMatchObject(missing());
    await expect(resend(hashFor('x'))).rejects.toMatchObject(unverified());
    await resend(hashFor(EMAIL));
    const code = await server.smtp.codeFor(EMAIL, before);
    // The resent code replaced the first one.
    if (first !== code) {
      await expect(
        server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: EMAIL, ConfirmationCode: first, SecretHash: hashFor(EMAIL) })),
      ).rejects.toMatchObject({ name: 'CodeMismatchException' });
    }

    const confirm = (SecretHash?: string) => server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: EMAIL, ConfirmationCode: code, SecretHash }));
    await expect(confirm()).rejects.toMatchObject(missing());
    await expect(confirm(hashFor('x'))).rejects.toMatchObject(unverified());
    await confirm(hashFor(EMAIL));
    await expect(confirm(hashFor(EMAIL))).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED' });
  });
});

describe('sign-in with a client secret', () => {
  it('USER_PASSWORD_AUTH needs SECRET_HASH over the name the user typed', async () => {
    await expect(passwordAuth({})).rejects.toMatchObject(missing());
    await expect(passwordAuth({ SECRET_HASH: hashFor(sub) })).rejects.toMatchObject(unverified());
    const result = (await passwordAuth({ SECRET_HASH: hashFor(EMAIL) })).AuthenticationResult!;
    expect(result.RefreshToken).toBeDefined();
    expect((await server.sdk.send(new GetUserCommand({ AccessToken: result.AccessToken }))).Username).toBe(sub);
  });

  it('ADMIN_USER_PASSWORD_AUTH needs it too', async () => {
    const adminAuth = (params: Record<string, string>) =>
      server.admin.send(new AdminInitiateAuthCommand({
        UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: EMAIL, PASSWORD, ...params },
      }));
    await expect(adminAuth({})).rejects.toMatchObject(missing());
    await expect(adminAuth({ SECRET_HASH: hashFor(sub) })).rejects.toMatchObject(unverified());
    expect((await adminAuth({ SECRET_HASH: hashFor(EMAIL) })).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('AdminInitiateAuth USER_SRP_AUTH and AdminRespondToAuthChallenge PASSWORD_VERIFIER: the same two hashes', async () => {
    const client = srpClient();
    const start = (params: Record<string, string>) =>
      server.admin.send(new AdminInitiateAuthCommand({
        UserPoolId: poolId, ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: EMAIL, SRP_A: client.srpA, ...params },
      }));
    await expect(start({})).rejects.toMatchObject(missing());
    await expect(start({ SECRET_HASH: hashFor('x') })).rejects.toMatchObject(unverified());
    const out = await start({ SECRET_HASH: hashFor(EMAIL) });
    const answer = passwordClaim(client, poolId, PASSWORD, out.ChallengeParameters!);
    const respond = (extra: Record<string, string>) =>
      server.admin.send(new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId, ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: { ...answer, ...extra },
      }));
    await expect(respond({})).rejects.toMatchObject(missing());
    await expect(respond({ SECRET_HASH: hashFor(EMAIL) })).rejects.toMatchObject(unverified());
    expect((await respond({ SECRET_HASH: hashFor(sub) })).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('USER_SRP_AUTH: SECRET_HASH over the typed name, then over USER_ID_FOR_SRP in the answer', async () => {
    const client = srpClient();
    const start = (params: Record<string, string>) =>
      server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: EMAIL, SRP_A: client.srpA, ...params } }));
    await expect(start({})).rejects.toMatchObject(missing());
    const out = await start({ SECRET_HASH: hashFor(EMAIL) });
    expect(out.ChallengeName).toBe('PASSWORD_VERIFIER');
    const answer = passwordClaim(client, poolId, PASSWORD, out.ChallengeParameters!);
    expect(answer.USERNAME).toBe(sub);

    const respond = (extra: Record<string, string>) =>
      server.sdk.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: { ...answer, ...extra } }));
    await expect(respond({})).rejects.toMatchObject(missing());
    await expect(respond({ SECRET_HASH: hashFor('x') })).rejects.toMatchObject(unverified());
    const result = (await respond({ SECRET_HASH: hashFor(sub) })).AuthenticationResult!;
    expect(result.AccessToken).toBeDefined();
  });

  it('REFRESH_TOKEN_AUTH: SECRET_HASH over the internal username (the sub here), not the email signed in with', async () => {
    const { RefreshToken } = (await passwordAuth({ SECRET_HASH: hashFor(EMAIL) })).AuthenticationResult!;
    await expect(refresh({ REFRESH_TOKEN: RefreshToken! })).rejects.toMatchObject(missing());
    await expect(refresh({ REFRESH_TOKEN: RefreshToken!, SECRET_HASH: hashFor('someone-else') })).rejects.toMatchObject(unverified());
    // Naming the email in USERNAME does not make a hash over it good.
    await expect(refresh({ REFRESH_TOKEN: RefreshToken!, USERNAME: EMAIL, SECRET_HASH: hashFor(EMAIL) })).rejects.toMatchObject(unverified());
    // A missing hash is refused before the token is even looked at.
    await expect(refresh({ REFRESH_TOKEN: 'not-a-refresh-token' })).rejects.toMatchObject(missing());
    const result = (await refresh({ REFRESH_TOKEN: RefreshToken!, SECRET_HASH: hashFor(sub) })).AuthenticationResult!;
    expect(result.AccessToken).toBeDefined();
    expect(result.RefreshToken).toBeUndefined();
  });

  it('AdminInitiateAuth REFRESH_TOKEN_AUTH: the same', async () => {
    const { RefreshToken } = (await passwordAuth({ SECRET_HASH: hashFor(EMAIL) })).AuthenticationResult!;
    const adminRefresh = (params: Record<string, string>) =>
      server.admin.send(new AdminInitiateAuthCommand({
        UserPoolId: poolId, ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: RefreshToken!, ...params },
      }));
    await expect(adminRefresh({})).rejects.toMatchObject(missing());
    await expect(adminRefresh({ SECRET_HASH: hashFor(EMAIL) })).rejects.toMatchObject(unverified());
    expect((await adminRefresh({ SECRET_HASH: hashFor(sub) })).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('GetTokensFromRefreshToken needs the ClientSecret', async () => {
    const { RefreshToken } = (await passwordAuth({ SECRET_HASH: hashFor(EMAIL) })).AuthenticationResult!;
    const get = (ClientSecret?: string) => server.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken, ClientSecret }));
    await expect(get()).rejects.toMatchObject(unverified());
    await expect(get(`${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`)).rejects.toMatchObject(unverified());
    expect((await get(secret)).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('RevokeToken needs the ClientSecret', async () => {
    const { RefreshToken } = (await passwordAuth({ SECRET_HASH: hashFor(EMAIL) })).AuthenticationResult!;
    await expect(server.sdk.send(new RevokeTokenCommand({ ClientId: clientId, Token: RefreshToken }))).rejects.toMatchObject({ name: 'UnauthorizedException' });
    await expect(server.sdk.send(new RevokeTokenCommand({ ClientId: clientId, Token: RefreshToken, ClientSecret: `${secret}x` }))).rejects.toMatchObject({
      name: 'UnauthorizedException',
    });
    // Still good: the refused calls revoked nothing.
    expect((await refresh({ REFRESH_TOKEN: RefreshToken!, SECRET_HASH: hashFor(sub) })).AuthenticationResult).toBeDefined();
    await server.sdk.send(new RevokeTokenCommand({ ClientId: clientId, Token: RefreshToken, ClientSecret: secret }));
    await expect(refresh({ REFRESH_TOKEN: RefreshToken!, SECRET_HASH: hashFor(sub) })).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Refresh Token has been revoked',
    });
  });
});

describe('NEW_PASSWORD_REQUIRED with a client secret', () => {
  const TEMPORARY = 'Temporary-Pass-1';
  const NEW_PASSWORD = 'Brand-New-Pass-1';

  /** A user created by an administrator, who must choose a password at the first sign-in. */
  async function invited(email: string): Promise<string> {
    const out = await server.admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: email, TemporaryPassword: TEMPORARY, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
    }));
    return out.User!.Username!;
  }

  it('RespondToAuthChallenge: SECRET_HASH over USER_ID_FOR_SRP', async () => {
    const email = 'invited@example.com';
    const username = await invited(email);
    const challenge = await server.sdk.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: TEMPORARY, SECRET_HASH: hashFor(email) },
    }));
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(challenge.ChallengeParameters!.USER_ID_FOR_SRP).toBe(username);
    const respond = (extra: Record<string, string>) =>
      server.sdk.send(new RespondToAuthChallengeCommand({
        ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD, ...extra },
      }));
    await expect(respond({})).rejects.toMatchObject(missing());
    await expect(respond({ SECRET_HASH: hashFor(email) })).rejects.toMatchObject(unverified());
    expect((await respond({ SECRET_HASH: hashFor(username) })).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('AdminRespondToAuthChallenge: the same', async () => {
    const email = 'invited-by-admin@example.com';
    const username = await invited(email);
    const challenge = await server.admin.send(new AdminInitiateAuthCommand({
      UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: TEMPORARY, SECRET_HASH: hashFor(email) },
    }));
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const respond = (extra: Record<string, string>) =>
      server.admin.send(new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId, ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD, ...extra },
      }));
    await expect(respond({})).rejects.toMatchObject(missing());
    await expect(respond({ SECRET_HASH: hashFor('x') })).rejects.toMatchObject(unverified());
    expect((await respond({ SECRET_HASH: hashFor(username) })).AuthenticationResult?.AccessToken).toBeDefined();
  });
});

describe('ForgotPassword and ConfirmForgotPassword with a client secret', () => {
  it('refuse a missing or wrong SecretHash, and mail or reset nothing then', async () => {
    const email = 'forgetful@example.com';
    const password = 'Forgetful-Pass-1';
    const NEW_PASSWORD = 'Remembered-Pass-2';
    await server.admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: email, TemporaryPassword: 'Temporary-Pass-1', MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
    }));
    await server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password: password, Permanent: true }));

    const before = server.smtp.messages.length;
    const forgot = (SecretHash?: string) => server.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email, SecretHash }));
    await expect(forgot()).rejects.toMatchObject(missing());
    await expect(forgot(hashFor('x'))).rejects.toMatchObject(unverified());
    expect(server.smtp.messages.length).toBe(before);
    expect((await forgot(hashFor(email))).CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const code = await server.smtp.codeFor(email, before);

    const confirm = (SecretHash?: string) =>
      server.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: email, ConfirmationCode: code, Password: NEW_PASSWORD, SecretHash }));
    await expect(confirm()).rejects.toMatchObject(missing());
    await expect(confirm(hashFor('x'))).rejects.toMatchObject(unverified());
    // Refused calls changed nothing: the old password still signs in, the code is still good.
    const signIn = (PASSWORD_: string) =>
      server.sdk.send(new InitiateAuthCommand({
        ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: PASSWORD_, SECRET_HASH: hashFor(email) },
      }));
    expect((await signIn(password)).AuthenticationResult).toBeDefined();
    await confirm(hashFor(email));
    expect((await signIn(NEW_PASSWORD)).AuthenticationResult).toBeDefined();
    await expect(signIn(password)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });
});
