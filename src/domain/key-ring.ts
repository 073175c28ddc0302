import { createPrivateKey, type KeyObject } from 'node:crypto';
import { generateRsaKey, publicKeyFromJwk } from '../crypto/jwt.js';
import type { SigningKeyRecord, Store } from '../store/store.js';

export interface PoolKeys {
  id: { kid: string; key: KeyObject };
  access: { kid: string; key: KeyObject };
  /** Public keys by kid, with their use. */
  verify: Map<string, { use: 'id' | 'access'; key: KeyObject }>;
  jwks: { keys: Record<string, string>[] };
}

/**
 * Each pool's two RSA signing keys (one for ID tokens, one for access tokens), generated when the
 * pool is created and kept in the store; parsed once and cached here. The newest key of each use signs.
 */
export class KeyRing {
  private readonly cache = new Map<string, PoolKeys>();

  constructor(private readonly store: Store) {}

  static generate(poolId: string, now: number): SigningKeyRecord[] {
    return (['id', 'access'] as const).map((use) => {
      const k = generateRsaKey();
      return { poolId, kid: k.kid, use, privateKeyPem: k.privateKeyPem, publicJwk: k.publicJwk, createdAt: now };
    });
  }

  async forPool(poolId: string): Promise<PoolKeys | undefined> {
    const hit = this.cache.get(poolId);
    if (hit) return hit;
    const records = await this.store.keys.list(poolId);
    const newest = (use: 'id' | 'access') => records.filter((r) => r.use === use).at(-1);
    const id = newest('id');
    const access = newest('access');
    if (!id || !access) return undefined;
    const keys: PoolKeys = {
      id: { kid: id.kid, key: createPrivateKey(id.privateKeyPem) },
      access: { kid: access.kid, key: createPrivateKey(access.privateKeyPem) },
      verify: new Map(records.map((r) => [r.kid, { use: r.use, key: publicKeyFromJwk(r.publicJwk) }])),
      jwks: { keys: records.map((r) => r.publicJwk) },
    };
    this.cache.set(poolId, keys);
    return keys;
  }

  forget(poolId: string): void {
    this.cache.delete(poolId);
  }
}
