import { AdminCreateUserCommand, AdminGetUserCommand, CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import {
  confirmResetPassword, confirmSignIn, confirmSignUp, deleteUser, fetchAuthSession, fetchUserAttributes, getCurrentUser, resendSignUpCode,
  resetPassword, signIn, signOut, signUp, updatePassword,
} from 'aws-amplify/auth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * The Amplify v6 flows that amplify.test.ts leaves out: resendSignUpCode, resetPassword /
 * confirmResetPassword, updatePassword, the first sign-in of an invited user (signIn →
 * CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED with the missing required attributes → confirmSignIn with
 * them) and deleteUser — against a pool that requires `name` and has its own verification template.
 */
let server: TestServer;
let poolId: string;

const PASSWORD = 'Wild-Rydes-1';
const NEW_PASSWORD = 'New-Rydes-2';

/** "Operation:status" of every API call the server answered, in order (from its structured logs). */
const calls = () => server.logs.filter((l) => l.msg === 'api call').map((l) => `${String(l.operation)}:${String(l.status)}`);

beforeAll(async () => {
  server = await startTestServer();
  const pool = await server.admin.send(new CreateUserPoolCommand({
    PoolName: 'AmplifyFlows', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'],
    Schema: [{ Name: 'name', AttributeDataType: 'String', Mutable: true, Required: true }],
    VerificationMessageTemplate: { EmailSubject: 'Your Wild Rydes code', EmailMessage: 'Your Wild Rydes code is {####}.' },
  }));
  poolId = pool.UserPool!.Id!;
  const client = await server.admin.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: 'amplify', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], PreventUserExistenceErrors: 'LEGACY',
  }));
  Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: client.UserPoolClient!.ClientId!, userPoolEndpoint: `${server.url}/` } } });
});
afterEach(async () => {
  await signOut();
});
afterAll(async () => server?.stop());

/** The code of the newest mail to `email` after `before` messages, worded by the pool's template. */
async function mailedCode(email: string, before: number): Promise<string> {
  const mail = await server.smtp.waitFor(email, 10_000, before);
  expect(mail.subject).toBe('Your Wild Rydes code');
  return /^Your Wild Rydes code is (\d{6})\.$/.exec(mail.text?.trim() ?? '')![1]!;
}

/** Signs up and confirms with the mailed code. */
async function registered(email: string, name: string): Promise<void> {
  const before = server.smtp.messages.length;
  await signUp({ username: email, password: PASSWORD, options: { userAttributes: { email, name } } });
  await confirmSignUp({ username: email, confirmationCode: await mailedCode(email, before) });
}

describe('Amplify v6 flows against Cognate', () => {
  it('resendSignUpCode mails a new code that confirms the account', async () => {
    const email = 'resend-amplify@example.com';
    let before = server.smtp.messages.length;
    await signUp({ username: email, password: PASSWORD, options: { userAttributes: { email, name: 'Rita' } } });
    const first = await mailedCode(email, before);

    before = server.smtp.messages.length;
    const delivery = await resendSignUpCode({ username: email });
    expect(delivery).toEqual({ destination: 'r***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' });
    const second = await mailedCode(email, before);
    expect(second).not.toBe(first);

    await expect(confirmSignUp({ username: email, confirmationCode: first })).rejects.toMatchObject({ name: 'CodeMismatchException' });
    expect((await confirmSignUp({ username: email, confirmationCode: second })).isSignUpComplete).toBe(true);
    await expect(resendSignUpCode({ username: email })).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'User is already confirmed.' });
    expect((await signIn({ username: email, password: PASSWORD })).isSignedIn).toBe(true);
  });

  it('resetPassword mails the pool’s code; confirmResetPassword sets the new password', async () => {
    const email = 'reset-amplify@example.com';
    await registered(email, 'Reese');
    const before = server.smtp.messages.length;
    const reset = await resetPassword({ username: email });
    expect(reset).toEqual({
      isPasswordReset: false,
      nextStep: { resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE', codeDeliveryDetails: { destination: 'r***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' } },
    });
    const code = await mailedCode(email, before);
    await expect(confirmResetPassword({ username: email, confirmationCode: code, newPassword: 'weak' })).rejects.toMatchObject({ name: 'InvalidPasswordException' });
    await confirmResetPassword({ username: email, confirmationCode: code, newPassword: NEW_PASSWORD });
    expect(calls()).toContain('ConfirmForgotPassword:200');
    await expect(signIn({ username: email, password: PASSWORD })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    expect((await signIn({ username: email, password: NEW_PASSWORD })).isSignedIn).toBe(true);
  });

  it('updatePassword changes the password of the signed-in user', async () => {
    const email = 'update-amplify@example.com';
    await registered(email, 'Ursula');
    await signIn({ username: email, password: PASSWORD });
    await expect(updatePassword({ oldPassword: 'Not-The-One-1', newPassword: NEW_PASSWORD })).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Incorrect username or password.',
    });
    await updatePassword({ oldPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(calls()).toContain('ChangePassword:200');
    // The session survives the change.
    expect(await fetchUserAttributes()).toMatchObject({ email, name: 'Ursula' });
    await signOut();
    await expect(signIn({ username: email, password: PASSWORD })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    expect((await signIn({ username: email, password: NEW_PASSWORD })).isSignedIn).toBe(true);
  });

  it('an invited user without the required name: CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED, then confirmSignIn with it', async () => {
    const email = 'invited-amplify@example.com';
    await server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: email, TemporaryPassword: 'Temp-Rydes-3', MessageAction: 'SUPPRESS' }));
    const first = await signIn({ username: email, password: 'Temp-Rydes-3' });
    expect(first).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', missingAttributes: ['name'] } });

    await expect(confirmSignIn({ challengeResponse: NEW_PASSWORD })).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Invalid attributes given, name is missing',
    });
    const done = await confirmSignIn({ challengeResponse: NEW_PASSWORD, options: { userAttributes: { name: 'Nina' } } });
    expect(done).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(await fetchUserAttributes()).toMatchObject({ email, name: 'Nina' });
    expect((await fetchAuthSession()).tokens?.idToken?.payload).toMatchObject({ email, name: 'Nina' });
    const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(user.UserStatus).toBe('CONFIRMED');
  });

  it('deleteUser removes the signed-in user and clears the session', async () => {
    const email = 'delete-amplify@example.com';
    await registered(email, 'Dora');
    await signIn({ username: email, password: PASSWORD });
    await deleteUser();
    expect(calls()).toContain('DeleteUser:200');
    await expect(getCurrentUser()).rejects.toMatchObject({ name: 'UserUnAuthenticatedException' });
    await expect(server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).rejects.toMatchObject({ name: 'UserNotFoundException' });
    await expect(signIn({ username: email, password: PASSWORD })).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });
});
