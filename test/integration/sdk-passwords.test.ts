import {
  AdminDeleteUserCommand, AdminDisableUserCommand, AdminGetUserCommand, AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand, AdminRespondToAuthChallengeCommand, AdminSetUserPasswordCommand, AdminUserGlobalSignOutCommand,
  ChangePasswordCommand, ConfirmSignUpCommand, DeleteUserCommand, GetUserCommand, GlobalSignOutCommand, InitiateAuthCommand,
  RespondToAuthChallengeCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordClaim, srpClient, type PasswordVerifierChallenge } from '../helpers/sdk-srp.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * ChangePassword, DeleteUser, AdminSetUserPassword (and the NEW_PASSWORD_REQUIRED challenge a temporary
 * password leads to) and AdminUserGlobalSignOut through the AWS SDK v3; changePassword, deleteUser and
 * completeNewPasswordChallenge through amazon-cognito-identity-js.
 */
let server: TestServer;
let poolId: string;
/** Workshop client: SRP, refresh, user password and admin password flows; LEGACY existence errors; 3-minute sessions. */
let clientId: string;

const PASSWORD = 'Wild-Rydes-1';
const NEW_PASSWORD = 'New-Rydes-2';
const TEMPORARY = 'Temp-Rydes-3';
const WRONG = 'Incorrect username or password.';
const SESSION_EXPIRED = 'Invalid session for the user, session is expired.';
const NO_NUMBER = 'Password does not conform to policy: Password must have numeric characters';
const TOO_SHORT = 'Password does not conform to policy: Password not long enough';

beforeAll(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createWorkshopPool(server, { PreventUserExistenceErrors: 'LEGACY' }));
});
afterAll(async () => server?.stop());

/** Signed up and confirmed with the mailed code (email verified). Returns the internal username (the sub). */
async function confirmedUser(email: string, password = PASSWORD): Promise<string> {
  const before = server.smtp.messages.length;
  const out = await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: password }));
  await server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: await server.smtp.codeFor(email, before) }));
  return out.UserSub!;
}

const passwordAuth = (USERNAME: string, PASSWORD_: string) =>
  server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: PASSWORD_ } }));
const tokensOf = async (email: string, password = PASSWORD) => (await passwordAuth(email, password)).AuthenticationResult!;
const refresh = (REFRESH_TOKEN: string) =>
  server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN } }));
const getUser = (AccessToken: string) => server.sdk.send(new GetUserCommand({ AccessToken }));
const changePassword = (AccessToken: string, PreviousPassword: string | undefined, ProposedPassword: string) =>
  server.sdk.send(new ChangePasswordCommand({ AccessToken, PreviousPassword, ProposedPassword }));
const setPassword = (Username: string, Password: string, Permanent: boolean, UserPoolId = poolId) =>
  server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId, Username, Password, Permanent }));
const status = async (Username: string) => (await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username }))).UserStatus;
const newPassword = (Session: string | undefined, USERNAME: string, NEW_PASSWORD_: string) =>
  server.sdk.send(new RespondToAuthChallengeCommand({
    ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session, ChallengeResponses: { USERNAME, NEW_PASSWORD: NEW_PASSWORD_ },
  }));

/** A session with one character changed (the seal no longer opens). */
const forge = (session: string) => `${session.slice(0, 10)}${session[10] === 'A' ? 'B' : 'A'}${session.slice(11)}`;

/** USER_SRP_AUTH up to the answer of PASSWORD_VERIFIER. */
async function srpAuth(username: string, password: string) {
  const client = srpClient();
  const out = await server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: client.srpA } }));
  const answer = passwordClaim(client, poolId, password, out.ChallengeParameters as PasswordVerifierChallenge);
  return server.sdk.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: answer }));
}

