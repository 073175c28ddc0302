import { clientSettingsFromWire } from '../api/wire/user-pool-client.js';
import { poolSettingsFromWire } from '../api/wire/user-pool.js';
import { createClient } from '../domain/clients.js';
import type { DomainDeps } from '../domain/deps.js';
import { createPool } from '../domain/pools.js';

export interface DemoIds {
  poolId: string;
  clientId: string;
}

/**
 * The Wild Rydes demo on first start: a pool that signs users up with their email as username and
 * verifies it automatically, and a web app client without a secret (browsers cannot keep one).
 * Created once per database; later starts reuse it.
 */
export async function ensureDemo(deps: DomainDeps): Promise<DemoIds> {
  const known = await deps.store.kv.get('demo');
  if (known) {
    const ids = JSON.parse(known) as DemoIds;
    if (await deps.store.clients.get(ids.clientId)) return ids;
  }
  const pool = await createPool(
    deps,
    'WildRydes',
    poolSettingsFromWire({ UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false } }),
  );
  const client = await createClient(
    deps,
    pool.id,
    'WildRydesWebApp',
    false,
    clientSettingsFromWire({
      UserPoolId: pool.id,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    }),
  );
  const ids = { poolId: pool.id, clientId: client.id };
  await deps.store.kv.putIfAbsent('demo', JSON.stringify(ids));
  // Two instances starting at once on a fresh database: the first one's demo wins.
  return JSON.parse((await deps.store.kv.get('demo'))!) as DemoIds;
}
