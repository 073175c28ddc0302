import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fingerprint, isWrapped, loadMasterKey, masterKeySource, MasterKeyError, parseMasterKey, readKeyFile, replaceKeyFile, unwrapSecret, wrappedWith,
  wrapSecret, writeKeyFile, type MasterKey,
} from '../../src/crypto/master-key.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'cognate-master-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `case-${++n}`, 'master.key');
const keyOf = (key: Buffer, file?: string): MasterKey => ({ key, fingerprint: fingerprint(key), file, created: false });

describe('parseMasterKey', () => {
  const key = randomBytes(32);
  it('reads 32 bytes in hex, base64 and URL-safe base64 (with or without padding, surrounding space ignored)', () => {
    for (const text of [key.toString('hex'), key.toString('base64'), key.toString('base64url'), ` ${key.toString('base64')}\n`]) {
      expect(parseMasterKey(text, 'x').equals(key)).toBe(true);
    }
  });
  it('refuses anything else, naming where it came from', () => {
    for (const text of ['', 'short', randomBytes(16).toString('hex'), randomBytes(31).toString('base64'), randomBytes(33).toString('base64'), 'z'.repeat(64)]) {
      expect(() => parseMasterKey(text, 'COGNATE_MASTER_KEY')).toThrow(new MasterKeyError('COGNATE_MASTER_KEY holds no master key: it must be 32 bytes in base64 (44 characters) or hex (64 characters)'));
    }
  });
});

describe('masterKeySource', () => {
  const key = randomBytes(32).toString('base64');
  it('prefers COGNATE_MASTER_KEY, then COGNATE_MASTER_KEY_FILE, then master.key beside a SQLite file', () => {
    expect(masterKeySource({ masterKey: key, masterKeyFile: '/k', databaseUrl: 'sqlite:./data/cognate.db' })).toEqual({ kind: 'setting', key: Buffer.from(key, 'base64') });
    expect(masterKeySource({ masterKeyFile: '/etc/cognate/key', databaseUrl: 'postgres://h/db' })).toEqual({ kind: 'file', file: '/etc/cognate/key' });
    expect(masterKeySource({ databaseUrl: 'sqlite:./data/cognate.db' })).toEqual({ kind: 'file', file: join('data', 'master.key') });
    expect(masterKeySource({ databaseUrl: 'sqlite:/var/lib/cognate/db.sqlite' })).toEqual({ kind: 'file', file: '/var/lib/cognate/master.key' });
  });
  it('an in-memory database gets a key for the process only', () => {
    expect(masterKeySource({ databaseUrl: 'sqlite::memory:' })).toEqual({ kind: 'ephemeral' });
    expect(masterKeySource({ databaseUrl: 'sqlite:' })).toEqual({ kind: 'ephemeral' });
    const a = loadMasterKey({ kind: 'ephemeral' }, undefined);
    const b = loadMasterKey({ kind: 'ephemeral' }, undefined);
    expect(a.key.equals(b.key)).toBe(false);
  });
  it('PostgreSQL has no default: the message says what to set', () => {
    expect(() => masterKeySource({ databaseUrl: 'postgres://u:p@h/db' })).toThrow(/^COGNATE_DATABASE_URL names a PostgreSQL database, so there is no default master key file: set COGNATE_MASTER_KEY .* or COGNATE_MASTER_KEY_FILE/);
  });
});

