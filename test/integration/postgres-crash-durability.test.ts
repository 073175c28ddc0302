import { randomInt } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCrashDurability, type DatabaseProbe } from '../helpers/crash-durability.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-database.js';

/**
 * Crash durability on PostgreSQL: the same run as crash-durability.test.ts (20 kills -9 of a real
 * `cognate serve` under load, every acknowledged write checked), on a database of its own. The server
 * process dies, PostgreSQL does not: what a kill may not break is Cognate's use of transactions.
 * Integrity: amcheck (B-tree indexes with their heap entries, and the heap itself) where the extension
 * can be created, plus the consistency queries.
 */
let database: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** amcheck over every index and table of Cognate's schema; undefined when the extension cannot be created here. */
async function amcheck(): Promise<string[] | undefined> {
  try {
    await pool.query('create extension if not exists amcheck');
  } catch {
    return undefined;
  }
  const problems: string[] = [];
  const indexes = await pool.query<{ name: string }>(
    `select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am am on am.oid = c.relam
     where am.amname = 'btree' and c.relnamespace = current_schema()::text::regnamespace`,
  );
  for (const { name } of indexes.rows) {
    await pool.query('select bt_index_check(index => $1::regclass, heapallindexed => true)', [name]).catch((err: unknown) => problems.push(`index ${name}: ${String(err)}`));
  }
  const heap = await pool.query<{ relname: string; msg: string }>(
    `select c.relname, v.msg from pg_class c cross join lateral verify_heapam(c.oid) v
     where c.relkind = 'r' and c.relnamespace = current_schema()::text::regnamespace`,
  );
  for (const row of heap.rows) problems.push(`table ${row.relname}: ${row.msg}`);
  if (indexes.rows.length < 10) problems.push(`amcheck saw only ${indexes.rows.length} indexes: not Cognate's schema?`);
  return problems;
}

let amcheckRan = false;
const postgres: DatabaseProbe = {
  query: async (sql) => (await pool.query(sql)).rows as Record<string, unknown>[],
  integrity: async () => {
    const problems = await amcheck();
    if (problems) amcheckRan = true;
    return problems ?? [];
  },
};

it('keeps every acknowledged write through 20 kills -9 of the server, and the database passes amcheck', async () => {
  const seed = Number(process.env.CRASH_SEED ?? randomInt(2 ** 31));
  console.log(`crash durability (PostgreSQL) seed ${seed} — replay with CRASH_SEED=${seed}`);
  const started = Date.now();
  const report = await runCrashDurability({ databaseUrl: database.url, database: postgres, seed, log: (line) => console.log(line) });
  console.log(JSON.stringify({ seconds: (Date.now() - started) / 1000, ...report, problems: report.problems.length }));
  if (!amcheckRan) console.log('amcheck is not available on this server: the consistency queries were the integrity check');

  expect(report.problems, `seed ${seed}`).toEqual([]);
  expect(report.kills).toBe(20);
  for (const op of ['SignUp', 'ConfirmSignUp', 'AdminConfirmSignUp', 'SRP sign-in', 'password sign-in', 'RevokeToken', 'GlobalSignOut', 'AdminDeleteUser']) {
    expect(report.acknowledged[op], `${op} acknowledged (seed ${seed})`).toBeGreaterThan(0);
  }
  expect(Object.values(report.unanswered).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  // Nothing of the killed processes' transactions is left open.
  const open = await pool.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`);
  expect(open.rows[0].n).toBe(0);
}, 480_000);
