import {
  AdminConfirmSignUpCommand, AdminGetUserCommand, AdminInitiateAuthCommand, AdminSetUserPasswordCommand, ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand, CreateUserPoolClientCommand, DescribeUserPoolClientCommand, ForgotPasswordCommand, GetUserCommand, GlobalSignOutCommand,
  InitiateAuthCommand, ListUserPoolClientsCommand, ResendConfirmationCodeCommand, RespondToAuthChallengeCommand, RevokeTokenCommand,
  SignUpCommand, UpdateUserPoolClientCommand, type CreateUserPoolClientCommandInput, type ExplicitAuthFlowsType, type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordClaim, srpClient, type PasswordVerifierChallenge } from '../helpers/sdk-srp.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * What an app client's settings do, end to end through the AWS SDK v3 (COGNITO_REFERENCE §3.6, §3.7,
 * §4.8): token lifetimes and their limits, token revocation, the lifetime of challenge sessions
 * (AuthSessionValidity), and PreventUserExistenceErrors on every operation it affects.
 */
let server: TestServer;
let poolId: string;
/** The workshop client (LEGACY existence errors, default lifetimes), for sign-up. */
let clientId: string;

const PASSWORD = 'Client-Settings-1';
const TEMPORARY = 'Temporary-Pass-1';
const NEW_PASSWORD = 'Chosen-Pass-2';
const WRONG = 'Incorrect username or password.';
const SESSION_EXPIRED = 'Invalid session for the user, session is expired.';
const BAD_RANGE = { name: 'InvalidParameterException', message: 'Invalid range for token validity.' };
const FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'];
const MINUTE = 60_000;

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const lifetime = (jwt: string) => (claims(jwt).exp as number) - (claims(jwt).iat as number);

/** The server's clock, moved by the tests (SigV4 calls only while it is not). */
let offset = 0;
const serverNow = () => new Date(Date.now() + offset);
async function later<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  offset += ms;
  server.advance(ms);
  try {
    return await fn();
  } finally {
    offset -= ms;
    server.advance(-ms);
  }
}

async function addClient(input: Partial<CreateUserPoolClientCommandInput> = {}): Promise<UserPoolClientType> {
  const out = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'settings', ExplicitAuthFlows: FLOWS, ...input }));
  return out.UserPoolClient!;
}
const describeClient = async (ClientId: string) => (await server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId }))).UserPoolClient!;
const clientCount = async () => (await server.admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }))).UserPoolClients!.length;

/** Signed up and confirmed by an administrator; returns the internal username (the sub). */
async function confirmedUser(email: string): Promise<string> {
  const out = await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
  await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
  return out.UserSub!;
}
/** A user whose next sign-in answers NEW_PASSWORD_REQUIRED; returns the internal username. */
async function mustChangePassword(email: string): Promise<string> {
  const username = await confirmedUser(email);
  await server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password: TEMPORARY, Permanent: false }));
  return username;
}

const passwordAuth = (ClientId: string, USERNAME: string, PASSWORD_ = PASSWORD) =>
  server.sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: PASSWORD_ } }));
const refresh = (ClientId: string, REFRESH_TOKEN: string) =>
  server.sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN } }));
const newPassword = (ClientId: string, Session: string | undefined, USERNAME: string) =>
  server.sdk.send(new RespondToAuthChallengeCommand({ ClientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session, ChallengeResponses: { USERNAME, NEW_PASSWORD } }));
const status = async (Username: string) => (await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username }))).UserStatus;

beforeAll(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createWorkshopPool(server));
});
afterAll(async () => server?.stop());