describe('the key file', () => {
  it('is created on first use with mode 0600 (directories too), and read back after', () => {
    const file = fresh();
    const created = loadMasterKey({ kind: 'file', file }, undefined);
    expect(created.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseMasterKey(readFileSync(file, 'utf8'), 'f').equals(created.key)).toBe(true);
    const again = loadMasterKey({ kind: 'file', file }, wrappedWith(wrapSecret(created.key, randomBytes(32))));
    expect(again).toEqual({ ...created, created: false });
    expect(readdirSync(join(file, '..'))).toEqual(['master.key']);
  });
  it('is refused when group or others may read it, with the fix in the message', () => {
    const file = fresh();
    loadMasterKey({ kind: 'file', file }, undefined);
    for (const mode of [0o640, 0o604, 0o660]) {
      chmodSync(file, mode);
      expect(() => readKeyFile(file)).toThrow(new MasterKeyError(`The master key file ${file} is open to other users (mode 0${mode.toString(8)}): run \`chmod 600 ${file}\` (only its owner may read it).`));
    }
    chmodSync(file, 0o400);
    expect(readKeyFile(file)).toBeInstanceOf(Buffer);
  });
  it('is not created when the database is sealed already: a new key would open nothing', () => {
    const file = fresh();
    expect(() => loadMasterKey({ kind: 'file', file }, 'abcdef0123456789')).toThrow(
      `The database is sealed with master key abcdef0123456789, but the key file ${file} does not exist`,
    );
    expect(existsSync(file)).toBe(false);
  });
  it('refuses a file that holds no key', () => {
    const file = fresh();
    loadMasterKey({ kind: 'file', file }, undefined);
    writeFileSync(file, 'not a key\n');
    expect(() => readKeyFile(file)).toThrow(`The master key file ${file} holds no master key`);
  });
  it('processes starting at once agree on one key: one creates it, the others read it (never half-written)', async () => {
    const file = fresh();
    const script = `import { loadMasterKey } from './src/crypto/master-key.ts';
      const k = loadMasterKey({ kind: 'file', file: process.argv[1] }, undefined);
      process.stdout.write(JSON.stringify({ fingerprint: k.fingerprint, created: k.created }));`;
    const keys = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, file]);
        return JSON.parse(stdout) as { fingerprint: string; created: boolean };
      }),
    );
    expect(new Set(keys.map((k) => k.fingerprint))).toEqual(new Set([fingerprint(readKeyFile(file)!)]));
    expect(keys.filter((k) => k.created)).toHaveLength(1);
    expect(readdirSync(join(file, '..'))).toEqual(['master.key']);
  });
  it('writeKeyFile replaces it atomically, mode 0600', () => {
    const file = fresh();
    const key = randomBytes(32);
    writeKeyFile(file, key);
    writeKeyFile(file, key);
    expect(readKeyFile(file)!.equals(key)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(file, '..'))).toEqual(['master.key']);
  });
});

describe('wrapping the server secret', () => {
  const master = randomBytes(32);
  const secret = randomBytes(32);
  it('round-trips, naming the key it was sealed with', () => {
    const stored = wrapSecret(master, secret);
    expect(isWrapped(stored)).toBe(true);
    expect(isWrapped(secret.toString('hex'))).toBe(false);
    expect(stored).not.toContain(secret.toString('hex'));
    expect(stored).not.toContain(secret.toString('base64'));
    expect(wrappedWith(stored)).toBe(fingerprint(master));
    expect(unwrapSecret(keyOf(master), stored).equals(secret)).toBe(true);
  });
  it('another key is refused with both fingerprints', () => {
    const other = randomBytes(32);
    expect(() => unwrapSecret(keyOf(other), wrapSecret(master, secret))).toThrow(
      new MasterKeyError(`COGNATE_MASTER_KEY does not open this database (it was sealed with key ${fingerprint(master)}); the key given is ${fingerprint(other)}.`),
    );
  });
  it('an altered row is refused', () => {
    const stored = wrapSecret(master, secret);
    const [prefix, id, sealed] = stored.split(':');
    const bytes = Buffer.from(sealed!, 'base64');
    bytes[40]! ^= 1;
    const altered = `${prefix}:${id}:${bytes.toString('base64')}`;
    expect(() => unwrapSecret(keyOf(master), altered)).toThrow(/the row was altered/);
  });
});

describe('replaceKeyFile (rotation)', () => {
  const current = randomBytes(32);
  const next = randomBytes(32);
  it('writes the new key, keeps the old one as <file>.old while committing, then removes it', async () => {
    const file = fresh();
    writeKeyFile(file, current);
    let during: { now?: Buffer; old?: Buffer } = {};
    await replaceKeyFile(file, current, next, async () => {
      during = { now: readKeyFile(file), old: readKeyFile(`${file}.old`) };
    });
    expect(during.now!.equals(next) && during.old!.equals(current)).toBe(true);
    expect(readKeyFile(file)!.equals(next)).toBe(true);
    expect(existsSync(`${file}.old`)).toBe(false);
  });
  it('puts the old key back when the commit fails', async () => {
    const file = fresh();
    writeKeyFile(file, current);
    await expect(replaceKeyFile(file, current, next, async () => Promise.reject(new Error('commit failed')))).rejects.toThrow('commit failed');
    expect(readKeyFile(file)!.equals(current)).toBe(true);
    expect(existsSync(`${file}.old`)).toBe(false);
  });
  it('after a crash before the commit, the refusal points at <file>.old', () => {
    const file = fresh();
    writeKeyFile(file, next);
    writeKeyFile(`${file}.old`, current);
    expect(() => unwrapSecret(keyOf(next, file), wrapSecret(current, randomBytes(32)))).toThrow(
      `${file}.old holds that key (a \`cognate keys rotate\` stopped before it committed): move it back with \`mv ${file}.old ${file}\`.`,
    );
  });
});
