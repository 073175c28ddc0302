import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  AdminConfirmSignUpCommand, AdminDisableUserCommand, AdminEnableUserCommand, AdminGetUserCommand, AdminInitiateAuthCommand,
  CognitoIdentityProviderClient, ConfirmSignUpCommand, DescribeUserPoolClientCommand, DescribeUserPoolCommand, ListUsersCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import Fastify from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../src/api/dispatch.js';
import { loadConfig } from '../../src/config/load-config.js';
import { Sealer } from '../../src/crypto/seal.js';
import { policyViolation } from '../../src/domain/password-policy.js';
import { DEFAULT_PASSWORD_POLICY } from '../../src/domain/settings.js';
import { consoleRoutes } from '../../src/http/console/console-routes.js';
import { startServer } from '../../src/server.js';
import { ADMIN, CONSOLE_ADMIN, createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/** The console's server side without a browser: fetch with the cookie handled by hand. */
let server: TestServer;
let api: string;

interface ConsoleConfig {
  endpoint: string;
  userPoolId: string;
  clientId: string;
  region: string;
  outbox: boolean;
}

beforeAll(async () => {
  server = await startTestServer();
  api = `${server.url}/console/api`;
});
afterAll(async () => server?.stop());

/** SRP sign-in with amazon-cognito-identity-js, as the console's login page does. */
function srpSignIn(config: { endpoint: string; userPoolId: string; clientId: string }, username: string, password: string): Promise<CognitoUserSession> {
  const pool = new CognitoUserPool({ UserPoolId: config.userPoolId, ClientId: config.clientId, endpoint: config.endpoint });
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), { onSuccess: resolve, onFailure: reject }),
  );
}

async function consoleConfig(base = server.url): Promise<ConsoleConfig> {
  return (await (await fetch(`${base}/console/api/config`)).json()) as ConsoleConfig;
}

async function adminIdToken(): Promise<string> {
  return (await srpSignIn(await consoleConfig(), CONSOLE_ADMIN.username, CONSOLE_ADMIN.password)).getIdToken().getJwtToken();
}

const postSession = (idToken: string, headers: Record<string, string> = {}) =>
  fetch(`${api}/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ idToken }) });

/** The cookie pair (name=value) of a Set-Cookie answer, and its attributes. */
function sessionCookie(res: Response): { pair: string; attributes: string[] } {
  const header = res.headers.getSetCookie().find((c) => c.startsWith('cognate_console='));
  expect(header, 'a cognate_console cookie').toBeDefined();
  const [pair, ...attributes] = header!.split(';').map((s) => s.trim());
  return { pair: pair!, attributes };
}

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(): Promise<Session> {
  const res = await postSession(await adminIdToken());
  expect(res.status).toBe(200);
  const body = (await res.json()) as { username: string; csrfToken: string };
  return { cookie: sessionCookie(res).pair, csrf: body.csrfToken };
}

const call = (s: Partial<Session>, operation: string, input: object = {}, csrf = s.csrf) =>
  fetch(`${api}/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(s.cookie ? { cookie: s.cookie } : {}), ...(csrf !== undefined ? { 'x-csrf-token': csrf } : {}) },
    body: JSON.stringify({ operation, input }),
  });

