import {
  ConfirmForgotPasswordCommand, CreateUserPoolClientCommand, ConfirmSignUpCommand, ForgotPasswordCommand, GetUserAttributeVerificationCodeCommand, InitiateAuthCommand,
  ResendConfirmationCodeCommand, SignUpCommand, VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Per-user limits on one-time codes (docs/security.md, "Guessing limits and lockout"; COGNITO_REFERENCE
 * §4.6), across codes: 5 codes an hour per user and kind (ResendConfirmationCode, ForgotPassword,
 * GetUserAttributeVerificationCode → LimitExceededException), and 15 checks an hour (ConfirmSignUp,
 * ConfirmForgotPassword → TooManyFailedAttemptsException; VerifyUserAttribute → LimitExceededException),
 * so that asking for new codes does not give fresh guesses without end. With PreventUserExistenceErrors
 * ENABLED an unknown name runs into them as a user does. The windows are clock hours: each test moves
 * the server's clock to the start of the next one (public calls only while it is moved).
 */
let server: TestServer;
let clientId: string;
let quietClientId: string;

const PASSWORD = 'Code-Rider-1';
const LIMIT = { name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' };
const TOO_MANY = { name: 'TooManyFailedAttemptsException' };
const MISMATCH = { name: 'CodeMismatchException' };
const HOUR = 3600_000;

let offset = 0;
/** The server's clock to 1 s past the start of the next clock hour. */
function nextHour(): void {
  const now = Date.now() + offset;
  const step = HOUR - (now % HOUR) + 1000;
  server.advance(step);
  offset += step;
}
afterEach(() => {
  server.advance(-offset);
  offset = 0;
});

beforeAll(async () => {
  server = await startTestServer();
  const created = await createWorkshopPool(server, { PreventUserExistenceErrors: 'LEGACY' });
  clientId = created.clientId;
  // The same pool, another client: the limits are the user's, whichever client asks.
  const quiet = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: created.poolId, ClientName: 'quiet', PreventUserExistenceErrors: 'ENABLED' }));
  quietClientId = quiet.UserPoolClient!.ClientId!;
});
afterAll(async () => server?.stop());

let n = 0;
const fresh = (label: string) => `${label}-${++n}-${Date.now()}@example.com`;

/** Signs up; returns the mailed code (the user stays UNCONFIRMED). */
async function signUp(email: string): Promise<string> {
  const before = server.smtp.messages.length;
  await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
  return server.smtp.codeFor(email, before);
}

/** A confirmed user with a verified email. */
async function confirmed(email: string): Promise<void> {
  await server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: await signUp(email) }));
}

const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** Runs a code request and returns the code mailed for it. */
async function mailed(email: string, request: () => Promise<unknown>): Promise<string> {
  const before = server.smtp.messages.length;
  await request();
  return server.smtp.codeFor(email, before);
}

describe('code requests: 5 an hour per user', () => {
  it('ForgotPassword: the 6th in an hour is LimitExceededException, for a known user and (ENABLED) an unknown name alike; the next hour sends again', async () => {
    nextHour();
    const email = fresh('forgetful');
    await confirmed(email);
    const forgot = (Username: string, ClientId = clientId) => server.sdk.send(new ForgotPasswordCommand({ ClientId, Username }));
    for (let i = 0; i < 5; i++) await forgot(email);
    await expect(forgot(email)).rejects.toMatchObject(LIMIT);
    // The limit is the user's, whichever client asks; and the refused requests mailed nothing (the
    // sign-up code and 5 reset codes).
    await expect(forgot(email, quietClientId)).rejects.toMatchObject(LIMIT);
    await vi.waitFor(() => expect(server.smtp.count(email)).toBe(6));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.smtp.count(email)).toBe(6);

    const ghost = fresh('ghost');
    for (let i = 0; i < 5; i++) expect((await forgot(ghost, quietClientId)).CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    await expect(forgot(ghost, quietClientId)).rejects.toMatchObject(LIMIT);

    nextHour();
    await forgot(email);
    expect((await forgot(ghost, quietClientId)).CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
  });

  it('ResendConfirmationCode: the 6th in an hour is LimitExceededException (an unknown name under ENABLED too)', async () => {
    nextHour();
    const email = fresh('waiting');
    await signUp(email);
    const resend = (Username: string, ClientId = clientId) => server.sdk.send(new ResendConfirmationCodeCommand({ ClientId, Username }));
    for (let i = 0; i < 5; i++) await resend(email);
    await expect(resend(email)).rejects.toMatchObject(LIMIT);
    const ghost = fresh('ghost');
    for (let i = 0; i < 5; i++) await resend(ghost, quietClientId);
    await expect(resend(ghost, quietClientId)).rejects.toMatchObject(LIMIT);
  });

  it('GetUserAttributeVerificationCode: the 6th in an hour is LimitExceededException', async () => {
    nextHour();
    const email = fresh('verifier');
    await confirmed(email);
    const { AuthenticationResult } = await server.sdk.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }),
    );
    const ask = () => server.sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: AuthenticationResult!.AccessToken, AttributeName: 'email' }));
    for (let i = 0; i < 5; i++) await ask();
    await expect(ask()).rejects.toMatchObject(LIMIT);
  });
});

