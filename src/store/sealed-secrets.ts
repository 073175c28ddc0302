import type { GroupStore, KeyStore, KeyValueStore, SigningKeyRecord, Store, UserPatch, UserRecord, UserStore } from './store.js';

/** What this wrapper needs of crypto/seal.ts's Sealer (AEAD with associated data); the store layer names no crypto. */
export interface SecretSealer {
  seal(plaintext: string, purpose: string): string;
  open(sealed: string, purpose: string): Buffer | undefined;
}

/** A stored value that is sealed starts with this; anything else was written in the clear (before the upgrade). */
export const SEALED_PREFIX = 's1:';

/** kv entries that hold secrets: the generated admin SigV4 credentials, the console seed. */
export const SEALED_KV_KEYS: ReadonlySet<string> = new Set(['admin-credentials', 'console']);

/** A sealed value that does not open here: moved to another row, altered, or sealed under another server secret. */
export class SealedSecretError extends Error {
  override name = 'SealedSecretError';
}

/**
 * The associated data binds each sealed value to its row, so one cannot be moved: a verifier copied onto
 * another user (or a key onto another kid) no longer opens.
 */
const userPurpose = (field: 'salt' | 'verifier', poolId: string, username: string) => JSON.stringify(['user', field, poolId, username]);
const keyPurpose = (poolId: string, kid: string) => JSON.stringify(['signing key', poolId, kid]);
const kvPurpose = (key: string) => JSON.stringify(['kv', key]);

const isSealed = (value: string): boolean => value.startsWith(SEALED_PREFIX);

/** Seals and opens at the store boundary; the empty string (no password yet) stays as it is: it hides nothing. */
function secretCodec(sealer: SecretSealer) {
  const seal = (value: string, purpose: string) => (value === '' ? value : `${SEALED_PREFIX}${sealer.seal(value, purpose)}`);
  const open = (value: string, purpose: string, what: string) => {
    if (!isSealed(value)) return value;
    const plain = sealer.open(value.slice(SEALED_PREFIX.length), purpose);
    if (!plain) throw new SealedSecretError(`the sealed ${what} does not open: it was moved from another row, altered, or sealed under another server secret`);
    return plain.toString('utf8');
  };
  return {
    sealUser: <T extends Pick<UserRecord, 'salt' | 'verifier'> | UserPatch>(poolId: string, username: string, r: T): T => ({
      ...r,
      ...(r.salt !== undefined && { salt: seal(r.salt, userPurpose('salt', poolId, username)) }),
      ...(r.verifier !== undefined && { verifier: seal(r.verifier, userPurpose('verifier', poolId, username)) }),
    }),
    openUser: (u: UserRecord): UserRecord => ({
      ...u,
      salt: open(u.salt, userPurpose('salt', u.poolId, u.username), 'salt'),
      verifier: open(u.verifier, userPurpose('verifier', u.poolId, u.username), 'verifier'),
    }),
    sealPem: (poolId: string, kid: string, pem: string) => seal(pem, keyPurpose(poolId, kid)),
    openKey: (k: SigningKeyRecord): SigningKeyRecord => ({ ...k, privateKeyPem: open(k.privateKeyPem, keyPurpose(k.poolId, k.kid), 'signing key') }),
    sealKv: (key: string, value: string) => (SEALED_KV_KEYS.has(key) ? seal(value, kvPurpose(key)) : value),
    openKv: (key: string, value: string) => (SEALED_KV_KEYS.has(key) ? open(value, kvPurpose(key), `kv entry ${key}`) : value),
  };
}

/**
 * The store with its secrets sealed at rest (AES-256-GCM under a key derived from the server secret,
 * which only the master key unwraps): users' SRP salt and verifier, signing keys' private keys and the
 * SEALED_KV_KEYS entries are sealed on every write and opened on every read, so the domain sees them as
 * before and a copy of the database holds none of them. Values still in the clear (a database from before,
 * until sealPlaintextSecrets has run) are read as they are. Everything else passes through.
 */
