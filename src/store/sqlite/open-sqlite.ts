import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type Driver } from 'kysely';
import type { SqlDialect } from '../sql/sql-store.js';
import type { Database as Schema } from '../sql/tables.js';

/** When a commit reaches the disk (COGNATE_SQLITE_SYNCHRONOUS; docs/durability.md). */
export type SqliteSynchronous = 'NORMAL' | 'FULL';

/**
 * SQLite through better-sqlite3 in WAL mode. synchronous=NORMAL: a commit is in the WAL (in the OS)
 * before the call returns, so an acknowledged write survives a kill -9 of the process; a power cut
 * may lose the last transactions, never consistency. FULL syncs the WAL at every commit, so a power
 * cut loses nothing acknowledged either, at one fsync per write transaction.
 */
export function openSqlite(path: string, cacheMb?: number, synchronous: SqliteSynchronous = 'NORMAL'): { db: Kysely<Schema>; dialect: SqlDialect } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  if (cacheMb !== undefined) database.pragma(`cache_size = -${Math.round(cacheMb * 1024)}`);
  reusePreparedStatements(database);
  const db = new Kysely<Schema>({
    dialect: new (class extends SqliteDialect {
      override createDriver(): Driver {
        return new ImmediateTransactions({ database });
      }
    })({ database }),
  });
  const dialect: SqlDialect = {
    backend: 'sqlite',
    isUniqueViolation: (err) =>
      typeof err === 'object' && err !== null && 'code' in err && (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'),
    attribute: (name) => sql<string | null>`json_extract(attributes, ${`$."${name.replace(/"/g, '')}"`})`,
  };
  return { db, dialect };
}

/**
 * Transactions take the write lock when they begin (BEGIN IMMEDIATE). Several processes may share the file
 * (`cognate serve --workers N`): a deferred transaction that reads and then writes can find that another
 * process wrote in between and fail at once with "database is locked" (the busy timeout does not help
 * there); an immediate one waits for the lock, up to busy_timeout, before it reads anything.
 */
class ImmediateTransactions extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Kysely asks better-sqlite3 to prepare every query anew; a statement can be reused (its parameters
 * are bound per call), so keep them by SQL text. Queries are built from a fixed set of shapes, so the
 * map stays small; it is bounded anyway.
 */
function reusePreparedStatements(database: Database.Database): void {
  const prepare = database.prepare.bind(database);
  const statements = new Map<string, Database.Statement>();
  database.prepare = ((source: string) => {
    let statement = statements.get(source);
    if (!statement) {
      if (statements.size >= 500) statements.clear();
      statement = prepare(source);
      statements.set(source, statement);
    }
    return statement;
  }) as typeof database.prepare;
}