describe('code checks: 15 an hour per user, across codes', () => {
  it('ConfirmSignUp: new codes give 5 guesses each, but the 16th check of the hour is TooManyFailedAttemptsException even with the right code', async () => {
    nextHour();
    const email = fresh('guesser');
    const confirm = (ConfirmationCode: string) => server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode }));
    const resend = () => server.sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: email }));
    const first = await signUp(email);
    for (let i = 0; i < 5; i++) await expect(confirm(wrongFor(first))).rejects.toMatchObject(MISMATCH);
    // A code allows 5 wrong guesses…
    await expect(confirm(first)).rejects.toMatchObject(LIMIT);
    // …a new one 5 more, but the hour's checks run out all the same.
    const second = await mailed(email, resend);
    for (let i = 0; i < 5; i++) await expect(confirm(wrongFor(second))).rejects.toMatchObject(MISMATCH);
    const third = await mailed(email, resend);
    for (let i = 0; i < 4; i++) await expect(confirm(wrongFor(third))).rejects.toMatchObject(MISMATCH);
    await expect(confirm(third)).rejects.toMatchObject(TOO_MANY);

    nextHour();
    await confirm(third);
  });

  it('ConfirmForgotPassword: the 16th check of the hour is TooManyFailedAttemptsException, for a known user and (ENABLED) an unknown name alike', async () => {
    nextHour();
    const email = fresh('resetter');
    await confirmed(email);
    const confirm = (Username: string, ConfirmationCode: string, ClientId = clientId) =>
      server.sdk.send(new ConfirmForgotPasswordCommand({ ClientId, Username, ConfirmationCode, Password: 'Reset-Rider-2' }));
    const forgot = () => server.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email }));
    for (let round = 0; round < 3; round++) {
      const code = await mailed(email, forgot);
      for (let i = 0; i < 5; i++) await expect(confirm(email, wrongFor(code))).rejects.toMatchObject(MISMATCH);
    }
    const last = await mailed(email, forgot);
    await expect(confirm(email, last)).rejects.toMatchObject(TOO_MANY);
    await expect(confirm(email, last, quietClientId)).rejects.toMatchObject(TOO_MANY);

    const ghost = fresh('ghost');
    for (let i = 0; i < 15; i++) await expect(confirm(ghost, '123456', quietClientId)).rejects.toMatchObject(MISMATCH);
    await expect(confirm(ghost, '123456', quietClientId)).rejects.toMatchObject(TOO_MANY);

    nextHour();
    await confirm(email, last);
    expect((await server.sdk.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: 'Reset-Rider-2' },
    }))).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('VerifyUserAttribute: the 16th check of the hour is LimitExceededException even with a fresh, right code', async () => {
    nextHour();
    const email = fresh('checker');
    await confirmed(email);
    const signIn = async () =>
      (await server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } })))
        .AuthenticationResult!.AccessToken!;
    let AccessToken = await signIn();
    const ask = () => server.sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' }));
    const verify = (Code: string) => server.sdk.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code }));
    for (let round = 0; round < 3; round++) {
      const code = await mailed(email, ask);
      for (let i = 0; i < 5; i++) await expect(verify(wrongFor(code))).rejects.toMatchObject(MISMATCH);
    }
    const fresh4 = await mailed(email, ask);
    await expect(verify(fresh4)).rejects.toMatchObject(LIMIT);
    nextHour();
    // (An hour on, the access token has expired: a new one.)
    AccessToken = await signIn();
    await verify(fresh4);
  });
});
