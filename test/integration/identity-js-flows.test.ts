import {
  AdminCreateUserCommand, AdminGetUserCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool, type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * The user-facing flows of amazon-cognito-identity-js that the other suites leave out:
 * resendConfirmationCode; the first sign-in of a user an administrator invited, with the temporary
 * password from the invitation mail and the required attributes the administrator left out
 * (newPasswordRequired's userAttributes / requiredAttributes, then completeNewPasswordChallenge);
 * and, in a username pool with its own templates, forgotPassword / confirmPassword, changePassword,
 * globalSignOut and deleteUser end to end.
 */
let server: TestServer;

const PASSWORD = 'Wild-Rydes-1';
const NEW_PASSWORD = 'New-Rydes-2';

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.stop());

async function poolWithClient(input: Partial<CreateUserPoolCommandInput>): Promise<{ poolId: string; pool: CognitoUserPool }> {
  const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'Flows', ...input }));
  const poolId = created.UserPool!.Id!;
  const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', PreventUserExistenceErrors: 'LEGACY' }));
  return { poolId, pool: new CognitoUserPool({ UserPoolId: poolId, ClientId: client.UserPoolClient!.ClientId!, endpoint: `${server.url}/` }) };
}

const call = <T>(fn: (cb: (err: Error | null | undefined, result?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result as T))));

function signIn(pool: CognitoUserPool, username: string, password: string): Promise<{ user: CognitoUser; session: CognitoUserSession }> {
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ user, session }),
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('unexpected newPasswordRequired')),
    }),
  );
}

/** Where NEW_PASSWORD_REQUIRED leaves the library: the user (holding the Session) and what the callback received. */
interface Challenged {
  user: CognitoUser;
  userAttributes: Record<string, string>;
  requiredAttributes: string[];
}

function signInExpectingNewPassword(pool: CognitoUserPool, username: string, password: string): Promise<Challenged> {
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: () => reject(new Error('signed in without the challenge')),
      onFailure: reject,
      newPasswordRequired: (userAttributes, requiredAttributes) => resolve({ user, userAttributes, requiredAttributes }),
    }),
  );
}

const complete = (user: CognitoUser, password: string, attributes: Record<string, string>) =>
  new Promise<CognitoUserSession>((resolve, reject) => user.completeNewPasswordChallenge(password, attributes, { onSuccess: resolve, onFailure: reject }));

