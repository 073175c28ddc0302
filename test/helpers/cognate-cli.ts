import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CliResult {
  stdout: string;
  stderr: string;
}

/**
 * The `cognate` command as an operator runs it (node bin/cognate.js), against the database that
 * COGNATE_DATABASE_URL names (plus `extraEnv`, e.g. its master key). A failed run rejects with its `code` and `stderr`.
 */
export function cognateCli(databaseUrl: string, extraEnv: Record<string, string> = {}) {
  const env = { ...process.env, COGNATE_DATABASE_URL: databaseUrl, ...extraEnv };
  return {
    run: (...args: string[]): Promise<CliResult> => run(process.execPath, ['bin/cognate.js', ...args], { env, timeout: 240_000, maxBuffer: 256 * 1024 * 1024 }),
    /** Started and left running (to be killed). */
    spawn: (...args: string[]): ChildProcess => spawn(process.execPath, ['bin/cognate.js', ...args], { env, stdio: 'ignore' }),
  };
}