describe('token validity', () => {
  it('gives each token the lifetime the client sets, in its units, on sign-in and on refresh', async () => {
    const client = await addClient({
      AccessTokenValidity: 5, IdTokenValidity: 2, RefreshTokenValidity: 90, TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'hours', RefreshToken: 'minutes' },
    });
    expect(client).toMatchObject({ AccessTokenValidity: 5, IdTokenValidity: 2, RefreshTokenValidity: 90 });
    const email = 'lifetimes@example.com';
    await confirmedUser(email);
    const signedIn = (await passwordAuth(client.ClientId!, email)).AuthenticationResult!;
    expect(signedIn.ExpiresIn).toBe(300);
    expect(lifetime(signedIn.AccessToken!)).toBe(300);
    expect(lifetime(signedIn.IdToken!)).toBe(7200);
    const refreshed = (await refresh(client.ClientId!, signedIn.RefreshToken!)).AuthenticationResult!;
    expect([refreshed.ExpiresIn, lifetime(refreshed.AccessToken!), lifetime(refreshed.IdToken!)]).toEqual([300, 300, 7200]);

    // The access token dies after 5 minutes, the refresh token after 90.
    await later(5 * MINUTE + 1000, async () => {
      await expect(server.sdk.send(new GetUserCommand({ AccessToken: signedIn.AccessToken }))).rejects.toMatchObject({
        name: 'NotAuthorizedException', message: 'Access Token has expired',
      });
    });
    await later(89 * MINUTE, async () => expect((await refresh(client.ClientId!, signedIn.RefreshToken!)).AuthenticationResult?.AccessToken).toBeDefined());
    await later(90 * MINUTE + 1000, async () => {
      await expect(refresh(client.ClientId!, signedIn.RefreshToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has expired' });
    });
  });

  it('reads a validity given without its unit in hours (access, ID) or days (refresh), and 0 days as the default 30', async () => {
    const client = await addClient({ AccessTokenValidity: 2, IdTokenValidity: 1, RefreshTokenValidity: 0 });
    expect(client).toMatchObject({
      AccessTokenValidity: 2, IdTokenValidity: 1, RefreshTokenValidity: 30, TokenValidityUnits: { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' },
    });
    const email = 'hours@example.com';
    await confirmedUser(email);
    const tokens = (await passwordAuth(client.ClientId!, email)).AuthenticationResult!;
    expect([tokens.ExpiresIn, lifetime(tokens.AccessToken!), lifetime(tokens.IdToken!)]).toEqual([7200, 7200, 3600]);
    await later(29 * 24 * 60 * MINUTE, async () => expect((await refresh(client.ClientId!, tokens.RefreshToken!)).AuthenticationResult).toBeDefined());
    await later(30 * 24 * 60 * MINUTE + 1000, async () => {
      await expect(refresh(client.ClientId!, tokens.RefreshToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has expired' });
    });
    // 0 in another unit is the same 30 days.
    expect(await addClient({ RefreshTokenValidity: 0, TokenValidityUnits: { RefreshToken: 'hours' } })).toMatchObject({ RefreshTokenValidity: 720 });
  });

  it('accepts the limits: 5 minutes to 1 day (access, ID), 60 minutes to 10 years (refresh)', async () => {
    const edges: Partial<CreateUserPoolClientCommandInput>[] = [
      { AccessTokenValidity: 300, IdTokenValidity: 86400, TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds' } },
      { AccessTokenValidity: 1, IdTokenValidity: 5, TokenValidityUnits: { AccessToken: 'days', IdToken: 'minutes' } },
      { AccessTokenValidity: 24, IdTokenValidity: 1440, TokenValidityUnits: { IdToken: 'minutes' } },
      { RefreshTokenValidity: 60, TokenValidityUnits: { RefreshToken: 'minutes' } },
      { RefreshTokenValidity: 3650 },
      { RefreshTokenValidity: 315_360_000, TokenValidityUnits: { RefreshToken: 'seconds' } },
    ];
    for (const input of edges) {
      const created = await addClient(input);
      for (const field of ['AccessTokenValidity', 'IdTokenValidity', 'RefreshTokenValidity'] as const) {
        if (input[field] !== undefined) expect(created[field]).toBe(input[field]);
      }
    }
  });

  it('refuses anything outside them with “Invalid range for token validity.”, creating and changing nothing', async () => {
    const outside: Partial<CreateUserPoolClientCommandInput>[] = [
      { AccessTokenValidity: 299, TokenValidityUnits: { AccessToken: 'seconds' } },
      { AccessTokenValidity: 25 },
      { AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'days' } },
      { IdTokenValidity: 4, TokenValidityUnits: { IdToken: 'minutes' } },
      { IdTokenValidity: 1441, TokenValidityUnits: { IdToken: 'minutes' } },
      { RefreshTokenValidity: 59, TokenValidityUnits: { RefreshToken: 'minutes' } },
      { RefreshTokenValidity: 3651 },
      // A unit without its validity applies to the default number: 60 hours, 60 seconds, 30 minutes.
      { TokenValidityUnits: { AccessToken: 'hours' } },
      { TokenValidityUnits: { IdToken: 'seconds' } },
      { TokenValidityUnits: { RefreshToken: 'minutes' } },
    ];
    const before = await clientCount();
    for (const input of outside) await expect(addClient(input), JSON.stringify(input)).rejects.toMatchObject(BAD_RANGE);
    expect(await clientCount()).toBe(before);

    const client = await addClient({ AccessTokenValidity: 30, TokenValidityUnits: { AccessToken: 'minutes' } });
    for (const input of outside) {
      await expect(
        server.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId, ExplicitAuthFlows: FLOWS, ...input })),
        JSON.stringify(input),
      ).rejects.toMatchObject(BAD_RANGE);
    }
    expect(await describeClient(client.ClientId!)).toMatchObject({
      AccessTokenValidity: 30, IdTokenValidity: 60, RefreshTokenValidity: 30, TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
    });
  });

  it('refuses values the model excludes, in its wording', async () => {
    const before = await clientCount();
    await expect(addClient({ AccessTokenValidity: 0 })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value '0' at 'accessTokenValidity' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
    await expect(addClient({ RefreshTokenValidity: 315_360_001 })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value '315360001' at 'refreshTokenValidity' failed to satisfy constraint: Member must have value less than or equal to 315360000",
    });
    await expect(addClient({ TokenValidityUnits: { AccessToken: 'weeks' as 'days' } })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message:
        "1 validation error detected: Value 'weeks' at 'tokenValidityUnits.accessToken' failed to satisfy constraint: Member must satisfy enum value set: [seconds, minutes, hours, days]",
    });
    expect(await clientCount()).toBe(before);
  });
});

