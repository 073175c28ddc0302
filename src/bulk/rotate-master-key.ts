import { randomBytes } from 'node:crypto';
import {
  fingerprint, isWrapped, loadMasterKey, MASTER_KEY_BYTES, MasterKeyError, masterKeySource, replaceKeyFile, SERVER_SECRET_KV, unwrapSecret, wrappedWith,
  wrapSecret,
} from '../crypto/master-key.js';
import { openStore } from '../store/open-store.js';
import type { MasterKeyConfig } from './open-sealed-store.js';

export interface RotateOptions {
  /**
   * With COGNATE_MASTER_KEY (no key file to write): receives the new key (base64) before the database is
   * re-wrapped, to show it once; the operator installs it on every instance.
   */
  onNewKey?: (key: string) => void;
}

export interface RotateResult {
  /** Fingerprints of the old and the new master key. */
  from: string;
  to: string;
  /** The key file that now holds the new key (unset with COGNATE_MASTER_KEY). */
  file?: string;
}

/**
 * `cognate keys rotate`: a new master key. Only the wrapped server secret (one row) is re-wrapped, in one
 * transaction; everything else is sealed under keys derived from that secret, which does not change, so
 * sealed rows, digests, sessions and tokens stay valid. Running instances hold the unwrapped secret and
 * keep working; a (re)start needs the new key. With a key file, the new key is written there first (the old
 * one kept as `<file>.old` until the re-wrap commits); with COGNATE_MASTER_KEY it goes to `onNewKey`.
 */
export async function rotateMasterKey(config: MasterKeyConfig, options: RotateOptions = {}): Promise<RotateResult> {
  const source = masterKeySource(config);
  if (source.kind === 'ephemeral') throw new MasterKeyError('An in-memory database (sqlite::memory:) has no master key to rotate.');
  const store = await openStore(config.databaseUrl);
  try {
    const stored = await store.kv.get(SERVER_SECRET_KV);
    if (stored === undefined) throw new MasterKeyError('The database holds no server secret yet: start Cognate once (it creates one), then rotate.');
    if (!isWrapped(stored)) {
      throw new MasterKeyError('The database is from before sealing: start Cognate once (it wraps the server secret and seals the database), then rotate.');
    }
    const current = loadMasterKey(source, wrappedWith(stored));
    const secret = unwrapSecret(current, stored);
    const next = randomBytes(MASTER_KEY_BYTES);
    const rewrap = () =>
      store.transaction(async (tx) => {
        if ((await tx.kv.get(SERVER_SECRET_KV)) !== stored) throw new MasterKeyError('The server secret changed during the rotation (another rotation?): nothing was changed; run it again.');
        await tx.kv.put(SERVER_SECRET_KV, wrapSecret(next, secret));
      });
    if (current.file) {
      await replaceKeyFile(current.file, current.key, next, rewrap);
    } else {
      if (!options.onNewKey) throw new Error('rotating COGNATE_MASTER_KEY needs onNewKey: the new key must reach the operator');
      options.onNewKey(next.toString('base64'));
      await rewrap();
    }
    return { from: current.fingerprint, to: fingerprint(next), file: current.file };
  } finally {
    await store.close();
  }
}
