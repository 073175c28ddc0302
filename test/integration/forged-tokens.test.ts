import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  AdminConfirmSignUpCommand, AdminGetUserCommand, InitiateAuthCommand, RevokeTokenCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL, shapeOf } from '../../src/api/model/model.js';
import { OPERATIONS } from '../../src/api/operations/index.js';
import { signJwt } from '../../src/crypto/jwt.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Every operation that takes an access token refuses every kind of forged or unusable token — alg none,
 * HS256 keyed with the pool's public key, an unknown kid, another pool's key, expired, not yet valid, an
 * ID token, a missing scope, a tampered payload, a revoked token — with NotAuthorizedException, and
 * changes nothing. A refresh token is refused after its revocation.
 */
let server: TestServer;
let poolId: string;
let clientId: string;
let otherPoolId: string;
const EMAIL = 'forgery-target@example.com';
const PASSWORD = 'Forged-Tokens-1';

/** The served operations whose input carries an AccessToken (from the model, so a new one is covered at once). */
const ACCESS_TOKEN_OPERATIONS = OPERATIONS.map((op) => op.name).filter((name) => {
  const input = MODEL.operations[name]?.input;
  return input !== null && input !== undefined && 'AccessToken' in (shapeOf(input).members ?? {});
});

/** The rest of a well-formed request for each of them. */
const REST: Record<string, Record<string, unknown>> = {
  ChangePassword: { PreviousPassword: PASSWORD, ProposedPassword: 'Forged-Tokens-2' },
  DeleteUser: {},
  DeleteUserAttributes: { UserAttributeNames: ['name'] },
  GetUser: {},
  GetUserAttributeVerificationCode: { AttributeName: 'email' },
  GlobalSignOut: {},
  SetUserSettings: { MFAOptions: [] },
  UpdateUserAttributes: { UserAttributes: [{ Name: 'name', Value: 'Mallory' }] },
  VerifyUserAttribute: { AttributeName: 'email', Code: '123456' },
};

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
const partOf = (jwt: string, i: number) => JSON.parse(Buffer.from(jwt.split('.')[i]!, 'base64url').toString()) as Record<string, unknown>;

async function call(operation: string, input: Record<string, unknown>): Promise<{ status: number; type?: string; message?: string }> {
  const res = await fetch(`${server.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { __type?: string; message?: string };
  return { status: res.status, type: body.__type, message: body.message };
}

async function signIn(): Promise<{ AccessToken: string; RefreshToken: string }> {
  const out = await server.sdk.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: EMAIL, PASSWORD } }),
  );
  return out.AuthenticationResult as { AccessToken: string; RefreshToken: string };
}

/** A pool's current access-signing key, read from the store (the test runs the server in its process). */
async function accessKey(pool: string): Promise<{ kid: string; key: KeyObject; publicPem: string }> {
  const keys = (await server.store.keys.list(pool)).filter((k) => k.use === 'access');
  const k = keys.at(-1)!;
  const key = createPrivateKey(k.privateKeyPem);
  return { kid: k.kid, key, publicPem: createPublicKey(key).export({ format: 'pem', type: 'spki' }).toString() };
}

let genuine: string;
const forgeries: { label: string; token: () => Promise<string> }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createWorkshopPool(server));
  ({ poolId: otherPoolId } = await createWorkshopPool(server));
  await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: EMAIL, Password: PASSWORD }));
  await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: EMAIL }));
  genuine = (await signIn()).AccessToken;
  const claims = partOf(genuine, 1);
  const header = partOf(genuine, 0);
  const now = Math.floor(Date.now() / 1000);
  const own = await accessKey(poolId);
  const other = await accessKey(otherPoolId);
  const mint = (over: Record<string, unknown>, key = own) => signJwt({ ...claims, ...over }, key.kid, key.key);
  forgeries.push(
    { label: 'alg none', token: async () => `${b64({ kid: header.kid, alg: 'none' })}.${genuine.split('.')[1]}.` },
    {
      label: 'HS256 keyed with the public key',
      token: async () => {
        const data = `${b64({ kid: header.kid, alg: 'HS256' })}.${genuine.split('.')[1]}`;
        return `${data}.${createHmac('sha256', own.publicPem).update(data).digest('base64url')}`;
      },
    },
    {
      label: 'an unknown kid',
      token: async () => signJwt(claims, 'unknown-kid', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey),
    },
    { label: "another pool's key (same kid header as that pool)", token: async () => mint({}, other) },
    { label: 'expired', token: async () => mint({ iat: now - 7200, exp: now - 3600 }) },
    { label: 'not yet valid (issued an hour ahead)', token: async () => mint({ iat: now + 3600, exp: now + 7200 }) },
    { label: 'not valid before (nbf) an hour ahead', token: async () => mint({ nbf: now + 3600 }) },
    { label: "token_use 'id'", token: async () => mint({ token_use: 'id' }) },
    { label: 'without the user-admin scope', token: async () => mint({ scope: 'openid' }) },
    {
      label: 'a tampered payload (other username, original signature)',
      token: async () => {
        const [h, , s] = genuine.split('.');
        return `${h}.${b64({ ...claims, username: 'someone-else' })}.${s}`;
      },
    },
    {
      label: 'revoked (its refresh token revoked)',
      token: async () => {
        const t = await signIn();
        await server.sdk.send(new RevokeTokenCommand({ ClientId: clientId, Token: t.RefreshToken }));
        return t.AccessToken;
      },
    },
  );
}, 60_000);
afterAll(async () => server?.stop());

describe('forged and unusable access tokens', () => {
  it('covers every served operation that takes an access token', () => {
    expect(ACCESS_TOKEN_OPERATIONS.length).toBeGreaterThanOrEqual(9);
    expect(ACCESS_TOKEN_OPERATIONS.filter((name) => !(name in REST))).toEqual([]);
  });

  it('the genuine token is accepted (baseline)', async () => {
    expect((await call('GetUser', { AccessToken: genuine })).status).toBe(200);
  });

  it('refuses each forgery on every access-token operation, and nothing changes', async () => {
    const before = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: EMAIL }));
    const accepted: string[] = [];
    for (const forgery of forgeries) {
      const token = await forgery.token();
      for (const operation of ACCESS_TOKEN_OPERATIONS) {
        const res = await call(operation, { ...REST[operation], AccessToken: token });
        if (res.status !== 400 || res.type !== 'NotAuthorizedException') accepted.push(`${forgery.label} → ${operation}: ${res.status} ${res.type} ${res.message}`);
      }
    }
    expect(accepted).toEqual([]);
    const after = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: EMAIL }));
    expect(after.UserAttributes).toEqual(before.UserAttributes);
    expect(after.UserStatus).toBe('CONFIRMED');
    // The password was not changed by any forged ChangePassword.
    expect((await signIn()).AccessToken).toBeTruthy();
  });

  it('refuses a refresh token after its revocation', async () => {
    const t = await signIn();
    await server.sdk.send(new RevokeTokenCommand({ ClientId: clientId, Token: t.RefreshToken }));
    await expect(
      server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: t.RefreshToken } })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });
});
