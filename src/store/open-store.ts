import { Migrator, type Kysely, type MigrationProvider } from 'kysely';
import { MIGRATIONS } from './sql/migrations.js';
import { SqlStore } from './sql/sql-store.js';
import type { Database } from './sql/tables.js';
import { openSqlite } from './sqlite/open-sqlite.js';
import type { Store } from './store.js';

export class DatabaseTooNewError extends Error {}

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Applies every pending migration; refuses a database that has migrations this code does not know. */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const known = await migrator.getMigrations();
  // Kysely's tables exist only after the first run; a fresh database has nothing to compare.
  const executed = await db
    .selectFrom('kysely_migration' as never)
    .select('name' as never)
    .execute()
    .catch(() => [] as { name: string }[]);
  const unknown = (executed as { name: string }[]).map((r) => r.name).filter((n) => !known.some((m) => m.name === n));
  if (unknown.length > 0) {
    throw new DatabaseTooNewError(`The database was migrated by a newer Cognate (unknown migrations: ${unknown.join(', ')}). Upgrade Cognate to use it.`);
  }
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Opens (and migrates) the store that a database URL names. */
export async function openStore(url: string): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length) || ':memory:';
    const { db, dialect } = openSqlite(path);
    await migrate(db);
    return new SqlStore(db, dialect, () => db.destroy());
  }
  throw new Error('PostgreSQL support arrives in a later release; use COGNATE_DATABASE_URL=sqlite:<path>');
}
