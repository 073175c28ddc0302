import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import { csvHeader, csvRow } from '../domain/user-csv.js';
import { openSealedStore, type MasterKeyConfig } from './open-sealed-store.js';

/**
 * `cognate users export`: a pool's users as its user-import CSV (domain/user-csv.ts), read page by page
 * in username order (keyset pagination), so that `cognate users import` loads it into another pool.
 * Values are written as Cognito writes them, bare; one holding a comma, a quote or a line break is
 * quoted as RFC 4180 says (the import reads both).
 */

export interface ExportOptions {
  /** The database, and the master key that opens its secrets. */
  config: MasterKeyConfig;
  poolId: string;
  out: NodeJS.WritableStream;
  pageSize?: number;
  /** Before the first page: the pool's number of users. */
  onStart?: (p: { total: number }) => void;
  /** After each page. */
  onProgress?: (p: { done: number; total: number }) => void;
}

export interface ExportResult {
  users: number;
  seconds: number;
  rate: number;
}

export async function exportUsers(options: ExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const limit = options.pageSize ?? 1000;
  const store = await openSealedStore(options.config);
  try {
    const pool = await store.pools.get(options.poolId);
    if (!pool) throw new Error(`User pool ${options.poolId} does not exist.`);
    const columns = csvHeader(pool.settings);
    let total = await store.users.count(pool.id);
    options.onStart?.({ total });
    const write = async (text: string) => {
      if (!options.out.write(text)) await once(options.out, 'drain');
    };
    await write(stringify([columns]));
    let done = 0;
    let after: string | undefined;
    for (;;) {
      const page = await store.users.list(pool.id, { after, limit });
      if (page.length === 0) break;
      await write(stringify(page.map((user) => csvRow(pool, user, columns))));
      done += page.length;
      total = Math.max(total, done);
      options.onProgress?.({ done, total });
      if (page.length < limit) break;
      after = page[page.length - 1]!.username;
    }
    const seconds = (performance.now() - started) / 1000;
    return { users: done, seconds, rate: done / Math.max(seconds, 1e-3) };
  } finally {
    await store.close();
  }
}