describe('ChangePassword', () => {
  it('changes the password of the signed-in user, who keeps their session', async () => {
    const email = 'changer@example.com';
    await confirmedUser(email);
    const tokens = await tokensOf(email);
    expect(await changePassword(tokens.AccessToken!, PASSWORD, NEW_PASSWORD)).toMatchObject({ $metadata: { httpStatusCode: 200 } });
    await expect(passwordAuth(email, PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: WRONG });
    expect((await tokensOf(email, NEW_PASSWORD)).AccessToken).toBeDefined();
    expect((await srpAuth(email, NEW_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
    // The session goes on: the access token and the refresh token of before still work.
    expect((await getUser(tokens.AccessToken!)).UserAttributes).toContainEqual({ Name: 'email', Value: email });
    expect((await refresh(tokens.RefreshToken!)).AuthenticationResult?.AccessToken).toBeDefined();
    expect(await status(email)).toBe('CONFIRMED');
  });

  it('refuses a wrong or missing previous password and a password the policy refuses, changing nothing', async () => {
    const email = 'careful@example.com';
    await confirmedUser(email);
    const { AccessToken } = await tokensOf(email);
    await expect(changePassword(AccessToken!, 'Not-The-One-1', NEW_PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: WRONG });
    await expect(changePassword(AccessToken!, undefined, NEW_PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: WRONG });
    await expect(changePassword(AccessToken!, PASSWORD, 'No-Numbers-Here')).rejects.toMatchObject({ name: 'InvalidPasswordException', message: NO_NUMBER });
    await expect(changePassword(AccessToken!, PASSWORD, 'Ab-1234')).rejects.toMatchObject({ name: 'InvalidPasswordException', message: TOO_SHORT });
    await expect(changePassword(AccessToken!, PASSWORD, 'Ab-1')).rejects.toMatchObject({ name: 'InvalidPasswordException', message: TOO_SHORT });
    expect((await tokensOf(email)).AccessToken).toBeDefined();
  });

  it('refuses a bad, revoked or disabled user’s access token, and answers UserNotFoundException for a deleted user', async () => {
    await expect(changePassword('not-a-token', PASSWORD, NEW_PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Access Token' });

    const email = 'signed-out@example.com';
    await confirmedUser(email);
    const { AccessToken } = await tokensOf(email);
    await server.sdk.send(new GlobalSignOutCommand({ AccessToken }));
    await expect(changePassword(AccessToken!, PASSWORD, NEW_PASSWORD)).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Access Token has been revoked',
    });

    const benched = 'benched@example.com';
    await confirmedUser(benched);
    const benchedToken = (await tokensOf(benched)).AccessToken!;
    await server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: benched }));
    await expect(changePassword(benchedToken, PASSWORD, NEW_PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException' });

    const gone = 'gone@example.com';
    await confirmedUser(gone);
    const goneToken = (await tokensOf(gone)).AccessToken!;
    await server.admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: gone }));
    await expect(changePassword(goneToken, PASSWORD, NEW_PASSWORD)).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
  });
});

