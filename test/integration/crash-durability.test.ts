import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { runCrashDurability, type DatabaseProbe } from '../helpers/crash-durability.js';

/**
 * Crash durability on SQLite (WAL, synchronous=NORMAL; docs/durability.md): a real `cognate serve` under
 * SignUp / ConfirmSignUp / AdminConfirmSignUp / SRP and password sign-ins / RevokeToken / GlobalSignOut /
 * AdminDeleteUser load is killed with -9 twenty times at random moments and restarted on the same file.
 * Every acknowledged write is there after each restart and at the end, and the file passes
 * `PRAGMA integrity_check`. Replay a failure with CRASH_SEED=<the printed seed> (the random choices
 * repeat; the timing of a busy machine does not).
 */
const dir = mkdtempSync(join(tmpdir(), 'cognate-crash-'));
const file = join(dir, 'cognate.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Read-only connections, each closed at once: none may outlive a kill, or the restart would not recover the WAL itself. */
function readOnly<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const sqlite: DatabaseProbe = {
  query: async (sql) => readOnly((db) => db.prepare(sql).all() as Record<string, unknown>[]),
  integrity: async () => {
    const result = readOnly((db) => db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[]);
    return result.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  },
};

it('keeps every acknowledged write through 20 kills -9, and the file passes its integrity check', async () => {
  const seed = Number(process.env.CRASH_SEED ?? randomInt(2 ** 31));
  console.log(`crash durability (SQLite) seed ${seed} — replay with CRASH_SEED=${seed}`);
  const started = Date.now();
  const report = await runCrashDurability({ databaseUrl: `sqlite:${file}`, database: sqlite, seed, log: (line) => console.log(line) });
  console.log(JSON.stringify({ seconds: (Date.now() - started) / 1000, ...report, problems: report.problems.length }));

  expect(report.problems, `seed ${seed}`).toEqual([]);
  expect(report.kills).toBe(20);
  for (const op of ['SignUp', 'ConfirmSignUp', 'AdminConfirmSignUp', 'SRP sign-in', 'password sign-in', 'RevokeToken', 'GlobalSignOut', 'AdminDeleteUser']) {
    expect(report.acknowledged[op], `${op} acknowledged (seed ${seed})`).toBeGreaterThan(0);
  }
  // The kills did cut requests off (those are counted neither way).
  expect(Object.values(report.unanswered).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  // After the clean stop: the file as a fresh open finds it.
  expect(readOnly((db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
  expect(readOnly((db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
}, 480_000);
