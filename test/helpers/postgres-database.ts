import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export interface TestDatabase {
  /** postgres:// URL of the new, empty database. */
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file, on the server of the `postgres` project's globalSetup
 * (test/helpers/postgres-cluster.ts). Its default collation is ICU en-US where the server has ICU, so
 * the tests see what a typical production database does (Cognate must not depend on a "C" database).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('postgresUrl');
  if (!serverUrl) throw new Error('no PostgreSQL server: run this file in the vitest project "postgres" (see vitest.config.ts)');
  const name = `cognate_test_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, async (client) => {
    try {
      await client.query(`create database ${name} template template0 encoding 'UTF8' locale_provider icu icu_locale 'en-US' locale 'C'`);
    } catch (err) {
      // A server without ICU (or older than 15): its default collation, whatever that is.
      if (!(typeof err === 'object' && err !== null && 'code' in err && ['0A000', '42601', '22023', '42704'].includes(String(err.code)))) throw err;
      await client.query(`create database ${name}`);
    }
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`).then(() => {})),
  };
}

async function admin(url: string, fn: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
