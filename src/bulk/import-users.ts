import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, ftruncateSync, openSync, statSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import { parse, type Info } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { conflictReason, importedUser, importProblem, rowValues, USERNAME_COLUMN } from '../domain/user-csv.js';
import { CognitoError } from '../errors/cognito-error.js';
import { openSealedStore, type MasterKeyConfig } from './open-sealed-store.js';
import type { PoolRecord, Store, UserRecord } from '../store/store.js';

/**
 * `cognate users import`: a user-import CSV (domain/user-csv.ts) loaded straight into the database,
 * in batches of one transaction each. A row that is refused — invalid, or its username or a sign-in
 * value taken — is counted and written, with its line and reason, to the errors file; the batch goes on.
 *
 * Resumable, exactly once: each batch's transaction also records in the kv table how many rows of the
 * file are done (keyed by pool and the file's SHA-256) and how long the errors file is then. A run
 * that stops — a crash, Ctrl-C, kill -9 — leaves every batch in or out whole; the same command again
 * cuts the errors file back to the last commit and goes on after the rows that are in.
 */

export interface ImportOptions {
  /** The database, and the master key that opens its secrets (imported users' salt and verifier are sealed as the server seals them). */
  config: MasterKeyConfig;
  poolId: string;
  file: string;
  /** Default: `<file>.errors.csv`. */
  errorsFile?: string;
  /** Rows per transaction (default DEFAULT_BATCH_SIZE). */
  batchSize?: number;
  now?: () => number;
  /** Before the first row: the rows in the file (counted by lines) and those done by earlier runs. */
  onStart?: (p: { total: number; done: number }) => void;
  /** After each batch. */
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  done: number;
  total: number;
  imported: number;
  failed: number;
}

export interface ImportResult extends ImportProgress {
  /** The file was imported into this pool before: nothing was done. */
  alreadyImported: boolean;
  /** Rows that earlier runs had done (a resumed import). */
  resumedAfter: number;
  errorsFile: string;
  seconds: number;
  /** Rows done by this run per second. */
  rate: number;
}

interface Checkpoint {
  rows: number;
  imported: number;
  failed: number;
  /** Bytes of the errors file that belong to the committed rows. */
  errorsBytes: number;
  done: boolean;
}

interface Row {
  line: number;
  fields: string[];
}

interface Failure {
  line: number;
  username: string;
  reason: string;
}

/**
 * Rows per transaction. On SQLite a commit writes every index page its rows touched to the WAL again;
 * 10,000 rows a commit import about twice as fast as 1,000 (random usernames and subs touch pages
 * all over the indexes), and a resumed import redoes at most that many rows.
 */
export const DEFAULT_BATCH_SIZE = 10_000;

/** SQLite page cache of an import: 256 MiB took a third off a 400,000-row import (less re-reading of index pages). */
const IMPORT_CACHE_MB = 256;

const ERRORS_HEADER = stringify([['line', USERNAME_COLUMN, 'reason']]);

export async function importUsers(options: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const errorsPath = options.errorsFile ?? `${options.file}.errors.csv`;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const now = options.now ?? Date.now;
  const { sha256, lines } = await scan(options.file);
  const store = await openSealedStore(options.config, { sqliteCacheMb: IMPORT_CACHE_MB });
  try {
    const pool = await store.pools.get(options.poolId);
    if (!pool) throw new Error(`User pool ${options.poolId} does not exist.`);
    const key = `user-import:${pool.id}:${sha256}`;
    const saved = await store.kv.get(key);
    const checkpoint: Checkpoint = saved ? JSON.parse(saved) : { rows: 0, imported: 0, failed: 0, errorsBytes: 0, done: false };
    const resumedAfter = checkpoint.rows;
    let total = Math.max(lines - 1, checkpoint.rows);
    const result = (): ImportResult => {
      const seconds = (performance.now() - started) / 1000;
      return {
        alreadyImported: false, done: checkpoint.rows, total, imported: checkpoint.imported, failed: checkpoint.failed, resumedAfter,
        errorsFile: errorsPath, seconds, rate: (checkpoint.rows - resumedAfter) / Math.max(seconds, 1e-3),
      };
    };
    if (checkpoint.done) return { ...result(), alreadyImported: true };

    let errors: ErrorsFile | undefined;
    const input = createReadStream(options.file);
    const parser = input.pipe(parse({ bom: true, info: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }));
    input.on('error', (err) => parser.destroy(err));
    let columns: string[] | undefined;
    let index = 0;
    let batch: Row[] = [];
    const flush = async (header: string[], out: ErrorsFile) => {
      Object.assign(checkpoint, await writeBatch(store, pool, header, batch, now(), out, key, checkpoint));
      out.committed(checkpoint.errorsBytes);
      batch = [];
      total = Math.max(total, checkpoint.rows);
      options.onProgress?.({ done: checkpoint.rows, total, imported: checkpoint.imported, failed: checkpoint.failed });
    };
    try {
      for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
        if (!columns) {
          columns = item.record.map((c) => c.trim());
          const problem = importProblem(pool.settings, columns);
          if (problem) throw new Error(problem);
          errors = new ErrorsFile(errorsPath, checkpoint.rows > 0 ? checkpoint.errorsBytes : 0);
          options.onStart?.({ total, done: checkpoint.rows });
          continue;
        }
        if (index++ < checkpoint.rows) continue;
        batch.push({ line: item.info.lines, fields: item.record });
        if (batch.length >= batchSize) await flush(columns, errors!);
      }
      if (!columns) throw new Error(`${options.file} is empty: its first line must be the CSV header (GetCSVHeader).`);
      if (batch.length > 0) await flush(columns, errors!);
    } catch (err) {
      if (err instanceof Error && 'code' in err && String(err.code).startsWith('CSV_')) throw new Error(`${options.file}: ${err.message}`);
      throw err;
    } finally {
      input.destroy();
      errors?.close();
    }
    checkpoint.done = true;
    await store.kv.put(key, JSON.stringify(checkpoint));
    return result();
  } finally {
    await store.close();
  }
}