describe('DeleteUser', () => {
  it('deletes the signed-in user; their tokens then fail as each operation’s model allows', async () => {
    const email = 'leaver@example.com';
    await confirmedUser(email);
    const tokens = await tokensOf(email);
    expect(await server.sdk.send(new DeleteUserCommand({ AccessToken: tokens.AccessToken }))).toMatchObject({ $metadata: { httpStatusCode: 200 } });
    await expect(server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).rejects.toMatchObject({
      name: 'UserNotFoundException', message: 'User does not exist.',
    });
    // GetUser and DeleteUser declare UserNotFoundException; GlobalSignOut does not, and calls the token invalid.
    await expect(getUser(tokens.AccessToken!)).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    await expect(server.sdk.send(new DeleteUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({
      name: 'UserNotFoundException', message: 'User does not exist.',
    });
    await expect(server.sdk.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Invalid Access Token',
    });
    // The refresh tokens went with the user.
    await expect(refresh(tokens.RefreshToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
    await expect(passwordAuth(email, PASSWORD)).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    // The email is free again.
    await confirmedUser(email);
    expect((await tokensOf(email)).AccessToken).toBeDefined();
  });

  it('refuses a bad or revoked access token and deletes nothing', async () => {
    await expect(server.sdk.send(new DeleteUserCommand({ AccessToken: 'not-a-token' }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Invalid Access Token',
    });
    const email = 'stayer@example.com';
    await confirmedUser(email);
    const { AccessToken } = await tokensOf(email);
    await server.sdk.send(new GlobalSignOutCommand({ AccessToken }));
    await expect(server.sdk.send(new DeleteUserCommand({ AccessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Access Token has been revoked',
    });
    expect(await status(email)).toBe('CONFIRMED');
  });
});

describe('AdminSetUserPassword', () => {
  it('sets a permanent password: CONFIRMED from CONFIRMED, UNCONFIRMED and RESET_REQUIRED, and the old password stops working', async () => {
    const confirmed = 'set-confirmed@example.com';
    await confirmedUser(confirmed);
    expect(await setPassword(confirmed, NEW_PASSWORD, true)).toMatchObject({ $metadata: { httpStatusCode: 200 } });
    expect(await status(confirmed)).toBe('CONFIRMED');
    await expect(passwordAuth(confirmed, PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: WRONG });
    expect((await srpAuth(confirmed, NEW_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();

    const unconfirmed = 'set-unconfirmed@example.com';
    await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: unconfirmed, Password: PASSWORD }));
    await setPassword(unconfirmed, NEW_PASSWORD, true);
    expect(await status(unconfirmed)).toBe('CONFIRMED');
    const id = JSON.parse(Buffer.from((await tokensOf(unconfirmed, NEW_PASSWORD)).IdToken!.split('.')[1]!, 'base64url').toString('utf8'));
    expect(id.email_verified).toBeUndefined(); // confirming by password verifies nothing

    const reset = 'set-reset@example.com';
    await confirmedUser(reset);
    await server.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: reset }));
    expect(await status(reset)).toBe('RESET_REQUIRED');
    await setPassword(reset, NEW_PASSWORD, true);
    expect(await status(reset)).toBe('CONFIRMED');
    expect((await tokensOf(reset, NEW_PASSWORD)).AccessToken).toBeDefined();
  });

  it('answers UserNotFoundException, InvalidPasswordException, ResourceNotFoundException and refuses unsigned calls', async () => {
    await expect(setPassword('ghost@example.com', NEW_PASSWORD, true)).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    const email = 'set-weak@example.com';
    await confirmedUser(email);
    await expect(setPassword(email, 'no-upper-1!', true)).rejects.toMatchObject({
      name: 'InvalidPasswordException', message: 'Password does not conform to policy: Password must have uppercase characters',
    });
    await expect(setPassword(email, 'NoNumbers!', false)).rejects.toMatchObject({ name: 'InvalidPasswordException', message: NO_NUMBER });
    expect(await status(email)).toBe('CONFIRMED');
    expect((await tokensOf(email)).AccessToken).toBeDefined();
    await expect(setPassword(email, NEW_PASSWORD, true, 'us-east-1_NoSuchPol')).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_NoSuchPol does not exist.',
    });
    const unsigned = await fetch(`${server.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminSetUserPassword' },
      body: JSON.stringify({ UserPoolId: poolId, Username: email, Password: NEW_PASSWORD, Permanent: true }),
    });
    expect(((await unsigned.json()) as { __type: string }).__type).toBe('MissingAuthenticationTokenException');
  });

  it('sets a temporary password: FORCE_CHANGE_PASSWORD, and sign-in answers NEW_PASSWORD_REQUIRED until a new password is set', async () => {
    const email = 'temporary@example.com';
    const sub = await confirmedUser(email);
    await setPassword(email, TEMPORARY, false);
    expect(await status(email)).toBe('FORCE_CHANGE_PASSWORD');
    await expect(passwordAuth(email, PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: WRONG });

    const challenge = await passwordAuth(email, TEMPORARY);
    expect(challenge.AuthenticationResult).toBeUndefined();
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(challenge.Session).toEqual(expect.any(String));
    expect(challenge.ChallengeParameters).toEqual({
      USER_ID_FOR_SRP: sub, requiredAttributes: '[]', userAttributes: JSON.stringify({ email, email_verified: 'true' }),
    });

    // The policy refuses a password; the session stays good for another try.
    await expect(newPassword(challenge.Session, email, 'weakling')).rejects.toMatchObject({
      name: 'InvalidPasswordException', message: 'Password does not conform to policy: Password must have uppercase characters',
    });
    await expect(newPassword(undefined, email, NEW_PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: SESSION_EXPIRED });
    await expect(newPassword(forge(challenge.Session!), email, NEW_PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: SESSION_EXPIRED });
    await expect(newPassword(challenge.Session, 'someone-else@example.com', NEW_PASSWORD)).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: SESSION_EXPIRED,
    });
    await expect(server.sdk.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session, ChallengeResponses: { USERNAME: sub },
    }))).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Missing required parameter NEW_PASSWORD' });

    const done = await newPassword(challenge.Session, sub, NEW_PASSWORD);
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
    expect(done.AuthenticationResult?.RefreshToken).toBeDefined();
    expect((await getUser(done.AuthenticationResult!.AccessToken!)).Username).toBe(sub);
    expect(await status(email)).toBe('CONFIRMED');
    // A session answers once.
    await expect(newPassword(challenge.Session, sub, 'Another-Rydes-4')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: SESSION_EXPIRED });
    await expect(passwordAuth(email, TEMPORARY)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: WRONG });
    expect((await srpAuth(email, NEW_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('leads SRP and the admin flows to the same challenge', async () => {
    const email = 'temporary-srp@example.com';
    const sub = await confirmedUser(email);
    await setPassword(email, TEMPORARY, false);
    const srp = await srpAuth(email, TEMPORARY);
    expect(srp.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(srp.ChallengeParameters?.USER_ID_FOR_SRP).toBe(sub);

    const admin = await server.admin.send(new AdminInitiateAuthCommand({
      UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: TEMPORARY },
    }));
    expect(admin.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const respond = (Session: string | undefined, NEW_PASSWORD_: string) => server.admin.send(new AdminRespondToAuthChallengeCommand({
      UserPoolId: poolId, ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session, ChallengeResponses: { USERNAME: email, NEW_PASSWORD: NEW_PASSWORD_ },
    }));
    await expect(respond(admin.Session, 'Short-1')).rejects.toMatchObject({ name: 'InvalidPasswordException', message: TOO_SHORT });
    await expect(respond(forge(admin.Session!), NEW_PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: SESSION_EXPIRED });
    expect((await respond(admin.Session, NEW_PASSWORD)).AuthenticationResult?.IdToken).toBeDefined();
    // The SRP session of before is no longer good: the user is not FORCE_CHANGE_PASSWORD any more.
    await expect(newPassword(srp.Session, sub, 'Another-Rydes-4')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: SESSION_EXPIRED });
    expect((await tokensOf(email, NEW_PASSWORD)).AccessToken).toBeDefined();
  });
});

describe('AdminUserGlobalSignOut', () => {
  it('revokes every refresh token and access token of the user; a new sign-in works', async () => {
    const email = 'everywhere@example.com';
    await confirmedUser(email);
    const first = await tokensOf(email);
    const second = await tokensOf(email);
    expect(await server.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: email }))).toMatchObject({
      $metadata: { httpStatusCode: 200 },
    });
    for (const t of [first, second]) {
      await expect(getUser(t.AccessToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
      await expect(refresh(t.RefreshToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    }
    const fresh = await tokensOf(email);
    expect((await getUser(fresh.AccessToken!)).UserAttributes).toContainEqual({ Name: 'email', Value: email });
  });

  it('answers UserNotFoundException for an unknown user and ResourceNotFoundException for an unknown pool', async () => {
    await expect(server.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'ghost@example.com' }))).rejects.toMatchObject({
      name: 'UserNotFoundException', message: 'User does not exist.',
    });
    await expect(server.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: 'us-east-1_NoSuchPol', Username: 'ghost@example.com' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_NoSuchPol does not exist.',
    });
  });
});

describe('amazon-cognito-identity-js: changePassword, deleteUser, completeNewPasswordChallenge', () => {
  let pool: CognitoUserPool;
  beforeAll(() => {
    pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${server.url}/` });
  });

  const call = <T>(fn: (cb: (err: Error | null | undefined, result?: T) => void) => void) =>
    new Promise<T>((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result as T))));

  async function signedIn(email: string, password: string): Promise<{ user: CognitoUser; session: CognitoUserSession }> {
    const user = new CognitoUser({ Username: email, Pool: pool });
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), { onSuccess: resolve, onFailure: reject }),
    );
    return { user, session };
  }

  it('changes the password (after a wrong old one and a weak new one), and signs in with the new one', async () => {
    const email = 'identity-changer@example.com';
    await confirmedUser(email);
    const { user } = await signedIn(email, PASSWORD);
    await expect(call((cb) => user.changePassword('Not-The-One-1', NEW_PASSWORD, cb))).rejects.toMatchObject({ code: 'NotAuthorizedException', message: WRONG });
    await expect(call((cb) => user.changePassword(PASSWORD, 'weak-password', cb))).rejects.toMatchObject({ code: 'InvalidPasswordException' });
    expect(await call((cb) => user.changePassword(PASSWORD, NEW_PASSWORD, cb))).toBe('SUCCESS');
    await expect(signedIn(email, PASSWORD)).rejects.toMatchObject({ code: 'NotAuthorizedException', message: WRONG });
    expect((await signedIn(email, NEW_PASSWORD)).session.isValid()).toBe(true);
  });

  it('deletes the signed-in user', async () => {
    const email = 'identity-leaver@example.com';
    await confirmedUser(email);
    const { user } = await signedIn(email, PASSWORD);
    expect(await call((cb) => user.deleteUser(cb))).toBe('SUCCESS');
    await expect(signedIn(email, PASSWORD)).rejects.toMatchObject({ code: 'UserNotFoundException' });
  });

  it('answers newPasswordRequired after a temporary password and completes the challenge', async () => {
    const email = 'identity-temporary@example.com';
    await confirmedUser(email);
    await setPassword(email, TEMPORARY, false);
    const user = new CognitoUser({ Username: email, Pool: pool });
    const required = await new Promise<{ userAttributes: Record<string, string>; requiredAttributes: string[] }>((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: email, Password: TEMPORARY }), {
        onSuccess: () => reject(new Error('signed in without the challenge')),
        onFailure: reject,
        newPasswordRequired: (userAttributes, requiredAttributes) => resolve({ userAttributes, requiredAttributes }),
      }),
    );
    expect(required.requiredAttributes).toEqual([]);
    expect(required.userAttributes).toEqual({ email, email_verified: 'true' });

    const complete = (password: string) =>
      new Promise<CognitoUserSession>((resolve, reject) =>
        user.completeNewPasswordChallenge(password, {}, { onSuccess: resolve, onFailure: reject }),
      );
    await expect(complete('weak-password')).rejects.toMatchObject({
      code: 'InvalidPasswordException', message: 'Password does not conform to policy: Password must have uppercase characters',
    });
    const session = await complete(NEW_PASSWORD);
    expect(session.isValid()).toBe(true);
    expect(session.getIdToken().decodePayload().email).toBe(email);
    expect(await status(email)).toBe('CONFIRMED');
    expect((await signedIn(email, NEW_PASSWORD)).session.isValid()).toBe(true);
  });
});

describe('the NEW_PASSWORD_REQUIRED session', () => {
  it('expires after the client’s AuthSessionValidity (3 minutes by default)', async () => {
    const email = 'slowpoke@example.com';
    const sub = await confirmedUser(email);
    await setPassword(email, TEMPORARY, false);
    const challenge = await passwordAuth(email, TEMPORARY);
    server.advance(3 * 60_000 + 1_000);
    await expect(newPassword(challenge.Session, sub, NEW_PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: SESSION_EXPIRED });
    expect(await status(email)).toBe('FORCE_CHANGE_PASSWORD');
    const again = await passwordAuth(email, TEMPORARY);
    expect((await newPassword(again.Session, sub, NEW_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
  });
});
