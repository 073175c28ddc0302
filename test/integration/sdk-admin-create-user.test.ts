import {
  AdminCreateUserCommand, AdminGetUserCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, InitiateAuthCommand,
  RespondToAuthChallengeCommand, SignUpCommand, type AdminCreateUserCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * AdminCreateUser through the AWS SDK v3: the user in FORCE_CHANGE_PASSWORD, the invitation mail (default
 * and pool template), SUPPRESS and RESEND, the pool's rules for usernames, attributes and the temporary
 * password; the first sign-in (SDK and amazon-cognito-identity-js) through NEW_PASSWORD_REQUIRED, and the
 * expiry of the temporary password after TemporaryPasswordValidityDays.
 */
let server: TestServer;
/** Workshop pool: email as username, case-insensitive; default invitation; 7 days for a temporary password. */
let poolId: string;
let clientId: string;
/** Username pool with an invitation template, a 1-day temporary password and a lax policy. */
let namedPoolId: string;
let namedClientId: string;

const TEMPORARY = 'Temp-Rydes-3';
const NEW_PASSWORD = 'New-Rydes-2';
const DAY = 86_400_000;
const EXPIRED = 'Temporary password has expired and must be reset by an administrator.';

beforeAll(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createWorkshopPool(server));
  const named = await server.admin.send(new CreateUserPoolCommand({
    PoolName: 'Invitations',
    Policies: { PasswordPolicy: { MinimumLength: 8, RequireNumbers: true, TemporaryPasswordValidityDays: 1 } },
    AdminCreateUserConfig: {
      AllowAdminCreateUserOnly: true,
      InviteMessageTemplate: { EmailSubject: 'Welcome to Unicorn Rides', EmailMessage: 'Hello {username}, sign in with {####} within a day.' },
    },
  }));
  namedPoolId = named.UserPool!.Id!;
  const client = await server.admin.send(new CreateUserPoolClientCommand({
    UserPoolId: namedPoolId, ClientName: 'InvitationsWeb', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  namedClientId = client.UserPoolClient!.ClientId!;
});
afterAll(async () => server?.stop());

const create = (input: Omit<AdminCreateUserCommandInput, 'UserPoolId'>, UserPoolId = poolId) =>
  server.admin.send(new AdminCreateUserCommand({ UserPoolId, ...input }));
const passwordAuth = (USERNAME: string, PASSWORD: string, ClientId = clientId) =>
  server.sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));
const newPassword = (Session: string | undefined, USERNAME: string, NEW_PASSWORD_: string, ClientId = clientId) =>
  server.sdk.send(new RespondToAuthChallengeCommand({
    ClientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session, ChallengeResponses: { USERNAME, NEW_PASSWORD: NEW_PASSWORD_ },
  }));
const emailAttr = (Value: string) => [{ Name: 'email', Value }];

/** The temporary password of the newest invitation to this address (after `after` messages). */
async function invitedPassword(email: string, after: number): Promise<string> {
  const mail = await server.smtp.waitFor(email, 10_000, after);
  const password = /temporary password is (\S+)\.$/.exec(mail.text?.trim() ?? '')?.[1];
  if (!password) throw new Error(`no temporary password in: ${mail.text}`);
  return password;
}

/** Signs in with the temporary password, answers NEW_PASSWORD_REQUIRED and returns the tokens. */
async function firstSignIn(username: string, temporary: string, ClientId = clientId) {
  const challenge = await passwordAuth(username, temporary, ClientId);
  expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  const out = await newPassword(challenge.Session, username, NEW_PASSWORD, ClientId);
  return out.AuthenticationResult!;
}