describe('GET /console/api/config', () => {
  it('names the console pool and client and the endpoint to sign in at; same-origin: no CORS, not cached', async () => {
    const res = await fetch(`${api}/config`, { headers: { origin: 'https://elsewhere.example' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ endpoint: `${server.url}/`, userPoolId: server.console.poolId, clientId: server.console.clientId, region: 'us-east-1', outbox: false });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('fails other sites’ CORS preflights (the console API is same-origin only)', async () => {
    const res = await fetch(`${api}/call`, {
      method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-csrf-token' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    // The Cognito API itself still answers preflights from anywhere.
    const cognito = await fetch(`${server.url}/`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
    expect(cognito.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });
});

describe('the console pool (first-start seed)', () => {
  it('has case-insensitive usernames, no self sign-up, deletion protection, and an SRP client without secret', async () => {
    const pool = (await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: server.console.poolId }))).UserPool!;
    expect(pool.Name).toBe('cognate-console');
    expect(pool.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly).toBe(true);
    expect(pool.DeletionProtection).toBe('ACTIVE');
    const client = (await server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: server.console.poolId, ClientId: server.console.clientId })))
      .UserPoolClient!;
    expect(client.ClientName).toBe('cognate-console');
    expect(client.ClientSecret).toBeUndefined();
    expect([...client.ExplicitAuthFlows!].sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
    expect(client.PreventUserExistenceErrors).toBe('ENABLED');
    const users = await server.admin.send(new ListUsersCommand({ UserPoolId: server.console.poolId }));
    expect(users.Users!.map((u) => [u.Username, u.UserStatus, u.Enabled])).toEqual([['admin', 'CONFIRMED', true]]);

    await expect(
      server.sdk.send(new SignUpCommand({ ClientId: server.console.clientId, Username: 'intruder', Password: 'Intruder-Pass-1' })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'SignUp is not permitted for this user pool' });
    // Case-insensitive: ADMIN is admin.
    const session = await srpSignIn(await consoleConfig(), 'ADMIN', CONSOLE_ADMIN.password);
    expect(session.getIdToken().decodePayload()['cognito:username']).toBe('admin');
  });

  it('a second start on the same database reuses the pool and the administrator; a generated password is returned once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognate-console-seed-'));
    const logs = new Writable({ write: (_c, _e, cb) => cb() });
    const config = loadConfig({}, {
      port: 0, databaseUrl: `sqlite:${join(dir, 'cognate.db')}`, demo: 'off', logLevel: 'warn',
      adminAccessKeyId: ADMIN.accessKeyId, adminSecretAccessKey: ADMIN.secretAccessKey, consoleAdminPassword: undefined,
    });
    try {
      const first = await startServer(config, pino({ level: 'warn' }, logs));
      const firstSeed = first.console;
      let password: string;
      try {
        expect(firstSeed.adminUsername).toBe('admin');
        password = firstSeed.generatedPassword!;
        expect(password).toHaveLength(20);
        expect(policyViolation(password, DEFAULT_PASSWORD_POLICY)).toBeUndefined();
        const config1 = await consoleConfig(first.url);
        expect(config1.userPoolId).toBe(firstSeed.poolId);
        expect((await srpSignIn(config1, 'admin', password)).isValid()).toBe(true);
      } finally {
        await first.close();
      }

      const second = await startServer(config, pino({ level: 'warn' }, logs));
      try {
        expect(second.console).toEqual({ poolId: firstSeed.poolId, clientId: firstSeed.clientId, adminUsername: 'admin' });
        expect(second.console.generatedPassword).toBeUndefined();
        const sdk = new CognitoIdentityProviderClient({ endpoint: `${second.url}/`, region: 'us-east-1', credentials: ADMIN, maxAttempts: 1 });
        const users = await sdk.send(new ListUsersCommand({ UserPoolId: firstSeed.poolId }));
        sdk.destroy();
        expect(users.Users!.map((u) => u.Username)).toEqual(['admin']);
        expect((await srpSignIn(await consoleConfig(second.url), 'admin', password)).isValid()).toBe(true);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('POST /console/api/session', () => {
  it('exchanges an administrator’s ID token (SRP sign-in) for an HttpOnly, SameSite=Strict session cookie on /console', async () => {
    const res = await postSession(await adminIdToken());
    expect(res.status).toBe(200);
    const body = (await res.json()) as { username: string; csrfToken: string };
    expect(body.username).toBe('admin');
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const { pair, attributes } = sessionCookie(res);
    expect(pair).toMatch(/^cognate_console=[A-Za-z0-9+/=]{40,}$/);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/console', 'Max-Age=28800']));
    expect(attributes).not.toContain('Secure');
    expect(res.headers.get('cache-control')).toBe('no-store');

    const again = await fetch(`${api}/session`, { headers: { cookie: pair } });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ username: 'admin', csrfToken: body.csrfToken });
  });

  it('refuses a normal user of another pool with 403', async () => {
    const { poolId, clientId } = await createWorkshopPool(server);
    const email = 'rider@example.com';
    const password = 'Wild-Rydes-1';
    await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: password, UserAttributes: [{ Name: 'email', Value: email }] }));
    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
    const session = await srpSignIn({ endpoint: `${server.url}/`, userPoolId: poolId, clientId }, email, password);
    const res = await postSession(session.getIdToken().getJwtToken());
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Only console administrators may sign in here.' });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('refuses an access token of the console pool, a forged token and garbage with 401', async () => {
    const session = await srpSignIn(await consoleConfig(), CONSOLE_ADMIN.username, CONSOLE_ADMIN.password);
    const access = await postSession(session.getAccessToken().getJwtToken());
    expect(access.status).toBe(401);
    expect(((await access.json()) as { message: string }).message).toBe('The ID token is not valid.');

    const [h, p, s] = session.getIdToken().getJwtToken().split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, 'cognito:username': 'someone' })).toString('base64url')}.${s}`;
    expect((await postSession(forged)).status).toBe(401);
    expect((await postSession('not-a-jwt')).status).toBe(401);
    const noToken = await fetch(`${api}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noToken.status).toBe(400);
  });

  it('refuses a request from another site’s origin, accepts Cognate’s own', async () => {
    const idToken = await adminIdToken();
    const foreign = await postSession(idToken, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.getSetCookie()).toEqual([]);
    expect((await postSession(idToken, { origin: server.url })).status).toBe(200);
  });
});

