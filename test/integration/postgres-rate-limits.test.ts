import { AdminConfirmSignUpCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-database.js';
import { expectCountersShared, nextWindow, rawCall, realTime } from '../helpers/rate-limit-calls.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Rate limits and the lockout across two instances on one PostgreSQL database (docs/security.md): the
 * counters live in the database, so the limits hold however requests are spread over the instances —
 * as behind nginx with several instances (README).
 */
let database: TestDatabase;
const servers: TestServer[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const limits = { databaseUrl: database.url, rateLimitPerIp: 4, rateLimitPerPool: 6, trustProxy: ['127.0.0.1'] };
  servers.push(await startTestServer(limits), await startTestServer(limits));
});
afterAll(async () => {
  for (const s of servers) await s.stop();
  await database?.drop();
});

describe('two instances on one PostgreSQL database', () => {
  it('share the rate-limit counters', async () => {
    const { clientId } = await createWorkshopPool(servers[0]!);
    await expectCountersShared([servers[0]!, servers[1]!], clientId);
  });

  it('share the lockout: 5 wrong passwords spread over both (and over addresses) lock the user out on both', async () => {
    const [a, b] = [servers[0]!, servers[1]!];
    const { poolId, clientId } = await createWorkshopPool(a);
    const email = 'pg-locked@example.com';
    await a.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: 'Pg-Rider-1' }));
    await a.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
    let address = 0;
    const signIn = (s: TestServer, PASSWORD: string) =>
      rawCall(s, 'InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }, `198.51.100.${++address}`);
    // Each burst in a second of its own, within the pool's 6 requests a second.
    const offset = { ms: 0 };
    try {
      for (let i = 0; i < 5; i++) {
        if (i === 0 || i === 3) nextWindow([a, b], offset);
        expect(await signIn(i % 2 ? b : a, 'Wrong-Password-1')).toMatchObject({ type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      }
      // (Still within the first lock, which lasts a second from the fifth failure.)
      for (const s of [a, b]) expect(await signIn(s, 'Pg-Rider-1')).toMatchObject({ type: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    } finally {
      realTime([a, b], offset);
    }
  });
});