describe('resendConfirmationCode', () => {
  it('mails a new code that replaces the first, which then confirms the account', async () => {
    const { pool } = await poolWithClient({ UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
    const email = 'resender@example.com';
    let before = server.smtp.messages.length;
    await call((cb) => pool.signUp(email, PASSWORD, [new CognitoUserAttribute({ Name: 'email', Value: email })], [], cb as never));
    const first = await server.smtp.codeFor(email, before);

    const user = new CognitoUser({ Username: email, Pool: pool });
    before = server.smtp.messages.length;
    const sent = await call<{ CodeDeliveryDetails: Record<string, string> }>((cb) => user.resendConfirmationCode(cb as never));
    expect(sent.CodeDeliveryDetails).toEqual({ Destination: 'r***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const second = await server.smtp.codeFor(email, before);
    expect(second).not.toBe(first);

    await expect(call((cb) => user.confirmRegistration(first, true, cb))).rejects.toMatchObject({ code: 'CodeMismatchException' });
    expect(await call((cb) => user.confirmRegistration(second, true, cb))).toBe('SUCCESS');
    expect((await signIn(pool, email, PASSWORD)).session.isValid()).toBe(true);

    await expect(call((cb) => user.resendConfirmationCode(cb as never))).rejects.toMatchObject({
      code: 'InvalidParameterException', message: 'User is already confirmed.',
    });
    await expect(call((cb) => new CognitoUser({ Username: 'nobody@example.com', Pool: pool }).resendConfirmationCode(cb as never))).rejects.toMatchObject({
      code: 'UserNotFoundException',
    });
  });
});

describe('an invited user’s first sign-in (completeNewPasswordChallenge)', () => {
  const INVITE = 'Welcome {username}! Your temporary password: {####}';
  let poolId: string;
  let pool: CognitoUserPool;
  beforeAll(async () => {
    ({ poolId, pool } = await poolWithClient({
      UsernameAttributes: ['email'],
      Schema: [{ Name: 'name', AttributeDataType: 'String', Mutable: true, Required: true }, { Name: 'team', AttributeDataType: 'String', Mutable: false }],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true, InviteMessageTemplate: { EmailSubject: 'You are invited', EmailMessage: INVITE } },
    }));
  });

  /** Invites the user (without the required name) and reads the temporary password from the mail. */
  async function invite(email: string): Promise<string> {
    const before = server.smtp.messages.length;
    await server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: email, DesiredDeliveryMediums: ['EMAIL'] }));
    const mail = await server.smtp.waitFor(email, 10_000, before);
    expect(mail.subject).toBe('You are invited');
    const temporary = /^Welcome (\S+)! Your temporary password: (\S+)$/.exec(mail.text?.trim() ?? '');
    expect(temporary?.[1]).toBe(email);
    return temporary![2]!;
  }

  it('lists the missing required attribute, refuses answers without it or that rewrite what is set, then signs in', async () => {
    const email = 'invited@example.com';
    const temporary = await invite(email);
    const challenged = await signInExpectingNewPassword(pool, email, temporary);
    expect(challenged.requiredAttributes).toEqual(['name']);
    expect(challenged.userAttributes).toEqual({ email });

    const { user } = challenged;
    await expect(complete(user, NEW_PASSWORD, {})).rejects.toMatchObject({ code: 'InvalidParameterException', message: 'Invalid attributes given, name is missing' });
    await expect(complete(user, NEW_PASSWORD, { ...challenged.userAttributes, name: 'Ada' })).rejects.toMatchObject({
      code: 'InvalidParameterException', message: 'Cannot modify an already provided email',
    });
    await expect(complete(user, NEW_PASSWORD, { name: 'Ada', email_verified: 'true' })).rejects.toMatchObject({
      code: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute',
    });
    await expect(complete(user, 'short', { name: 'Ada' })).rejects.toMatchObject({ code: 'InvalidPasswordException' });
    const still = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(still.UserStatus).toBe('FORCE_CHANGE_PASSWORD');

    // An immutable attribute without a value may be set here, once.
    const session = await complete(user, NEW_PASSWORD, { name: 'Ada Lovelace', 'custom:team': 'engines' });
    expect(session.isValid()).toBe(true);
    expect(session.getIdToken().decodePayload()).toMatchObject({ email, name: 'Ada Lovelace', 'custom:team': 'engines' });
    const done = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(done.UserStatus).toBe('CONFIRMED');
    expect(done.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'name', Value: 'Ada Lovelace' }, { Name: 'custom:team', Value: 'engines' }]));
    expect((await signIn(pool, email, NEW_PASSWORD)).session.isValid()).toBe(true);
  });

  it('lists nothing when the administrator gave every required attribute', async () => {
    const email = 'named@example.com';
    const before = server.smtp.messages.length;
    await server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: email, UserAttributes: [{ Name: 'name', Value: 'Grace' }] }));
    const temporary = /temporary password: (\S+)$/.exec((await server.smtp.waitFor(email, 10_000, before)).text?.trim() ?? '')![1]!;
    const challenged = await signInExpectingNewPassword(pool, email, temporary);
    expect(challenged.requiredAttributes).toEqual([]);
    expect(challenged.userAttributes).toEqual({ email, name: 'Grace' });
    expect((await complete(challenged.user, NEW_PASSWORD, {})).getIdToken().decodePayload().name).toBe('Grace');
  });

  it('refuses a preferred_username alias another user holds (AliasExistsException), then takes a free one', async () => {
    const { poolId: aliasPoolId, pool: aliasPool } = await poolWithClient({
      AliasAttributes: ['preferred_username'],
      Schema: [{ Name: 'preferred_username', AttributeDataType: 'String', Mutable: true, Required: true }],
    });
    const create = (Username: string, attributes: { Name: string; Value: string }[]) =>
      server.admin.send(new AdminCreateUserCommand({ UserPoolId: aliasPoolId, Username, TemporaryPassword: 'Temp-Rydes-3', MessageAction: 'SUPPRESS', UserAttributes: attributes }));
    // preferred_username cannot be given to an unconfirmed user: the first rider picks theirs at the first sign-in too.
    await create('first-rider', []);
    const first = await signInExpectingNewPassword(aliasPool, 'first-rider', 'Temp-Rydes-3');
    await complete(first.user, NEW_PASSWORD, { preferred_username: 'unicorn' });
    await create('second-rider', []);
    const challenged = await signInExpectingNewPassword(aliasPool, 'second-rider', 'Temp-Rydes-3');
    expect(challenged.requiredAttributes).toEqual(['preferred_username']);
    await expect(complete(challenged.user, NEW_PASSWORD, { preferred_username: 'unicorn' })).rejects.toMatchObject({ code: 'AliasExistsException' });
    expect((await complete(challenged.user, NEW_PASSWORD, { preferred_username: 'pegasus' })).isValid()).toBe(true);
    // The alias signs in.
    expect((await signIn(aliasPool, 'pegasus', NEW_PASSWORD)).session.getIdToken().decodePayload()['cognito:username']).toBe('second-rider');
  });
});

