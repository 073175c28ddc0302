import { createPrivateKey, type KeyObject } from 'node:crypto';
import { generateRsaKey, publicKeyFromJwk } from '../crypto/jwt.js';
import type { SigningKeyRecord, Store } from '../store/store.js';

export interface PoolKeys {
  id: { kid: string; key: KeyObject };
  access: { kid: string; key: KeyObject };
  /** Public keys by kid, with their use: every published key. */
  verify: Map<string, { use: 'id' | 'access'; key: KeyObject }>;
  jwks: { keys: Record<string, string>[] };
}

/**
 * A rotated-in key is published this long before it signs. It is longer than CACHE_MS, so every instance
 * has read it (and verifies with it) before any instance signs with it.
 */
export const PUBLISH_AHEAD_MS = 5 * 60_000;
/**
 * A replaced key stays published this long after its successor starts signing: longer than any ID or access
 * token lives (at most one day), so every token it signed can still be verified until it expires.
 */
export const RETIRE_AFTER_MS = 86_400_000 + 10 * 60_000;
/** How long an instance trusts what it read of a pool's keys before it reads them again. */
const CACHE_MS = 60_000;
/** An unknown kid makes the ring read the store again, at most this often per pool. */
const RELOAD_ON_MISS_MS = 5_000;

interface Cached {
  keys: PoolKeys;
  readAt: number;
  /** The next moment the answer changes by itself (a key starts signing or is retired). */
  changesAt: number;
}

/**
 * Each pool's RSA signing keys (one pair of uses: ID tokens and access tokens), kept in the store and shared
 * by every instance. A key's `createdAt` is the moment it starts signing: the newest key of each use that has
 * started signs; keys not yet started are already published (JWKS) and accepted; a key replaced more than
 * RETIRE_AFTER_MS ago is neither. Rotation only adds keys, so instances agree without talking to each other.
 */
export class KeyRing {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  static generate(poolId: string, now: number): SigningKeyRecord[] {
    return (['id', 'access'] as const).map((use) => {
      const k = generateRsaKey();
      return { poolId, kid: k.kid, use, privateKeyPem: k.privateKeyPem, publicJwk: k.publicJwk, createdAt: now };
    });
  }

  async forPool(poolId: string): Promise<PoolKeys | undefined> {
    const now = this.now();
    const hit = this.cache.get(poolId);
    if (hit && now - hit.readAt < CACHE_MS && now < hit.changesAt) return hit.keys;
    return this.load(poolId, now);
  }

  /** The public key of this kid if the pool publishes it (an unknown kid reads the store again, rate-limited). */
  async verifier(poolId: string, kid: string): Promise<{ use: 'id' | 'access'; key: KeyObject } | undefined> {
    const known = (await this.forPool(poolId))?.verify.get(kid);
    if (known) return known;
    const hit = this.cache.get(poolId);
    if (hit && this.now() - hit.readAt < RELOAD_ON_MISS_MS) return undefined;
    return (await this.load(poolId, this.now()))?.verify.get(kid);
  }

  /** Adds a new pair of keys that starts signing PUBLISH_AHEAD_MS from now; returns their kids. */
  async rotate(poolId: string, store: Store = this.store): Promise<string[]> {
    const added = KeyRing.generate(poolId, this.now() + PUBLISH_AHEAD_MS);
    for (const key of added) await store.keys.add(key);
    this.forget(poolId);
    return added.map((k) => k.kid);
  }

  forget(poolId: string): void {
    this.cache.delete(poolId);
  }

  private async load(poolId: string, now: number): Promise<PoolKeys | undefined> {
    const records = await this.store.keys.list(poolId);
    const ofUse = (use: 'id' | 'access') => records.filter((r) => r.use === use).sort((a, b) => a.createdAt - b.createdAt);
    const signing = (use: 'id' | 'access') => ofUse(use).filter((r) => r.createdAt <= now).at(-1);
    /** Published: not replaced by a successor that has signed for longer than RETIRE_AFTER_MS. */
    const published = (r: SigningKeyRecord) => {
      const successor = ofUse(r.use).find((s) => s.createdAt > r.createdAt);
      return !successor || successor.createdAt + RETIRE_AFTER_MS > now;
    };
    const id = signing('id');
    const access = signing('access');
    if (!id || !access) return undefined;
    const live = records.filter(published);
    const keys: PoolKeys = {
      id: { kid: id.kid, key: createPrivateKey(id.privateKeyPem) },
      access: { kid: access.kid, key: createPrivateKey(access.privateKeyPem) },
      verify: new Map(live.map((r) => [r.kid, { use: r.use, key: publicKeyFromJwk(r.publicJwk) }])),
      jwks: { keys: live.map((r) => r.publicJwk) },
    };
    const upcoming = records.flatMap((r) => [r.createdAt, r.createdAt + RETIRE_AFTER_MS]).filter((t) => t > now);
    this.cache.set(poolId, { keys, readAt: now, changesAt: Math.min(Infinity, ...upcoming) });
    return keys;
  }
}