describe('EnableTokenRevocation', () => {
  it('off: tokens carry no origin_jti and RevokeToken is refused; on again: both come back', async () => {
    const client = await addClient({ EnableTokenRevocation: false });
    expect(client.EnableTokenRevocation).toBe(false);
    const email = 'unrevocable@example.com';
    await confirmedUser(email);
    const tokens = (await passwordAuth(client.ClientId!, email)).AuthenticationResult!;
    expect(claims(tokens.AccessToken!).origin_jti).toBeUndefined();
    expect(claims(tokens.IdToken!).origin_jti).toBeUndefined();
    await expect(server.sdk.send(new RevokeTokenCommand({ ClientId: client.ClientId, Token: tokens.RefreshToken }))).rejects.toMatchObject({
      name: 'UnsupportedOperationException', message: 'Token revocation is not enabled for this client.',
    });
    // Nothing was revoked.
    expect((await refresh(client.ClientId!, tokens.RefreshToken!)).AuthenticationResult?.AccessToken).toBeDefined();
    // GlobalSignOut still ends the session (by time, as there is no family to name).
    await server.sdk.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    await expect(server.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Access Token has been revoked',
    });

    await server.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId, ExplicitAuthFlows: FLOWS, EnableTokenRevocation: true }));
    const again = (await passwordAuth(client.ClientId!, email)).AuthenticationResult!;
    expect(claims(again.AccessToken!).origin_jti).toEqual(expect.any(String));
    expect(claims(again.IdToken!).origin_jti).toBe(claims(again.AccessToken!).origin_jti);
    await server.sdk.send(new RevokeTokenCommand({ ClientId: client.ClientId, Token: again.RefreshToken }));
    await expect(refresh(client.ClientId!, again.RefreshToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
  });
});