describe('the session', () => {
  let session: Session;
  beforeAll(async () => {
    session = await signIn();
  });

  it('401 without a cookie, or with a forged or garbled one', async () => {
    const none = await fetch(`${api}/session`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ message: 'Not signed in.' });
    expect((await call({}, 'ListUserPools', { MaxResults: 10 }, 'anything')).status).toBe(401);

    const value = session.cookie.slice('cognate_console='.length);
    const flipped = value.slice(0, 20) + (value[20] === 'A' ? 'B' : 'A') + value.slice(21);
    for (const cookie of [`cognate_console=${flipped}`, 'cognate_console=garbage', 'cognate_console=', `cognate_console=${Buffer.from('{"sub":"x"}').toString('base64')}`]) {
      expect((await fetch(`${api}/session`, { headers: { cookie } })).status, cookie).toBe(401);
    }
    // A value sealed by another key (another server) is no session either.
    const other = new Sealer(randomBytes(32)).seal(JSON.stringify({ sub: 'x', username: 'admin', exp: 4e9, csrf: 'c' }), 'console-session');
    expect((await fetch(`${api}/session`, { headers: { cookie: `cognate_console=${other}` } })).status).toBe(401);
  });

  it('expires after 8 hours', async () => {
    const s = await signIn();
    server.advance(8 * 3600 * 1000 + 1000);
    try {
      expect((await fetch(`${api}/session`, { headers: { cookie: s.cookie } })).status).toBe(401);
    } finally {
      server.advance(-(8 * 3600 * 1000 + 1000));
    }
  });

  it('ends when the administrator is disabled', async () => {
    const s = await signIn();
    await server.admin.send(new AdminDisableUserCommand({ UserPoolId: server.console.poolId, Username: 'admin' }));
    try {
      const res = await fetch(`${api}/session`, { headers: { cookie: s.cookie } });
      expect(res.status).toBe(401);
      expect(sessionCookie(res).attributes).toContain('Max-Age=0');
    } finally {
      await server.admin.send(new AdminEnableUserCommand({ UserPoolId: server.console.poolId, Username: 'admin' }));
    }
    // Disabling revoked the refresh tokens, not this stateless session: it works again once enabled.
    expect((await fetch(`${api}/session`, { headers: { cookie: s.cookie } })).status).toBe(200);
  });

  it('DELETE needs the CSRF token, answers 204 and clears the cookie', async () => {
    const s = await signIn();
    const without = await fetch(`${api}/session`, { method: 'DELETE', headers: { cookie: s.cookie } });
    expect(without.status).toBe(403);
    expect(await without.json()).toEqual({ message: 'CSRF token missing or invalid' });
    const res = await fetch(`${api}/session`, { method: 'DELETE', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' } });
    expect(res.status).toBe(204);
    const { pair, attributes } = sessionCookie(res);
    expect(pair).toBe('cognate_console=');
    expect(attributes).toEqual(expect.arrayContaining(['Max-Age=0', 'Path=/console', 'HttpOnly', 'SameSite=Strict']));
  });
});

describe('POST /console/api/call', () => {
  let session: Session;
  beforeAll(async () => {
    session = await signIn();
  });

  it('runs an admin operation with the session and the CSRF token, and answers as the Cognito API would', async () => {
    const res = await call(session, 'ListUserPools', { MaxResults: 60 });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { UserPools: { Id: string; Name: string }[] };
    expect(body.UserPools).toContainEqual(expect.objectContaining({ Id: server.console.poolId, Name: 'cognate-console' }));

    const missing = await call(session, 'DescribeUserPool', { UserPoolId: 'us-east-1_NoSuchPol' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ __type: 'ResourceNotFoundException', message: 'User pool us-east-1_NoSuchPol does not exist.' });
    const invalid = await call(session, 'ListUserPools', { MaxResults: 61 });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { __type: string }).__type).toBe('InvalidParameterException');

    const created = await call(session, 'CreateUserPool', { PoolName: 'from-the-console' });
    expect(created.status).toBe(200);
    const id = ((await created.json()) as { UserPool: { Id: string } }).UserPool.Id;
    expect((await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!.Name).toBe('from-the-console');
    expect((await call(session, 'DeleteUserPool', { UserPoolId: id })).status).toBe(200);
  });

  it('resets a user’s password (AdminResetUserPassword): RESET_REQUIRED, and the reset code is mailed', async () => {
    const { poolId, clientId } = await createWorkshopPool(server);
    const email = 'forgetful@example.com';
    let before = server.smtp.messages.length;
    await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: 'Wild-Rydes-1' }));
    await server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: await server.smtp.codeFor(email, before) }));

    before = server.smtp.messages.length;
    const res = await call(session, 'AdminResetUserPassword', { UserPoolId: poolId, Username: email });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect((await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).UserStatus).toBe('RESET_REQUIRED');
    const mail = await server.smtp.waitFor(email, 10_000, before);
    expect(mail.subject).toBe('Your password reset code');
    expect(mail.text).toMatch(/\b\d{6}\b/);

    // Cognito's own refusals reach the console as they are: no verified email here.
    await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: 'unverified@example.com', Password: 'Wild-Rydes-1' }));
    const refused = await call(session, 'AdminResetUserPassword', { UserPoolId: poolId, Username: 'unverified@example.com' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      __type: 'InvalidParameterException', message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
    });
  });

  it('403 without the CSRF token or with a wrong one; 403 from another origin', async () => {
    for (const csrf of [undefined, '', 'wrong-token', `${session.csrf}x`]) {
      const res = await call({ cookie: session.cookie }, 'ListUserPools', { MaxResults: 10 }, csrf);
      expect(res.status, String(csrf)).toBe(403);
      expect(await res.json()).toEqual({ message: 'CSRF token missing or invalid' });
    }
    const foreign = await fetch(`${api}/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf, origin: 'https://evil.example' },
      body: JSON.stringify({ operation: 'ListUserPools', input: { MaxResults: 10 } }),
    });
    expect(foreign.status).toBe(403);
  });

  it('refuses operations outside its list', async () => {
    for (const operation of ['SignUp', 'AdminInitiateAuth', 'AdminCreateUser', 'NoSuchOperation']) {
      const res = await call(session, operation, {});
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ __type: 'UnknownOperationException', message: `The console does not offer the operation ${operation}.` });
    }
  });

  it('refuses to delete or change its own pool and client, or to lock out the administrator signed in', async () => {
    const { poolId, clientId } = server.console;
    const refused = async (operation: string, input: object) => {
      const res = await call(session, operation, input);
      expect(res.status, operation).toBe(400);
      return ((await res.json()) as { __type: string; message: string });
    };
    expect(await refused('DeleteUserPool', { UserPoolId: poolId })).toEqual({ __type: 'InvalidParameterException', message: "The console's own user pool cannot be deleted." });
    expect((await refused('UpdateUserPool', { UserPoolId: poolId })).__type).toBe('InvalidParameterException');
    expect((await refused('DeleteUserPoolClient', { UserPoolId: poolId, ClientId: clientId })).__type).toBe('InvalidParameterException');
    expect((await refused('AdminDisableUser', { UserPoolId: poolId, Username: 'Admin' })).message).toBe(
      'You cannot delete or disable the administrator you are signed in as.',
    );
    expect((await refused('AdminDeleteUser', { UserPoolId: poolId, Username: 'admin' })).__type).toBe('InvalidParameterException');
    expect(await refused('AdminResetUserPassword', { UserPoolId: poolId, Username: 'ADMIN' })).toEqual({
      __type: 'InvalidParameterException', message: 'You cannot reset the password of the administrator you are signed in as.',
    });
    expect((await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'admin' }))).UserStatus).toBe('CONFIRMED');
    expect((await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.DeletionProtection).toBe('ACTIVE');
    // Other users of the console pool are managed like any pool's.
    const other = await call(session, 'AdminDisableUser', { UserPoolId: poolId, Username: 'nobody' });
    expect(await other.json()).toEqual({ __type: 'UserNotFoundException', message: 'User does not exist.' });
  });
});

describe('GET /console/api/config-js', () => {
  it('downloads the workshop’s js/config.js for a pool and client; 404 when the client is not in that pool', async () => {
    const session = await signIn();
    const { poolId, clientId } = await createWorkshopPool(server);
    const res = await fetch(`${api}/config-js?pool=${poolId}&client=${clientId}`, { headers: { cookie: session.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="config.js"');
    const text = await res.text();
    expect(text).toContain(`userPoolId: '${poolId}'`);
    expect(text).toContain(`userPoolClientId: '${clientId}'`);
    expect(text).toContain(`endpoint: '${server.url}/'`);

    const wrongPool = await fetch(`${api}/config-js?pool=${server.console.poolId}&client=${clientId}`, { headers: { cookie: session.cookie } });
    expect(wrongPool.status).toBe(404);
    expect((await fetch(`${api}/config-js?pool=${poolId}&client=${clientId}`)).status).toBe(401);
  });
});

describe('GET /console/api/outbox', () => {
  it('404 when mail goes to SMTP', async () => {
    const session = await signIn();
    const res = await fetch(`${api}/outbox`, { headers: { cookie: session.cookie } });
    expect(res.status).toBe(404);
  });

  it('the dev outbox’s messages when no SMTP server is configured', async () => {
    const dev = await startTestServer({ smtpUrl: undefined });
    try {
      expect(dev.runtime.sender.mode).toBe('dev-outbox');
      const config = await consoleConfig(dev.url);
      expect(config.outbox).toBe(true);
      const idToken = (await srpSignIn(config, CONSOLE_ADMIN.username, CONSOLE_ADMIN.password)).getIdToken().getJwtToken();
      const signedIn = await fetch(`${dev.url}/console/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idToken }) });
      const cookie = sessionCookie(signedIn).pair;
      expect((await fetch(`${dev.url}/console/api/outbox`)).status).toBe(401);

      const { clientId } = await createWorkshopPool(dev);
      await dev.sdk.send(new SignUpCommand({ ClientId: clientId, Username: 'outbox@example.com', Password: 'Wild-Rydes-1', UserAttributes: [{ Name: 'email', Value: 'outbox@example.com' }] }));
      const res = await fetch(`${dev.url}/console/api/outbox`, { headers: { cookie } });
      expect(res.status).toBe(200);
      const { messages } = (await res.json()) as { messages: { to: string; text: string }[] };
      expect(messages[0]).toMatchObject({ to: 'outbox@example.com' });
      expect(messages[0]!.text).toMatch(/\d{6}/);
    } finally {
      await dev.stop();
    }
  });
});

