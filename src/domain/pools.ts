import { InvalidParameterException, ResourceNotFoundException } from '../errors/catalog.js';
import { randomString } from '../crypto/random.js';
import type { PoolRecord } from '../store/store.js';
import type { DomainDeps } from './deps.js';
import { KeyRing } from './key-ring.js';
import type { PoolSettings } from './settings.js';

/** The part of a pool id after the region: the "pool name" that SRP hashes. */
export const srpPoolName = (poolId: string) => poolId.split('_')[1] ?? poolId;

export async function requirePool(deps: DomainDeps, poolId: string): Promise<PoolRecord> {
  const pool = await deps.store.pools.get(poolId);
  if (!pool) throw new ResourceNotFoundException(`User pool ${poolId} does not exist.`);
  return pool;
}

export async function createPool(deps: DomainDeps, name: string, settings: Omit<PoolSettings, 'region'>): Promise<PoolRecord> {
  const now = deps.now();
  const region = deps.region;
  const pool: PoolRecord = { id: `${region}_${randomString(9)}`, name, settings: { ...settings, region }, createdAt: now, updatedAt: now };
  await deps.store.transaction(async (tx) => {
    await tx.pools.create(pool);
    for (const key of KeyRing.generate(pool.id, now)) await tx.keys.add(key);
  });
  deps.log.info({ poolId: pool.id, name }, 'user pool created');
  return pool;
}

export async function updatePool(deps: DomainDeps, poolId: string, change: (pool: PoolRecord) => PoolSettings): Promise<PoolRecord> {
  const pool = await requirePool(deps, poolId);
  const updated = { ...pool, settings: change(pool), updatedAt: deps.now() };
  await deps.store.pools.update(updated);
  return updated;
}

export async function deletePool(deps: DomainDeps, poolId: string): Promise<void> {
  const pool = await requirePool(deps, poolId);
  if (pool.settings.deletionProtection === 'ACTIVE') {
    throw new InvalidParameterException('The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.');
  }
  await deps.store.transaction((tx) => tx.pools.delete(poolId));
  deps.keyRing.forget(poolId);
  deps.log.info({ poolId }, 'user pool deleted');
}
