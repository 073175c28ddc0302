import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../test/helpers/free-port.js';
import { findPostgresBinaries, postgresUser } from '../test/helpers/postgres-binaries.js';
import { treeCpuMs } from './proc-cpu.js';

/**
 * A throwaway PostgreSQL cluster for the benchmark: initdb in a temp dir, listening on 127.0.0.1 on a
 * free port, deleted by stop(). Unlike the tests' cluster it keeps PostgreSQL's default durability —
 * fsync, synchronous_commit and full_page_writes on, default shared_buffers — so that a commit costs
 * what it costs on a real server. Only max_connections is raised (workers × pool size). As root, the
 * cluster belongs to the postgres OS user (initdb refuses root).
 */
export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  urlOf(database: string): string;
  createDatabase(name: string): Promise<string>;
  /** The server's settings that bear on the numbers (fsync, synchronous_commit, shared_buffers...). */
  settings: Record<string, string>;
  version: string;
  /** CPU (ms) of the postmaster and all its backends and helpers so far. */
  cpuMs(): number;
  stop(): Promise<void>;
}

const run = promisify(execFile);
const REPORTED = ['fsync', 'synchronous_commit', 'full_page_writes', 'wal_level', 'shared_buffers', 'max_connections', 'checkpoint_timeout', 'max_wal_size'];

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findPostgresBinaries('Install them (apt-get install postgresql), or leave --db postgres out.');
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'cognate-bench-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const as = (cmd: string, args: string[]) => (owner ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : run(join(bin, cmd), args));
  const data = join(dir, 'data');
  const port = await freePort();
  try {
    await as('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C']);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300`;
    await as('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (err) {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a throwaway PostgreSQL cluster: ${String(err)}\n${log}`);
  }
  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n', 1)[0]);
  const query = async (sql: string) => {
    const client = new pg.Client({ connectionString: urlOf('postgres') });
    await client.connect();
    try {
      return (await client.query<Record<string, string>>(sql)).rows;
    } finally {
      await client.end();
    }
  };
  const settings = Object.fromEntries(
    (await query(`select name, setting || coalesce(' ' || unit, '') as value from pg_settings where name in (${REPORTED.map((n) => `'${n}'`).join(', ')}) order by name`)).map((r) => [r.name!, r.value!]),
  );
  const version = (await query('show server_version'))[0]?.server_version ?? 'unknown';
  return {
    urlOf,
    settings,
    version,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      await query(`create database ${name}`);
      return urlOf(name);
    },
    cpuMs: () => treeCpuMs([postmaster]),
    async stop() {
      await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
