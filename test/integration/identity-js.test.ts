import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool, type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let pool: CognitoUserPool;
let poolId: string;

beforeAll(async () => {
  server = await startTestServer();
  const ids = await createWorkshopPool(server);
  poolId = ids.poolId;
  pool = new CognitoUserPool({ UserPoolId: ids.poolId, ClientId: ids.clientId, endpoint: `${server.url}/` });
});
afterAll(async () => server?.stop());

const call = <T>(fn: (cb: (err: Error | null | undefined, result?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result as T))));

function signIn(email: string, password: string): Promise<CognitoUserSession> {
  const user = new CognitoUser({ Username: email, Pool: pool });
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
    }),
  );
}

describe('the workshop flow with amazon-cognito-identity-js', () => {
  const email = 'rider@example.com';
  const password = 'Wild-Rydes-1';

  it('registers, confirms with the mailed code (after a wrong one) and signs in with SRP', async () => {
    const attrs = [new CognitoUserAttribute({ Name: 'email', Value: email })];
    const result = await call<{ userSub: string; userConfirmed: boolean }>((cb) => pool.signUp(email, password, attrs, [], cb as never));
    expect(result.userConfirmed).toBe(false);
    expect(result.userSub).toMatch(/^[0-9a-f-]{36}$/);

    const code = await server.smtp.codeFor(email);
    const user = new CognitoUser({ Username: email, Pool: pool });
    const wrong = code === '000000' ? '111111' : '000000';
    await expect(call((cb) => user.confirmRegistration(wrong, true, cb))).rejects.toMatchObject({ code: 'CodeMismatchException' });
    const still = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(still.UserStatus).toBe('UNCONFIRMED');
    await expect(signIn(email, password)).rejects.toMatchObject({ code: 'UserNotConfirmedException' });

    await call((cb) => user.confirmRegistration(code, true, cb));
    const confirmed = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(confirmed.UserStatus).toBe('CONFIRMED');
    expect(confirmed.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });

    await expect(signIn(email, 'Wrong-Password-1')).rejects.toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    const session = await signIn(email, password);
    expect(session.isValid()).toBe(true);
    const id = session.getIdToken().decodePayload();
    expect(id.email).toBe(email);
    expect(id.email_verified).toBe(true);
    expect(id.token_use).toBe('id');
    expect(id['cognito:username']).toBe(result.userSub);
    expect(session.getAccessToken().decodePayload().scope).toBe('aws.cognito.signin.user.admin');
  });

  it('reads attributes, refreshes the session and signs out everywhere', async () => {
    const session = await signIn(email, password);
    const user = pool.getCurrentUser()!;
    user.setSignInUserSession(session);
    const attributes = await call<CognitoUserAttribute[]>((cb) => user.getUserAttributes(cb));
    expect(attributes.find((a) => a.getName() === 'email')?.getValue()).toBe(email);

    const refreshed = await call<CognitoUserSession>((cb) => user.refreshSession(session.getRefreshToken(), cb));
    expect(refreshed.getAccessToken().getJwtToken()).not.toBe(session.getAccessToken().getJwtToken());
    expect(refreshed.getAccessToken().decodePayload().origin_jti).toBe(session.getAccessToken().decodePayload().origin_jti);

    await call((cb) => user.globalSignOut({ onSuccess: (m) => cb(null, m), onFailure: (e) => cb(e) }));
    const stale = new CognitoUser({ Username: email, Pool: pool });
    stale.setSignInUserSession(refreshed);
    await expect(call((cb) => stale.getUserAttributes(cb))).rejects.toMatchObject({ code: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    await expect(call((cb) => stale.refreshSession(session.getRefreshToken(), cb))).rejects.toMatchObject({ code: 'NotAuthorizedException' });
  });
});
