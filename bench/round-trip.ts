import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { startPostgresCluster } from './postgres-cluster.js';

/**
 * What one store round trip costs the server's CPU, on SQLite and on PostgreSQL (a throwaway cluster on
 * 127.0.0.1): the small reads a sign-in makes (a lockout row by key, a user by username key; both find
 * nothing here, as they most often do), through the real store, N times with 1 and with 4 in flight,
 * measured with process.cpuUsage in this process. The sign-in benchmark counts about 8 statements per
 * sign-in; this says what each costs, apart from the rest of the request.
 *
 *   npx tsx bench/round-trip.ts [--reads N]      (default 20000 per measurement)
 */
const { values } = parseArgs({ options: { reads: { type: 'string', default: '20000' } } });
const READS = Number(values.reads);
if (!Number.isInteger(READS) || READS < 100) throw new Error('--reads wants a whole number ≥ 100');

async function measure(store: Store, inFlight: number): Promise<{ perSecond: number; cpuMs: number }> {
  let next = 0;
  const reader = async () => {
    while (next < READS) {
      const i = next++;
      if (i % 2 === 0) await store.limits.get(`lockout:bench-${i % 1000}`);
      else await store.users.getByKey('us-east-1_bench', `user-${i % 1000}`);
    }
  };
  const cpu = process.cpuUsage();
  const t = performance.now();
  await Promise.all(Array.from({ length: inFlight }, reader));
  const used = process.cpuUsage(cpu);
  return { perSecond: (READS / (performance.now() - t)) * 1000, cpuMs: (used.user + used.system) / 1000 / READS };
}

async function run(name: string, store: Store): Promise<void> {
  await measure(store, 4); // warm-up: JIT, connections
  for (const inFlight of [1, 4]) {
    const { perSecond, cpuMs } = await measure(store, inFlight);
    console.log(`| ${name} | ${inFlight} | ${Math.round(perSecond).toLocaleString('en-US')} | ${cpuMs.toFixed(3)} |`);
  }
}

console.log(`${READS.toLocaleString('en-US')} reads per row, Node ${process.version}\n`);
console.log('| Database | Reads in flight | Reads/s | Server CPU ms per read |');
console.log('|---|---:|---:|---:|');
const dir = mkdtempSync(join(tmpdir(), 'cognate-round-trip-'));
try {
  const sqlite = await openStore(`sqlite:${join(dir, 'bench.db')}`);
  await run('SQLite', sqlite).finally(() => sqlite.close());
  const cluster = await startPostgresCluster();
  try {
    const postgres = await openStore(await cluster.createDatabase('round_trip'), { poolSize: 4 });
    await run(`PostgreSQL ${cluster.version}`, postgres).finally(() => postgres.close());
  } finally {
    await cluster.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
