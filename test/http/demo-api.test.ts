import { generateKeyPairSync, sign } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import {
  AdminConfirmSignUpCommand, CreateUserPoolClientCommand, InitiateAuthCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApiRoutes } from '../../src/http/demo-api.js';
import { ensureDemoBuilt } from '../helpers/demo-build.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/** The demo's ride API (POST /demo/api/ride) and the site's generated config, on the real server with the demo pool. */

const PASSWORD = 'Wild-Rydes-1';
const CSP =
  "default-src 'self';script-src 'self';connect-src 'self' {origin};style-src 'self';img-src 'self' data:;frame-ancestors 'none';" +
  "base-uri 'self';form-action 'self';object-src 'none'";

interface Tokens {
  id: string;
  access: string;
}

let server: TestServer;
let poolId: string;
let clientId: string;
let tokens: Tokens;
const email = 'api-rider@example.com';

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
const part = (token: string, i: 0 | 1) => JSON.parse(Buffer.from(token.split('.')[i]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/** Public USER_PASSWORD_AUTH (the demo client allows it; works while the server clock is moved). */
async function signIn(client: string, username: string): Promise<Tokens> {
  const out = await server.sdk.send(
    new InitiateAuthCommand({ ClientId: client, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }),
  );
  return { id: out.AuthenticationResult!.IdToken!, access: out.AuthenticationResult!.AccessToken! };
}

/** SignUp with the SDK, AdminConfirmSignUp, then sign in. */
async function newRider(pool: string, client: string, username: string): Promise<Tokens> {
  await server.sdk.send(new SignUpCommand({ ClientId: client, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: username }] }));
  await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: username }));
  return signIn(client, username);
}

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** POST /demo/api/ride, its JSON answer read in full (an unread body would hold the socket open at stop()). */
async function ride(authorization?: string, body: string | undefined = JSON.stringify({ PickupLocation: { Latitude: 47.6, Longitude: -122.3 } })): Promise<Answer> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(`${server.url}/demo/api/ride`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function expectRefused(authorization: string | undefined, message?: RegExp) {
  const res = await ride(authorization);
  const body = res.body;
  expect(res.status, `${authorization?.slice(0, 60)} → ${JSON.stringify(body)}`).toBe(401);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  expect(body).toEqual({ message: expect.any(String) });
  if (message) expect(body.message).toMatch(message);
}

beforeAll(async () => {
  ensureDemoBuilt();
  server = await startTestServer({ demo: 'on' });
  ({ poolId, clientId } = server.demo!);
  tokens = await newRider(poolId, clientId, email);
});
afterAll(async () => server?.stop());

describe('POST /demo/api/ride', () => {
  it('sends a unicorn to the holder of a genuine ID token, bare (as the workshop sends it) or as Bearer', async () => {
    const first = await ride(tokens.id);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const answer = first.body;
    expect(answer).toEqual({
      RideId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      Unicorn: { Name: expect.any(String), Color: expect.any(String), Gender: expect.stringMatching(/^(Male|Female)$/) },
      UnicornName: (answer.Unicorn as { Name: string }).Name,
      Eta: '30 seconds',
      Rider: email,
    });
    for (const authorization of [`Bearer ${tokens.id}`, `bearer ${tokens.id}`]) {
      const again = await ride(authorization);
      expect(again.status).toBe(200);
      expect(again.body.Rider).toBe(email);
      expect(again.body.RideId).not.toBe(answer.RideId);
    }
    // No body at all is fine too: the pickup is not required.
    expect((await ride(tokens.id, undefined)).status).toBe(200);
  });

  it('refuses a request without a token, before reading its body', async () => {
    await expectRefused(undefined, /Authorization/);
    await expectRefused('Bearer ');
    const res = await ride(undefined, '{not json');
    expect(res.status).toBe(401);
  });

  it('refuses garbage', async () => {
    for (const junk of ['garbage', 'Bearer garbage', 'a.b.c', 'eyJhbGciOiJSUzI1NiJ9.e30.', `${tokens.id}x.y`, tokens.id.split('.').slice(0, 2).join('.')]) {
      await expectRefused(junk);
    }
  });

  it('refuses alg none, with or without the pool kid', async () => {
    const kid = part(tokens.id, 0).kid as string;
    const body = tokens.id.split('.')[1];
    await expectRefused(`${b64({ kid, alg: 'none' })}.${body}.`);
    await expectRefused(`${b64({ alg: 'none', typ: 'JWT' })}.${body}.`);
  });

  it("refuses a token signed by another key under the pool's kid, and a tampered payload", async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const input = `${b64(part(tokens.id, 0))}.${b64({ ...part(tokens.id, 1), email: 'mallory@example.com' })}`;
    await expectRefused(`${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`, /signature/);
    await expectRefused(`${input}.${tokens.id.split('.')[2]}`, /signature/);
  });

  it('refuses an access token (token_use access)', async () => {
    await expectRefused(tokens.access, /Not an ID token \(token_use is "access"\)/);
    await expectRefused(`Bearer ${tokens.access}`, /Not an ID token/);
  });

  it('refuses an ID token of another pool, and one re-labelled with this pool as issuer', async () => {
    const other = await createWorkshopPool(server);
    const foreign = await newRider(other.poolId, other.clientId, email);
    await expectRefused(foreign.id, /not issued by this site's user pool/);
    const [h, , s] = foreign.id.split('.');
    await expectRefused(`${h}.${b64({ ...part(foreign.id, 1), iss: part(tokens.id, 1).iss, aud: clientId })}.${s}`, /signature/);
  });

  it('refuses an ID token issued to another app client of the same pool', async () => {
    const client = await server.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'OtherApp', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    const otherApp = await signIn(client.UserPoolClient!.ClientId!, email);
    await expectRefused(otherApp.id, /another app client/);
  });

  // Last: it moves the server clock for good.
  it('refuses an ID token expired by the server clock, and accepts one issued after', async () => {
    const fresh = await signIn(clientId, email);
    expect((await ride(fresh.id)).status).toBe(200);
    server.advance(2 * 3600_000);
    await expectRefused(fresh.id, /expired/);
    const later = await signIn(clientId, email);
    expect((await ride(later.id)).status).toBe(200);
  });
});

describe('the demo site', () => {
  it('GET /js/config.js is the workshop config for the demo pool, pointing at this server', async () => {
    const res = await fetch(`${server.url}/js/config.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const window: { _config?: unknown } = {};
    runInNewContext(await res.text(), { window });
    expect(window._config).toEqual({
      cognito: { userPoolId: poolId, userPoolClientId: clientId, region: 'us-east-1', endpoint: `${server.url}/` },
      api: { invokeUrl: `${server.url}/demo/api` },
    });
  });

  it('serves the landing page at / under a strict CSP, and the other pages, styles and bundle', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toBe(CSP.replace('{origin}', server.url));
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).toContain('<body data-page="home">');
    expect(html).toContain('<script src="/js/config.js" defer></script>');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    const files = { '/register.html': 'text/html', '/verify.html': 'text/html', '/signin.html': 'text/html', '/ride.html': 'text/html',
      '/styles.css': 'text/css', '/app.js': '(text|application)/javascript', '/unicorn.svg': 'image/svg\\+xml' };
    for (const [path, type] of Object.entries(files)) {
      const page = await fetch(`${server.url}${path}`);
      const bytes = (await page.arrayBuffer()).byteLength; // read before asserting: an unread body holds the socket
      expect([page.status, bytes > 0], path).toEqual([200, true]);
      expect(page.headers.get('content-type'), path).toMatch(new RegExp(`^${type}`));
      expect(page.headers.get('content-security-policy'), path).toBeTruthy();
    }
    expect((await fetch(`${server.url}/`, { method: 'HEAD' })).status).toBe(200);
    const missing = await fetch(`${server.url}/no-such-page.html`);
    await missing.arrayBuffer();
    expect(missing.status).toBe(404);
  });

  it('leaves POST / to the Cognito API, without the site headers', async () => {
    const res = await fetch(`${server.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    const body = (await res.json()) as { __type: string };
    expect(res.headers.get('content-type')).toMatch(/^application\/x-amz-json-1\.1/);
    expect(body.__type).toMatch(/Exception$/);
    expect(res.headers.get('content-security-policy')).toBeNull();
    const jwks = await fetch(`${server.url}/${poolId}/.well-known/jwks.json`);
    await jwks.json();
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get('content-security-policy')).toBeNull();
  });
});

describe('without a site pool', () => {
  it('the ride API answers 503', async () => {
    const app = Fastify();
    await app.register(demoApiRoutes({ siteIds: async () => undefined, issuerFor: (id) => `http://x/${id}`, jwks: async () => undefined }));
    const res = await app.inject({ method: 'POST', url: '/demo/api/ride', headers: { authorization: 'x.y.z' } });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ message: 'The demo site has no user pool.' });
    await app.close();
  });
});