describe('the console’s pages', () => {
  /** consoleRoutes alone, over a web root of our own. */
  async function consoleApp(webRoot: string) {
    const app = Fastify();
    await app.register(
      consoleRoutes({
        webRoot, publicUrl: () => 'http://127.0.0.1:9229', dispatcher: {} as Dispatcher, sealer: new Sealer(randomBytes(32)),
        consoleIds: async () => undefined, siteIds: async () => undefined, issuerFor: (id) => id, jwks: async () => undefined,
      }),
    );
    return app;
  }

  it('serves the built app with strict security headers, and index.html for any other page under /console/', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cognate-console-web-'));
    mkdirSync(join(root, 'console', 'assets'), { recursive: true });
    writeFileSync(join(root, 'console', 'index.html'), '<!doctype html><title>Cognate console</title><script type="module" src="/console/assets/app-1.js"></script>');
    writeFileSync(join(root, 'console', 'assets', 'app-1.js'), 'console.log(1)');
    const app = await consoleApp(root);
    try {
      const index = await app.inject('/console/');
      expect(index.statusCode).toBe(200);
      expect(index.body).toContain('Cognate console');
      expect(index.headers['content-type']).toMatch(/^text\/html/);
      const csp = String(index.headers['content-security-policy']);
      for (const d of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'"]) {
        expect(csp).toContain(d);
      }
      expect(index.headers['x-frame-options']).toBe('DENY');
      expect(index.headers['x-content-type-options']).toBe('nosniff');

      const asset = await app.inject('/console/assets/app-1.js');
      expect(asset.statusCode).toBe(200);
      expect(asset.body).toBe('console.log(1)');
      expect(asset.headers['content-type']).toMatch(/javascript/);

      for (const page of ['/console/pools/us-east-1_abc/users', '/console/login?next=%2Fconsole%2Fpools']) {
        const res = await app.inject(page);
        expect(res.statusCode, page).toBe(200);
        expect(res.body).toContain('Cognate console');
        expect(res.headers['content-security-policy']).toBeDefined();
      }
      expect((await app.inject('/console')).headers.location).toBe('/console/');
      const unknownApi = await app.inject('/console/api/nothing-here');
      expect(unknownApi.statusCode).toBe(404);
      expect(unknownApi.json()).toEqual({ message: 'Not found.' });
      expect((await app.inject('/console/../../etc/passwd')).body).not.toContain('root:');
    } finally {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('503 "run npm run build" when the console was not built', async () => {
    const app = await consoleApp(join(tmpdir(), 'cognate-no-such-web-root'));
    try {
      for (const page of ['/console/', '/console/users']) {
        const res = await app.inject(page);
        expect(res.statusCode).toBe(503);
        expect(res.body).toContain('run npm run build');
      }
    } finally {
      await app.close();
    }
  });

  it('on the real server, pages under /console/ carry the CSP whether or not the app is built', async () => {
    const res = await fetch(`${server.url}/console/`);
    expect([200, 503]).toContain(res.status);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});

it('the console client allows SRP only: the administrator’s password never leaves the browser', async () => {
  await expect(
    server.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: server.console.poolId, ClientId: server.console.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: CONSOLE_ADMIN.username, PASSWORD: CONSOLE_ADMIN.password },
      }),
    ),
  ).rejects.toMatchObject({ name: 'InvalidParameterException' });
});
