import type { DomainDeps } from '../domain/deps.js';
import { authorizeAccessToken } from '../domain/tokens.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/store.js';

/** The pool, user and app client of an access-token-authorized operation (the client's Read/WriteAttributes apply). */
export async function accessContext(deps: DomainDeps, token: string): Promise<{ pool: PoolRecord; user: UserRecord; client: ClientRecord | undefined }> {
  const { pool, user, claims } = await authorizeAccessToken(deps, token);
  const client = typeof claims.client_id === 'string' ? await deps.store.clients.get(claims.client_id) : undefined;
  return { pool, user, client };
}
