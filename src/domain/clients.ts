import { createHmac } from 'node:crypto';
import { randomLowerAlnum } from '../crypto/random.js';
import { safeEqual } from '../crypto/digest.js';
import { NotAuthorizedException, ResourceNotFoundException } from '../errors/catalog.js';
import type { ClientRecord } from '../store/store.js';
import type { DomainDeps } from './deps.js';
import type { ClientSettings } from './settings.js';

export async function requireClient(deps: DomainDeps, clientId: string, poolId?: string): Promise<ClientRecord> {
  const client = await deps.store.clients.get(clientId);
  if (!client || (poolId !== undefined && client.poolId !== poolId)) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
  return client;
}

export async function createClient(deps: DomainDeps, poolId: string, name: string, generateSecret: boolean, settings: ClientSettings): Promise<ClientRecord> {
  const now = deps.now();
  const client: ClientRecord = {
    id: randomLowerAlnum(26), poolId, name, secret: generateSecret ? randomLowerAlnum(51) : null, settings, createdAt: now, updatedAt: now,
  };
  await deps.store.clients.create(client);
  deps.log.info({ poolId, clientId: client.id }, 'app client created');
  return client;
}

export function secretHash(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret).update(username + clientId).digest('base64');
}

/**
 * SECRET_HASH check for clients with a secret. The hash is over the username the caller used;
 * after SRP and on refresh that is the internal username, so every candidate name is accepted.
 */
export function checkSecretHash(client: ClientRecord, given: string | undefined, usernames: string[]): void {
  if (!client.secret) return;
  if (!given) throw new NotAuthorizedException(`Client ${client.id} is configured with secret but SECRET_HASH was not received`);
  const ok = usernames.some((u) => safeEqual(secretHash(client.secret!, u, client.id), given));
  if (!ok) throw new NotAuthorizedException(`Unable to verify secret hash for client ${client.id}`);
}

export function flowAllowed(client: ClientRecord, flow: string): boolean {
  const flows = client.settings.explicitAuthFlows;
  const legacy: Record<string, string> = { ALLOW_ADMIN_USER_PASSWORD_AUTH: 'ADMIN_NO_SRP_AUTH', ALLOW_USER_PASSWORD_AUTH: 'USER_PASSWORD_AUTH', ALLOW_CUSTOM_AUTH: 'CUSTOM_AUTH_FLOW_ONLY' };
  if (flows.includes(flow) || (legacy[flow] !== undefined && flows.includes(legacy[flow]))) return true;
  // Clients with only legacy names allow SRP and refresh implicitly, as Cognito does.
  const onlyLegacy = flows.every((f) => !f.startsWith('ALLOW_'));
  return onlyLegacy && (flow === 'ALLOW_USER_SRP_AUTH' || flow === 'ALLOW_REFRESH_TOKEN_AUTH');
}
