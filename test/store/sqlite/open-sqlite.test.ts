import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';
import { openSqlite } from '../../../src/store/sqlite/open-sqlite.js';

/** The durability setting (docs/durability.md): WAL always, synchronous NORMAL by default, FULL on request. */
const dir = mkdtempSync(join(tmpdir(), 'cognate-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function pragmas(synchronous?: 'NORMAL' | 'FULL'): Promise<{ journal: unknown; synchronous: unknown }> {
  const { db } = openSqlite(join(dir, `${synchronous ?? 'default'}.db`), undefined, synchronous);
  try {
    const journal = (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db)).rows[0]?.journal_mode;
    const level = (await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows[0]?.synchronous;
    return { journal, synchronous: level };
  } finally {
    await db.destroy();
  }
}

it('opens in WAL mode with synchronous=NORMAL (1) by default and FULL (2) when asked', async () => {
  expect(await pragmas()).toEqual({ journal: 'wal', synchronous: 1 });
  expect(await pragmas('NORMAL')).toEqual({ journal: 'wal', synchronous: 1 });
  expect(await pragmas('FULL')).toEqual({ journal: 'wal', synchronous: 2 });
});

it('COGNATE_SQLITE_SYNCHRONOUS takes NORMAL or FULL, defaults to NORMAL and refuses anything else', () => {
  expect(loadConfig({}).sqliteSynchronous).toBe('NORMAL');
  expect(loadConfig({ COGNATE_SQLITE_SYNCHRONOUS: 'FULL' }).sqliteSynchronous).toBe('FULL');
  expect(() => loadConfig({ COGNATE_SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(ConfigError);
  expect(() => loadConfig({ COGNATE_SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/COGNATE_SQLITE_SYNCHRONOUS/);
});
