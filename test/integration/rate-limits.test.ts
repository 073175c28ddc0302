import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminConfirmSignUpCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, describe, expect, it } from 'vitest';
import { admitted, cheapCall, expectCountersShared, expectRateExceeded, nextWindow, rawCall, realTime, refused } from '../helpers/rate-limit-calls.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Request-rate limits on the public operations (docs/security.md, "Rate limits"): per client address
 * and per pool, per second, counted in the database so that instances share them, answered
 * TooManyRequestsException "Rate exceeded" (HTTP 400). COGNATE_RATE_LIMIT=off lifts the per-address
 * limit only. Each test starts its own servers with small limits (the shared test server's are huge).
 */
const started: TestServer[] = [];
async function serve(overrides: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer(overrides);
  started.push(server);
  return server;
}
afterAll(async () => {
  for (const s of started.reverse()) await s.stop();
});

const PASSWORD = 'Rate-Rider-1';

describe('per client address', () => {
  it('admits COGNATE_RATE_LIMIT_PER_IP requests a second from one address and refuses the rest, until the next second', async () => {
    const server = await serve({ rateLimitPerIp: 5, rateLimitPerPool: 0 });
    const offset = { ms: 0 };
    try {
      nextWindow([server], offset);
      const burst = await Promise.all(Array.from({ length: 9 }, () => cheapCall(server, 'unknownclient0000000000000')));
      expect(admitted(burst)).toHaveLength(5);
      for (const a of admitted(burst)) expect(a.type).toBe('ResourceNotFoundException');
      expect(refused(burst)).toHaveLength(4);
      for (const a of refused(burst)) expectRateExceeded(a);
      // Whatever the operation: the limit is the address's.
      expectRateExceeded(await rawCall(server, 'SignUp', { ClientId: 'unknownclient0000000000000', Username: 'x', Password: PASSWORD }));
      nextWindow([server], offset);
      expect((await cheapCall(server, 'unknownclient0000000000000')).type).toBe('ResourceNotFoundException');
    } finally {
      realTime([server], offset);
    }
    // Admin (SigV4) operations are not limited.
    const pools = await Promise.all(Array.from({ length: 8 }, () => createWorkshopPool(server)));
    expect(pools).toHaveLength(8);
  });

  it('takes the address from X-Forwarded-For only behind a trusted proxy (COGNATE_TRUST_PROXY)', async () => {
    const direct = await serve({ rateLimitPerIp: 3, rateLimitPerPool: 0 });
    const proxied = await serve({ rateLimitPerIp: 3, rateLimitPerPool: 0, trustProxy: ['127.0.0.1'] });
    const offset = { ms: 0 };
    try {
      nextWindow([direct, proxied], offset);
      // Without trust, a forged header changes nothing: every request is 127.0.0.1's.
      const spoofed = await Promise.all(Array.from({ length: 6 }, (_, i) => cheapCall(direct, 'unknownclient0000000000000', `192.0.2.${i + 1}`)));
      expect(admitted(spoofed)).toHaveLength(3);
      // Behind the trusted proxy each client address has its own limit.
      const clients = await Promise.all(Array.from({ length: 6 }, (_, i) => cheapCall(proxied, 'unknownclient0000000000000', `192.0.2.${(i % 2) + 1}`)));
      expect(admitted(clients)).toHaveLength(6);
      const third = await Promise.all(Array.from({ length: 4 }, () => cheapCall(proxied, 'unknownclient0000000000000', '192.0.2.1')));
      expect(admitted(third)).toHaveLength(0);
    } finally {
      realTime([direct, proxied], offset);
    }
  });

  it('COGNATE_RATE_LIMIT=off lifts the per-address limit, but the sign-in lockout still applies', async () => {
    const server = await serve({ rateLimit: 'off', rateLimitPerIp: 2, rateLimitPerPool: 0 });
    const { poolId, clientId } = await createWorkshopPool(server);
    const email = 'unlimited@example.com';
    await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
    const offset = { ms: 0 };
    try {
      nextWindow([server], offset);
      const burst = await Promise.all(Array.from({ length: 10 }, () => cheapCall(server, clientId)));
      expect(refused(burst)).toHaveLength(0);
      const signIn = (password: string) =>
        rawCall(server, 'InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } });
      for (let i = 0; i < 5; i++) expect(await signIn('Wrong-Password-1')).toMatchObject({ type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      expect(await signIn(PASSWORD)).toMatchObject({ type: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    } finally {
      realTime([server], offset);
    }
  });
});

describe('per pool', () => {
  it('admits COGNATE_RATE_LIMIT_PER_POOL requests a second to one pool, by app client or access token, and none of another pool’s', async () => {
    const server = await serve({ rateLimitPerIp: 0, rateLimitPerPool: 4 });
    const { poolId, clientId } = await createWorkshopPool(server);
    const other = await createWorkshopPool(server);
    const email = 'pool-rider@example.com';
    await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
    const offset = { ms: 0 };
    try {
      nextWindow([server], offset);
      const signedIn = await rawCall(server, 'InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } });
      expect(signedIn.status).toBe(200);
      const accessToken = (signedIn.body.AuthenticationResult as { AccessToken: string }).AccessToken;
      // The sign-in was the first request of this second: two more by app client or access token, a fourth…
      expect((await cheapCall(server, clientId)).type).toBe('NotAuthorizedException');
      expect((await rawCall(server, 'GetUser', { AccessToken: accessToken })).status).toBe(200);
      expect((await rawCall(server, 'GetUser', { AccessToken: accessToken })).status).toBe(200);
      // …and the fifth is one too many, however it names the pool.
      expectRateExceeded(await rawCall(server, 'GetUser', { AccessToken: accessToken }));
      expectRateExceeded(await cheapCall(server, clientId));
      // Another pool has its own budget; an unknown client names no pool.
      const others = await Promise.all(Array.from({ length: 4 }, () => cheapCall(server, other.clientId)));
      expect(refused(others)).toHaveLength(0);
      expect((await cheapCall(server, 'unknownclient0000000000000')).type).toBe('ResourceNotFoundException');
      nextWindow([server], offset);
      expect((await rawCall(server, 'GetUser', { AccessToken: accessToken })).status).toBe(200);
    } finally {
      realTime([server], offset);
    }
  });
});

describe('across instances', () => {
  it('two servers on one SQLite database share the counters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognate-limits-'));
    try {
      const limits = { rateLimitPerIp: 4, rateLimitPerPool: 6, trustProxy: ['127.0.0.1'], databaseUrl: `sqlite:${join(dir, 'shared.db')}` };
      const first = await serve(limits);
      const second = await serve(limits);
      const { clientId } = await createWorkshopPool(first);
      await expectCountersShared([first, second], clientId);
    } finally {
      for (const s of started.splice(0)) await s.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
