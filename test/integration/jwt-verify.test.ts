import { createHmac, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import {
  AdminInitiateAuthCommand, ConfirmSignUpCommand, GetUserCommand, InitiateAuthCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { SimpleJwksCache, type Jwks } from 'aws-jwt-verify/jwk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

interface Tokens {
  access: string;
  id: string;
}
interface PoolHandle {
  server: TestServer;
  poolId: string;
  clientId: string;
}

const PASSWORD = 'Wild-Rydes-1';

const part = (token: string, i: 0 | 1) => JSON.parse(Buffer.from(token.split('.')[i]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const header = (token: string) => part(token, 0);
const claims = (token: string) => part(token, 1);
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Signs up (with the mailed code, so email_verified is true) and signs in with ADMIN_USER_PASSWORD_AUTH. */
async function registerAndSignIn({ server, poolId, clientId }: PoolHandle, email: string): Promise<Tokens> {
  const before = server.smtp.messages.length;
  await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));
  const code = await server.smtp.codeFor(email, before);
  await server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }));
  return signIn({ server, poolId, clientId }, email);
}

async function signIn({ server, poolId, clientId }: PoolHandle, email: string): Promise<Tokens> {
  const out = await server.admin.send(
    new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }),
  );
  return { access: out.AuthenticationResult!.AccessToken!, id: out.AuthenticationResult!.IdToken! };
}

async function getJwks(server: TestServer, poolId: string): Promise<Jwks & { keys: Record<string, string>[] }> {
  const res = await fetch(`${server.url}/${poolId}/.well-known/jwks.json`);
  expect(res.status).toBe(200);
  return (await res.json()) as Jwks & { keys: Record<string, string>[] };
}

let a: PoolHandle;
let tokens: Tokens;
let sub: string;
const email = 'verify-rider@example.com';

beforeAll(async () => {
  const server = await startTestServer();
  a = { server, ...(await createWorkshopPool(server)) };
  tokens = await registerAndSignIn(a, email);
  sub = claims(tokens.access).sub as string;
});
afterAll(async () => a?.server.stop());

