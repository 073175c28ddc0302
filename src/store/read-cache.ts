import type { ClientRecord, ClientStore, PoolRecord, PoolStore, Store } from './store.js';

/**
 * Every public request reads its app client and pool; these change rarely. This wrapper keeps them
 * for a short time (a change made through this instance is seen at once; one made through another
 * instance within `ttlMs`). Everything else passes through; a transaction bypasses the cache and
 * clears it when it commits.
 */
export function withReadCache(store: Store, ttlMs = 2000, now: () => number = Date.now): Store {
  const pools = new Map<string, { at: number; value: PoolRecord | undefined }>();
  const clients = new Map<string, { at: number; value: ClientRecord | undefined }>();
  const clear = () => {
    pools.clear();
    clients.clear();
  };
  const cached = async <T>(map: Map<string, { at: number; value: T }>, key: string, load: () => Promise<T>): Promise<T> => {
    const hit = map.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.value;
    const value = await load();
    if (map.size > 10_000) map.clear();
    map.set(key, { at: now(), value });
    return value;
  };
  const poolStore: PoolStore = {
    create: async (p) => (clear(), store.pools.create(p)),
    get: (id) => cached(pools, id, () => store.pools.get(id)),
    list: (after, limit) => store.pools.list(after, limit),
    update: async (p) => {
      clear();
      await store.pools.update(p);
      clear();
    },
    delete: async (id) => {
      clear();
      const deleted = await store.pools.delete(id);
      clear();
      return deleted;
    },
  };
  const clientStore: ClientStore = {
    create: async (c) => (clear(), store.clients.create(c)),
    get: (id) => cached(clients, id, () => store.clients.get(id)),
    list: (poolId, after, limit) => store.clients.list(poolId, after, limit),
    update: async (c) => {
      clear();
      await store.clients.update(c);
      clear();
    },
    delete: async (poolId, id) => {
      clear();
      const deleted = await store.clients.delete(poolId, id);
      clear();
      return deleted;
    },
  };
  return {
    backend: store.backend,
    pools: poolStore,
    clients: clientStore,
    users: store.users,
    groups: store.groups,
    codes: store.codes,
    keys: store.keys,
    tokens: store.tokens,
    outbox: store.outbox,
    kv: store.kv,
    limits: store.limits,
    async transaction(fn) {
      clear();
      try {
        return await store.transaction(fn);
      } finally {
        clear();
      }
    },
    close: () => store.close(),
  };
}
