import {
  AdminConfirmSignUpCommand, AdminGetUserCommand, AdminUpdateUserAttributesCommand, CreateUserPoolClientCommand, CreateUserPoolCommand,
  type CodeDeliveryDetailsType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool, type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { Amplify } from 'aws-amplify';
import {
  confirmSignUp, confirmUserAttribute, deleteUserAttributes, fetchUserAttributes, getCurrentUser, sendUserAttributeVerificationCode, signIn, signOut, signUp,
  updateUserAttributes,
} from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * User-facing attribute flows through the official browser clients: amazon-cognito-identity-js
 * (updateAttributes → mailed code → verifyAttribute, getAttributeVerificationCode, deleteAttributes,
 * enableMFA / disableMFA, sign-in by alias) and Amplify v6 (updateUserAttributes,
 * confirmUserAttribute, sendUserAttributeVerificationCode, deleteUserAttributes).
 */
let server: TestServer;
const PASSWORD = 'Attr-Rides-1';

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.stop());

const call = <T>(fn: (cb: (err: Error | null | undefined, result?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result as T))));

async function aliasPool(): Promise<{ poolId: string; clientId: string }> {
  const pool = await server.admin.send(new CreateUserPoolCommand({
    PoolName: 'alias-riders', AliasAttributes: ['email', 'preferred_username'], AutoVerifiedAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false },
  }));
  const poolId = pool.UserPool!.Id!;
  const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', PreventUserExistenceErrors: 'LEGACY' }));
  return { poolId, clientId: client.UserPoolClient!.ClientId! };
}

describe('amazon-cognito-identity-js', () => {
  let pool: CognitoUserPool;
  let poolId: string;

  function authenticate(typed: string): Promise<{ user: CognitoUser; session: CognitoUserSession }> {
    const user = new CognitoUser({ Username: typed, Pool: pool });
    return new Promise((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: typed, Password: PASSWORD }), {
        onSuccess: (session) => resolve({ user, session }),
        onFailure: reject,
      }),
    );
  }

  beforeAll(async () => {
    const ids = await aliasPool();
    poolId = ids.poolId;
    pool = new CognitoUserPool({ UserPoolId: ids.poolId, ClientId: ids.clientId, endpoint: `${server.url}/` });
  });

  it('changes the email, which is mailed a code; verifyAttribute verifies it and the new email signs in', async () => {
    const before = server.smtp.messages.length;
    const attrs = [new CognitoUserAttribute({ Name: 'email', Value: 'js-rider@example.com' })];
    await call((cb) => pool.signUp('jsrider', PASSWORD, attrs, [], cb as never));
    const signUpCode = await server.smtp.codeFor('js-rider@example.com', before);
    await call((cb) => new CognitoUser({ Username: 'jsrider', Pool: pool }).confirmRegistration(signUpCode, false, cb));

    // Signed in by the verified email alias; identity-js switches to the internal username.
    const { user } = await authenticate('JS-Rider@example.com');
    expect(user.getUsername()).toBe('jsrider');

    const changed = server.smtp.messages.length;
    const result = await new Promise<unknown[]>((resolve, reject) =>
      user.updateAttributes([{ Name: 'email', Value: 'js-new@example.com' }, { Name: 'given_name', Value: 'Jo' }], (err, ...rest) => (err ? reject(err) : resolve(rest))),
    );
    expect(result).toEqual(['SUCCESS', { CodeDeliveryDetailsList: [{ Destination: 'j***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }] }]);
    const code = await server.smtp.codeFor('js-new@example.com', changed);
    const listed = await call<CognitoUserAttribute[]>((cb) => user.getUserAttributes(cb));
    expect(Object.fromEntries(listed.map((a) => [a.getName(), a.getValue()]))).toMatchObject({ email: 'js-new@example.com', email_verified: 'false', given_name: 'Jo' });
    // Unverified: neither address signs in for now.
    await expect(authenticate('js-new@example.com')).rejects.toMatchObject({ code: 'UserNotFoundException' });

    await expect(new Promise((resolve, reject) => user.verifyAttribute('email', code === '000000' ? '111111' : '000000', { onSuccess: resolve, onFailure: reject })))
      .rejects.toMatchObject({ code: 'CodeMismatchException' });
    await new Promise((resolve, reject) => user.verifyAttribute('email', code, { onSuccess: resolve, onFailure: reject }));
    expect((await authenticate('js-new@example.com')).user.getUsername()).toBe('jsrider');
    const admin = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'js-new@example.com' }));
    expect(admin.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
  });

  it('getAttributeVerificationCode mails a fresh code, deleteAttributes deletes, enableMFA / disableMFA are kept', async () => {
    const { user } = await authenticate('jsrider');
    const before = server.smtp.messages.length;
    const delivery = await new Promise<{ CodeDeliveryDetails: CodeDeliveryDetailsType }>((resolve, reject) =>
      // identity-js types the argument as a string; it is the response object.
      user.getAttributeVerificationCode('email', {
        inputVerificationCode: (data) => resolve(data as unknown as { CodeDeliveryDetails: CodeDeliveryDetailsType }),
        onSuccess: () => reject(new Error('no delivery')),
        onFailure: reject,
      }),
    );
    expect(delivery.CodeDeliveryDetails).toEqual({ Destination: 'j***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const code = await server.smtp.codeFor('js-new@example.com', before);
    await new Promise((resolve, reject) => user.verifyAttribute('email', code, { onSuccess: resolve, onFailure: reject }));

    expect(await call((cb) => user.deleteAttributes(['given_name'], cb))).toBe('SUCCESS');
    const listed = await call<CognitoUserAttribute[]>((cb) => user.getUserAttributes(cb));
    expect(listed.map((a) => a.getName())).not.toContain('given_name');
    await expect(call((cb) => user.deleteAttributes(['sub'], cb))).rejects.toMatchObject({ code: 'InvalidParameterException' });

    expect(await call((cb) => user.enableMFA(cb))).toBe('SUCCESS');
    const withMfa = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'jsrider' }));
    expect(withMfa.MFAOptions).toEqual([{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);
    expect(await call((cb) => user.disableMFA(cb))).toBe('SUCCESS');
    expect((await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'jsrider' }))).MFAOptions).toBeUndefined();
  });

  it('signs in by preferred_username once set; another user cannot take it', async () => {
    const { user } = await authenticate('jsrider');
    await call((cb) => user.updateAttributes([{ Name: 'preferred_username', Value: 'Jojo' }], cb));
    expect((await authenticate('JOJO')).user.getUsername()).toBe('jsrider');

    await call((cb) => pool.signUp('second', PASSWORD, [], [], cb as never));
    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'second' }));
    const { user: second } = await authenticate('second');
    await expect(call((cb) => second.updateAttributes([{ Name: 'preferred_username', Value: 'jojo' }], cb))).rejects.toMatchObject({
      code: 'AliasExistsException', message: 'An account with the given preferred_username already exists.',
    });
  });
});

