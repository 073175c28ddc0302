import { createHmac } from 'node:crypto';
import {
  AdminConfirmSignUpCommand, AdminDisableUserCommand, AdminEnableUserCommand, AdminGetUserCommand, AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand, ConfirmForgotPasswordCommand, ConfirmSignUpCommand, CreateUserPoolClientCommand, CreateUserPoolCommand,
  DescribeUserPoolClientCommand, ForgotPasswordCommand, GetUserCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordClaim, srpClient, type PasswordVerifierChallenge } from '../helpers/sdk-srp.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Account recovery — ForgotPassword, ConfirmForgotPassword and AdminResetUserPassword — through the
 * AWS SDK v3, and the user-facing flow through amazon-cognito-identity-js (forgotPassword / confirmPassword).
 */
let server: TestServer;
let poolId: string;
/** Workshop client: SRP, refresh, user password and admin password flows; LEGACY existence errors. */
let clientId: string;
/** Same flows, PreventUserExistenceErrors ENABLED. */
let quietClientId: string;

const PASSWORD = 'Wild-Rydes-1';
const NEW_PASSWORD = 'New-Rydes-2';
const WRONG_CODE = (code: string) => (code === '000000' ? '111111' : '000000');
const NO_VERIFIED_EMAIL = 'Cannot reset password for the user as there is no registered/verified email or phone_number';
const RESET_SUBJECT = 'Your password reset code';

beforeAll(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createWorkshopPool(server, { PreventUserExistenceErrors: 'LEGACY' }));
  const quiet = await server.admin.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: 'quiet', PreventUserExistenceErrors: 'ENABLED',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH'],
  }));
  quietClientId = quiet.UserPoolClient!.ClientId!;
});
afterAll(async () => server?.stop());

/** A user who signed up and confirmed with the mailed code: CONFIRMED, email verified. Returns the internal username (the sub). */
async function confirmedUser(email: string, ClientId = clientId): Promise<string> {
  const before = server.smtp.messages.length;
  const out = await server.sdk.send(new SignUpCommand({ ClientId, Username: email, Password: PASSWORD }));
  await server.sdk.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: await server.smtp.codeFor(email, before) }));
  return out.UserSub!;
}

const forgot = (Username: string, ClientId = clientId) => server.sdk.send(new ForgotPasswordCommand({ ClientId, Username }));
const confirmForgot = (Username: string, ConfirmationCode: string, Password = NEW_PASSWORD, ClientId = clientId) =>
  server.sdk.send(new ConfirmForgotPasswordCommand({ ClientId, Username, ConfirmationCode, Password }));
const adminReset = (Username: string, UserPoolId = poolId) => server.admin.send(new AdminResetUserPasswordCommand({ UserPoolId, Username }));
const getUser = (Username: string, UserPoolId = poolId) => server.admin.send(new AdminGetUserCommand({ UserPoolId, Username }));
const status = async (Username: string, UserPoolId = poolId) => (await getUser(Username, UserPoolId)).UserStatus;
const passwordAuth = (USERNAME: string, PASSWORD_: string, ClientId = clientId) =>
  server.sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: PASSWORD_ } }));

/** Full USER_SRP_AUTH: InitiateAuth, then RespondToAuthChallenge PASSWORD_VERIFIER with the password's proof. */
async function srpAuth(username: string, password: string, ClientId = clientId) {
  const client = srpClient();
  const out = await server.sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: client.srpA } }));
  const answer = passwordClaim(client, poolId, password, out.ChallengeParameters as PasswordVerifierChallenge);
  return server.sdk.send(new RespondToAuthChallengeCommand({ ClientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: answer }));
}

/** ForgotPassword and the code it mailed. */
async function requestCode(email: string, ClientId = clientId): Promise<string> {
  const before = server.smtp.messages.length;
  await forgot(email, ClientId);
  return server.smtp.codeFor(email, before);
}

/** Nothing more was mailed to `to` (the outbox sender is given time to deliver anything queued). */
async function expectNoMail(to: string, countBefore: number): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
  expect(server.smtp.count(to)).toBe(countBefore);
}