describe('AuthSessionValidity', () => {
  it('bounds the NEW_PASSWORD_REQUIRED session: answered in time it works, late it is expired and nothing changes', async () => {
    const client = await addClient({ AuthSessionValidity: 10 });
    expect(client.AuthSessionValidity).toBe(10);
    const punctual = 'punctual@example.com';
    const punctualName = await mustChangePassword(punctual);
    const first = await passwordAuth(client.ClientId!, punctual, TEMPORARY);
    expect(first.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    await later(9 * MINUTE, async () => expect((await newPassword(client.ClientId!, first.Session, punctualName)).AuthenticationResult).toBeDefined());
    expect(await status(punctual)).toBe('CONFIRMED');

    const tardy = 'tardy@example.com';
    const tardyName = await mustChangePassword(tardy);
    const second = await passwordAuth(client.ClientId!, tardy, TEMPORARY);
    await later(10 * MINUTE + 1000, async () => {
      await expect(newPassword(client.ClientId!, second.Session, tardyName)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: SESSION_EXPIRED });
    });
    expect(await status(tardy)).toBe('FORCE_CHANGE_PASSWORD');
  });

  it('applies to sessions started after UpdateUserPoolClient changes it', async () => {
    const client = await addClient({ AuthSessionValidity: 15 });
    await server.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId, ExplicitAuthFlows: FLOWS, AuthSessionValidity: 3 }));
    const email = 'hurried@example.com';
    const username = await mustChangePassword(email);
    const challenge = await passwordAuth(client.ClientId!, email, TEMPORARY);
    await later(3 * MINUTE + 1000, async () => {
      await expect(newPassword(client.ClientId!, challenge.Session, username)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: SESSION_EXPIRED });
    });
  });

  it('bounds the PASSWORD_VERIFIER challenge of USER_SRP_AUTH too', async () => {
    const patient = await addClient({ AuthSessionValidity: 10 });
    const hasty = await addClient({});
    const email = 'verifier@example.com';
    await confirmedUser(email);
    const start = async (ClientId: string) => {
      const client = srpClient();
      const out = await server.sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: client.srpA } }));
      return { client, challenge: out.ChallengeParameters as PasswordVerifierChallenge };
    };
    const answer = (ClientId: string, s: Awaited<ReturnType<typeof start>>) =>
      server.sdk.send(new RespondToAuthChallengeCommand({
        ClientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: passwordClaim(s.client, poolId, PASSWORD, s.challenge, { at: serverNow() }),
      }));
    const slow = await start(patient.ClientId!);
    const late = await start(hasty.ClientId!);
    await later(4 * MINUTE, async () => {
      expect((await answer(patient.ClientId!, slow)).AuthenticationResult?.AccessToken).toBeDefined();
      await expect(answer(hasty.ClientId!, late)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: SESSION_EXPIRED });
    });
  });

  it('must be 3 to 15 minutes (the model’s wording), on create and on update', async () => {
    const before = await clientCount();
    for (const AuthSessionValidity of [2, 16]) {
      const bound = AuthSessionValidity < 3 ? 'greater than or equal to 3' : 'less than or equal to 15';
      const refusal = {
        name: 'InvalidParameterException',
        message: `1 validation error detected: Value '${AuthSessionValidity}' at 'authSessionValidity' failed to satisfy constraint: Member must have value ${bound}`,
      };
      await expect(addClient({ AuthSessionValidity })).rejects.toMatchObject(refusal);
      await expect(server.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, AuthSessionValidity }))).rejects.toMatchObject(refusal);
    }
    expect(await clientCount()).toBe(before);
    expect((await describeClient(clientId)).AuthSessionValidity).toBe(3);
  });
});

