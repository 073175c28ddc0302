import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/sql/migrations.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-database.js';

const run = promisify(execFile);
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

/** The `cognate` command as an operator runs it, with COGNATE_DATABASE_URL naming the PostgreSQL database. */
const cognate = (...args: string[]) =>
  run(process.execPath, ['bin/cognate.js', ...args], { env: { ...process.env, COGNATE_DATABASE_URL: database.url, COGNATE_PORT: '0' }, timeout: 30_000 });

async function query<T>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('cognate migrate on PostgreSQL', () => {
  it('creates the tables of an empty database, and is a no-op the second time', async () => {
    expect((await cognate('migrate')).stdout).toBe('database is up to date\n');
    const applied = await query<{ name: string }>('select name from kysely_migration order by name');
    expect(applied.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS).sort());
    expect((await query<{ n: string }>("select count(*) as n from information_schema.tables where table_name = 'users'"))[0]?.n).toBe('1');
    expect((await cognate('migrate')).stdout).toBe('database is up to date\n');
  });

  it('refuses, like the server does at start, a database migrated by a newer Cognate', async () => {
    await cognate('migrate');
    await query("insert into kysely_migration (name, timestamp) values ('9999_next_release', now()::text)");
    const message = 'The database was migrated by a newer Cognate (unknown migrations: 9999_next_release). Upgrade Cognate to use it.';
    await expect(cognate('migrate')).rejects.toMatchObject({ code: 1, stderr: `cognate: DatabaseTooNewError: ${message}\n` });
    await expect(cognate('serve')).rejects.toMatchObject({ code: 1, stderr: `Cognate failed to start: ${message}\n` });
  });
});
