import { randomBytes } from 'node:crypto';
import type { DomainDeps } from './deps.js';

/**
 * Scheduled signing-key rotation: every pool whose newest key started signing `periodMs` ago or more gets
 * a new pair (published ahead, see KeyRing). Several instances may run this at once: a kv entry named after
 * the pool's newest key lets exactly one of them rotate it. Returns the pools rotated.
 */
export async function rotateDueSigningKeys(deps: DomainDeps, periodMs: number): Promise<string[]> {
  const rotated: string[] = [];
  const now = deps.now();
  let after: string | undefined;
  for (;;) {
    const pools = await deps.store.pools.list(after, 100);
    for (const pool of pools) {
      const newest = (await deps.store.keys.list(pool.id)).reduce((a, b) => (b.createdAt > a.createdAt ? b : a), { createdAt: -Infinity, kid: '' });
      if (newest.kid === '' || now - newest.createdAt < periodMs) continue;
      const claim = randomBytes(16).toString('hex');
      if ((await deps.store.kv.putIfAbsent(`signing-key-rotation:${pool.id}:${newest.kid}`, claim)) !== claim) continue;
      await deps.keyRing.rotate(pool.id);
      deps.log.info({ poolId: pool.id, replaces: newest.kid }, 'signing keys rotated');
      rotated.push(pool.id);
    }
    if (pools.length < 100) return rotated;
    after = pools.at(-1)!.id;
  }
}