/**
 * One batch in one transaction: the valid rows created (one whose username or sign-in value is taken
 * counts as failed and the others go on: createMany skips it rather than failing the statement), the
 * failures written to the errors file, and the checkpoint that says so, which it returns.
 */
async function writeBatch(
  store: Store,
  pool: PoolRecord,
  columns: string[],
  batch: Row[],
  now: number,
  errors: ErrorsFile,
  key: string,
  before: Checkpoint,
): Promise<Checkpoint> {
  const invalid: Failure[] = [];
  const valid: { row: Row; user: UserRecord }[] = [];
  const usernameAt = columns.indexOf(USERNAME_COLUMN);
  for (const row of batch) {
    const username = row.fields[usernameAt] ?? '';
    const values = rowValues(columns, row.fields);
    if (!values) {
      invalid.push({ line: row.line, username, reason: `The row has ${row.fields.length} values for the header's ${columns.length} columns.` });
      continue;
    }
    try {
      valid.push({ row, user: importedUser(pool, values, now) });
    } catch (err) {
      if (!(err instanceof CognitoError)) throw err;
      invalid.push({ line: row.line, username, reason: err.message.trim() });
    }
  }
  // PostgreSQL may run this again after a deadlock: it changes nothing outside the transaction but the
  // errors file, which it writes at the same place again.
  return store.transaction(async (tx) => {
    const failures = [...invalid];
    const created = await tx.users.createMany(valid.map((v) => v.user));
    for (const { row, user } of valid) {
      if (created.has(user.sub)) continue;
      failures.push({ line: row.line, username: row.fields[usernameAt] ?? '', reason: await conflictReason(tx, pool, user) });
    }
    failures.sort((a, b) => a.line - b.line);
    const after: Checkpoint = {
      rows: before.rows + batch.length, imported: before.imported + batch.length - failures.length, failed: before.failed + failures.length,
      errorsBytes: errors.write(failures.map((f) => [String(f.line), f.username, f.reason])), done: false,
    };
    await tx.kv.put(key, JSON.stringify(after));
    return after;
  });
}

/**
 * The errors file, kept in step with the checkpoint: each batch writes its lines after the committed
 * end (again at the same place if its transaction runs twice); a new import starts it afresh, a resumed
 * one cuts it back to what the last commit counted. Created at the first failure.
 */
class ErrorsFile {
  private fd: number | undefined;
  private end: number;

  constructor(private readonly path: string, committedBytes: number) {
    const exists = existsSync(path);
    if (committedBytes === 0 && exists) unlinkSync(path);
    this.end = committedBytes > 0 && exists ? Math.min(committedBytes, statSync(path).size) : 0;
    if (exists && this.end > 0) truncateSync(path, this.end);
  }

  /** Writes these rows after the committed end; returns the length of the file with them. */
  write(rows: string[][]): number {
    if (rows.length === 0) return this.end;
    const text = Buffer.from((this.end === 0 ? ERRORS_HEADER : '') + stringify(rows));
    this.fd ??= openSync(this.path, existsSync(this.path) ? 'r+' : 'w');
    writeSync(this.fd, text, 0, text.length, this.end);
    ftruncateSync(this.fd, this.end + text.length);
    return this.end + text.length;
  }

  committed(bytes: number): void {
    this.end = bytes;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The file's SHA-256 (the import's identity) and its number of lines (for the progress total), in one read. */
async function scan(file: string): Promise<{ sha256: string; lines: number }> {
  const hash = createHash('sha256');
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines++;
    if (chunk.length > 0) last = chunk[chunk.length - 1]!;
  }
  return { sha256: hash.digest('hex'), lines: lines + (last === 0x0a ? 0 : 1) };
}