describe('ForgotPassword', () => {
  it('mails a reset code to the verified email, answers the masked destination and leaves the status alone', async () => {
    const email = 'forgetful@example.com';
    await confirmedUser(email);
    const before = server.smtp.messages.length;
    const out = await forgot(email);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'f***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const mail = await server.smtp.waitFor(email, 10_000, before);
    expect(mail.subject).toBe(RESET_SUBJECT);
    expect(mail.text).toMatch(/^Your password reset code is \d{6}\./);
    expect(mail.html).toMatch(/<strong>\d{6}<\/strong>/);
    expect(await status(email)).toBe('CONFIRMED');
    // Nothing changed: the old password still signs in.
    expect((await passwordAuth(email, PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('finds the user by email in another case, and in a username pool by username', async () => {
    const email = 'casual@example.com';
    await confirmedUser(email);
    const out = await forgot('CASUAL@Example.com');
    expect(out.CodeDeliveryDetails?.Destination).toBe('c***@e***');

    const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'usernames', AutoVerifiedAttributes: ['email'] }));
    const plainPoolId = pool.UserPool!.Id!;
    const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: plainPoolId, ClientName: 'c', PreventUserExistenceErrors: 'LEGACY' }));
    const id = client.UserPoolClient!.ClientId!;
    const mailbox = 'walker.mail@example.com';
    let before = server.smtp.messages.length;
    await server.sdk.send(new SignUpCommand({ ClientId: id, Username: 'walker', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: mailbox }] }));
    await server.sdk.send(new ConfirmSignUpCommand({ ClientId: id, Username: 'walker', ConfirmationCode: await server.smtp.codeFor(mailbox, before) }));
    before = server.smtp.messages.length;
    expect((await forgot('walker', id)).CodeDeliveryDetails).toEqual({ Destination: 'w***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const code = await server.smtp.codeFor(mailbox, before);
    await confirmForgot('walker', code, NEW_PASSWORD, id);
    expect(await status('walker', plainPoolId)).toBe('CONFIRMED');
    // Without an email alias, the email is not a sign-in name there.
    await expect(forgot(mailbox, id)).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'Username/client id combination not found.' });
  });

  it('tells a LEGACY client that the user does not exist; an ENABLED client gets a simulated delivery and nothing is mailed', async () => {
    await expect(forgot('ghost@example.com')).rejects.toMatchObject({
      name: 'UserNotFoundException', message: 'Username/client id combination not found.',
    });
    const out = await forgot('ghost@example.com', quietClientId);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    await expectNoMail('ghost@example.com', 0);
  });

  it('refuses a user without a verified email (confirmed by an administrator, or unconfirmed); ENABLED: simulated, no mail', async () => {
    const email = 'unverified@example.com';
    await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
    await server.smtp.waitFor(email); // the sign-up code, never used
    await expect(forgot(email)).rejects.toMatchObject({ name: 'InvalidParameterException', message: NO_VERIFIED_EMAIL });
    // AdminConfirmSignUp confirms without verifying the email.
    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
    const sent = server.smtp.count(email);
    await expect(forgot(email)).rejects.toMatchObject({ name: 'InvalidParameterException', message: NO_VERIFIED_EMAIL });
    const out = await forgot(email, quietClientId);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'u***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    await expectNoMail(email, sent);
  });

  it('refuses a disabled user with “User is disabled.”; ENABLED: simulated, no mail', async () => {
    const email = 'benched@example.com';
    await confirmedUser(email);
    await server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: email }));
    const sent = server.smtp.count(email);
    await expect(forgot(email)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'User is disabled.' });
    const out = await forgot(email, quietClientId);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'b***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    await expectNoMail(email, sent);
    await server.admin.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: email }));
    expect((await forgot(email)).CodeDeliveryDetails?.Destination).toBe('b***@e***');
  });

  it('refuses a user who must still change a temporary password (FORCE_CHANGE_PASSWORD), for either client', async () => {
    const email = 'invited@example.com';
    const username = await confirmedUser(email);
    const code = await requestCode(email);
    // No served operation creates invited users yet (AdminCreateUser): the state is set in the store.
    await server.store.users.update(poolId, username, { status: 'FORCE_CHANGE_PASSWORD' }, Date.now());
    const wrongState = { name: 'NotAuthorizedException', message: 'User password cannot be reset in the current state.' };
    for (const id of [clientId, quietClientId]) await expect(forgot(email, id)).rejects.toMatchObject(wrongState);
    // Nor does a code asked for before the state changed set a password.
    await expect(confirmForgot(email, code)).rejects.toMatchObject(wrongState);
    expect(await status(email)).toBe('FORCE_CHANGE_PASSWORD');
  });

  it('checks the SECRET_HASH of a client with a secret, and answers an unknown client with ResourceNotFoundException', async () => {
    const withSecret = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'secret', GenerateSecret: true }));
    const id = withSecret.UserPoolClient!.ClientId!;
    const secret = (await server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: id }))).UserPoolClient!.ClientSecret!;
    const email = 'hashed@example.com';
    await confirmedUser(email);
    const hash = (username: string) => createHmac('sha256', secret).update(username + id).digest('base64');
    await expect(server.sdk.send(new ForgotPasswordCommand({ ClientId: id, Username: email }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: `Client ${id} is configured with secret but SECRET_HASH was not received`,
    });
    await expect(server.sdk.send(new ForgotPasswordCommand({ ClientId: id, Username: email, SecretHash: hash('other@example.com') }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${id}`,
    });
    const before = server.smtp.messages.length;
    await server.sdk.send(new ForgotPasswordCommand({ ClientId: id, Username: email, SecretHash: hash(email) }));
    const code = await server.smtp.codeFor(email, before);
    await expect(server.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: id, Username: email, ConfirmationCode: code, Password: NEW_PASSWORD }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: `Client ${id} is configured with secret but SECRET_HASH was not received`,
    });
    await server.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: id, Username: email, ConfirmationCode: code, Password: NEW_PASSWORD, SecretHash: hash(email) }));
    expect((await passwordAuth(email, NEW_PASSWORD)).AuthenticationResult).toBeDefined();

    await expect(forgot(email, 'nosuchclient0000000000000')).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool client nosuchclient0000000000000 does not exist.',
    });
  });
});

describe('ConfirmForgotPassword', () => {
  it('refuses a wrong code, sets the new password with the right one, signs the user out everywhere, and the code is spent', async () => {
    const email = 'reset-me@example.com';
    await confirmedUser(email);
    const before = (await passwordAuth(email, PASSWORD)).AuthenticationResult!;
    const code = await requestCode(email);

    await expect(confirmForgot(email, WRONG_CODE(code))).rejects.toMatchObject({
      name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.',
    });
    // A password the policy refuses: nothing changes, and the code stays good.
    await expect(confirmForgot(email, code, 'Nosymbols1')).rejects.toMatchObject({
      name: 'InvalidPasswordException', message: 'Password does not conform to policy: Password must have symbol characters',
    });
    expect((await passwordAuth(email, PASSWORD)).AuthenticationResult).toBeDefined();

    expect(await confirmForgot(email, code)).toMatchObject({ $metadata: { httpStatusCode: 200 } });
    expect(await status(email)).toBe('CONFIRMED');
    await expect(passwordAuth(email, PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect((await passwordAuth(email, NEW_PASSWORD)).AuthenticationResult?.IdToken).toBeDefined();
    expect((await srpAuth(email, NEW_PASSWORD)).AuthenticationResult?.IdToken).toBeDefined();

    // The sessions from before the reset are over: refresh token and access token are revoked.
    await expect(server.sdk.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: before.RefreshToken! },
    }))).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    await expect(server.sdk.send(new GetUserCommand({ AccessToken: before.AccessToken! }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Access Token has been revoked',
    });

    // The code was used up.
    await expect(confirmForgot(email, code, 'Another-Pass-3')).rejects.toMatchObject({
      name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.',
    });
  });

  it('words every password rule as “does not conform to policy”, and validates the input against the model', async () => {
    const email = 'rules@example.com';
    await confirmedUser(email);
    const cases: [string, string][] = [
      ['Ab1-', 'Password not long enough'],
      ['lowercase-1', 'Password must have uppercase characters'],
      ['UPPERCASE-1', 'Password must have lowercase characters'],
      ['No-Numbers', 'Password must have numeric characters'],
      ['NoSymbols1', 'Password must have symbol characters'],
    ];
    for (const [password, rule] of cases) {
      // A fresh code each time: every try counts against the code.
      const code = await requestCode(email);
      await expect(confirmForgot(email, code, password)).rejects.toMatchObject({
        name: 'InvalidPasswordException', message: `Password does not conform to policy: ${rule}`,
      });
    }
    await expect(confirmForgot(email, '', NEW_PASSWORD)).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining("'confirmationCode' failed to satisfy constraint"),
    });
    await expect(confirmForgot(email, '123456', ' Leading-space-1')).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining("'password' failed to satisfy constraint"),
    });
    expect((await passwordAuth(email, PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('answers ExpiredCodeException when no code was requested (either client)', async () => {
    const email = 'never-asked@example.com';
    await confirmedUser(email);
    for (const id of [clientId, quietClientId]) {
      await expect(confirmForgot(email, '123456', NEW_PASSWORD, id)).rejects.toMatchObject({
        name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.',
      });
    }
  });

  it('refuses a code after 1 hour; a new code works', async () => {
    const email = 'slowpoke@example.com';
    await confirmedUser(email);
    const code = await requestCode(email);
    server.advance(61 * 60_000);
    try {
      await expect(confirmForgot(email, code)).rejects.toMatchObject({
        name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.',
      });
      expect((await passwordAuth(email, PASSWORD)).AuthenticationResult).toBeDefined();
      await confirmForgot(email, await requestCode(email));
      expect((await passwordAuth(email, NEW_PASSWORD)).AuthenticationResult).toBeDefined();
    } finally {
      server.advance(-61 * 60_000);
    }
  });

  it('gives up on a code after 5 wrong attempts, even for the right code; a new code works', async () => {
    const email = 'guesser@example.com';
    await confirmedUser(email);
    const code = await requestCode(email);
    for (let i = 0; i < 5; i++) {
      await expect(confirmForgot(email, WRONG_CODE(code))).rejects.toMatchObject({ name: 'CodeMismatchException' });
    }
    await expect(confirmForgot(email, WRONG_CODE(code))).rejects.toMatchObject({
      name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.',
    });
    await expect(confirmForgot(email, code)).rejects.toMatchObject({ name: 'LimitExceededException' });
    expect((await passwordAuth(email, PASSWORD)).AuthenticationResult).toBeDefined();

    await confirmForgot(email, await requestCode(email));
    expect((await passwordAuth(email, NEW_PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('tells a LEGACY client that the user does not exist, and an ENABLED client only that the code is wrong', async () => {
    await expect(confirmForgot('ghost@example.com', '123456')).rejects.toMatchObject({
      name: 'UserNotFoundException', message: 'Username/client id combination not found.',
    });
    await expect(confirmForgot('ghost@example.com', '123456', NEW_PASSWORD, quietClientId)).rejects.toMatchObject({
      name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.',
    });
  });

  it('refuses a user disabled after asking for a code (ENABLED: as a wrong code); the password stays', async () => {
    const email = 'disabled-later@example.com';
    await confirmedUser(email);
    const code = await requestCode(email);
    await server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: email }));
    await expect(confirmForgot(email, code)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'User is disabled.' });
    await expect(confirmForgot(email, code, NEW_PASSWORD, quietClientId)).rejects.toMatchObject({ name: 'CodeMismatchException' });
    await server.admin.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: email }));
    expect((await passwordAuth(email, PASSWORD)).AuthenticationResult).toBeDefined();
    // The refusals did not touch the code.
    await confirmForgot(email, code);
    expect((await passwordAuth(email, NEW_PASSWORD)).AuthenticationResult).toBeDefined();
  });
});

describe('AdminResetUserPassword', () => {
  it('makes the password unusable (RESET_REQUIRED), revokes the sessions and mails a code; ConfirmForgotPassword restores CONFIRMED', async () => {
    const email = 'locked-out@example.com';
    await confirmedUser(email);
    const session = (await passwordAuth(email, PASSWORD)).AuthenticationResult!;

    const before = server.smtp.messages.length;
    expect(await adminReset(email)).toMatchObject({ $metadata: { httpStatusCode: 200 } });
    expect(await status(email)).toBe('RESET_REQUIRED');
    const mail = await server.smtp.waitFor(email, 10_000, before);
    expect(mail.subject).toBe(RESET_SUBJECT);
    const code = await server.smtp.codeFor(email, before);

    // Sign-in with the old password: PasswordResetRequiredException, with SRP and with USER_PASSWORD_AUTH,
    // for a LEGACY and an ENABLED client (the user is not an imported one), and for the admin flow.
    const resetRequired = { name: 'PasswordResetRequiredException', message: 'Password reset required for the user' };
    for (const id of [clientId, quietClientId]) {
      await expect(passwordAuth(email, PASSWORD, id)).rejects.toMatchObject(resetRequired);
      await expect(srpAuth(email, PASSWORD, id)).rejects.toMatchObject(resetRequired);
    }
    await expect(server.admin.send(new AdminInitiateAuthCommand({
      UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD },
    }))).rejects.toMatchObject(resetRequired);
    // A wrong password is still just wrong.
    await expect(passwordAuth(email, 'Wrong-Password-1')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });

    // Signed out everywhere.
    await expect(server.sdk.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: session.RefreshToken! },
    }))).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    await expect(server.sdk.send(new GetUserCommand({ AccessToken: session.AccessToken! }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Access Token has been revoked',
    });

    await confirmForgot(email, code);
    expect(await status(email)).toBe('CONFIRMED');
    expect((await srpAuth(email, NEW_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
    expect((await passwordAuth(email, NEW_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
    await expect(passwordAuth(email, PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('lets a RESET_REQUIRED user ask for a new code with ForgotPassword', async () => {
    const email = 'lost-the-mail@example.com';
    await confirmedUser(email);
    const before = server.smtp.messages.length;
    await adminReset(email);
    const lost = await server.smtp.codeFor(email, before);
    const code = await requestCode(email);
    // The new code replaced the mailed one.
    if (lost !== code) await expect(confirmForgot(email, lost)).rejects.toMatchObject({ name: 'CodeMismatchException' });
    expect(await status(email)).toBe('RESET_REQUIRED');
    await confirmForgot(email, code);
    expect(await status(email)).toBe('CONFIRMED');
    expect((await passwordAuth(email, NEW_PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('answers UserNotFoundException for an unknown user, InvalidParameterException without a verified email, ResourceNotFoundException for an unknown pool', async () => {
    await expect(adminReset('ghost@example.com')).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });

    const email = 'admin-confirmed@example.com';
    await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
    await server.smtp.waitFor(email); // the sign-up code, never used
    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
    const sent = server.smtp.count(email);
    await expect(adminReset(email)).rejects.toMatchObject({ name: 'InvalidParameterException', message: NO_VERIFIED_EMAIL });
    expect(await status(email)).toBe('CONFIRMED');
    expect((await passwordAuth(email, PASSWORD)).AuthenticationResult).toBeDefined();
    await expectNoMail(email, sent);

    await expect(adminReset(email, 'us-east-1_NoSuchPol')).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_NoSuchPol does not exist.',
    });
  });

  it('is refused without SigV4 credentials', async () => {
    const unsigned = await fetch(`${server.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminResetUserPassword' },
      body: JSON.stringify({ UserPoolId: poolId, Username: 'ghost@example.com' }),
    });
    expect(unsigned.status).toBe(400);
    expect(((await unsigned.json()) as { __type: string }).__type).toBe('MissingAuthenticationTokenException');
  });
});

