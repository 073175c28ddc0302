import type { Digester } from '../crypto/digest.js';
import type { Sealer } from '../crypto/seal.js';
import type { Mailer } from '../mail/mailer.js';
import type { Store } from '../store/store.js';
import type { KeyRing } from './key-ring.js';

/** A minimal structured logger (pino's shape). */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** What the domain needs from the outside, passed down explicitly (the clock too: tests move time). */
export interface DomainDeps {
  store: Store;
  now: () => number;
  sealer: Sealer;
  digester: Digester;
  mailer: Mailer;
  keyRing: KeyRing;
  /** Region for new pools. */
  region: string;
  /** The `iss` of a pool's tokens. */
  issuerFor: (poolId: string) => string;
  log: Log;
}