describe('Amplify v6', () => {
  const email = 'amplify-attrs@example.com';
  let poolId: string;

  beforeAll(async () => {
    const ids = await createWorkshopPool(server);
    poolId = ids.poolId;
    const clientId = ids.clientId;
    Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: `${server.url}/` } } });
    const before = server.smtp.messages.length;
    await signUp({ username: email, password: PASSWORD, options: { userAttributes: { email } } });
    await confirmSignUp({ username: email, confirmationCode: await server.smtp.codeFor(email, before) });
    expect((await signIn({ username: email, password: PASSWORD })).isSignedIn).toBe(true);
  });
  afterAll(async () => signOut());

  it('updateUserAttributes: plain attributes are done, a new email waits for confirmUserAttribute', async () => {
    const before = server.smtp.messages.length;
    const out = await updateUserAttributes({ userAttributes: { email: 'amplify-new@example.com', given_name: 'Amy' } });
    expect(out.given_name).toEqual({ isUpdated: true, nextStep: { updateAttributeStep: 'DONE' } });
    expect(out.email).toEqual({
      isUpdated: false,
      nextStep: { updateAttributeStep: 'CONFIRM_ATTRIBUTE_WITH_CODE', codeDeliveryDetails: { attributeName: 'email', deliveryMedium: 'EMAIL', destination: 'a***@e***' } },
    });
    const code = await server.smtp.codeFor('amplify-new@example.com', before);
    expect(await fetchUserAttributes()).toMatchObject({ email: 'amplify-new@example.com', email_verified: 'false', given_name: 'Amy' });

    await expect(confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: code === '000000' ? '111111' : '000000' })).rejects.toMatchObject({
      name: 'CodeMismatchException',
    });
    await confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: code });
    expect((await fetchUserAttributes()).email_verified).toBe('true');
  });

  it('sendUserAttributeVerificationCode mails a code that confirmUserAttribute takes', async () => {
    const before = server.smtp.messages.length;
    const out = await sendUserAttributeVerificationCode({ userAttributeKey: 'email' });
    expect(out).toEqual({ attributeName: 'email', deliveryMedium: 'EMAIL', destination: 'a***@e***' });
    await confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: await server.smtp.codeFor('amplify-new@example.com', before) });
    await expect(sendUserAttributeVerificationCode({ userAttributeKey: 'phone_number' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('deleteUserAttributes deletes; the user signs in again with the new email', async () => {
    await deleteUserAttributes({ userAttributeKeys: ['given_name'] });
    expect((await fetchUserAttributes()).given_name).toBeUndefined();
    const { userId } = await getCurrentUser();
    await signOut();
    expect((await signIn({ username: 'Amplify-New@example.com', password: PASSWORD })).isSignedIn).toBe(true);
    expect((await getCurrentUser()).userId).toBe(userId);
  });

  it('an administrator’s change shows up in fetchUserAttributes', async () => {
    const { userId } = await getCurrentUser();
    await server.admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: userId, UserAttributes: [{ Name: 'nickname', Value: 'Ames' }] }));
    expect((await fetchUserAttributes()).nickname).toBe('Ames');
  });
});
