import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_POLICY, standardSchema, type ClientSettings, type PoolSettings } from '../../../src/domain/settings.js';
import {
  UniqueViolation,
  type ClientRecord, type CodeRecord, type OutboxRecord, type PoolRecord, type RefreshTokenRecord, type SigningKeyRecord, type Store,
  type UserRecord,
} from '../../../src/store/store.js';
import { groupsContract } from './groups-contract.js';
import { limitsContract } from './limits-contract.js';

/**
 * The contract every storage backend keeps, as one suite: call storeContract(name, open) from a
 * backend's test file. It assumes nothing about the backend: `open` may hand back a store that
 * already holds data (a shared PostgreSQL database), so every test makes its own ids and only looks
 * at what it wrote. Timestamps are epoch milliseconds well beyond 2^31, so a backend that returns
 * bigint columns as strings fails the "numbers are numbers" checks.
 */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => store?.close());

    /** A base time far above 2^31 (ms in 2023) plus a little, so each call gets fresh values. */
    const T0 = 1_700_000_000_123;
    const run = randomUUID().slice(0, 8);
    let n = 0;
    const uid = (label: string) => `${label}-${run}-${++n}`;

    const poolSettings = (over: Partial<PoolSettings> = {}): PoolSettings => ({
      region: 'us-east-1',
      passwordPolicy: { ...DEFAULT_PASSWORD_POLICY },
      usernameAttributes: ['email'],
      aliasAttributes: [],
      autoVerifiedAttributes: ['email'],
      caseSensitive: false,
      allowAdminCreateUserOnly: false,
      deletionProtection: 'INACTIVE',
      mfaConfiguration: 'OFF',
      messages: { verification: { emailSubject: 'Your code – ✓', defaultEmailOption: 'CONFIRM_WITH_CODE' }, invitation: {} },
      emailSending: { account: 'COGNITO_DEFAULT' },
      schema: standardSchema(),
      passthrough: { UserPoolTags: { team: 'x' }, Nested: [1, { a: null }] },
      ...over,
    });
    const pool = (over: Partial<PoolRecord> = {}): PoolRecord => ({
      id: uid('us-east-1_pool'), name: 'Pool ünïcode', settings: poolSettings(), createdAt: T0, updatedAt: T0 + 1, ...over,
    });
    const clientSettings = (over: Partial<ClientSettings> = {}): ClientSettings => ({
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 30,
      units: { accessToken: 'minutes', idToken: 'minutes', refreshToken: 'days' },
      authSessionValidity: 3,
      readAttributes: ['email'],
      passthrough: {},
      ...over,
    });
    const client = (poolId: string, over: Partial<ClientRecord> = {}): ClientRecord => ({
      id: uid('client'), poolId, name: 'Web', secret: null, settings: clientSettings(), createdAt: T0, updatedAt: T0, ...over,
    });
    const user = (poolId: string, over: Partial<UserRecord> = {}): UserRecord => {
      const username = over.username ?? uid('user');
      const sub = randomUUID();
      return {
        poolId, username, usernameKey: username.toLowerCase(), sub, status: 'UNCONFIRMED', enabled: true,
        attributes: { sub, email: `${username}@example.com` }, emailKey: null, phoneKey: null, preferredUsernameKey: null, pendingAttributes: {},
        mfaOptions: [], salt: 'ab12', verifier: 'cd34'.repeat(64),
        createdAt: T0 + 10, updatedAt: T0 + 20, signedOutAt: null, ...over,
      };
    };
    const code = (poolId: string, username: string, over: Partial<CodeRecord> = {}): CodeRecord => ({
      poolId, username, purpose: 'sign-up', digest: 'digest-1', expiresAt: T0 + 86_400_000, attempts: 0, ...over,
    });
    const key = (poolId: string, over: Partial<SigningKeyRecord> = {}): SigningKeyRecord => ({
      poolId, kid: uid('kid'), use: 'id', privateKeyPem: '-----BEGIN PRIVATE KEY-----\nMII…\n-----END PRIVATE KEY-----\n',
      publicJwk: { kty: 'RSA', n: 'abc', e: 'AQAB', alg: 'RS256', use: 'sig' }, createdAt: T0, ...over,
    });
    const refresh = (poolId: string, clientId: string, username: string, over: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord => ({
      digest: uid('digest'), poolId, clientId, username, originJti: uid('jti'), authTime: T0, expiresAt: T0 + 30 * 86_400_000,
      revokedAt: null, ...over,
    });
    const mail = (over: Partial<OutboxRecord> = {}): OutboxRecord => ({
      id: uid('mail'), poolId: null, recipient: 'to@example.com', sealed: 'sealed-blob', createdAt: T0, attempts: 0, nextAttemptAt: T0,
      sentAt: null, lastError: null, ...over,
    });

    /** A pool in the store, to hang other records on. */
    async function freshPool(over: Partial<PoolRecord> = {}): Promise<PoolRecord> {
      const p = pool(over);
      await store.pools.create(p);
      return p;
    }

    async function expectUnique(p: Promise<unknown>): Promise<void> {
      await expect(p).rejects.toBeInstanceOf(UniqueViolation);
    }

    function expectNumbers(record: object, fields: string[]): void {
      for (const f of fields) {
        const v = (record as Record<string, unknown>)[f];
        expect(typeof v, `${f} = ${String(v)} (${typeof v})`).toBe('number');
      }
    }

    describe('pools', () => {
      it('create / get round-trips every field, numbers as numbers', async () => {
        const p = await freshPool();
        const got = await store.pools.get(p.id);
        expect(got).toEqual(p);
        expectNumbers(got!, ['createdAt', 'updatedAt']);
        expect(await store.pools.get(uid('us-east-1_missing'))).toBeUndefined();
      });

      it('refuses a duplicate id with UniqueViolation', async () => {
        const p = await freshPool();
        await expectUnique(store.pools.create({ ...p, name: 'other' }));
        expect((await store.pools.get(p.id))?.name).toBe(p.name);
      });

      it('lists by id with keyset pagination and a limit', async () => {
        const prefix = `us-east-1_list${run}`;
        const ids = ['c', 'a', 'e', 'b', 'd'].map((s) => `${prefix}${s}`);
        for (const id of ids) await store.pools.create(pool({ id }));
        const mine = (await store.pools.list(prefix, 1000)).filter((p) => p.id.startsWith(prefix));
        expect(mine.map((p) => p.id)).toEqual([...ids].sort());
        const page1 = await store.pools.list(prefix, 2);
        expect(page1.map((p) => p.id)).toEqual([`${prefix}a`, `${prefix}b`]);
        const page2 = await store.pools.list(page1.at(-1)!.id, 2);
        expect(page2.map((p) => p.id)).toEqual([`${prefix}c`, `${prefix}d`]);
        const page3 = (await store.pools.list(page2.at(-1)!.id, 2)).filter((p) => p.id.startsWith(prefix));
        expect(page3.map((p) => p.id)).toEqual([`${prefix}e`]);
        // Paging through everything gives the one-shot order (whatever the backend's collation).
        const all = (await store.pools.list(undefined, 100_000)).map((p) => p.id);
        expect(all.length).toBeGreaterThanOrEqual(5);
        const paged: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await store.pools.list(after, 3);
          paged.push(...page.map((p) => p.id));
          if (page.length < 3) break;
          after = page.at(-1)!.id;
        }
        expect(paged).toEqual(all);
        expect((await store.pools.list(undefined, 1)).length).toBe(1);
        expectNumbers(mine[0]!, ['createdAt', 'updatedAt']);
      });

      it('update replaces name, settings and updatedAt (createdAt stays)', async () => {
        const p = await freshPool();
        const changed: PoolRecord = {
          ...p, name: 'renamed', settings: poolSettings({ caseSensitive: true, mfaConfiguration: 'OPTIONAL' }), updatedAt: T0 + 5000, createdAt: 1,
        };
        await store.pools.update(changed);
        expect(await store.pools.get(p.id)).toEqual({ ...changed, createdAt: p.createdAt });
      });

      it('delete removes the pool and everything in it, and nothing of other pools', async () => {
        const p = await freshPool();
        const other = await freshPool();
        const c = client(p.id);
        const otherClient = client(other.id);
        await store.clients.create(c);
        await store.clients.create(otherClient);
        const u = user(p.id, { emailKey: 'same@example.com' });
        const otherUser = user(other.id, { username: u.username, usernameKey: u.usernameKey, sub: u.sub, emailKey: 'same@example.com' });
        await store.users.create(u);
        await store.users.create(otherUser);
        await store.codes.put(code(p.id, u.username));
        await store.codes.put(code(other.id, u.username));
        await store.keys.add(key(p.id));
        await store.keys.add(key(other.id));
        const token = refresh(p.id, c.id, u.username);
        const otherToken = refresh(other.id, otherClient.id, u.username);
        await store.tokens.addRefresh(token);
        await store.tokens.addRefresh(otherToken);

        expect(await store.pools.delete(p.id)).toBe(true);
        expect(await store.pools.get(p.id)).toBeUndefined();
        expect(await store.clients.get(c.id)).toBeUndefined();
        expect(await store.clients.list(p.id, undefined, 100)).toEqual([]);
        expect(await store.users.count(p.id)).toBe(0);
        expect(await store.users.getByKey(p.id, u.usernameKey)).toBeUndefined();
        expect(await store.codes.countAttempt(p.id, u.username, 'sign-up')).toBeUndefined();
        expect(await store.keys.list(p.id)).toEqual([]);
        expect(await store.tokens.getRefresh(token.digest)).toBeUndefined();
        // The same username, sub and email key can be used again in a new pool with that id.
        await store.pools.create(p);
        await store.users.create(u);
        expect(await store.users.count(p.id)).toBe(1);

        expect(await store.pools.get(other.id)).toBeDefined();
        expect(await store.clients.get(otherClient.id)).toBeDefined();
        expect(await store.users.getByKey(other.id, u.usernameKey)).toBeDefined();
        expect((await store.codes.countAttempt(other.id, u.username, 'sign-up'))?.attempts).toBe(1);
        expect(await store.keys.list(other.id)).toHaveLength(1);
        expect(await store.tokens.getRefresh(otherToken.digest)).toBeDefined();

        expect(await store.pools.delete(uid('us-east-1_missing'))).toBe(false);
      });
    });

    describe('clients', () => {
      it('create / get round-trips every field, by client id alone', async () => {
        const p = await freshPool();
        const c = client(p.id, { secret: 's3cr3t', settings: clientSettings({ writeAttributes: ['name'], passthrough: { CallbackURLs: ['https://x'] } }) });
        await store.clients.create(c);
        const got = await store.clients.get(c.id);
        expect(got).toEqual(c);
        expectNumbers(got!, ['createdAt', 'updatedAt']);
        expect(await store.clients.get(uid('client-missing'))).toBeUndefined();
        await expectUnique(store.clients.create({ ...c, name: 'dup' }));
      });

      it('lists the clients of one pool with keyset pagination and a limit', async () => {
        const p = await freshPool();
        const other = await freshPool();
        const ids = ['c3', 'c1', 'c2'].map((s) => `${s}${run}${++n}`);
        for (const id of ids) await store.clients.create(client(p.id, { id }));
        await store.clients.create(client(other.id));
        const all = await store.clients.list(p.id, undefined, 100);
        expect(all.map((c) => c.id)).toEqual([...ids].sort());
        const page1 = await store.clients.list(p.id, undefined, 2);
        expect(page1.map((c) => c.id)).toEqual([...ids].sort().slice(0, 2));
        const page2 = await store.clients.list(p.id, page1.at(-1)!.id, 2);
        expect(page2.map((c) => c.id)).toEqual([...ids].sort().slice(2));
        expect(await store.clients.list(uid('us-east-1_none'), undefined, 10)).toEqual([]);
      });

      it('update replaces name, settings and updatedAt', async () => {
        const p = await freshPool();
        const c = client(p.id, { secret: 'keep-me' });
        await store.clients.create(c);
        const changed = { ...c, name: 'Renamed', settings: clientSettings({ explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'], enableTokenRevocation: false }), updatedAt: T0 + 99 };
        await store.clients.update(changed);
        expect(await store.clients.get(c.id)).toEqual(changed);
      });

      it('delete removes the client and its refresh tokens only, scoped by pool', async () => {
        const p = await freshPool();
        const c = client(p.id);
        const keep = client(p.id);
        await store.clients.create(c);
        await store.clients.create(keep);
        const u = user(p.id);
        await store.users.create(u);
        const gone = refresh(p.id, c.id, u.username);
        const kept = refresh(p.id, keep.id, u.username);
        await store.tokens.addRefresh(gone);
        await store.tokens.addRefresh(kept);

        expect(await store.clients.delete(uid('us-east-1_wrong'), c.id)).toBe(false);
        expect(await store.clients.get(c.id)).toBeDefined();
        expect(await store.clients.delete(p.id, c.id)).toBe(true);
        expect(await store.clients.get(c.id)).toBeUndefined();
        expect(await store.tokens.getRefresh(gone.digest)).toBeUndefined();
        expect(await store.tokens.getRefresh(kept.digest)).toEqual(kept);
        expect(await store.clients.get(keep.id)).toEqual(keep);
        expect(await store.users.count(p.id)).toBe(1);
        expect(await store.clients.delete(p.id, c.id)).toBe(false);
      });
    });

    describe('users', () => {
      it('create / getByKey / getByEmailKey round-trip every field, numbers and booleans as such', async () => {
        const p = await freshPool();
        const u = user(p.id, {
          username: randomUUID(), usernameKey: 'alice@example.com', emailKey: 'alice@example.com', status: 'CONFIRMED', enabled: false,
          attributes: { sub: 'x', email: 'Alice@Example.com', name: 'Zoë 😀', 'custom:team': 'a"b\\c' }, signedOutAt: T0 + 777,
        });
        await store.users.create(u);
        const got = await store.users.getByKey(p.id, 'alice@example.com');
        expect(got).toEqual(u);
        expectNumbers(got!, ['createdAt', 'updatedAt', 'signedOutAt']);
        expect(got!.enabled).toBe(false);
        expect(await store.users.getByEmailKey(p.id, 'alice@example.com')).toEqual(u);
        expect(await store.users.getByKey(p.id, 'ALICE@example.com')).toBeUndefined();
        expect(await store.users.getByKey(uid('us-east-1_other'), 'alice@example.com')).toBeUndefined();
        expect(await store.users.getByEmailKey(p.id, 'nobody@example.com')).toBeUndefined();
        const plain = user(p.id);
        await store.users.create(plain);
        const gotPlain = await store.users.getByKey(p.id, plain.usernameKey);
        expect(gotPlain).toEqual(plain);
        expect(gotPlain!.signedOutAt).toBeNull();
        expect(gotPlain!.emailKey).toBeNull();
        expect(gotPlain!.enabled).toBe(true);
      });

      it('refuses a duplicate username key, sub or email key in the pool with UniqueViolation', async () => {
        const p = await freshPool();
        const u = user(p.id, { emailKey: 'taken@example.com' });
        await store.users.create(u);
        await expectUnique(store.users.create(user(p.id, { username: `${u.username}-2`, usernameKey: u.usernameKey })));
        await expectUnique(store.users.create(user(p.id, { username: u.username, usernameKey: `${u.usernameKey}-3` })));
        await expectUnique(store.users.create({ ...user(p.id), sub: u.sub }));
        await expectUnique(store.users.create(user(p.id, { emailKey: 'taken@example.com' })));
        expect(await store.users.count(p.id)).toBe(1);
        // The same keys in another pool are fine.
        const other = await freshPool();
        await store.users.create({ ...u, poolId: other.id });
        expect(await store.users.count(other.id)).toBe(1);
      });

      it('createMany creates the users and returns their subs; they read back as create writes them', async () => {
        const p = await freshPool();
        const users = [user(p.id, { emailKey: uid('e'), phoneKey: '+15550111', mfaOptions: [{ deliveryMedium: 'SMS', attributeName: 'phone_number' }] }), user(p.id)];
        expect(await store.users.createMany(users)).toEqual(new Set(users.map((u) => u.sub)));
        for (const u of users) {
          const got = await store.users.getByKey(p.id, u.usernameKey);
          expect(got).toEqual(u);
          expectNumbers(got!, ['createdAt', 'updatedAt']);
        }
        expect(await store.users.createMany([])).toEqual(new Set());
      });

      it('createMany leaves out, without failing, users whose username key, sub or alias key is taken — also by an earlier one of the list', async () => {
        const p = await freshPool();
        const held = user(p.id, { emailKey: 'held@example.com', phoneKey: '+15550122' });
        await store.users.create(held);
        const first = user(p.id, { emailKey: 'first@example.com' });
        const fine = [user(p.id), first, user(p.id, { emailKey: 'other@example.com' })];
        const taken = [
          user(p.id, { username: `${held.username}-x`, usernameKey: held.usernameKey }),
          { ...user(p.id), sub: held.sub },
          user(p.id, { emailKey: 'held@example.com' }),
          user(p.id, { phoneKey: '+15550122' }),
          user(p.id, { username: `${first.username}-x`, usernameKey: first.usernameKey }),
          user(p.id, { emailKey: 'first@example.com' }),
        ];
        const created = await store.users.createMany([fine[0]!, taken[0]!, taken[1]!, first, taken[2]!, taken[3]!, taken[4]!, taken[5]!, fine[2]!]);
        expect(created).toEqual(new Set(fine.map((u) => u.sub)));
        expect(await store.users.count(p.id)).toBe(4);
        expect(await store.users.getByKey(p.id, held.usernameKey)).toEqual(held);
      });

      it('createMany in a transaction: what it leaves out does not stop the transaction (PostgreSQL aborts on a failed statement)', async () => {
        const p = await freshPool();
        const held = user(p.id);
        await store.users.create(held);
        const k = uid('key');
        const fresh = user(p.id);
        await store.transaction(async (tx) => {
          expect(await tx.users.createMany([{ ...user(p.id), usernameKey: held.usernameKey }, fresh])).toEqual(new Set([fresh.sub]));
          await tx.kv.put(k, 'after');
          await tx.users.create(user(p.id));
        });
        expect(await store.kv.get(k)).toBe('after');
        expect(await store.users.count(p.id)).toBe(3);
      });

      it('createMany takes more users than one statement binds', async () => {
        const p = await freshPool();
        const users = Array.from({ length: 1234 }, (_, i) => user(p.id, { emailKey: `bulk-${i}@example.com` }));
        expect((await store.users.createMany(users)).size).toBe(1234);
        expect(await store.users.count(p.id)).toBe(1234);
        expect((await store.users.getByEmailKey(p.id, 'bulk-1233@example.com'))?.sub).toBe(users[1233]!.sub);
      });

      it('allows any number of users without an email key', async () => {
        const p = await freshPool();
        for (let i = 0; i < 3; i++) await store.users.create(user(p.id, { emailKey: null }));
        expect(await store.users.count(p.id)).toBe(3);
      });

      it('update applies a patch, sets updatedAt and leaves the rest alone', async () => {
        const p = await freshPool();
        const u = user(p.id, { emailKey: 'before@example.com' });
        await store.users.create(u);
        await store.users.update(p.id, u.username, { status: 'CONFIRMED' }, T0 + 1000);
        expect(await store.users.getByKey(p.id, u.usernameKey)).toEqual({ ...u, status: 'CONFIRMED', updatedAt: T0 + 1000 });

        const patch = {
          enabled: false, attributes: { ...u.attributes, email_verified: 'true' }, emailKey: 'after@example.com', salt: 'ff', verifier: 'ee',
          signedOutAt: T0 + 2000, status: 'RESET_REQUIRED' as const,
        };
        await store.users.update(p.id, u.username, patch, T0 + 3000);
        const got = await store.users.getByKey(p.id, u.usernameKey);
        expect(got).toEqual({ ...u, ...patch, updatedAt: T0 + 3000 });
        expectNumbers(got!, ['updatedAt', 'signedOutAt', 'createdAt']);
        expect(await store.users.getByEmailKey(p.id, 'before@example.com')).toBeUndefined();
        expect((await store.users.getByEmailKey(p.id, 'after@example.com'))?.username).toBe(u.username);

        await store.users.update(p.id, u.username, { emailKey: null, signedOutAt: null, enabled: true }, T0 + 4000);
        const cleared = await store.users.getByKey(p.id, u.usernameKey);
        expect(cleared).toMatchObject({ emailKey: null, signedOutAt: null, enabled: true, updatedAt: T0 + 4000, salt: 'ff' });
        expect(await store.users.getByEmailKey(p.id, 'after@example.com')).toBeUndefined();
      });

      it('update refuses an email key another user holds, with UniqueViolation and no change', async () => {
        const p = await freshPool();
        const a = user(p.id, { emailKey: 'a@example.com' });
        const b = user(p.id, { emailKey: 'b@example.com' });
        await store.users.create(a);
        await store.users.create(b);
        await expectUnique(store.users.update(p.id, b.username, { emailKey: 'a@example.com', status: 'CONFIRMED' }, T0 + 1));
        expect(await store.users.getByKey(p.id, b.usernameKey)).toEqual(b);
      });

      describe('alias keys, pending attributes and MFA options', () => {
        it('getByAlias finds a user by each alias key, in its pool only; the new fields round-trip', async () => {
          const p = await freshPool();
          const u = user(p.id, {
            emailKey: 'mail@example.com', phoneKey: '+15550100', preferredUsernameKey: 'zoë.😀',
            pendingAttributes: { email: 'New@Example.com', phone_number: '+15550199' },
            mfaOptions: [{ deliveryMedium: 'SMS', attributeName: 'phone_number' }],
          });
          await store.users.create(u);
          expect(await store.users.getByAlias(p.id, 'email', 'mail@example.com')).toEqual(u);
          expect(await store.users.getByAlias(p.id, 'phone_number', '+15550100')).toEqual(u);
          expect(await store.users.getByAlias(p.id, 'preferred_username', 'zoë.😀')).toEqual(u);
          expect(await store.users.getByEmailKey(p.id, 'mail@example.com')).toEqual(u);
          // Each key is looked up in its own column only.
          expect(await store.users.getByAlias(p.id, 'email', '+15550100')).toBeUndefined();
          expect(await store.users.getByAlias(p.id, 'preferred_username', 'mail@example.com')).toBeUndefined();
          expect(await store.users.getByAlias(p.id, 'phone_number', '+15550101')).toBeUndefined();
          expect(await store.users.getByAlias(uid('us-east-1_other'), 'phone_number', '+15550100')).toBeUndefined();
          const plain = user(p.id);
          await store.users.create(plain);
          expect(await store.users.getByKey(p.id, plain.usernameKey)).toMatchObject({
            phoneKey: null, preferredUsernameKey: null, pendingAttributes: {}, mfaOptions: [],
          });
        });

        it('refuses a phone or preferred_username key another user of the pool holds, with UniqueViolation', async () => {
          const p = await freshPool();
          const u = user(p.id, { phoneKey: '+15550100', preferredUsernameKey: 'taken' });
          await store.users.create(u);
          await expectUnique(store.users.create(user(p.id, { phoneKey: '+15550100' })));
          await expectUnique(store.users.create(user(p.id, { preferredUsernameKey: 'taken' })));
          // Without keys, any number of users; with the same keys in another pool, fine.
          for (let i = 0; i < 2; i++) await store.users.create(user(p.id));
          expect(await store.users.count(p.id)).toBe(3);
          const other = await freshPool();
          await store.users.create({ ...u, poolId: other.id });
          expect((await store.users.getByAlias(other.id, 'preferred_username', 'taken'))?.poolId).toBe(other.id);
        });

        it('update sets and clears the keys, the pending attributes and the MFA options', async () => {
          const p = await freshPool();
          const u = user(p.id);
          await store.users.create(u);
          const patch = {
            phoneKey: '+15550123', preferredUsernameKey: 'rider', pendingAttributes: { email: 'next@example.com' },
            mfaOptions: [{ deliveryMedium: 'SMS' as const, attributeName: 'phone_number' as const }],
          };
          await store.users.update(p.id, u.username, patch, T0 + 100);
          expect(await store.users.getByAlias(p.id, 'phone_number', '+15550123')).toEqual({ ...u, ...patch, updatedAt: T0 + 100 });
          await store.users.update(p.id, u.username, { phoneKey: null, preferredUsernameKey: null, pendingAttributes: {}, mfaOptions: [] }, T0 + 200);
          expect(await store.users.getByKey(p.id, u.usernameKey)).toEqual({ ...u, updatedAt: T0 + 200 });
          expect(await store.users.getByAlias(p.id, 'preferred_username', 'rider')).toBeUndefined();
        });

        it('update refuses an alias key another user holds, with UniqueViolation and no change', async () => {
          const p = await freshPool();
          const a = user(p.id, { phoneKey: '+15550001', preferredUsernameKey: 'alpha' });
          const b = user(p.id);
          await store.users.create(a);
          await store.users.create(b);
          await expectUnique(store.users.update(p.id, b.username, { phoneKey: '+15550001', status: 'CONFIRMED' }, T0 + 1));
          await expectUnique(store.users.update(p.id, b.username, { preferredUsernameKey: 'alpha', pendingAttributes: { email: 'x@y.z' } }, T0 + 1));
          expect(await store.users.getByKey(p.id, b.usernameKey)).toEqual(b);
        });
      });

      it('update of one user leaves the same username in another pool alone', async () => {
        const p = await freshPool();
        const other = await freshPool();
        const u = user(p.id);
        await store.users.create(u);
        await store.users.create({ ...u, poolId: other.id });
        await store.users.update(p.id, u.username, { status: 'CONFIRMED' }, T0 + 1);
        expect((await store.users.getByKey(other.id, u.usernameKey))?.status).toBe('UNCONFIRMED');
      });

      it('delete removes the user with its codes and refresh tokens', async () => {
        const p = await freshPool();
        const c = client(p.id);
        await store.clients.create(c);
        const u = user(p.id);
        const keep = user(p.id);
        await store.users.create(u);
        await store.users.create(keep);
        await store.codes.put(code(p.id, u.username));
        await store.codes.put(code(p.id, keep.username));
        const t = refresh(p.id, c.id, u.username);
        const kt = refresh(p.id, c.id, keep.username);
        await store.tokens.addRefresh(t);
        await store.tokens.addRefresh(kt);
        expect(await store.users.delete(p.id, u.username)).toBe(true);
        expect(await store.users.getByKey(p.id, u.usernameKey)).toBeUndefined();
        expect(await store.codes.countAttempt(p.id, u.username, 'sign-up')).toBeUndefined();
        expect(await store.tokens.getRefresh(t.digest)).toBeUndefined();
        expect(await store.users.count(p.id)).toBe(1);
        expect(await store.tokens.getRefresh(kt.digest)).toEqual(kt);
        expect((await store.codes.countAttempt(p.id, keep.username, 'sign-up'))?.attempts).toBe(1);
        expect(await store.users.delete(p.id, u.username)).toBe(false);
        // Its username, sub and keys are free again.
        await store.users.create(u);
        expect(await store.users.count(p.id)).toBe(2);
      });

      it('count counts the users of one pool, as a number', async () => {
        const p = await freshPool();
        const count0 = await store.users.count(p.id);
        expect(count0).toBe(0);
        expect(typeof count0).toBe('number');
        for (let i = 0; i < 4; i++) await store.users.create(user(p.id));
        const other = await freshPool();
        await store.users.create(user(other.id));
        expect(await store.users.count(p.id)).toBe(4);
        expect(await store.users.count(other.id)).toBe(1);
      });

      describe('list', () => {
        let p: PoolRecord;
        let people: Record<string, UserRecord>;
        const names = (users: UserRecord[]) => users.map((u) => u.username);

        beforeAll(async () => {
          p = await freshPool();
          const mk = (username: string, over: Partial<UserRecord>, attrs: Record<string, string>) => {
            const sub = over.sub ?? randomUUID();
            return user(p.id, { username, usernameKey: username, sub, ...over, attributes: { sub, ...attrs } });
          };
          people = {
            alice: mk('alice', { status: 'CONFIRMED', sub: 'aaaa1111-0000-4000-8000-000000000001' }, { email: 'alice@example.com', name: 'Alice Smith' }),
            alicia: mk('alicia', { status: 'UNCONFIRMED' }, { email: 'alicia@example.org', name: 'Alicia 100%_off' }),
            bob: mk('bob', { status: 'CONFIRMED', enabled: false }, { email: 'bob@example.com', name: 'Zoë Müller', phone_number: '+15550100' }),
            carol: mk('carol', { status: 'FORCE_CHANGE_PASSWORD', sub: 'aaaa2222-0000-4000-8000-000000000002' }, { email: 'carol@example.com', name: 'x😀y' }),
            dave: mk('dave', { status: 'RESET_REQUIRED', enabled: false }, { name: 'Dave' }),
          };
          for (const u of Object.values(people)) await store.users.create(u);
          // The same usernames in another pool must never show up.
          const other = await freshPool();
          await store.users.create(user(other.id, { username: 'alice', usernameKey: 'alice', attributes: { email: 'alice@example.com' } }));
        });

        it('without a filter lists the pool ordered by username, whole records', async () => {
          const all = await store.users.list(p.id, { limit: 60 });
          expect(names(all)).toEqual(['alice', 'alicia', 'bob', 'carol', 'dave']);
          expect(all[0]).toEqual(people.alice);
          expectNumbers(all[0]!, ['createdAt', 'updatedAt']);
        });

        it('honours the limit and pages with `after` (keyset)', async () => {
          const seen: string[] = [];
          let after: string | undefined;
          for (;;) {
            const page = await store.users.list(p.id, { limit: 2, after });
            expect(page.length).toBeLessThanOrEqual(2);
            seen.push(...names(page));
            if (page.length < 2) break;
            after = page.at(-1)!.username;
          }
          expect(seen).toEqual(['alice', 'alicia', 'bob', 'carol', 'dave']);
          expect(names(await store.users.list(p.id, { limit: 60, after: 'b' }))).toEqual(['bob', 'carol', 'dave']);
          expect(names(await store.users.list(p.id, { limit: 60, after: 'bob' }))).toEqual(['carol', 'dave']);
          expect(await store.users.list(p.id, { limit: 60, after: 'dave' })).toEqual([]);
          expect(names(await store.users.list(p.id, { limit: 1 }))).toEqual(['alice']);
        });

        it.each([
          ['username eq', { field: 'username', op: 'eq', value: 'alice' }, ['alice']],
          ['username prefix', { field: 'username', op: 'prefix', value: 'ali' }, ['alice', 'alicia']],
          ['username prefix, no match', { field: 'username', op: 'prefix', value: 'zz' }, []],
          ['username eq is exact, not a prefix', { field: 'username', op: 'eq', value: 'ali' }, []],
          ['sub eq', { field: 'sub', op: 'eq', value: 'aaaa2222-0000-4000-8000-000000000002' }, ['carol']],
          ['sub prefix', { field: 'sub', op: 'prefix', value: 'aaaa' }, ['alice', 'carol']],
          ['status eq', { field: 'status', op: 'eq', value: 'CONFIRMED' }, ['alice', 'bob']],
          ['status prefix', { field: 'status', op: 'prefix', value: 'UN' }, ['alicia']],
          ['status eq RESET_REQUIRED', { field: 'status', op: 'eq', value: 'RESET_REQUIRED' }, ['dave']],
          ['enabled eq Enabled', { field: 'enabled', op: 'eq', value: 'Enabled' }, ['alice', 'alicia', 'carol']],
          ['enabled eq Disabled', { field: 'enabled', op: 'eq', value: 'Disabled' }, ['bob', 'dave']],
          ['enabled prefix', { field: 'enabled', op: 'prefix', value: 'Dis' }, ['bob', 'dave']],
          ['attribute eq', { field: 'attribute', attribute: 'email', op: 'eq', value: 'bob@example.com' }, ['bob']],
          ['attribute prefix', { field: 'attribute', attribute: 'email', op: 'prefix', value: 'alic' }, ['alice', 'alicia']],
          ['attribute prefix on the domain part does not match', { field: 'attribute', attribute: 'email', op: 'prefix', value: 'example' }, []],
          ['attribute missing on some users', { field: 'attribute', attribute: 'phone_number', op: 'prefix', value: '+1' }, ['bob']],
          ['attribute prefix with LIKE wildcards taken literally', { field: 'attribute', attribute: 'name', op: 'prefix', value: 'Alicia 100%_' }, ['alicia']],
          ['attribute prefix: % is not a wildcard', { field: 'attribute', attribute: 'name', op: 'prefix', value: '%' }, []],
          ['attribute prefix: _ is not a wildcard', { field: 'attribute', attribute: 'name', op: 'prefix', value: '_' }, []],
          ['attribute prefix with non-ASCII letters', { field: 'attribute', attribute: 'name', op: 'prefix', value: 'Zoë M' }, ['bob']],
          ['attribute prefix with an astral character', { field: 'attribute', attribute: 'name', op: 'prefix', value: 'x😀' }, ['carol']],
          ['attribute eq with an astral character', { field: 'attribute', attribute: 'name', op: 'eq', value: 'x😀y' }, ['carol']],
          ['an attribute no user has', { field: 'attribute', attribute: 'given_name', op: 'eq', value: 'x' }, []],
        ] as const)('filters: %s', async (_label, filter, expected) => {
          expect(names(await store.users.list(p.id, { filter: { ...filter }, limit: 60 }))).toEqual(expected);
        });

        it('combines a filter with `after` and the limit', async () => {
          const filter = { field: 'status', op: 'prefix', value: '' } as const;
          expect(names(await store.users.list(p.id, { filter: { field: 'enabled', op: 'eq', value: 'Enabled' }, after: 'alice', limit: 1 }))).toEqual(['alicia']);
          expect(names(await store.users.list(p.id, { filter, after: 'bob', limit: 60 }))).toEqual(['carol', 'dave']);
        });
      });
    });

    describe('unusual text', () => {
      it('a NUL character in an attribute value round-trips, matches itself and breaks no filter (PostgreSQL text cannot hold NUL)', async () => {
        const p = await freshPool();
        const odd = user(p.id, { attributes: { sub: 'x', name: 'a\u0000b', email: 'nul@example.com' } });
        await store.users.create(odd);
        expect((await store.users.getByKey(p.id, odd.usernameKey))?.attributes.name).toBe('a\u0000b');
        const byEmail = await store.users.list(p.id, { filter: { field: 'attribute', attribute: 'email', op: 'eq', value: 'nul@example.com' }, limit: 60 });
        expect(byEmail.map((u) => u.username)).toEqual([odd.username]);
        expect(await store.users.list(p.id, { filter: { field: 'attribute', attribute: 'given_name', op: 'prefix', value: 'a' }, limit: 60 })).toEqual([]);
        const byName = (op: 'eq' | 'prefix', value: string) => store.users.list(p.id, { filter: { field: 'attribute', attribute: 'name', op, value }, limit: 60 });
        expect((await byName('eq', 'a\u0000b')).map((u) => u.username)).toEqual([odd.username]);
        expect(await byName('eq', 'ab')).toEqual([]);
        expect(await store.users.list(p.id, { filter: { field: 'username', op: 'eq', value: '\u0000' }, limit: 60 })).toEqual([]);
      });
    });

    describe('order of text keys', () => {
      // SQLite compares text byte by byte; PostgreSQL would follow the database's collation (en-US puts
      // 'alice' before 'Bob' and skips punctuation). Both must list in code point order, which is JS's
      // sort order for these (no astral characters).
      const KEYS = ['Bob', 'alice', 'Alice', '_x', 'a-b', 'ab', 'a b', 'Zoë', 'zoe', 'Émile', 'e', '10', '9', 'a_c', 'aB'];

      it('usernames list and page in code point order', async () => {
        const p = await freshPool();
        for (const username of KEYS) await store.users.create(user(p.id, { username, usernameKey: username }));
        const expected = [...KEYS].sort();
        expect((await store.users.list(p.id, { limit: 60 })).map((u) => u.username)).toEqual(expected);
        const paged: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await store.users.list(p.id, { limit: 4, after });
          paged.push(...page.map((u) => u.username));
          if (page.length < 4) break;
          after = page.at(-1)!.username;
        }
        expect(paged).toEqual(expected);
        expect((await store.users.list(p.id, { limit: 60, after: 'B' })).map((u) => u.username)).toEqual(expected.filter((k) => k > 'B'));
      });

      it('pool and client ids list in code point order (pool ids mix cases)', async () => {
        const prefix = `us-east-1_Ord${run}`;
        const ids = KEYS.map((k) => `${prefix}${k}`);
        for (const id of ids) await store.pools.create(pool({ id }));
        const listed = (await store.pools.list(prefix, 1000)).map((p) => p.id).filter((id) => id.startsWith(prefix));
        expect(listed).toEqual([...ids].sort());
        const p = await freshPool();
        const clientIds = KEYS.map((k) => `${k}${run}`);
        for (const id of clientIds) await store.clients.create(client(p.id, { id }));
        expect((await store.clients.list(p.id, undefined, 100)).map((c) => c.id)).toEqual([...clientIds].sort());
      });
    });

    describe('codes', () => {
      it('put stores a code; countAttempt counts and returns it with numbers', async () => {
        const p = await freshPool();
        const c = code(p.id, 'u1', { purpose: 'forgot-password', attempts: 2 });
        await store.codes.put(c);
        const counted = await store.codes.countAttempt(p.id, 'u1', 'forgot-password');
        expect(counted).toEqual({ ...c, attempts: 3 });
        expectNumbers(counted!, ['expiresAt', 'attempts']);
        expect(await store.codes.countAttempt(p.id, 'u1', 'sign-up')).toBeUndefined();
        expect(await store.codes.countAttempt(p.id, 'u2', 'forgot-password')).toBeUndefined();
      });

      it('put replaces the code of the same user and purpose (attempts reset), and no other', async () => {
        const p = await freshPool();
        await store.codes.put(code(p.id, 'u', { digest: 'old', attempts: 4 }));
        await store.codes.put(code(p.id, 'u', { purpose: 'verify-email', digest: 'other' }));
        const fresh = code(p.id, 'u', { digest: 'new', attempts: 0, expiresAt: T0 + 5 });
        await store.codes.put(fresh);
        expect(await store.codes.countAttempt(p.id, 'u', 'sign-up')).toEqual({ ...fresh, attempts: 1 });
        expect(await store.codes.countAttempt(p.id, 'u', 'verify-email')).toMatchObject({ digest: 'other', attempts: 1 });
      });

      it('countAttempt is atomic: 20 concurrent calls count 20 distinct attempts', async () => {
        const p = await freshPool();
        await store.codes.put(code(p.id, 'racer'));
        const results = await Promise.all(Array.from({ length: 20 }, () => store.codes.countAttempt(p.id, 'racer', 'sign-up')));
        const attempts = results.map((r) => r!.attempts);
        expect(new Set(attempts).size).toBe(20);
        expect([...attempts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect((await store.codes.countAttempt(p.id, 'racer', 'sign-up'))?.attempts).toBe(21);
      });

      it('delete removes one code only', async () => {
        const p = await freshPool();
        await store.codes.put(code(p.id, 'u'));
        await store.codes.put(code(p.id, 'u', { purpose: 'verify-email' }));
        await store.codes.put(code(p.id, 'v'));
        await store.codes.delete(p.id, 'u', 'sign-up');
        expect(await store.codes.countAttempt(p.id, 'u', 'sign-up')).toBeUndefined();
        expect(await store.codes.countAttempt(p.id, 'u', 'verify-email')).toBeDefined();
        expect(await store.codes.countAttempt(p.id, 'v', 'sign-up')).toBeDefined();
        await store.codes.delete(p.id, 'u', 'sign-up'); // deleting nothing is fine
      });
    });

    describe('keys', () => {
      it('add / list the keys of a pool, oldest first, with the JWK parsed', async () => {
        const p = await freshPool();
        const newer = key(p.id, { use: 'access', createdAt: T0 + 100 });
        const older = key(p.id, { use: 'id', createdAt: T0 });
        await store.keys.add(newer);
        await store.keys.add(older);
        const other = await freshPool();
        await store.keys.add(key(other.id));
        const listed = await store.keys.list(p.id);
        expect(listed).toEqual([older, newer]);
        expectNumbers(listed[0]!, ['createdAt']);
        expect(await store.keys.list(uid('us-east-1_none'))).toEqual([]);
      });
      it('replacePrivateKey replaces one key\'s private key, scoped by pool; false for an unknown key', async () => {
        const p = await freshPool();
        const [a, b] = [key(p.id), key(p.id, { createdAt: T0 + 1 })];
        await store.keys.add(a);
        await store.keys.add(b);
        const other = await freshPool();
        expect(await store.keys.replacePrivateKey(p.id, a.kid, 'replaced')).toBe(true);
        expect(await store.keys.list(p.id)).toEqual([{ ...a, privateKeyPem: 'replaced' }, b]);
        expect(await store.keys.replacePrivateKey(other.id, b.kid, 'elsewhere')).toBe(false);
        expect(await store.keys.replacePrivateKey(p.id, uid('kid'), 'nobody')).toBe(false);
        expect((await store.keys.list(p.id))[1]).toEqual(b);
      });
    });

    describe('tokens', () => {
      async function setup() {
        const p = await freshPool();
        const c = client(p.id);
        await store.clients.create(c);
        return { p, c };
      }

      it('addRefresh / getRefresh round-trip, numbers as numbers', async () => {
        const { p, c } = await setup();
        const t = refresh(p.id, c.id, 'u');
        await store.tokens.addRefresh(t);
        const got = await store.tokens.getRefresh(t.digest);
        expect(got).toEqual(t);
        expectNumbers(got!, ['authTime', 'expiresAt']);
        expect(got!.revokedAt).toBeNull();
        expect(await store.tokens.getRefresh(uid('digest-missing'))).toBeUndefined();
      });

      it('revokeFamily revokes every token of one family (keeping earlier revocations) and no other', async () => {
        const { p, c } = await setup();
        const jti = uid('jti');
        const a = refresh(p.id, c.id, 'u', { originJti: jti });
        const b = refresh(p.id, c.id, 'u', { originJti: jti, revokedAt: T0 + 1 });
        const other = refresh(p.id, c.id, 'u');
        for (const t of [a, b, other]) await store.tokens.addRefresh(t);
        expect(await store.tokens.isFamilyRevoked(jti)).toBe(false); // a is still live
        await store.tokens.revokeFamily(jti, T0 + 50);
        expect(await store.tokens.isFamilyRevoked(jti)).toBe(true);
        const gotA = await store.tokens.getRefresh(a.digest);
        expect(gotA?.revokedAt).toBe(T0 + 50);
        expectNumbers(gotA!, ['revokedAt']);
        expect((await store.tokens.getRefresh(b.digest))?.revokedAt).toBe(T0 + 1);
        expect((await store.tokens.getRefresh(other.digest))?.revokedAt).toBeNull();
        expect(await store.tokens.isFamilyRevoked(other.originJti)).toBe(false);
      });

      it('isFamilyRevoked is false for a live family, true once revoked and for a family with no token left', async () => {
        const { p, c } = await setup();
        const t = refresh(p.id, c.id, 'u');
        await store.tokens.addRefresh(t);
        expect(await store.tokens.isFamilyRevoked(t.originJti)).toBe(false);
        expect(await store.tokens.isFamilyRevoked(uid('jti-unknown'))).toBe(true);
        await store.tokens.revokeFamily(t.originJti, T0 + 9);
        expect(await store.tokens.isFamilyRevoked(t.originJti)).toBe(true);
      });

      it('revokeUser revokes every token of one user in one pool only', async () => {
        const { p, c } = await setup();
        const other = await setup();
        const mine = [refresh(p.id, c.id, 'u'), refresh(p.id, c.id, 'u')];
        const someoneElse = refresh(p.id, c.id, 'v');
        const samenameOtherPool = refresh(other.p.id, other.c.id, 'u');
        for (const t of [...mine, someoneElse, samenameOtherPool]) await store.tokens.addRefresh(t);
        await store.tokens.revokeUser(p.id, 'u', T0 + 7);
        for (const t of mine) {
          expect((await store.tokens.getRefresh(t.digest))?.revokedAt).toBe(T0 + 7);
          expect(await store.tokens.isFamilyRevoked(t.originJti)).toBe(true);
        }
        expect((await store.tokens.getRefresh(someoneElse.digest))?.revokedAt).toBeNull();
        expect((await store.tokens.getRefresh(samenameOtherPool.digest))?.revokedAt).toBeNull();
        await store.tokens.revokeUser(p.id, 'u', T0 + 8);
        expect((await store.tokens.getRefresh(mine[0]!.digest))?.revokedAt).toBe(T0 + 7);
      });

      it('useOnce is true the first time and false after, even when raced', async () => {
        const id = uid('once');
        expect(await store.tokens.useOnce(id, T0 + 60_000)).toBe(true);
        expect(await store.tokens.useOnce(id, T0 + 60_000)).toBe(false);
        expect(await store.tokens.useOnce(uid('once'), T0 + 60_000)).toBe(true);
        const raced = uid('once');
        const results = await Promise.all(Array.from({ length: 10 }, () => store.tokens.useOnce(raced, T0 + 60_000)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('purgeExpired removes expired single-use ids and codes, refresh tokens a day after expiry, and nothing live', async () => {
        // A clock of its own far in the past, so records of other tests (at T0 and later) are never expired.
        const NOW = 1_000_000_000;
        const { p, c } = await setup();
        const onceOld = uid('once');
        const onceLive = uid('once');
        await store.tokens.useOnce(onceOld, NOW - 1);
        await store.tokens.useOnce(onceLive, NOW + 1);
        const DAY = 86_400_000 + 60_000;
        const tokenOld = refresh(p.id, c.id, 'u', { expiresAt: NOW - DAY - 1 });
        const tokenEdge = refresh(p.id, c.id, 'u', { expiresAt: NOW - 1 });
        const tokenLive = refresh(p.id, c.id, 'u', { expiresAt: NOW + 1 });
        for (const t of [tokenOld, tokenEdge, tokenLive]) await store.tokens.addRefresh(t);
        await store.codes.put(code(p.id, 'old', { expiresAt: NOW - 1000 }));
        await store.codes.put(code(p.id, 'live', { expiresAt: NOW + 1000 }));

        const purged = await store.tokens.purgeExpired(NOW);
        expect(typeof purged).toBe('number');
        expect(purged).toBe(3);
        expect(await store.tokens.getRefresh(tokenOld.digest)).toBeUndefined();
        expect(await store.tokens.getRefresh(tokenEdge.digest)).toEqual(tokenEdge);
        expect(await store.tokens.getRefresh(tokenLive.digest)).toEqual(tokenLive);
        expect(await store.codes.countAttempt(p.id, 'old', 'sign-up')).toBeUndefined();
        expect(await store.codes.countAttempt(p.id, 'live', 'sign-up')).toBeDefined();
        // The purged id may be recorded again; the live one is still used.
        expect(await store.tokens.useOnce(onceOld, NOW + 5)).toBe(true);
        expect(await store.tokens.useOnce(onceLive, NOW + 5)).toBe(false);
        expect(await store.tokens.purgeExpired(NOW)).toBe(0);
      });
    });

    describe('outbox', () => {
      /** Outbox queries are global: look only at this test's messages. */
      const only = (ids: string[], rows: OutboxRecord[]) => rows.filter((r) => ids.includes(r.id));

      it('enqueue / due: unsent messages whose time has come, oldest first, numbers as numbers', async () => {
        const NOW = T0 + 10_000_000;
        const late = mail({ nextAttemptAt: NOW - 10, poolId: 'us-east-1_x' });
        const early = mail({ nextAttemptAt: NOW - 20 });
        const onTime = mail({ nextAttemptAt: NOW });
        const future = mail({ nextAttemptAt: NOW + 1 });
        const sent = mail({ nextAttemptAt: NOW - 30, sentAt: NOW - 25 });
        for (const m of [late, early, onTime, future, sent]) await store.outbox.enqueue(m);
        const ids = [late, early, onTime, future, sent].map((m) => m.id);
        const due = only(ids, await store.outbox.due(NOW, 10_000));
        expect(due).toEqual([early, late, onTime]);
        expectNumbers(due[0]!, ['createdAt', 'attempts', 'nextAttemptAt']);
        const all = await store.outbox.due(NOW, 10_000);
        expect(all.map((m) => m.nextAttemptAt)).toEqual([...all.map((m) => m.nextAttemptAt)].sort((a, b) => a - b));
        expect(all.every((m) => m.sentAt === null && m.nextAttemptAt <= NOW)).toBe(true);
        expect((await store.outbox.due(NOW, 2)).length).toBe(2);
      });

      it('markSent takes a message out of due and records the time', async () => {
        const NOW = T0 + 20_000_000;
        const m = mail({ nextAttemptAt: NOW - 1, lastError: 'earlier failure', attempts: 2 });
        await store.outbox.enqueue(m);
        await store.outbox.markSent(m.id, NOW);
        expect(only([m.id], await store.outbox.due(NOW + 1_000_000, 10_000))).toEqual([]);
        const [row] = only([m.id], await store.outbox.recent(10_000));
        expect(row).toEqual({ ...m, sentAt: NOW, lastError: null });
        expectNumbers(row!, ['sentAt']);
      });

      it('markFailed counts the attempt, keeps the error and moves the next attempt', async () => {
        const NOW = T0 + 30_000_000;
        const m = mail({ nextAttemptAt: NOW - 1 });
        await store.outbox.enqueue(m);
        await store.outbox.markFailed(m.id, 'connect ECONNREFUSED', NOW + 1000);
        expect(only([m.id], await store.outbox.due(NOW, 10_000))).toEqual([]);
        const [row] = only([m.id], await store.outbox.due(NOW + 1000, 10_000));
        expect(row).toEqual({ ...m, attempts: 1, lastError: 'connect ECONNREFUSED', nextAttemptAt: NOW + 1000 });
        await store.outbox.markFailed(m.id, 'again', NOW + 3000);
        const [again] = only([m.id], await store.outbox.recent(10_000));
        expect(again).toMatchObject({ attempts: 2, lastError: 'again', nextAttemptAt: NOW + 3000, sentAt: null });
        expectNumbers(again!, ['attempts', 'nextAttemptAt']);
      });

      it('recent lists the newest messages first, sent or not, up to the limit', async () => {
        // Far in the future so these are the newest in any store.
        const base = Date.now() + 100 * 365 * 86_400_000;
        const a = mail({ createdAt: base + 1 });
        const b = mail({ createdAt: base + 3, sentAt: base + 4 });
        const c = mail({ createdAt: base + 2 });
        for (const m of [a, b, c]) await store.outbox.enqueue(m);
        expect(await store.outbox.recent(3)).toEqual([b, c, a]);
        expect(await store.outbox.recent(1)).toEqual([b]);
      });

      it('claim leases due messages to one sender: concurrent claims never share a message; an expired lease makes it due again', async () => {
        const NOW = T0 + 50_000_000;
        const due = Array.from({ length: 6 }, (_, i) => mail({ nextAttemptAt: NOW - 100 + i, createdAt: NOW - 1000 + i }));
        const later = mail({ nextAttemptAt: NOW + 1 });
        const sent = mail({ nextAttemptAt: NOW - 5, sentAt: NOW - 4 });
        for (const m of [...due, later, sent]) await store.outbox.enqueue(m);
        const ids = [...due, later, sent].map((m) => m.id);
        const [a, b] = await Promise.all([store.outbox.claim(NOW, NOW + 60_000, 10_000), store.outbox.claim(NOW, NOW + 60_000, 10_000)]);
        const mineA = only(ids, a).map((m) => m.id);
        const mineB = only(ids, b).map((m) => m.id);
        expect(mineA.filter((id) => mineB.includes(id))).toEqual([]);
        expect([...mineA, ...mineB].sort()).toEqual(due.map((m) => m.id).sort());
        expect(only(ids, await store.outbox.claim(NOW + 59_999, NOW + 120_000, 10_000)).map((m) => m.id)).toEqual([later.id]);
        const again = only(ids, await store.outbox.claim(NOW + 60_000, NOW + 120_000, 10_000));
        expect(again.map((m) => m.id).sort()).toEqual(due.map((m) => m.id).sort());
        expect(again.every((m) => m.nextAttemptAt === NOW + 120_000)).toBe(true);
        expectNumbers(again[0]!, ['createdAt', 'attempts', 'nextAttemptAt']);
        await store.outbox.markSent(due[0]!.id, NOW);
        expect(only(ids, await store.outbox.claim(NOW + 1_000_000, NOW + 2_000_000, 10_000)).map((m) => m.id).sort()).toEqual(
          [...due.slice(1), later].map((m) => m.id).sort(),
        );
      });
    });

    describe('kv', () => {
      it('get is undefined for a missing key; putIfAbsent keeps the first value', async () => {
        const k = uid('key');
        expect(await store.kv.get(k)).toBeUndefined();
        expect(await store.kv.putIfAbsent(k, 'first')).toBe('first');
        expect(await store.kv.putIfAbsent(k, 'second')).toBe('first');
        expect(await store.kv.get(k)).toBe('first');
      });

      it('concurrent putIfAbsent calls all see the one value that won', async () => {
        const k = uid('key');
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.kv.putIfAbsent(k, `v${i}`)));
        expect(new Set(results).size).toBe(1);
        expect(await store.kv.get(k)).toBe(results[0]);
      });

      it('put stores a value and replaces it; putIfAbsent then keeps it', async () => {
        const k = uid('key');
        await store.kv.put(k, 'one');
        expect(await store.kv.get(k)).toBe('one');
        await store.kv.put(k, 'two');
        expect(await store.kv.get(k)).toBe('two');
        expect(await store.kv.putIfAbsent(k, 'three')).toBe('two');
        const other = uid('key');
        expect(await store.kv.get(other)).toBeUndefined();
      });

      it('put inside a transaction lands with it or not at all', async () => {
        const k = uid('key');
        await store.kv.put(k, 'before');
        await expect(
          store.transaction(async (tx) => {
            await tx.kv.put(k, 'rolled back');
            throw new Error('abort');
          }),
        ).rejects.toThrow('abort');
        expect(await store.kv.get(k)).toBe('before');
        await store.transaction((tx) => tx.kv.put(k, 'committed'));
        expect(await store.kv.get(k)).toBe('committed');
      });

      it('keeps long and non-ASCII values exactly', async () => {
        const k = uid('key');
        const value = `{"json":true,"text":"Zoë 😀 \\" '"}${'x'.repeat(10_000)}`;
        expect(await store.kv.putIfAbsent(k, value)).toBe(value);
        expect(await store.kv.get(k)).toBe(value);
      });
    });

    groupsContract({ store: () => store, freshPool: () => freshPool(), user, uid, T0 });
    limitsContract({ store: () => store, uid, T0 });

    describe('transaction', () => {
      it('commits every write together and returns the result', async () => {
        const p = pool();
        const u = user(p.id);
        const k = uid('key');
        const result = await store.transaction(async (tx) => {
          await tx.pools.create(p);
          await tx.users.create(u);
          await tx.kv.putIfAbsent(k, 'v');
          // Reads inside the transaction see its writes.
          expect(await tx.users.count(p.id)).toBe(1);
          return 'done';
        });
        expect(result).toBe('done');
        expect(await store.pools.get(p.id)).toEqual(p);
        expect(await store.users.getByKey(p.id, u.usernameKey)).toEqual(u);
        expect(await store.kv.get(k)).toBe('v');
      });

      it('a throw inside rolls back every write of every kind', async () => {
        const existing = await freshPool();
        const existingUser = user(existing.id);
        await store.users.create(existingUser);
        await store.codes.put(code(existing.id, existingUser.username, { attempts: 0 }));

        const p = pool();
        const c = client(p.id);
        const u = user(p.id);
        const t = refresh(p.id, c.id, u.username);
        const m = mail();
        const k = uid('key');
        const once = uid('once');
        const kk = key(p.id);
        const boom = new Error('boom');
        await expect(
          store.transaction(async (tx) => {
            await tx.pools.create(p);
            await tx.clients.create(c);
            await tx.users.create(u);
            await tx.keys.add(kk);
            await tx.tokens.addRefresh(t);
            await tx.outbox.enqueue(m);
            await tx.kv.putIfAbsent(k, 'v');
            await tx.tokens.useOnce(once, T0 + 1_000_000);
            await tx.pools.update({ ...existing, name: 'changed in tx' });
            await tx.users.update(existing.id, existingUser.username, { status: 'CONFIRMED' }, T0 + 1);
            await tx.codes.countAttempt(existing.id, existingUser.username, 'sign-up');
            throw boom;
          }),
        ).rejects.toBe(boom);

        expect(await store.pools.get(p.id)).toBeUndefined();
        expect(await store.clients.get(c.id)).toBeUndefined();
        expect(await store.users.count(p.id)).toBe(0);
        expect(await store.keys.list(p.id)).toEqual([]);
        expect(await store.tokens.getRefresh(t.digest)).toBeUndefined();
        expect((await store.outbox.recent(10_000)).some((r) => r.id === m.id)).toBe(false);
        expect(await store.kv.get(k)).toBeUndefined();
        expect(await store.tokens.useOnce(once, T0 + 1_000_000)).toBe(true);
        expect(await store.pools.get(existing.id)).toEqual(existing);
        expect(await store.users.getByKey(existing.id, existingUser.usernameKey)).toEqual(existingUser);
        expect((await store.codes.countAttempt(existing.id, existingUser.username, 'sign-up'))?.attempts).toBe(1);
      });

      it('a UniqueViolation inside rolls back the writes before it', async () => {
        const p = await freshPool();
        const taken = user(p.id);
        await store.users.create(taken);
        const m = mail();
        await expect(
          store.transaction(async (tx) => {
            await tx.outbox.enqueue(m);
            await tx.users.create(user(p.id, { usernameKey: taken.usernameKey }));
          }),
        ).rejects.toBeInstanceOf(UniqueViolation);
        expect((await store.outbox.recent(10_000)).some((r) => r.id === m.id)).toBe(false);
        expect(await store.users.count(p.id)).toBe(1);
      });

      it('a UniqueViolation caught inside goes no further: the transaction carries on and commits', async () => {
        const p = await freshPool();
        const taken = user(p.id);
        await store.users.create(taken);
        const before = mail();
        const after = user(p.id);
        await store.transaction(async (tx) => {
          await tx.outbox.enqueue(before);
          await expectUnique(tx.users.create(user(p.id, { usernameKey: taken.usernameKey })));
          expect(await tx.tokens.useOnce(uid('once'), T0 + 1)).toBe(true);
          await tx.users.create(after);
        });
        expect((await store.outbox.recent(10_000)).some((r) => r.id === before.id)).toBe(true);
        expect(await store.users.getByKey(p.id, after.usernameKey)).toEqual(after);
        expect(await store.users.count(p.id)).toBe(2);
      });

      it('useOnce inside a transaction answers false for a used id and the transaction carries on', async () => {
        const id = uid('once');
        expect(await store.tokens.useOnce(id, T0 + 60_000)).toBe(true);
        const k = uid('key');
        await store.transaction(async (tx) => {
          expect(await tx.tokens.useOnce(id, T0 + 60_000)).toBe(false);
          await tx.kv.putIfAbsent(k, 'v');
        });
        expect(await store.kv.get(k)).toBe('v');
      });

      it('concurrent transactions creating the same user: exactly one wins, the others get UniqueViolation', async () => {
        const p = await freshPool();
        const contenders = Array.from({ length: 8 }, () => user(p.id, { username: 'same', usernameKey: 'same' }));
        const results = await Promise.allSettled(
          contenders.map((u) =>
            store.transaction(async (tx) => {
              if (await tx.users.getByKey(p.id, 'same')) throw new UniqueViolation('seen before the insert');
              await tx.users.create(u);
              await tx.outbox.enqueue(mail({ recipient: u.sub }));
            }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(UniqueViolation);
        const winner = await store.users.getByKey(p.id, 'same');
        expect(winner?.sub).toBe(contenders[results.findIndex((r) => r.status === 'fulfilled')]!.sub);
        // Only the winner's mail was queued.
        const subs = new Set(contenders.map((u) => u.sub));
        expect((await store.outbox.recent(10_000)).filter((m) => subs.has(m.recipient)).map((m) => m.recipient)).toEqual([winner!.sub]);
      });

      it('concurrent transactions updating one row all land (no lost update of a counter)', async () => {
        const p = await freshPool();
        const u = user(p.id);
        await store.users.create(u);
        await store.codes.put(code(p.id, u.username, { attempts: 0 }));
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.transaction(async (tx) => {
              await tx.codes.countAttempt(p.id, u.username, 'sign-up');
              await tx.users.update(p.id, u.username, { attributes: { ...u.attributes, n: String(i) } }, T0 + i);
            }),
          ),
        );
        expect((await store.codes.countAttempt(p.id, u.username, 'sign-up'))?.attempts).toBe(11);
      });

      it('two transactions that lock two rows in opposite orders both land (a deadlock is run again)', async () => {
        const p = await freshPool();
        const [a, b] = [user(p.id), user(p.id)];
        for (const u of [a, b]) {
          await store.users.create(u);
          await store.codes.put(code(p.id, u.username, { attempts: 0 }));
        }
        let open!: () => void;
        const gate = new Promise<void>((resolve) => {
          open = resolve;
        });
        // Where transactions run one at a time (SQLite) the first cannot wait for the second: it waits a little, then goes on.
        const waitForOther = () => Promise.race([gate, new Promise((resolve) => setTimeout(resolve, 300))]);
        const count = (tx: Store, u: UserRecord) => tx.codes.countAttempt(p.id, u.username, 'sign-up');
        await Promise.all([
          store.transaction(async (tx) => {
            await count(tx, a);
            await waitForOther();
            await count(tx, b);
          }),
          store.transaction(async (tx) => {
            await count(tx, b);
            open();
            await count(tx, a);
          }),
        ]);
        for (const u of [a, b]) expect((await count(store, u))?.attempts).toBe(3);
      });

      it('writes outside a transaction are not lost to a concurrent rollback', async () => {
        const p = await freshPool();
        const inside = user(p.id);
        const outside = user(p.id);
        let release!: () => void;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const tx = store.transaction(async (t) => {
          await t.users.create(inside);
          await gate;
          throw new Error('rollback');
        });
        const out = store.users.create(outside);
        release();
        await expect(tx).rejects.toThrow('rollback');
        await out;
        expect(await store.users.getByKey(p.id, inside.usernameKey)).toBeUndefined();
        expect(await store.users.getByKey(p.id, outside.usernameKey)).toEqual(outside);
      });
    });
  });
}
