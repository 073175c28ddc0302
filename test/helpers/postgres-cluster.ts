import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { freePort } from './free-port.js';
import { findPostgresBinaries, postgresUser } from './postgres-binaries.js';

/**
 * vitest globalSetup of the `postgres` project: a PostgreSQL server the tests may CREATE DATABASE on,
 * handed to them as `inject('postgresUrl')`. COGNATE_TEST_DATABASE_URL names one; otherwise a throwaway
 * cluster is made with the installed binaries (initdb in a temp dir, 127.0.0.1 on a free port) and
 * deleted afterwards. Without binaries this fails, in CI and locally alike: the PostgreSQL run is
 * never skipped.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

const run = promisify(execFile);

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.COGNATE_TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return undefined;
  }
  const bin = findPostgresBinaries(
    'The PostgreSQL tests are never skipped: install them (apt-get install postgresql) or set COGNATE_TEST_DATABASE_URL=postgres://… to a server where the tests may CREATE DATABASE.',
  );
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'cognate-pg-'));
  // initdb refuses to run as root: the cluster then belongs to the postgres OS user.
  const owner = asRoot ? postgresUser() : undefined;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const command = (cmd: string, args: string[]): [string, string[]] => (owner ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args]);
  const as = (cmd: string, args: string[]) => run(...command(cmd, args));
  const data = join(dir, 'data');
  const port = await freePort();
  let stopped = false;
  /** Synchronous, so that it also runs from an exit or signal handler when vitest is interrupted. */
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      execFileSync(...command('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' });
    } catch {
      // Not running (it failed to start, or is gone already).
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.kill(process.pid, signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.once(signal, onSignal);
  process.once('exit', stop);
  try {
    await as('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    await as('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (err) {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
    stop();
    throw new Error(`could not start a throwaway PostgreSQL cluster: ${String(err)}\n${log}`);
  }
  project.provide('postgresUrl', `postgres://postgres@127.0.0.1:${port}/postgres`);
  return async () => {
    for (const signal of signals) process.off(signal, onSignal);
    process.off('exit', stop);
    stop();
  };
}
