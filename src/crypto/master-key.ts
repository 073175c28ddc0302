import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Sealer } from './seal.js';

/**
 * Envelope encryption of the database's secrets. The master key (COGNATE_MASTER_KEY, or a key file) never
 * enters the database: it wraps (AEAD) the one server secret stored there, and every other key — sealing,
 * digests, secrets at rest — derives from that secret. A copy of the database alone opens nothing, and
 * rotating the master key re-wraps one row.
 */

/** A start refused for a reason the operator fixes (the message says how); printed without a stack. */
export class MasterKeyError extends Error {
  override name = 'MasterKeyError';
}

export const MASTER_KEY_BYTES = 32;

/** Where the master key comes from: the setting, a key file, or nowhere (an in-memory database dies with the process). */
export type MasterKeySource = { kind: 'setting'; key: Buffer } | { kind: 'file'; file: string } | { kind: 'ephemeral' };

export interface MasterKeySettings {
  masterKey?: string;
  masterKeyFile?: string;
  databaseUrl: string;
}

export interface MasterKey {
  key: Buffer;
  /** The key's id, safe to print and to store: it tells keys apart, it reveals nothing of them. */
  fingerprint: string;
  /** The key file, when the key is in one. */
  file?: string;
  /** True when this call created the key file. */
  created: boolean;
}

/** The key in base64 (standard or URL-safe) or hex; 32 bytes or a MasterKeyError naming `origin`. */
export function parseMasterKey(text: string, origin: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(t) ? Buffer.from(t, 'base64') : undefined;
  if (key?.length !== MASTER_KEY_BYTES) {
    throw new MasterKeyError(`${origin} holds no master key: it must be 32 bytes in base64 (44 characters) or hex (64 characters)`);
  }
  return key;
}

export function fingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('cognate master key id').digest('hex').slice(0, 16);
}

/** COGNATE_MASTER_KEY, else COGNATE_MASTER_KEY_FILE, else master.key beside a SQLite file; PostgreSQL has no default. */
export function masterKeySource(settings: MasterKeySettings): MasterKeySource {
  if (settings.masterKey) return { kind: 'setting', key: parseMasterKey(settings.masterKey, 'COGNATE_MASTER_KEY') };
  if (settings.masterKeyFile) return { kind: 'file', file: settings.masterKeyFile };
  if (settings.databaseUrl.startsWith('sqlite:')) {
    const path = settings.databaseUrl.slice('sqlite:'.length);
    return path === '' || path === ':memory:' ? { kind: 'ephemeral' } : { kind: 'file', file: join(dirname(path), 'master.key') };
  }
  throw new MasterKeyError(
    'COGNATE_DATABASE_URL names a PostgreSQL database, so there is no default master key file: set COGNATE_MASTER_KEY ' +
      '(32 random bytes in base64 or hex, e.g. `openssl rand -base64 32`; the same on every instance) or COGNATE_MASTER_KEY_FILE ' +
      '(a file holding that key, created with mode 0600 if missing). See docs/security.md.',
  );
}

/**
 * The master key a start uses. A missing key file is created (mode 0600) only when `sealedWith` is
 * undefined, i.e. the database holds no wrapped secret yet; otherwise a new key could open nothing.
 */
export function loadMasterKey(source: MasterKeySource, sealedWith: string | undefined): MasterKey {
  if (source.kind === 'setting') return { key: source.key, fingerprint: fingerprint(source.key), created: false };
  if (source.kind === 'ephemeral') {
    const key = randomBytes(MASTER_KEY_BYTES);
    return { key, fingerprint: fingerprint(key), created: false };
  }
  const existing = readKeyFile(source.file);
  if (existing) return { key: existing, fingerprint: fingerprint(existing), file: source.file, created: false };
  if (sealedWith !== undefined) {
    throw new MasterKeyError(
      `The database is sealed with master key ${sealedWith}, but the key file ${source.file} does not exist: restore it from your backup ` +
        '(or set COGNATE_MASTER_KEY / COGNATE_MASTER_KEY_FILE); a new key would open nothing.',
    );
  }
  const { key, created } = createKeyFile(source.file);
  return { key, fingerprint: fingerprint(key), file: source.file, created };
}

