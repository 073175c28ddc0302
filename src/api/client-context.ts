import { checkSecretHash, requireClient } from '../domain/clients.js';
import type { DomainDeps } from '../domain/deps.js';
import { requirePool } from '../domain/pools.js';
import type { ClientRecord, PoolRecord } from '../store/store.js';

/** The app client and pool of a public, ClientId-scoped operation, with its SECRET_HASH checked. */
export async function clientContext(
  deps: DomainDeps,
  clientId: string,
  secretHash: string | undefined,
  usernames: string[],
): Promise<{ client: ClientRecord; pool: PoolRecord }> {
  const client = await requireClient(deps, clientId);
  const pool = await requirePool(deps, client.poolId);
  checkSecretHash(client, secretHash, usernames);
  return { client, pool };
}