describe('a username pool with its own templates: recovery, password change, sign-out everywhere, deletion', () => {
  it('runs the whole life of an account through the library', async () => {
    const { pool } = await poolWithClient({
      AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'],
      VerificationMessageTemplate: { EmailSubject: 'Wild Rydes code', EmailMessage: 'Use {####} to continue.' },
    });
    const username = 'lifecycle';
    const email = 'lifecycle@example.com';
    let before = server.smtp.messages.length;
    await call((cb) => pool.signUp(username, PASSWORD, [new CognitoUserAttribute({ Name: 'email', Value: email })], [], cb as never));
    const signUpMail = await server.smtp.waitFor(email, 10_000, before);
    expect(signUpMail.subject).toBe('Wild Rydes code');
    const user = new CognitoUser({ Username: username, Pool: pool });
    await call((cb) => user.confirmRegistration(/Use (\d{6}) to continue\./.exec(signUpMail.text ?? '')![1]!, true, cb));

    // Recovery, by the verified email alias: the reset code comes with the pool's verification template.
    before = server.smtp.messages.length;
    const recovering = new CognitoUser({ Username: email, Pool: pool });
    const delivery = await new Promise<{ CodeDeliveryDetails: Record<string, string> }>((resolve, reject) =>
      recovering.forgotPassword({ onSuccess: () => reject(new Error('inputVerificationCode was not called')), onFailure: reject, inputVerificationCode: resolve }),
    );
    expect(delivery.CodeDeliveryDetails).toEqual({ Destination: 'l***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const resetMail = await server.smtp.waitFor(email, 10_000, before);
    expect(resetMail.subject).toBe('Wild Rydes code');
    const code = /Use (\d{6}) to continue\./.exec(resetMail.text ?? '')![1]!;
    expect(await new Promise((resolve, reject) => recovering.confirmPassword(code, NEW_PASSWORD, { onSuccess: resolve, onFailure: reject }))).toBe('SUCCESS');
    await expect(signIn(pool, username, PASSWORD)).rejects.toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });

    // Change the password while signed in (by the alias); the session stays valid.
    const { user: signedIn, session } = await signIn(pool, email, NEW_PASSWORD);
    expect(session.getIdToken().decodePayload()['cognito:username']).toBe(username);
    expect(await call((cb) => signedIn.changePassword(NEW_PASSWORD, 'Third-Rydes-3', cb))).toBe('SUCCESS');
    expect((await call<CognitoUserAttribute[]>((cb) => signedIn.getUserAttributes(cb))).map((a) => a.getName())).toContain('email');

    // Sign out everywhere: the old session's access token is revoked.
    await new Promise((resolve, reject) => signedIn.globalSignOut({ onSuccess: resolve, onFailure: reject }));
    const stale = new CognitoUser({ Username: username, Pool: pool });
    stale.setSignInUserSession(session);
    await expect(call((cb) => stale.getUserAttributes(cb))).rejects.toMatchObject({ code: 'NotAuthorizedException', message: 'Access Token has been revoked' });

    // A fresh sign-in with the changed password, then the user deletes the account.
    const { user: again } = await signIn(pool, username, 'Third-Rydes-3');
    expect(await call((cb) => again.deleteUser(cb))).toBe('SUCCESS');
    await expect(signIn(pool, username, 'Third-Rydes-3')).rejects.toMatchObject({ code: 'UserNotFoundException' });
  });
});
