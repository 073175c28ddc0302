/**
 * How fast the console's users page stays with a big pool: ListUsers (20 a page, as the console asks)
 * with and without an email filter, over N users (default 10,000) loaded straight into the store.
 * Run: npx tsx bench/list-users.ts [N]
 */
import { randomUUID } from 'node:crypto';
import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createWorkshopPool, startTestServer } from '../test/helpers/test-server.js';

const users = Number(process.argv[2] ?? 10_000);
const server = await startTestServer({ logLevel: 'warn' });
try {
  const { poolId } = await createWorkshopPool(server);
  const now = Date.now();
  await server.store.transaction(async (tx) => {
    for (let i = 0; i < users; i++) {
      const sub = randomUUID();
      const email = `user-${i}@example.com`;
      await tx.users.create({
        poolId, username: sub, usernameKey: sub, sub, status: 'CONFIRMED', enabled: true, attributes: { sub, email, email_verified: 'true' },
        emailKey: email, phoneKey: null, preferredUsernameKey: null, pendingAttributes: {}, mfaOptions: [], salt: '1', verifier: '2', createdAt: now, updatedAt: now, signedOutAt: null,
      });
    }
  });
  const cases: [string, { Filter?: string }][] = [
    ['first page', {}],
    ['email prefix "user-99"', { Filter: 'email ^= "user-99"' }],
    ['exact email', { Filter: `email = "user-${Math.floor(users / 2)}@example.com"` }],
    ['prefix matching nobody', { Filter: 'email ^= "zzz"' }],
  ];
  console.log(`ListUsers, Limit 20, ${users.toLocaleString('en-US')} users (20 calls each, over HTTP with SigV4):`);
  for (const [label, input] of cases) {
    const times: number[] = [];
    for (let k = 0; k < 20; k++) {
      const t = performance.now();
      await server.admin.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 20, ...input }));
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`  ${label.padEnd(24)} median ${times[10]!.toFixed(1)} ms, max ${times[19]!.toFixed(1)} ms`);
  }
} finally {
  await server.stop();
}
