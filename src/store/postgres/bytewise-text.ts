import { sql, type Kysely, type Migration } from 'kysely';

/**
 * SQLite compares and orders text byte by byte (code point order); PostgreSQL follows the database's
 * collation (en_US orders 'alice' before 'Bob', ignores punctuation at first…). For lists, keyset
 * pagination and ranges to agree on both, every text column of our tables uses the "C" collation on
 * PostgreSQL. Migrations stay shared: on PostgreSQL each one is followed, in its transaction, by
 * moving the text columns it created to "C" (their indexes are rebuilt with them).
 */
export function withBytewiseText(migrations: Record<string, Migration>): Record<string, Migration> {
  return Object.fromEntries(
    Object.entries(migrations).map(([name, migration]) => [
      name,
      {
        async up(db: Kysely<unknown>) {
          await migration.up(db);
          await useCollationC(db);
        },
      } satisfies Migration,
    ]),
  );
}

async function useCollationC(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ table: string; column: string; type: string }>`
    select c.relname as "table", a.attname as "column", format_type(a.atttypid, a.atttypmod) as "type"
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
      and a.attcollation <> 0
      and a.attcollation <> (select oid from pg_collation where collname = 'C' and collnamespace = 'pg_catalog'::regnamespace)
      and left(c.relname, 7) <> 'kysely_'
    order by c.relname, a.attnum`.execute(db);
  const byTable = new Map<string, { column: string; type: string }[]>();
  for (const r of rows) byTable.set(r.table, [...(byTable.get(r.table) ?? []), r]);
  for (const [table, columns] of byTable) {
    const changes = columns.map((c) => sql`alter column ${sql.ref(c.column)} type ${sql.raw(c.type)} collate "C"`);
    await sql`alter table ${sql.table(table)} ${sql.join(changes)}`.execute(db);
  }
}