describe('PreventUserExistenceErrors', () => {
  let legacyId: string;
  let quietId: string;
  const GHOST = 'nobody-here@example.com';
  const UNKNOWN_TO_LEGACY = { name: 'UserNotFoundException', message: 'Username/client id combination not found.' };

  beforeAll(async () => {
    legacyId = (await addClient({ PreventUserExistenceErrors: 'LEGACY' })).ClientId!;
    quietId = (await addClient({ PreventUserExistenceErrors: 'ENABLED' })).ClientId!;
  });

  it('sign-in: LEGACY says the user does not exist; ENABLED answers as for a wrong password, in every flow', async () => {
    const known = 'present@example.com';
    await confirmedUser(known);
    const adminAuth = (ClientId: string, USERNAME: string, PASSWORD_: string) =>
      server.admin.send(new AdminInitiateAuthCommand({
        UserPoolId: poolId, ClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: PASSWORD_ },
      }));
    const notFound = { name: 'UserNotFoundException', message: 'User does not exist.' };
    const wrong = { name: 'NotAuthorizedException', message: WRONG };
    await expect(passwordAuth(legacyId, GHOST)).rejects.toMatchObject(notFound);
    await expect(adminAuth(legacyId, GHOST, PASSWORD)).rejects.toMatchObject(notFound);
    await expect(passwordAuth(quietId, GHOST)).rejects.toMatchObject(wrong);
    await expect(adminAuth(quietId, GHOST, PASSWORD)).rejects.toMatchObject(wrong);
    await expect(passwordAuth(quietId, known, 'Wrong-Password-9')).rejects.toMatchObject(wrong);
    await expect(adminAuth(quietId, known, 'Wrong-Password-9')).rejects.toMatchObject(wrong);

    const srp = (ClientId: string, USERNAME: string) =>
      server.sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME, SRP_A: srpClient().srpA } }));
    await expect(srp(legacyId, GHOST)).rejects.toMatchObject(notFound);
    // ENABLED: a challenge like a real one, whose every answer fails like a wrong password.
    const client = srpClient();
    const started = await server.sdk.send(new InitiateAuthCommand({
      ClientId: quietId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: GHOST, SRP_A: client.srpA },
    }));
    expect(started.ChallengeName).toBe('PASSWORD_VERIFIER');
    const again = await srp(quietId, GHOST);
    expect(again.ChallengeParameters!.SALT).toBe(started.ChallengeParameters!.SALT);
    expect(again.ChallengeParameters!.USER_ID_FOR_SRP).toBe(started.ChallengeParameters!.USER_ID_FOR_SRP);
    const claim = passwordClaim(client, poolId, PASSWORD, started.ChallengeParameters as PasswordVerifierChallenge);
    await expect(server.sdk.send(new RespondToAuthChallengeCommand({ ClientId: quietId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: claim })))
      .rejects.toMatchObject(wrong);
  });

  it('sign-in: ENABLED tells an unconfirmed user so only after the right password', async () => {
    const waiting = 'unconfirmed-quiet@example.com';
    await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: waiting, Password: PASSWORD }));
    await expect(passwordAuth(legacyId, waiting, 'Wrong-Password-9')).rejects.toMatchObject({ name: 'UserNotConfirmedException' });
    await expect(passwordAuth(quietId, waiting, 'Wrong-Password-9')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: WRONG });
    await expect(passwordAuth(quietId, waiting)).rejects.toMatchObject({ name: 'UserNotConfirmedException', message: 'User is not confirmed.' });
  });

  it('codes: LEGACY says the user does not exist; ENABLED simulates a delivery or a wrong code, and mails nothing', async () => {
    const forgot = (ClientId: string) => server.sdk.send(new ForgotPasswordCommand({ ClientId, Username: GHOST }));
    const resend = (ClientId: string) => server.sdk.send(new ResendConfirmationCodeCommand({ ClientId, Username: GHOST }));
    const confirmForgot = (ClientId: string) =>
      server.sdk.send(new ConfirmForgotPasswordCommand({ ClientId, Username: GHOST, ConfirmationCode: '123456', Password: NEW_PASSWORD }));
    const confirmSignUp = (ClientId: string) => server.sdk.send(new ConfirmSignUpCommand({ ClientId, Username: GHOST, ConfirmationCode: '123456' }));
    for (const call of [forgot, resend, confirmForgot, confirmSignUp]) await expect(call(legacyId)).rejects.toMatchObject(UNKNOWN_TO_LEGACY);

    const simulated = { Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' };
    expect((await forgot(quietId)).CodeDeliveryDetails).toEqual(simulated);
    expect((await resend(quietId)).CodeDeliveryDetails).toEqual(simulated);
    const mismatch = { name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' };
    await expect(confirmForgot(quietId)).rejects.toMatchObject(mismatch);
    await expect(confirmSignUp(quietId)).rejects.toMatchObject(mismatch);

    // Nothing queued for the unknown address, and the decoy codes the simulation wrote are gone.
    await new Promise((r) => setTimeout(r, 300));
    expect(server.smtp.count(GHOST)).toBe(0);
    expect((await server.store.outbox.recent(1000)).filter((m) => JSON.stringify(m).includes('nobody-here'))).toEqual([]);
    for (const purpose of ['sign-up', 'forgot-password'] as const) expect(await server.store.codes.countAttempt(poolId, ' ', purpose)).toBeUndefined();
  });

  it('takes effect when UpdateUserPoolClient switches it', async () => {
    const client = await addClient({ PreventUserExistenceErrors: 'ENABLED' });
    await expect(passwordAuth(client.ClientId!, GHOST)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: WRONG });
    await server.admin.send(new UpdateUserPoolClientCommand({
      UserPoolId: poolId, ClientId: client.ClientId, ExplicitAuthFlows: FLOWS, PreventUserExistenceErrors: 'LEGACY',
    }));
    await expect(passwordAuth(client.ClientId!, GHOST)).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
  });
});
