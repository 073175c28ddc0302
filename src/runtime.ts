import { hkdfSync, randomBytes } from 'node:crypto';
import { Digester } from './crypto/digest.js';
import { randomString } from './crypto/random.js';
import { Sealer } from './crypto/seal.js';
import type { Config } from './config/settings.js';
import type { DomainDeps, Log } from './domain/deps.js';
import { KeyRing } from './domain/key-ring.js';
import { Mailer } from './mail/mailer.js';
import { OutboxSender } from './mail/outbox-sender.js';
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

/** The server secret every instance shares (through the store), from which sealing and digest keys derive. */
async function serverSecret(store: Store): Promise<Buffer> {
  return Buffer.from(await store.kv.putIfAbsent('server-secret', randomBytes(32).toString('hex')), 'hex');
}

const derive = (secret: Buffer, label: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `cognate ${label}`, 32));

async function adminKeys(config: Config, store: Store): Promise<AdminKeys> {
  if (config.adminAccessKeyId && config.adminSecretAccessKey) {
    return { accessKeyId: config.adminAccessKeyId, secretAccessKey: config.adminSecretAccessKey, generated: false };
  }
  const fresh = JSON.stringify({ accessKeyId: `AKIA${randomString(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`, secretAccessKey: randomString(40) });
  const stored = await store.kv.putIfAbsent('admin-credentials', fresh);
  return { ...(JSON.parse(stored) as { accessKeyId: string; secretAccessKey: string }), generated: stored === fresh };
}

/** Wires the domain's dependencies from the config and an open store. */
export async function createRuntime(config: Config, store: Store, log: Log, now: () => number = Date.now): Promise<Runtime> {
  const secret = await serverSecret(store);
  const sealer = new Sealer(derive(secret, 'seal'));
  const mailer = new Mailer(sealer, config.mailFrom, now);
  let base = config.publicUrl?.replace(/\/+$/, '') ?? '';
  const deps: DomainDeps = {
    store,
    now,
    sealer,
    digester: new Digester(derive(secret, 'digest')),
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