/** The key in `file`, or undefined when there is no such file; refuses a file that other users may read. */
export function readKeyFile(file: string): Buffer | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new MasterKeyError(
      `The master key file ${file} is open to other users (mode ${(mode & 0o777).toString(8).padStart(4, '0')}): run \`chmod 600 ${file}\` (only its owner may read it).`,
    );
  }
  return parseMasterKey(readFileSync(file, 'utf8'), `The master key file ${file}`);
}

/** Creates `file` with a new key, all at once (never half-written); when another process was first, its key. */
function createKeyFile(file: string): { key: Buffer; created: boolean } {
  const key = randomBytes(MASTER_KEY_BYTES);
  const temp = writeTemp(file, key);
  try {
    linkSync(temp, file);
    return { key, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { key: readKeyFile(file)!, created: false };
  } finally {
    unlinkSync(temp);
  }
}

/** Replaces (or creates) `file` with one holding `key`, atomically: a temporary file of mode 0600 renamed over it. */
export function writeKeyFile(file: string, key: Buffer): void {
  renameSync(writeTemp(file, key), file);
}

/**
 * Rotation's file protocol: the current key is kept as `<file>.old`, the new one written to `file`
 * (atomically), then `commit` re-wraps the database. Until it has committed `<file>.old` opens the
 * database (unwrapSecret names it); if it fails, the old key is moved back. The new key is on disk
 * before the database needs it, so no crash leaves a database that no file opens.
 */
export async function replaceKeyFile(file: string, current: Buffer, next: Buffer, commit: () => Promise<void>): Promise<void> {
  const old = `${file}.old`;
  writeKeyFile(old, current);
  writeKeyFile(file, next);
  try {
    await commit();
  } catch (err) {
    renameSync(old, file);
    throw err;
  }
  unlinkSync(old);
}

function writeTemp(file: string, key: Buffer): string {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${key.toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temp;
}

/** The kv entry holding the wrapped server secret. */
export const SERVER_SECRET_KV = 'server-secret';

const WRAPPED = 'm1:';
const WRAP_PURPOSE = 'cognate server secret';

/** The server secret as the database stores it: `m1:<fingerprint>:<sealed>`, so a wrong key is named, not guessed at. */
export function wrapSecret(master: Buffer, secret: Buffer): string {
  return `${WRAPPED}${fingerprint(master)}:${new Sealer(master).seal(secret, WRAP_PURPOSE)}`;
}

export function isWrapped(stored: string): boolean {
  return stored.startsWith(WRAPPED);
}

/** The fingerprint of the master key a wrapped secret was sealed with. */
export function wrappedWith(stored: string): string {
  return stored.slice(WRAPPED.length).split(':')[0]!;
}

/**
 * The server secret, or a MasterKeyError: another key (naming both, and `<file>.old` when it holds the
 * right one: a rotation stopped between writing the new key file and committing), or an altered row.
 */
export function unwrapSecret(master: MasterKey, stored: string): Buffer {
  const sealedWith = wrappedWith(stored);
  if (sealedWith !== master.fingerprint) {
    const old = master.file ? readKeyFile(`${master.file}.old`) : undefined;
    const hint =
      old && fingerprint(old) === sealedWith
        ? ` ${master.file}.old holds that key (a \`cognate keys rotate\` stopped before it committed): move it back with \`mv ${master.file}.old ${master.file}\`.`
        : '';
    throw new MasterKeyError(
      `COGNATE_MASTER_KEY does not open this database (it was sealed with key ${sealedWith}); the key ${master.file ? `in ${master.file}` : 'given'} is ${master.fingerprint}.${hint}`,
    );
  }
  const secret = new Sealer(master.key).open(stored.slice(WRAPPED.length + sealedWith.length + 1), WRAP_PURPOSE);
  if (!secret) throw new MasterKeyError(`The server secret in the database does not open with master key ${sealedWith}: the row was altered.`);
  return secret;
}

/** A key derived from the server secret for one use (HKDF-SHA256), e.g. 'seal', 'digest', SECRETS_AT_REST. */
export function deriveKey(secret: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `cognate ${label}`, 32));
}

/** The label of the key that seals SRP verifiers, signing keys and kv secrets in the database. */
export const SECRETS_AT_REST = 'secrets at rest';