describe('token contents', () => {
  it('ID token carries the Cognito claims', () => {
    const id = claims(tokens.id);
    expect(id).toMatchObject({
      sub, iss: `${a.server.url}/${a.poolId}`, aud: a.clientId, token_use: 'id', 'cognito:username': sub, email, email_verified: true,
    });
    expect(id.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    for (const name of ['auth_time', 'exp', 'iat'] as const) expect(Number.isInteger(id[name])).toBe(true);
    expect(id.exp).toBe((id.iat as number) + 3600);
    expect(Math.abs((id.iat as number) - Date.now() / 1000)).toBeLessThan(60);
    for (const name of ['jti', 'origin_jti', 'event_id'] as const) expect(id[name]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('access token carries client_id, the user-admin scope and no aud', () => {
    const access = claims(tokens.access);
    const id = claims(tokens.id);
    expect(access).toMatchObject({
      sub, iss: `${a.server.url}/${a.poolId}`, client_id: a.clientId, token_use: 'access', scope: 'aws.cognito.signin.user.admin', username: sub,
    });
    expect(access).not.toHaveProperty('aud');
    expect(access).not.toHaveProperty('email');
    expect(access.exp).toBe((access.iat as number) + 3600);
    expect(access.auth_time).toBe(id.auth_time);
    expect(access.origin_jti).toBe(id.origin_jti);
    expect(access.event_id).toBe(id.event_id);
    expect(access.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(access.jti).not.toBe(id.jti);
  });

  it('headers name RS256 and two different kids, both published in the JWKS', async () => {
    const h1 = header(tokens.id);
    const h2 = header(tokens.access);
    expect(h1).toEqual({ kid: expect.any(String), alg: 'RS256' });
    expect(h2).toEqual({ kid: expect.any(String), alg: 'RS256' });
    expect(h1.kid).not.toBe(h2.kid);
    const jwks = await getJwks(a.server, a.poolId);
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual([h1.kid, h2.kid].sort());
    for (const k of jwks.keys) {
      expect(k).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
      expect(Buffer.from(k.n!, 'base64url').length).toBe(256);
      expect(k).not.toHaveProperty('d');
    }
  });
});

describe('aws-jwt-verify with the default (URL) issuer', () => {
  const fetched: string[] = [];
  const jwksCache = () =>
    new SimpleJwksCache({
      fetcher: {
        // The library's own fetcher speaks https only; Cognate in the test is plain http.
        async fetch(uri) {
          fetched.push(uri);
          const res = await fetch(uri);
          if (!res.ok) throw new Error(`JWKS fetch failed: ${res.status}`);
          return res.arrayBuffer();
        },
      },
    });
  const verifierFor = (tokenUse: 'id' | 'access') =>
    JwtVerifier.create(
      {
        issuer: `${a.server.url}/${a.poolId}`,
        audience: null,
        customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse, clientId: a.clientId }),
      },
      { jwksCache: jwksCache() },
    );

  it('verifies the ID token and the access token through the JWKS it fetches', async () => {
    const idPayload = await verifierFor('id').verify(tokens.id);
    expect(idPayload).toMatchObject({ token_use: 'id', aud: a.clientId, sub });
    const accessPayload = await verifierFor('access').verify(tokens.access);
    expect(accessPayload).toMatchObject({ token_use: 'access', client_id: a.clientId, sub });
    expect(fetched).toEqual([`${a.server.url}/${a.poolId}/.well-known/jwks.json`, `${a.server.url}/${a.poolId}/.well-known/jwks.json`]);
  });

  it('refuses the wrong token use, a tampered payload and a wrong client', async () => {
    await expect(verifierFor('access').verify(tokens.id)).rejects.toThrow(/Token use not allowed: id/);
    const [h, , s] = tokens.access.split('.');
    const forged = `${h}.${b64({ ...claims(tokens.access), username: 'someone-else' })}.${s}`;
    await expect(verifierFor('access').verify(forged)).rejects.toThrow(/Invalid signature/);
    const other = JwtVerifier.create(
      { issuer: `${a.server.url}/${a.poolId}`, audience: null, customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: 'access', clientId: 'another-client' }) },
      { jwksCache: jwksCache() },
    );
    await expect(other.verify(tokens.access)).rejects.toThrow(/Client ID not allowed/);
  });
});

describe('aws-jwt-verify CognitoJwtVerifier with issuerStyle aws', () => {
  let b: PoolHandle;
  let awsTokens: Tokens;

  beforeAll(async () => {
    const server = await startTestServer({ issuerStyle: 'aws' });
    b = { server, ...(await createWorkshopPool(server)) };
    awsTokens = await registerAndSignIn(b, 'aws-rider@example.com');
  });
  afterAll(async () => b?.server.stop());

  it('verifies the access token and refuses an ID token', async () => {
    expect(b.poolId).toMatch(/^us-east-1_[A-Za-z0-9]+$/);
    expect(claims(awsTokens.access).iss).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${b.poolId}`);
    const verifier = CognitoJwtVerifier.create({ userPoolId: b.poolId, tokenUse: 'access', clientId: b.clientId });
    verifier.cacheJwks(await getJwks(b.server, b.poolId));
    const payload = await verifier.verify(awsTokens.access);
    expect(payload).toMatchObject({ token_use: 'access', client_id: b.clientId, username: claims(awsTokens.access).username });
    await expect(verifier.verify(awsTokens.id)).rejects.toThrow(/Token use not allowed: id\. Expected: access/);

    const idVerifier = CognitoJwtVerifier.create({ userPoolId: b.poolId, tokenUse: 'id', clientId: b.clientId });
    idVerifier.cacheJwks(await getJwks(b.server, b.poolId));
    expect(await idVerifier.verify(awsTokens.id)).toMatchObject({ token_use: 'id', aud: b.clientId, email_verified: true });
  });

  it('the API accepts the aws-style access token on its own server', async () => {
    const out = await b.server.sdk.send(new GetUserCommand({ AccessToken: awsTokens.access }));
    expect(out.Username).toBe(claims(awsTokens.access).username);
  });

  it("GetUser on the first server refuses this server's token (another pool)", async () => {
    await expect(a.server.sdk.send(new GetUserCommand({ AccessToken: awsTokens.access }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Invalid Access Token',
    });
  });
});

describe('GetUser refuses bad access tokens', () => {
  const refuse = (token: string, message = 'Invalid Access Token') =>
    expect(a.server.sdk.send(new GetUserCommand({ AccessToken: token }))).rejects.toMatchObject({ name: 'NotAuthorizedException', message });
  const accessKid = () => header(tokens.access).kid as string;
  const body = () => tokens.access.split('.')[1]!;

  it('accepts the genuine token (baseline)', async () => {
    const out = await a.server.sdk.send(new GetUserCommand({ AccessToken: tokens.access }));
    expect(out.Username).toBe(sub);
    expect(out.UserAttributes).toContainEqual({ Name: 'email', Value: email });
  });

  it('alg none', async () => {
    await refuse(`${b64({ kid: accessKid(), alg: 'none' })}.${body()}.`);
    await refuse(`${b64({ alg: 'none', typ: 'JWT' })}.${body()}.`);
  });

  it('HS256 keyed with the pool public key', async () => {
    const jwks = await getJwks(a.server, a.poolId);
    const jwk = jwks.keys.find((k) => k.kid === accessKid())!;
    const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    const input = `${b64({ kid: accessKid(), alg: 'HS256' })}.${body()}`;
    for (const secret of [pem, jwk.n!, Buffer.from(jwk.n!, 'base64url'), JSON.stringify(jwk)]) {
      await refuse(`${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`);
    }
  });

  it("a fresh RSA key using the pool's kid", async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const input = `${b64({ kid: accessKid(), alg: 'RS256' })}.${body()}`;
    await refuse(`${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`);
  });

  it('a tampered payload (other username, original signature)', async () => {
    const other = await registerAndSignIn(a, 'other-rider@example.com');
    const otherUser = claims(other.access);
    const [h, , s] = tokens.access.split('.');
    await refuse(`${h}.${b64({ ...claims(tokens.access), username: otherUser.username })}.${s}`);
    await refuse(`${h}.${b64({ ...claims(tokens.access), username: otherUser.username, sub: otherUser.sub })}.${s}`);
    await refuse(`${h}.${b64({ ...claims(tokens.access), exp: (claims(tokens.access).exp as number) + 86_400 })}.${s}`);
  });

  it('an ID token instead of an access token', async () => {
    await refuse(tokens.id);
    // Even with token_use rewritten, the ID key's signature does not make an access token.
    const [h, , s] = tokens.id.split('.');
    await refuse(`${h}.${b64({ ...claims(tokens.id), token_use: 'access' })}.${s}`);
  });

  it('a token from another pool of the same server, or re-labelled with this pool as issuer', async () => {
    const ids = await createWorkshopPool(a.server);
    const otherPool: PoolHandle = { server: a.server, ...ids };
    const foreign = await registerAndSignIn(otherPool, email);
    // Its own pool accepts it; it names its own user, not ours.
    const own = await a.server.sdk.send(new GetUserCommand({ AccessToken: foreign.access }));
    expect(own.Username).toBe(claims(foreign.access).username);
    expect(own.Username).not.toBe(sub);
    const [h, , s] = foreign.access.split('.');
    await refuse(`${h}.${b64({ ...claims(foreign.access), iss: `${a.server.url}/${a.poolId}` })}.${s}`);
    await refuse(`${h}.${b64({ ...claims(foreign.access), iss: `${a.server.url}/${a.poolId}`, username: sub, sub })}.${s}`);
    // This pool's kid on the other pool's signature.
    await refuse(`${b64({ kid: accessKid(), alg: 'RS256' })}.${foreign.access.split('.')[1]}.${s}`);
  });

  it('garbage', async () => {
    for (const junk of ['garbage', 'a.b.c', 'eyJhbGciOiJSUzI1NiJ9.e30.', `${tokens.access}x.y`, tokens.access.split('.').slice(0, 2).join('.')]) {
      await refuse(junk);
    }
  });

  it('an expired token', async () => {
    const fresh = await signIn(a, email);
    expect((await a.server.sdk.send(new GetUserCommand({ AccessToken: fresh.access }))).Username).toBe(sub);
    a.server.advance(2 * 3600_000);
    await refuse(fresh.access, 'Access Token has expired');
    // A sign-in after the clock moved gives a token that works again. (Public InitiateAuth: the admin
    // client's SigV4 date is now 2 h behind the server's clock and would be refused as expired.)
    const later = await a.server.sdk.send(
      new InitiateAuthCommand({ ClientId: a.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }),
    );
    expect((await a.server.sdk.send(new GetUserCommand({ AccessToken: later.AuthenticationResult!.AccessToken! }))).Username).toBe(sub);
  });
});
