import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sealer } from '../../src/crypto/seal.js';
import { DEFAULT_PASSWORD_POLICY, standardSchema } from '../../src/domain/settings.js';
import { openStore } from '../../src/store/open-store.js';
import { SealedSecretError, sealPlaintextSecrets, withSealedSecrets } from '../../src/store/sealed-secrets.js';
import type { GroupRecord, PoolRecord, SigningKeyRecord, Store, UserRecord } from '../../src/store/store.js';

/**
 * The wrapper that seals secrets at rest, looked at from both sides: through it the domain sees what it
 * wrote; underneath (`raw`, the same database unwrapped) no salt, verifier, private key or kv secret is in
 * the clear, and a sealed value moved to another row does not open. The contract suite runs through it
 * too (contract/sqlite.test.ts, contract/postgres.test.ts).
 */
const dir = mkdtempSync(join(tmpdir(), 'cognate-sealed-'));
let raw: Store;
let sealed: Store;
const sealer = new Sealer(randomBytes(32));

beforeAll(async () => {
  raw = await openStore(`sqlite:${join(dir, 'sealed.db')}`);
  sealed = withSealedSecrets(raw, sealer);
});
afterAll(async () => {
  await raw?.close();
  rmSync(dir, { recursive: true, force: true });
});

const T0 = 1_700_000_000_000;
let n = 0;
const uid = (label: string) => `${label}-${++n}-${randomUUID().slice(0, 6)}`;

async function freshPool(store: Store = raw): Promise<PoolRecord> {
  const pool: PoolRecord = {
    id: uid('us-east-1_pool'), name: 'p', createdAt: T0, updatedAt: T0,
    settings: {
      region: 'us-east-1', passwordPolicy: { ...DEFAULT_PASSWORD_POLICY }, usernameAttributes: [], aliasAttributes: ['email'], autoVerifiedAttributes: [],
      caseSensitive: true, allowAdminCreateUserOnly: false, deletionProtection: 'INACTIVE', mfaConfiguration: 'OFF',
      messages: { verification: { defaultEmailOption: 'CONFIRM_WITH_CODE' }, invitation: {} }, emailSending: { account: 'COGNITO_DEFAULT' },
      schema: standardSchema(), passthrough: {},
    },
  };
  await store.pools.create(pool);
  return pool;
}

const user = (poolId: string, over: Partial<UserRecord> = {}): UserRecord => {
  const username = over.username ?? uid('user');
  return {
    poolId, username, usernameKey: username, sub: randomUUID(), status: 'CONFIRMED', enabled: true, attributes: {}, emailKey: `${username}@example.com`,
    phoneKey: null, preferredUsernameKey: null, pendingAttributes: {}, mfaOptions: [], salt: randomBytes(16).toString('hex'),
    verifier: randomBytes(256).toString('hex'), createdAt: T0, updatedAt: T0 + 5, signedOutAt: null, ...over,
  };
};

