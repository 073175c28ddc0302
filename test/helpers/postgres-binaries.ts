import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Finding and owning a throwaway PostgreSQL cluster's binaries: shared by the tests' cluster
 * (postgres-cluster.ts) and the benchmark's (bench/postgres-cluster.ts), which differ in their settings.
 */
const ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin directory (Debian: /usr/lib/postgresql/<major>/bin); `missing` ends the error. */
export function findPostgresBinaries(missing: string): string {
  const majors = existsSync(ROOT) ? readdirSync(ROOT).filter((d) => existsSync(join(ROOT, d, 'bin', 'initdb'))) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`PostgreSQL server binaries not found (${ROOT}/*/bin/initdb). ${missing}`);
  return join(ROOT, newest, 'bin');
}

/** initdb refuses to run as root: as root, the cluster belongs to the postgres OS user (apt-get install postgresql creates it). */
export function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, and there is no postgres OS user to own the throwaway cluster (apt-get install postgresql creates it)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