describe('AdminCreateUser', () => {
  it('creates a FORCE_CHANGE_PASSWORD user with the given temporary password and mails the invitation', async () => {
    const email = 'invited@example.com';
    const before = server.smtp.messages.length;
    const out = await create({ Username: email, TemporaryPassword: TEMPORARY, UserAttributes: [{ Name: 'name', Value: 'Invited Rider' }] });
    const user = out.User!;
    expect(user).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });
    expect(user.UserCreateDate).toBeInstanceOf(Date);
    expect(user.UserLastModifiedDate).toBeInstanceOf(Date);
    // Email as username: the internal username is the sub, and the email attribute is the username.
    const sub = user.Attributes!.find((a) => a.Name === 'sub')?.Value;
    expect(user.Username).toBe(sub);
    expect(user.Attributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: email }, { Name: 'name', Value: 'Invited Rider' }]));

    const mail = await server.smtp.waitFor(email, 10_000, before);
    expect(mail.subject).toBe('Your temporary password');
    expect(mail.text?.trim()).toBe(`Your username is ${email} and temporary password is ${TEMPORARY}.`);
    expect(mail.html).toContain(`<strong>${TEMPORARY}</strong>`);

    const tokens = await firstSignIn(email, TEMPORARY);
    expect(tokens.AccessToken).toBeDefined();
    expect((await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).UserStatus).toBe('CONFIRMED');
  });

  it('generates a temporary password that satisfies the policy when none is given (identity-js completes the challenge)', async () => {
    const email = 'generated@example.com';
    const before = server.smtp.messages.length;
    await create({ Username: email, DesiredDeliveryMediums: ['EMAIL'] });
    const temporary = await invitedPassword(email, before);
    expect(temporary.length).toBeGreaterThanOrEqual(8);

    const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${server.url}/` });
    const cognitoUser = new CognitoUser({ Username: email, Pool: pool });
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      cognitoUser.authenticateUser(new AuthenticationDetails({ Username: email, Password: temporary }), {
        onSuccess: resolve,
        onFailure: reject,
        newPasswordRequired: (userAttributes: Record<string, unknown>) => {
          delete userAttributes.email_verified;
          delete userAttributes.email;
          cognitoUser.completeNewPasswordChallenge(NEW_PASSWORD, userAttributes, { onSuccess: resolve, onFailure: reject });
        },
      }),
    );
    expect(session.isValid()).toBe(true);
    expect((await passwordAuth(email, NEW_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('sends nothing with MessageAction SUPPRESS, nor when only SMS is asked for', async () => {
    const quiet = 'quiet@example.com';
    const sms = 'sms-only@example.com';
    const loud = 'loud@example.com';
    await create({ Username: quiet, TemporaryPassword: TEMPORARY, MessageAction: 'SUPPRESS' });
    await create({ Username: sms, TemporaryPassword: TEMPORARY, DesiredDeliveryMediums: ['SMS'] });
    const before = server.smtp.messages.length;
    await create({ Username: loud, TemporaryPassword: TEMPORARY });
    await server.smtp.waitFor(loud, 10_000, before);
    await new Promise((r) => setTimeout(r, 200));
    expect(server.smtp.count(quiet)).toBe(0);
    expect(server.smtp.count(sms)).toBe(0);
    // The suppressed user can still sign in with the temporary password.
    expect((await passwordAuth(quiet, TEMPORARY)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('RESEND replaces the temporary password and mails the invitation again', async () => {
    const email = 'resent@example.com';
    await create({ Username: email, TemporaryPassword: TEMPORARY, MessageAction: 'SUPPRESS' });
    const before = server.smtp.messages.length;
    const out = await create({ Username: email, MessageAction: 'RESEND' });
    expect(out.User).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });
    const second = await invitedPassword(email, before);
    expect(second).not.toBe(TEMPORARY);
    await expect(passwordAuth(email, TEMPORARY)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });

    const again = server.smtp.messages.length;
    await create({ Username: email, MessageAction: 'RESEND', TemporaryPassword: 'Third-Rydes-4' });
    expect(await invitedPassword(email, again)).toBe('Third-Rydes-4');
    await expect(passwordAuth(email, second)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await firstSignIn(email, 'Third-Rydes-4');

    // The password has been changed: nothing to resend.
    await expect(create({ Username: email, MessageAction: 'RESEND' })).rejects.toMatchObject({ name: 'UnsupportedUserStateException' });
  });

  it('RESEND of an unknown user is UserNotFoundException; of a signed-up user UnsupportedUserStateException', async () => {
    await expect(create({ Username: 'nobody@example.com', MessageAction: 'RESEND' })).rejects.toMatchObject({
      name: 'UserNotFoundException', message: 'User does not exist.',
    });
    await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: 'self-made@example.com', Password: TEMPORARY }));
    await expect(create({ Username: 'self-made@example.com', MessageAction: 'RESEND' })).rejects.toMatchObject({ name: 'UnsupportedUserStateException' });
  });

  it('refuses an existing user (also with another case of the email) with UsernameExistsException', async () => {
    await create({ Username: 'twice@example.com', MessageAction: 'SUPPRESS' });
    for (const Username of ['twice@example.com', 'TWICE@example.com']) {
      await expect(create({ Username, MessageAction: 'SUPPRESS' })).rejects.toMatchObject({
        name: 'UsernameExistsException', message: 'User account already exists',
      });
    }
  });

  it('checks the attributes against the schema', async () => {
    await expect(create({ Username: 'attrs@example.com', UserAttributes: [{ Name: 'custom:nope', Value: 'x' }] })).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n',
    });
    await expect(create({ Username: 'attrs@example.com', UserAttributes: [{ Name: 'email_verified', Value: 'maybe' }] })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(create({ Username: 'attrs@example.com', UserAttributes: [{ Name: 'sub', Value: 'mine' }] })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    await expect(create({ Username: 'someone', UserAttributes: emailAttr('not-an-email') }, namedPoolId)).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Invalid email address format.',
    });
    // An administrator may mark the email verified.
    const out = await create({ Username: 'verified@example.com', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] });
    expect(out.User!.Attributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
  });

  it('validates a given temporary password against the policy', async () => {
    await expect(create({ Username: 'weak@example.com', TemporaryPassword: 'Temp-Rydes' })).rejects.toMatchObject({
      name: 'InvalidPasswordException', message: 'Password does not conform to policy: Password must have numeric characters',
    });
    await expect(create({ Username: 'weak@example.com', TemporaryPassword: 'Ab-1' })).rejects.toMatchObject({
      name: 'InvalidPasswordException', message: 'Password does not conform to policy: Password not long enough',
    });
  });

  it('keeps the rules of email-as-username pools', async () => {
    await expect(create({ Username: 'plainname', TemporaryPassword: TEMPORARY })).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Username should be an email.',
    });
  });

  it('answers ResourceNotFoundException for an unknown pool', async () => {
    await expect(create({ Username: 'x@example.com' }, 'us-east-1_NoSuchPol')).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_NoSuchPol does not exist.',
    });
  });
});

describe('AdminCreateUser in a username pool with an invitation template', () => {
  it('mails the pool’s template with the username and the temporary password, and the user signs in by username', async () => {
    const email = 'templated@example.com';
    const before = server.smtp.messages.length;
    const out = await create({ Username: 'rider.one', TemporaryPassword: 'temporary1', UserAttributes: emailAttr(email) }, namedPoolId);
    expect(out.User).toMatchObject({ Username: 'rider.one', UserStatus: 'FORCE_CHANGE_PASSWORD' });
    const mail = await server.smtp.waitFor(email, 10_000, before);
    expect(mail.subject).toBe('Welcome to Unicorn Rides');
    expect(mail.text?.trim()).toBe('Hello rider.one, sign in with temporary1 within a day.');
    expect((await firstSignIn('rider.one', 'temporary1', namedClientId)).IdToken).toBeDefined();
  });

  it('sends nothing to a user without an email', async () => {
    const out = await create({ Username: 'no-mail', TemporaryPassword: 'temporary1' }, namedPoolId);
    expect(out.User!.Attributes!.map((a) => a.Name)).toEqual(['sub']);
  });
});

describe('temporary password expiry', () => {
  it('refuses a temporary password older than TemporaryPasswordValidityDays (7 by default)', async () => {
    const email = 'late@example.com';
    const onTime = 'on-time@example.com';
    await create({ Username: email, TemporaryPassword: TEMPORARY, MessageAction: 'SUPPRESS' });
    await create({ Username: onTime, TemporaryPassword: TEMPORARY, MessageAction: 'SUPPRESS' });
    server.advance(6 * DAY);
    try {
      expect((await passwordAuth(onTime, TEMPORARY)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
      server.advance(2 * DAY);
      await expect(passwordAuth(email, TEMPORARY)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: EXPIRED });
      // A wrong password is still just wrong.
      await expect(passwordAuth(email, 'Not-The-One-1')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    } finally {
      server.advance(-8 * DAY);
    }
  });

  it('follows the pool’s TemporaryPasswordValidityDays, and RESEND starts a new period', async () => {
    await create({ Username: 'daily', TemporaryPassword: 'temporary1', MessageAction: 'SUPPRESS' }, namedPoolId);
    server.advance(2 * DAY);
    try {
      await expect(passwordAuth('daily', 'temporary1', namedClientId)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: EXPIRED });
    } finally {
      server.advance(-2 * DAY);
    }
    await create({ Username: 'daily', TemporaryPassword: 'temporary2', MessageAction: 'RESEND' }, namedPoolId);
    expect((await passwordAuth('daily', 'temporary2', namedClientId)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });
});