const signingKey = (poolId: string): SigningKeyRecord => ({
  poolId, kid: uid('kid'), use: 'id', privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${randomBytes(48).toString('base64')}\n-----END PRIVATE KEY-----\n`,
  publicJwk: { kty: 'RSA', n: 'abc', e: 'AQAB' }, createdAt: T0,
});

/** What the database holds for a user, unopened. */
const stored = async (u: UserRecord) => (await raw.users.getByKey(u.poolId, u.usernameKey))!;

function expectSealed(value: string, plain: string): void {
  expect(value.startsWith('s1:')).toBe(true);
  expect(value).not.toContain(plain);
}

describe('users', () => {
  it('create seals salt and verifier; every read opens them', async () => {
    const p = await freshPool();
    const u = user(p.id);
    await sealed.users.create(u);
    const row = await stored(u);
    expectSealed(row.salt, u.salt);
    expectSealed(row.verifier, u.verifier);
    expect({ ...row, salt: u.salt, verifier: u.verifier }).toEqual(u);

    expect(await sealed.users.getByKey(p.id, u.usernameKey)).toEqual(u);
    expect(await sealed.users.getByEmailKey(p.id, u.emailKey!)).toEqual(u);
    expect(await sealed.users.getByAlias(p.id, 'email', u.emailKey!)).toEqual(u);
    expect(await sealed.users.list(p.id, { limit: 10 })).toEqual([u]);
    const group: GroupRecord = { poolId: p.id, name: 'g', description: null, roleArn: null, precedence: null, createdAt: T0, updatedAt: T0 };
    await sealed.groups.create(group);
    await sealed.groups.addMember(p.id, 'g', u.username, T0);
    expect(await sealed.groups.listMembers(p.id, 'g', undefined, 10)).toEqual([u]);
  });

  it('createMany and update seal them too; a patch without them leaves them sealed as they were', async () => {
    const p = await freshPool();
    const [a, b] = [user(p.id), user(p.id)];
    expect((await sealed.users.createMany([a, b])).size).toBe(2);
    expectSealed((await stored(b)).verifier, b.verifier);
    const next = { salt: randomBytes(16).toString('hex'), verifier: randomBytes(256).toString('hex') };
    await sealed.users.update(p.id, a.username, next, T0 + 100);
    const row = await stored(a);
    expectSealed(row.salt, next.salt);
    expectSealed(row.verifier, next.verifier);
    expect(await sealed.users.getByKey(p.id, a.usernameKey)).toMatchObject({ ...next, updatedAt: T0 + 100 });
    const before = await stored(b);
    await sealed.users.update(p.id, b.username, { status: 'RESET_REQUIRED' }, T0 + 100);
    expect(await stored(b)).toMatchObject({ salt: before.salt, verifier: before.verifier, status: 'RESET_REQUIRED' });
  });

  it('each value is sealed afresh: the same verifier twice is two different rows', async () => {
    const p = await freshPool();
    const [a, b] = [user(p.id), user(p.id)];
    await sealed.users.create(a);
    await sealed.users.create({ ...b, salt: a.salt, verifier: a.verifier });
    expect((await stored(a)).verifier).not.toBe((await stored(b)).verifier);
  });

  it('a sealed verifier (or salt) moved to another user does not open, not even in the same pool', async () => {
    const p = await freshPool();
    const victim = user(p.id);
    const attacker = user(p.id);
    await sealed.users.create(victim);
    await sealed.users.create(attacker);
    const rowOfAttacker = await stored(attacker);
    await raw.users.update(p.id, victim.username, { verifier: rowOfAttacker.verifier }, T0);
    await expect(sealed.users.getByKey(p.id, victim.usernameKey)).rejects.toThrow(SealedSecretError);
    await raw.users.update(p.id, victim.username, { verifier: (await stored(victim)).salt }, T0);
    await expect(sealed.users.getByKey(p.id, victim.usernameKey)).rejects.toThrow(/the sealed verifier does not open/);
    // Same username in another pool: the pool is bound too.
    const q = await freshPool();
    await sealed.users.create(user(q.id, { username: attacker.username, usernameKey: attacker.usernameKey }));
    await raw.users.update(p.id, attacker.username, { salt: (await raw.users.getByKey(q.id, attacker.usernameKey))!.salt }, T0);
    await expect(sealed.users.getByKey(p.id, attacker.usernameKey)).rejects.toThrow(/the sealed salt does not open/);
  });

  it('another server secret opens nothing', async () => {
    const p = await freshPool();
    const u = user(p.id);
    await sealed.users.create(u);
    await expect(withSealedSecrets(raw, new Sealer(randomBytes(32))).users.getByKey(p.id, u.usernameKey)).rejects.toThrow(SealedSecretError);
  });

  it('values in the clear (a database from before) and the empty string read as they are', async () => {
    const p = await freshPool();
    const old = user(p.id);
    const imported = user(p.id, { salt: '', verifier: '' });
    await raw.users.create(old);
    await sealed.users.create(imported);
    expect(await sealed.users.getByKey(p.id, old.usernameKey)).toEqual(old);
    expect(await stored(imported)).toMatchObject({ salt: '', verifier: '' });
    expect(await sealed.users.getByKey(p.id, imported.usernameKey)).toEqual(imported);
  });

  it('writes inside a transaction are sealed, and roll back with it', async () => {
    const p = await freshPool();
    const u = user(p.id);
    await sealed.transaction(async (tx) => tx.users.create(u));
    expectSealed((await stored(u)).verifier, u.verifier);
    await expect(
      sealed.transaction(async (tx) => {
        await tx.users.update(p.id, u.username, { verifier: 'ff'.repeat(256) }, T0);
        expect((await tx.users.getByKey(p.id, u.usernameKey))!.verifier).toBe('ff'.repeat(256));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await sealed.users.getByKey(p.id, u.usernameKey))!.verifier).toBe(u.verifier);
  });
});

describe('signing keys', () => {
  it('the private key is sealed, bound to its kid', async () => {
    const p = await freshPool();
    const [k1, k2] = [signingKey(p.id), { ...signingKey(p.id), createdAt: T0 + 1 }];
    await sealed.keys.add(k1);
    await sealed.keys.add(k2);
    const rows = await raw.keys.list(p.id);
    expectSealed(rows[0]!.privateKeyPem, k1.privateKeyPem);
    expect(rows.map((r) => r.privateKeyPem).join()).not.toContain('PRIVATE KEY');
    expect(await sealed.keys.list(p.id)).toEqual([k1, k2]);
    await raw.keys.replacePrivateKey(p.id, k1.kid, rows[1]!.privateKeyPem);
    await expect(sealed.keys.list(p.id)).rejects.toThrow(/the sealed signing key does not open/);
  });
});

describe('kv', () => {
  it('seals the admin credentials and the console seed; other entries pass through', async () => {
    const credentials = JSON.stringify({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: randomBytes(20).toString('base64') });
    expect(await sealed.kv.putIfAbsent('admin-credentials', credentials)).toBe(credentials);
    expect(await sealed.kv.putIfAbsent('admin-credentials', 'another')).toBe(credentials);
    expectSealed((await raw.kv.get('admin-credentials'))!, JSON.parse(credentials).secretAccessKey);
    expect(await sealed.kv.get('admin-credentials')).toBe(credentials);
    await sealed.kv.put('console', '{"poolId":"p","clientId":"c"}');
    expectSealed((await raw.kv.get('console'))!, 'clientId');
    expect(await sealed.kv.get('console')).toBe('{"poolId":"p","clientId":"c"}');
    await sealed.kv.put('demo', 'plain');
    expect(await raw.kv.get('demo')).toBe('plain');
    expect(await sealed.kv.get('missing')).toBeUndefined();
  });
});

describe('sealPlaintextSecrets (the one-time upgrade)', () => {
  it('seals every secret still in the clear, keeps updatedAt, leaves sealed and empty values alone; a second run finds nothing', async () => {
    // A database of its own, written in the clear as before sealing.
    const old = await openStore(`sqlite:${join(dir, 'old.db')}`);
    try {
      const before = withSealedSecrets(old, sealer);
      const pools = [await freshPool(old), await freshPool(old)];
      const users = Array.from({ length: 1203 }, (_, i) => user(pools[i % 2]!.id, { username: `u${String(i).padStart(5, '0')}` }));
      await old.users.createMany(users.map((u) => ({ ...u, usernameKey: u.username })));
      const empty = user(pools[0]!.id, { salt: '', verifier: '' });
      await old.users.create(empty);
      const keys = [signingKey(pools[0]!.id), signingKey(pools[1]!.id)];
      for (const k of keys) await old.keys.add(k);
      const credentials = '{"accessKeyId":"AKIA","secretAccessKey":"in-the-clear"}';
      await old.kv.put('admin-credentials', credentials);

      expect(await sealPlaintextSecrets(old, sealer)).toEqual({ users: 1203, keys: 2, kv: 1 });
      for (const pool of pools) {
        for (const row of await old.users.list(pool.id, { limit: 2000 })) {
          if (row.username === empty.username) expect(row).toMatchObject({ salt: '', verifier: '' });
          else expect([row.salt.startsWith('s1:'), row.verifier.startsWith('s1:'), row.updatedAt]).toEqual([true, true, T0 + 5]);
        }
        for (const k of await old.keys.list(pool.id)) expect(k.privateKeyPem.startsWith('s1:')).toBe(true);
      }
      expect((await old.kv.get('admin-credentials'))!.startsWith('s1:')).toBe(true);
      const sample = users[1000]!;
      expect(await before.users.getByKey(sample.poolId, sample.username)).toEqual({ ...sample, usernameKey: sample.username });
      expect(await before.keys.list(pools[1]!.id)).toEqual([keys[1]]);
      expect(await before.kv.get('admin-credentials')).toBe(credentials);

      expect(await sealPlaintextSecrets(old, sealer)).toEqual({ users: 0, keys: 0, kv: 0 });
    } finally {
      await old.close();
    }
  });
});
