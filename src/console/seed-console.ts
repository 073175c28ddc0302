import { clientSettingsFromWire } from '../api/wire/user-pool-client.js';
import { poolSettingsFromWire } from '../api/wire/user-pool.js';
import { ConfigError } from '../config/load-config.js';
import type { Config } from '../config/settings.js';
import { createClient } from '../domain/clients.js';
import type { DomainDeps } from '../domain/deps.js';
import { generatePassword, policyViolation } from '../domain/password-policy.js';
import { createPool } from '../domain/pools.js';
import { createConfirmedUser } from '../domain/users.js';

export const CONSOLE_POOL_NAME = 'cognate-console';
export const CONSOLE_CLIENT_NAME = 'cognate-console';

export interface ConsoleSeed {
  poolId: string;
  clientId: string;
  /** The first administrator's username (as configured). */
  adminUsername: string;
  /** Set only when this start created the administrator with a generated password (printed once). */
  generatedPassword?: string;
}

export interface ConsoleIds {
  poolId: string;
  clientId: string;
}

/**
 * The admin console's own pool on first start (dogfood: its administrators sign in with SRP like any
 * app's users): case-insensitive usernames, no self sign-up, deletion protection on; an app client
 * without secret for SRP and refresh; and the first administrator, CONFIRMED, with the configured
 * password or a generated one. Stored in kv 'console'; later starts reuse it and create no one (not
 * even when the configured username or password changed: administrators are managed in the pool).
 */
export async function ensureConsole(deps: DomainDeps, config: Pick<Config, 'consoleAdminUsername' | 'consoleAdminPassword'>): Promise<ConsoleSeed> {
  const adminUsername = config.consoleAdminUsername;
  const known = await deps.store.kv.get('console');
  if (known) {
    const ids = JSON.parse(known) as ConsoleIds;
    if (!(await deps.store.clients.get(ids.clientId))) {
      deps.log.warn({ ...ids }, "the console's pool or app client was deleted through the API: nobody can sign in to the console");
    }
    return { ...ids, adminUsername };
  }
  const settings = poolSettingsFromWire({
    UsernameConfiguration: { CaseSensitive: false },
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    DeletionProtection: 'ACTIVE',
  });
  const password = config.consoleAdminPassword ?? generatePassword(settings.passwordPolicy);
  const violation = policyViolation(password, settings.passwordPolicy);
  if (violation) throw new ConfigError(`Invalid configuration:\n  COGNATE_CONSOLE_ADMIN_PASSWORD: ${violation} (the console pool's policy: 8+ characters with upper and lower case, a number and a symbol)`);

  const pool = await createPool(deps, CONSOLE_POOL_NAME, settings);
  const client = await createClient(
    deps,
    pool.id,
    CONSOLE_CLIENT_NAME,
    false,
    clientSettingsFromWire({
      UserPoolId: pool.id,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    }),
  );
  await createConfirmedUser(deps, pool, adminUsername, password);
  const ids: ConsoleIds = { poolId: pool.id, clientId: client.id };
  const stored = JSON.parse(await deps.store.kv.putIfAbsent('console', JSON.stringify(ids))) as ConsoleIds;
  if (stored.poolId !== ids.poolId) {
    // Two instances started at once on a fresh database: the other one's console won; drop ours.
    await deps.store.transaction((tx) => tx.pools.delete(pool.id));
    deps.keyRing.forget(pool.id);
    return { ...stored, adminUsername };
  }
  deps.log.info({ poolId: pool.id, clientId: client.id }, 'console pool created');
  return { ...ids, adminUsername, generatedPassword: config.consoleAdminPassword === undefined ? password : undefined };
}
