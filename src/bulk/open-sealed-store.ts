import type { Config } from '../config/settings.js';
import { deriveKey, isWrapped, loadMasterKey, masterKeySource, SECRETS_AT_REST, SERVER_SECRET_KV, unwrapSecret, wrappedWith } from '../crypto/master-key.js';
import { Sealer } from '../crypto/seal.js';
import { openStore, type OpenStoreOptions } from '../store/open-store.js';
import { withSealedSecrets } from '../store/sealed-secrets.js';
import type { Store } from '../store/store.js';

export type MasterKeyConfig = Pick<Config, 'databaseUrl' | 'masterKey' | 'masterKeyFile'>;

/**
 * The database as a command run beside the server sees it (`cognate admin-credentials`, bulk work): its
 * secrets opened with the master key, sealed on write, as the server does. It creates nothing: a database
 * whose server secret is not wrapped yet (never started, or from before sealing) is returned as it is —
 * the server's next start wraps and seals what it holds.
 */
export async function openSealedStore(config: MasterKeyConfig, options: OpenStoreOptions = {}): Promise<Store> {
  const store = await openStore(config.databaseUrl, options);
  try {
    const stored = await store.kv.get(SERVER_SECRET_KV);
    if (stored === undefined || !isWrapped(stored)) return store;
    const master = loadMasterKey(masterKeySource(config), wrappedWith(stored));
    return withSealedSecrets(store, new Sealer(deriveKey(unwrapSecret(master, stored), SECRETS_AT_REST)));
  } catch (err) {
    await store.close();
    throw err;
  }
}
