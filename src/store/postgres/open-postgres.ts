import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { SqlDialect } from '../sql/sql-store.js';
import type { Database as Schema } from '../sql/tables.js';

/** pg's type OID of bigint (int8): counts and our epoch-millisecond columns. */
const INT8 = 20;

/**
 * Epoch milliseconds are bigint columns; pg hands int8 back as a string (it may exceed 2^53). Ours never
 * do, so this pool parses them as numbers, per pool rather than through pg's global type table.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * The attributes column as json. PostgreSQL's JSON functions refuse a document holding the escape
 * \u0000 (text cannot hold NUL), and one user with a NUL in any attribute value would break attribute
 * filters for the whole pool; so those escapes read as U+FFFD. JSON.stringify escapes every control
 * character, so chr(1) never occurs in the column: it stands in for escaped backslashes (`\\`) meanwhile,
 * so that an escaped backslash followed by `u0000` is left alone.
 */
const jsonWithoutNul = sql`(case when strpos(attributes, ${'\\u0000'}) = 0 then attributes
  else replace(replace(replace(attributes, ${'\\\\'}, chr(1)), ${'\\u0000'}, ${'\\ufffd'}), chr(1), ${'\\\\'}) end)::json`;

export interface PostgresOptions {
  /** Connections this process keeps open at most. */
  poolSize?: number;
}

/**
 * PostgreSQL through a pg pool. Transactions run at READ COMMITTED: every write that must be atomic is
 * one statement (`update … returning`, `insert … on conflict`) and uniqueness is left to the indexes.
 */
export function openPostgres(url: string, options: PostgresOptions = {}): { db: Kysely<Schema>; dialect: SqlDialect } {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types, application_name: 'cognate' });
  // An idle connection that the server drops (restart, failover) is discarded; the next query opens a new one.
  pool.on('error', () => {});
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const dialect: SqlDialect = {
    backend: 'postgres',
    isUniqueViolation: (err) => typeof err === 'object' && err !== null && 'code' in err && err.code === '23505',
    attribute: (name) => sql<string | null>`(${jsonWithoutNul} ->> ${name})`,
    isRetryable: (err) => typeof err === 'object' && err !== null && 'code' in err && (err.code === '40001' || err.code === '40P01'),
  };
  return { db, dialect };
}
