import { randomBytes } from 'node:crypto';
import { Digester } from './crypto/digest.js';
import {
  deriveKey, isWrapped, loadMasterKey, masterKeySource, MasterKeyError, SECRETS_AT_REST, SERVER_SECRET_KV, unwrapSecret, wrappedWith, wrapSecret,
} from './crypto/master-key.js';
import { randomString } from './crypto/random.js';
import { Sealer } from './crypto/seal.js';
import type { Config } from './config/settings.js';
import type { DomainDeps, Log } from './domain/deps.js';
import { KeyRing } from './domain/key-ring.js';
import { Mailer } from './mail/mailer.js';
import { OutboxSender } from './mail/outbox-sender.js';
import { sealPlaintextSecrets, withSealedSecrets } from './store/sealed-secrets.js';
import type { Store } from './store/store.js';

export interface AdminKeys {
  accessKeyId: string;
  secretAccessKey: string;
  /** True when this start generated them (they are printed then). */
  generated: boolean;
}

export interface PoolAndClient {
  poolId: string;
  clientId: string;
}

export interface Runtime {
  deps: DomainDeps;
  sender: OutboxSender;
  admin: AdminKeys;
  setPublicUrl(url: string): void;
  publicUrl(): string;
  /** The pool and client the demo site at / uses: COGNATE_SITE_* or the WildRydes demo. */
  siteIds(): Promise<PoolAndClient | undefined>;
  /** The internal pool whose users are the console's administrators, and the console's app client. */
  consoleIds(): Promise<PoolAndClient | undefined>;
  /** A pool's public JWKS (what GET <issuer>/.well-known/jwks.json serves). */
  jwks(poolId: string): Promise<{ keys: Record<string, string>[] } | undefined>;
}

/** Set once every secret of the database is sealed (the one-time upgrade of a database from before sealing ran). */
const SEALED_MARK = 'secrets-at-rest';

export interface OpenedSecrets {
  /** The server secret every instance shares, from which the sealing, digest and at-rest keys derive. */
  secret: Buffer;
  /** The store with its secrets sealed at rest (store/sealed-secrets.ts). */
  store: Store;
}

/**
 * Opens the database's secrets with the master key (crypto/master-key.ts): the server secret is stored
 * only wrapped under it — created so on first start, wrapped on the first start of a database from
 * before (its secret was in the clear), refused with the key's fingerprint when another key sealed it —
 * and the store seals verifiers, signing keys and kv secrets with a key derived from it. Rows still in the
 * clear are sealed once (logged).
 */
export async function openSecrets(config: Config, store: Store, log: Log): Promise<OpenedSecrets> {
  const source = masterKeySource(config);
  const stored = await store.kv.get(SERVER_SECRET_KV);
  const master = loadMasterKey(source, stored !== undefined && isWrapped(stored) ? wrappedWith(stored) : undefined);
  if (master.created) log.info({ file: master.file, masterKey: master.fingerprint }, 'master key file created (mode 0600): back it up apart from the database');
  let secret: Buffer;
  if (stored === undefined) {
    secret = unwrapSecret(master, await store.kv.putIfAbsent(SERVER_SECRET_KV, wrapSecret(master.key, randomBytes(32))));
  } else if (isWrapped(stored)) {
    secret = unwrapSecret(master, stored);
  } else {
    if (!/^[0-9a-f]{64}$/.test(stored)) throw new MasterKeyError('The server secret in the database is neither wrapped nor a secret from before wrapping: the row was altered.');
    // A database from before: wrap its secret (another instance may be doing the same; whichever wins, it opens).
    await store.transaction(async (tx) => {
      if ((await tx.kv.get(SERVER_SECRET_KV)) === stored) await tx.kv.put(SERVER_SECRET_KV, wrapSecret(master.key, Buffer.from(stored, 'hex')));
    });
    secret = unwrapSecret(master, (await store.kv.get(SERVER_SECRET_KV))!);
    log.info({ masterKey: master.fingerprint }, 'one-time upgrade: the server secret is now wrapped under the master key');
  }
  const sealer = new Sealer(deriveKey(secret, SECRETS_AT_REST));
  if ((await store.kv.get(SEALED_MARK)) === undefined) {
    if (stored !== undefined) log.info({}, 'one-time upgrade: sealing the secrets in the database (a large one takes a while; this runs once)');
    const sealed = await sealPlaintextSecrets(store, sealer);
    await store.kv.putIfAbsent(SEALED_MARK, 'sealed');
    if (sealed.users + sealed.keys + sealed.kv > 0) log.info({ sealed }, 'one-time upgrade: the secrets that were in the clear in the database are sealed');
  }
  return { secret, store: withSealedSecrets(store, sealer) };
}

async function adminKeys(config: Config, store: Store): Promise<AdminKeys> {
  if (config.adminAccessKeyId && config.adminSecretAccessKey) {
    return { accessKeyId: config.adminAccessKeyId, secretAccessKey: config.adminSecretAccessKey, generated: false };
  }
  const fresh = JSON.stringify({ accessKeyId: `AKIA${randomString(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`, secretAccessKey: randomString(40) });
  const stored = await store.kv.putIfAbsent('admin-credentials', fresh);
  return { ...(JSON.parse(stored) as { accessKeyId: string; secretAccessKey: string }), generated: stored === fresh };
}

/** Wires the domain's dependencies from the config and an open store (its secrets opened with the master key: deps.store seals them). */
export async function createRuntime(config: Config, opened: Store, log: Log, now: () => number = Date.now): Promise<Runtime> {
  const { secret, store } = await openSecrets(config, opened, log);
  const sealer = new Sealer(deriveKey(secret, 'seal'));
  const mailer = new Mailer(sealer, config.mailFrom, now);
  let base = config.publicUrl?.replace(/\/+$/, '') ?? '';
  const deps: DomainDeps = {
    store,
    now,
    sealer,
    digester: new Digester(deriveKey(secret, 'digest')),
    mailer,
    keyRing: new KeyRing(store, now),
    region: config.region,
    issuerFor: (poolId) =>
      config.issuerStyle === 'aws' ? `https://cognito-idp.${poolId.split('_')[0]}.amazonaws.com/${poolId}` : `${base}/${poolId}`,
    log,
  };
  return {
    deps,
    sender: new OutboxSender(store, mailer, config.smtpUrl, now, log),
    admin: await adminKeys(config, store),
    setPublicUrl: (url) => {
      base = url.replace(/\/+$/, '');
    },
    publicUrl: () => base,
    siteIds: async () => {
      if (config.siteUserPoolId && config.siteClientId) return { poolId: config.siteUserPoolId, clientId: config.siteClientId };
      const demo = await store.kv.get('demo');
      return demo ? (JSON.parse(demo) as PoolAndClient) : undefined;
    },
    consoleIds: async () => {
      const known = await store.kv.get('console');
      return known ? (JSON.parse(known) as PoolAndClient) : undefined;
    },
    jwks: async (poolId) => (await deps.keyRing.forPool(poolId))?.jwks,
  };
}
