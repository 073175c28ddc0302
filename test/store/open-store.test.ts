import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, migrate, migrationsFor, openStore } from '../../src/store/open-store.js';
import { openPostgres } from '../../src/store/postgres/open-postgres.js';
import { MIGRATIONS } from '../../src/store/sql/migrations.js';
import { openSqlite } from '../../src/store/sqlite/open-sqlite.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-database.js';

const dir = mkdtempSync(join(tmpdir(), 'cognate-open-'));
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const d of databases) await d.drop();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** Each backend: a fresh database URL and a way to reach it with Kysely directly. */
const BACKENDS = [
  {
    name: 'sqlite',
    fresh: async () => `sqlite:${join(dir, `db-${++n}.db`)}`,
    raw: (url: string) => openSqlite(url.slice('sqlite:'.length)).db,
  },
  {
    name: 'postgres',
    fresh: async () => {
      const d = await createTestDatabase();
      databases.push(d);
      return d.url;
    },
    raw: (url: string) => openPostgres(url).db,
  },
] as const;

describe.each(BACKENDS)('openStore on $name', (backend) => {
  let url: string;
  beforeAll(async () => {
    url = await backend.fresh();
  });

  it('migrates a fresh database, and opening it again applies nothing', async () => {
    const store = await openStore(url);
    expect(store.backend).toBe(backend.name);
    await store.close();
    const db = backend.raw(url);
    try {
      const rows = await db.selectFrom('kysely_migration' as never).select('name' as never).execute();
      expect((rows as { name: string }[]).map((r) => r.name)).toEqual(Object.keys(MIGRATIONS).sort());
      expect(await migrate(db, migrationsFor(backend.name))).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('refuses a database migrated by a newer Cognate, with a clear message, and leaves it alone', async () => {
    const db = backend.raw(url);
    try {
      await db.insertInto('kysely_migration' as never).values({ name: '9999_from_the_future', timestamp: new Date().toISOString() } as never).execute();
    } finally {
      await db.destroy();
    }
    const refused = openStore(url);
    await expect(refused).rejects.toBeInstanceOf(DatabaseTooNewError);
    await expect(refused).rejects.toThrow('The database was migrated by a newer Cognate (unknown migrations: 9999_from_the_future). Upgrade Cognate to use it.');
  });
});

describe('openStore', () => {
  it('refuses a URL of another kind without echoing its password', async () => {
    await expect(openStore('mysql://root:hunter2@localhost/db')).rejects.toThrow(/^Unsupported database URL \(use sqlite:<path> or postgres:\/\/…\): mysql:\/\/…@localhost\/db$/);
  });

  it('accepts postgresql:// as well as postgres://', async () => {
    const url = (await BACKENDS[1].fresh()).replace(/^postgres:/, 'postgresql:');
    const store = await openStore(url, { poolSize: 2 });
    expect(store.backend).toBe('postgres');
    await store.close();
  });

  it('on PostgreSQL every text column compares bytewise ("C"), whatever the database collation', async () => {
    const url = await BACKENDS[1].fresh();
    await (await openStore(url)).close();
    const db = BACKENDS[1].raw(url);
    try {
      const { rows } = await sql<{ column: string; collation: string | null }>`
        select table_name || '.' || column_name as "column", collation_name as "collation" from information_schema.columns
        where table_schema = current_schema() and data_type in ('text', 'character varying') and table_name not like 'kysely%'`.execute(db);
      expect(rows.length).toBeGreaterThan(20);
      expect(rows.filter((r) => r.collation !== 'C')).toEqual([]);
      // The test database itself orders like en-US (ICU), so the check above is not vacuous.
      const { rows: [cmp] } = await sql<{ ordered: boolean }>`select 'a' < 'B' as ordered`.execute(db);
      expect(cmp?.ordered).toBe(true);
    } finally {
      await db.destroy();
    }
  });
});