export function withSealedSecrets(store: Store, sealer: SecretSealer): Store {
  const codec = secretCodec(sealer);
  const openMaybe = (u: UserRecord | undefined) => u && codec.openUser(u);
  const users: UserStore = {
    create: (u) => store.users.create(codec.sealUser(u.poolId, u.username, u)),
    createMany: (list) => store.users.createMany(list.map((u) => codec.sealUser(u.poolId, u.username, u))),
    getByKey: async (poolId, key) => openMaybe(await store.users.getByKey(poolId, key)),
    getByEmailKey: async (poolId, key) => openMaybe(await store.users.getByEmailKey(poolId, key)),
    getByAlias: async (poolId, attribute, key) => openMaybe(await store.users.getByAlias(poolId, attribute, key)),
    update: (poolId, username, patch, now) => store.users.update(poolId, username, codec.sealUser(poolId, username, patch), now),
    delete: (poolId, username) => store.users.delete(poolId, username),
    list: async (poolId, query) => (await store.users.list(poolId, query)).map(codec.openUser),
    count: (poolId) => store.users.count(poolId),
  };
  const g = store.groups;
  const groups: GroupStore = {
    create: (group) => g.create(group),
    get: (poolId, name) => g.get(poolId, name),
    list: (poolId, after, limit) => g.list(poolId, after, limit),
    count: (poolId) => g.count(poolId),
    update: (group) => g.update(group),
    delete: (poolId, name) => g.delete(poolId, name),
    addMember: (poolId, groupName, username, now) => g.addMember(poolId, groupName, username, now),
    removeMember: (poolId, groupName, username) => g.removeMember(poolId, groupName, username),
    listForUser: (poolId, username, after, limit) => g.listForUser(poolId, username, after, limit),
    countForUser: (poolId, username) => g.countForUser(poolId, username),
    listMembers: async (poolId, groupName, after, limit) => (await g.listMembers(poolId, groupName, after, limit)).map(codec.openUser),
  };
  const keys: KeyStore = {
    add: (k) => store.keys.add({ ...k, privateKeyPem: codec.sealPem(k.poolId, k.kid, k.privateKeyPem) }),
    list: async (poolId) => (await store.keys.list(poolId)).map(codec.openKey),
    replacePrivateKey: (poolId, kid, pem) => store.keys.replacePrivateKey(poolId, kid, codec.sealPem(poolId, kid, pem)),
  };
  const kv: KeyValueStore = {
    get: async (key) => {
      const value = await store.kv.get(key);
      return value === undefined ? value : codec.openKv(key, value);
    },
    putIfAbsent: async (key, value) => codec.openKv(key, await store.kv.putIfAbsent(key, codec.sealKv(key, value))),
    put: (key, value) => store.kv.put(key, codec.sealKv(key, value)),
  };
  return {
    backend: store.backend,
    pools: store.pools,
    clients: store.clients,
    users,
    groups,
    codes: store.codes,
    keys,
    tokens: store.tokens,
    outbox: store.outbox,
    kv,
    limits: store.limits,
    transaction: (fn) => store.transaction((tx) => fn(withSealedSecrets(tx, sealer))),
    close: () => store.close(),
  };
}

export interface SealedCounts {
  users: number;
  keys: number;
  kv: number;
}

/**
 * The one-time upgrade of a database from before sealing: seals every secret still in the clear, page by
 * page in transactions, through `store` (the unwrapped one). Idempotent: sealed values are left alone,
 * so starts racing on one database only repeat work. A user's updatedAt stays (nothing about them changed).
 */
export async function sealPlaintextSecrets(store: Store, sealer: SecretSealer): Promise<SealedCounts> {
  const codec = secretCodec(sealer);
  const counts: SealedCounts = { users: 0, keys: 0, kv: 0 };
  const clear = (v: string) => v !== '' && !isSealed(v);
  let afterPool: string | undefined;
  for (;;) {
    const pools = await store.pools.list(afterPool, 100);
    if (pools.length === 0) break;
    afterPool = pools.at(-1)!.id;
    for (const pool of pools) {
      let afterUser: string | undefined;
      for (;;) {
        const from = afterUser;
        const { last, sealed } = await store.transaction(async (tx) => {
          const users = await tx.users.list(pool.id, { after: from, limit: 500 });
          let n = 0;
          for (const u of users.filter((x) => clear(x.salt) || clear(x.verifier))) {
            const patch: UserPatch = {};
            if (clear(u.salt)) patch.salt = u.salt;
            if (clear(u.verifier)) patch.verifier = u.verifier;
            await tx.users.update(pool.id, u.username, codec.sealUser(pool.id, u.username, patch), u.updatedAt);
            n += 1;
          }
          return { last: users.at(-1)?.username, sealed: n };
        });
        counts.users += sealed;
        if (last === undefined) break;
        afterUser = last;
      }
      for (const k of await store.keys.list(pool.id)) {
        if (!clear(k.privateKeyPem)) continue;
        await store.keys.replacePrivateKey(pool.id, k.kid, codec.sealPem(pool.id, k.kid, k.privateKeyPem));
        counts.keys += 1;
      }
    }
  }
  for (const key of SEALED_KV_KEYS) {
    const value = await store.kv.get(key);
    if (value === undefined || !clear(value)) continue;
    await store.kv.put(key, codec.sealKv(key, value));
    counts.kv += 1;
  }
  return counts;
}
