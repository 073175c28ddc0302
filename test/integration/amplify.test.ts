import { AdminGetUserCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import {
  confirmSignUp, fetchAuthSession, fetchUserAttributes, getCurrentUser, signIn, signOut, signUp,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * In Node, Amplify falls back to an in-memory key-value store (no window.localStorage). We hand it an
 * equally in-memory store of our own, through its public setKeyValueStorage, so the test can read the
 * refresh token (fetchAuthSession does not expose it) and see that signOut clears the tokens.
 */
class MapStorage {
  readonly items = new Map<string, string>();
  async setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  async getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  async removeItem(key: string) {
    this.items.delete(key);
  }
  async clear() {
    this.items.clear();
  }
  find(suffix: string): string | undefined {
    for (const [k, v] of this.items) if (k.endsWith(`.${suffix}`)) return v;
    return undefined;
  }
}

let server: TestServer;
let poolId: string;
let clientId: string;
const storage = new MapStorage();

/** "Operation:status" of every API call the server answered, in order (from its structured logs). */
const targets = () =>
  server.logs.filter((l) => l.msg === 'api call').map((l) => `${String(l.operation)}:${String(l.status)}`);

beforeAll(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createWorkshopPool(server));
  Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: `${server.url}/` } } });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
});
afterAll(async () => server?.stop());

describe('Amplify v6 against Cognate', () => {
  const email = 'amplify-rider@example.com';
  const password = 'Wild-Rydes-1';

  it('an unconfirmed user signing in is sent to CONFIRM_SIGN_UP', async () => {
    const lazy = 'lazy-rider@example.com';
    const up = await signUp({ username: lazy, password, options: { userAttributes: { email: lazy } } });
    expect(up.isSignUpComplete).toBe(false);
    expect(up.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');

    const seen = targets().length;
    const result = await signIn({ username: lazy, password });
    // SRP runs to the end; the server reports the state only after the password proof.
    expect(targets().slice(seen)).toEqual(['InitiateAuth:200', 'RespondToAuthChallenge:400']);
    expect(result.isSignedIn).toBe(false);
    expect(result.nextStep.signInStep).toBe('CONFIRM_SIGN_UP');
    expect(storage.items.size).toBe(0);
  });

  it('signs up, confirms with the mailed code, signs in with SRP, refreshes and signs out', async () => {
    const up = await signUp({ username: email, password, options: { userAttributes: { email } } });
    expect(up.isSignUpComplete).toBe(false);
    expect(up.nextStep).toMatchObject({ signUpStep: 'CONFIRM_SIGN_UP', codeDeliveryDetails: { deliveryMedium: 'EMAIL', attributeName: 'email' } });
    expect(up.userId).toMatch(/^[0-9a-f-]{36}$/);
    const sub = up.userId!;

    const code = await server.smtp.codeFor(email);
    expect(code).toMatch(/^\d{6}$/);
    const confirmed = await confirmSignUp({ username: email, confirmationCode: code });
    expect(confirmed.isSignUpComplete).toBe(true);
    expect(confirmed.nextStep.signUpStep).toBe('DONE');
    const admin = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(admin.UserStatus).toBe('CONFIRMED');

    await expect(signIn({ username: email, password: 'Wrong-Password-1' })).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Incorrect username or password.',
    });
    expect(storage.items.size).toBe(0);

    const seen = targets().length;
    const result = await signIn({ username: email, password });
    expect(targets().slice(seen)).toEqual(['InitiateAuth:200', 'RespondToAuthChallenge:200']);
    expect(result.isSignedIn).toBe(true);
    expect(result.nextStep.signInStep).toBe('DONE');

    const current = await getCurrentUser();
    expect(current.username).toBe(sub);
    expect(current.userId).toBe(sub);
    expect(current.signInDetails).toMatchObject({ loginId: email, authFlowType: 'USER_SRP_AUTH' });

    const attributes = await fetchUserAttributes();
    expect(attributes).toMatchObject({ email, email_verified: 'true', sub });

    const session = await fetchAuthSession();
    const access = session.tokens?.accessToken;
    const id = session.tokens?.idToken;
    expect(access?.payload).toMatchObject({ token_use: 'access', client_id: clientId, username: sub, sub, scope: 'aws.cognito.signin.user.admin' });
    expect(id?.payload).toMatchObject({ token_use: 'id', aud: clientId, email, email_verified: true, 'cognito:username': sub });
    expect(session.userSub).toBe(sub);
    const refreshToken = storage.find('refreshToken');
    expect(refreshToken).toMatch(/^[A-Za-z0-9_=.-]{20,}$/);

    const refreshed = await fetchAuthSession({ forceRefresh: true });
    const newAccess = refreshed.tokens?.accessToken;
    expect(newAccess?.toString()).toBeTruthy();
    expect(newAccess?.toString()).not.toBe(access?.toString());
    expect(newAccess?.payload.jti).not.toBe(access?.payload.jti);
    expect(newAccess?.payload.origin_jti).toBe(access?.payload.origin_jti);
    expect(refreshed.tokens?.idToken?.toString()).not.toBe(id?.toString());
    // No rotation configured: the same refresh token is kept, and Amplify used the newer operation.
    expect(storage.find('refreshToken')).toBe(refreshToken);
    expect(targets()).toContain('GetTokensFromRefreshToken:200');
    // The refreshed access token works against the API.
    expect(await fetchUserAttributes()).toMatchObject({ email });

    await signOut();
    expect(targets()).toContain('RevokeToken:200');
    expect(storage.items.size).toBe(0);
    await expect(getCurrentUser()).rejects.toMatchObject({ name: 'UserUnAuthenticatedException' });
    expect((await fetchAuthSession()).tokens).toBeUndefined();

    await expect(
      server.sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: refreshToken! } })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
  });
});
