import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { withBytewiseText } from './postgres/bytewise-text.js';
import { openPostgres } from './postgres/open-postgres.js';
import { MIGRATIONS } from './sql/migrations.js';
import { SqlStore } from './sql/sql-store.js';
import type { Database } from './sql/tables.js';
import { openSqlite, type SqliteSynchronous } from './sqlite/open-sqlite.js';
import type { Store } from './store.js';

/** The database holds migrations this code does not know: a newer Cognate migrated it. */
export class DatabaseTooNewError extends Error {
  override name = 'DatabaseTooNewError';
}

/**
 * Applies every pending migration; refuses a database that has migrations this code does not know.
 * Concurrent starts are safe: Kysely's migrator holds a lock while it migrates.
 */
export async function migrate(db: Kysely<Database>, migrations: Record<string, Migration> = MIGRATIONS): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({ db, provider });
  // Kysely's tables exist only after the first run; a fresh database has nothing to compare.
  const executed = await db
    .selectFrom('kysely_migration' as never)
    .select('name' as never)
    .execute()
    .catch(() => [] as { name: string }[]);
  const unknown = (executed as { name: string }[]).map((r) => r.name).filter((n) => !(n in migrations));
  if (unknown.length > 0) {
    throw new DatabaseTooNewError(`The database was migrated by a newer Cognate (unknown migrations: ${unknown.join(', ')}). Upgrade Cognate to use it.`);
  }
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The shared migrations as a backend runs them (PostgreSQL: text columns compare bytewise, see bytewise-text.ts). */
export function migrationsFor(backend: 'sqlite' | 'postgres'): Record<string, Migration> {
  return backend === 'postgres' ? withBytewiseText(MIGRATIONS) : MIGRATIONS;
}

export interface OpenStoreOptions {
  /** PostgreSQL: connections this process keeps open at most. */
  poolSize?: number;
  /**
   * SQLite: the page cache, in MiB (SQLite's default is 2). A bulk import touches index pages all over a
   * file of several hundred MB; a large cache saves re-reading them.
   */
  sqliteCacheMb?: number;
  /** SQLite: NORMAL (default) or FULL, see open-sqlite.ts. */
  sqliteSynchronous?: SqliteSynchronous;
}

/** Opens (and migrates) the store that a database URL names: sqlite:<path> or postgres(ql)://… */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length) || ':memory:';
    const { db, dialect } = openSqlite(path, options.sqliteCacheMb, options.sqliteSynchronous);
    await migrateOrClose(db, migrationsFor(dialect.backend));
    return new SqlStore(db, dialect, () => db.destroy());
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { db, dialect } = openPostgres(url, options);
    await migrateOrClose(db, migrationsFor(dialect.backend));
    return new SqlStore(db, dialect, () => db.destroy());
  }
  throw new Error(`Unsupported database URL (use sqlite:<path> or postgres://…): ${url.replace(/\/\/[^@/]*@/, '//…@')}`);
}

/** A refused or failed migration must not leave connections open (a pg pool would keep the process alive). */
async function migrateOrClose(db: Kysely<Database>, migrations: Record<string, Migration>): Promise<void> {
  try {
    await migrate(db, migrations);
  } catch (err) {
    await db.destroy();
    throw err;
  }
}