describe('amazon-cognito-identity-js: forgotPassword / confirmPassword', () => {
  let pool: CognitoUserPool;
  beforeAll(() => {
    pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${server.url}/` });
  });

  const user = (email: string) => new CognitoUser({ Username: email, Pool: pool });
  const forgotPassword = (email: string) =>
    new Promise<{ CodeDeliveryDetails?: Record<string, string> }>((resolve, reject) =>
      user(email).forgotPassword({ onSuccess: () => reject(new Error('inputVerificationCode was not called')), onFailure: reject, inputVerificationCode: resolve }),
    );
  const confirmPassword = (email: string, code: string, password: string) =>
    new Promise<string>((resolve, reject) => user(email).confirmPassword(code, password, { onSuccess: resolve, onFailure: reject }));
  const signIn = (email: string, password: string) =>
    new Promise<CognitoUserSession>((resolve, reject) =>
      user(email).authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), { onSuccess: resolve, onFailure: reject }),
    );

  it('resets a forgotten password with the mailed code (after a wrong one) and signs in with SRP', async () => {
    const email = 'identity-js@example.com';
    await confirmedUser(email);
    const before = server.smtp.messages.length;
    const data = await forgotPassword(email);
    expect(data.CodeDeliveryDetails).toEqual({ Destination: 'i***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const code = await server.smtp.codeFor(email, before);

    await expect(confirmPassword(email, WRONG_CODE(code), NEW_PASSWORD)).rejects.toMatchObject({ code: 'CodeMismatchException' });
    await expect(confirmPassword(email, code, 'weak')).rejects.toMatchObject({
      code: 'InvalidPasswordException', message: 'Password does not conform to policy: Password not long enough',
    });
    expect(await confirmPassword(email, code, NEW_PASSWORD)).toBe('SUCCESS');
    await expect(signIn(email, PASSWORD)).rejects.toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    const session = await signIn(email, NEW_PASSWORD);
    expect(session.getIdToken().decodePayload().email).toBe(email);
  });

  it('reports an unknown user and a reset required by an administrator as the library’s error codes', async () => {
    await expect(forgotPassword('nobody@example.com')).rejects.toMatchObject({ code: 'UserNotFoundException' });

    const email = 'told-to-reset@example.com';
    await confirmedUser(email);
    const before = server.smtp.messages.length;
    await adminReset(email);
    const code = await server.smtp.codeFor(email, before);
    await expect(signIn(email, PASSWORD)).rejects.toMatchObject({ code: 'PasswordResetRequiredException', message: 'Password reset required for the user' });
    expect(await confirmPassword(email, code, NEW_PASSWORD)).toBe('SUCCESS');
    expect((await signIn(email, NEW_PASSWORD)).isValid()).toBe(true);
  });
});
