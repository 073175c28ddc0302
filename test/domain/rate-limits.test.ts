import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/domain/rate-limits.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

/**
 * The rate limiter's leases (src/domain/rate-limits.ts) on a real store: instances take a share of a
 * window's budget at a time, yet together never admit more than the limit in a window. (The integration
 * tests use limits under 20, where a lease is one request; these use larger ones.)
 */
const dir = mkdtempSync(join(tmpdir(), 'cognate-rate-'));
let store: Store;
beforeAll(async () => {
  store = await openStore(`sqlite:${join(dir, 'limits.db')}`);
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** How many of `n` requests a limiter admits, and the calls the store saw. */
async function admitted(limiter: RateLimiter, n: number, ask: (l: RateLimiter) => Promise<void>): Promise<number> {
  const out = await Promise.allSettled(Array.from({ length: n }, () => ask(limiter)));
  for (const r of out) if (r.status === 'rejected') expect(r.reason).toMatchObject({ type: 'TooManyRequestsException', message: 'Rate exceeded' });
  return out.filter((r) => r.status === 'fulfilled').length;
}

describe('RateLimiter', () => {
  it('three instances leasing from one store admit exactly the limit in a window, and again in the next', async () => {
    let now = 1_800_000_000_000;
    const clock = () => now;
    const instances = [0, 1, 2].map(() => new RateLimiter(store.limits, clock, { perIp: undefined, perPool: 100 }));
    const pool = async () => 'us-east-1_lease1';
    let total = 0;
    for (let round = 0; round < 4; round++) for (const l of instances) total += await admitted(l, 20, (x) => x.admitPool(pool));
    expect(total).toBe(100);
    now += 1000;
    expect(await admitted(instances[0]!, 150, (x) => x.admitPool(pool))).toBe(100);
  });

  it('asks the store once per lease, not once per request', async () => {
    const now = 1_800_000_100_000;
    let hits = 0;
    const counting = { ...store.limits, hit: (...args: Parameters<Store['limits']['hit']>) => (hits++, store.limits.hit(...args)) };
    const limiter = new RateLimiter(counting, () => now, { perIp: undefined, perPool: 2000 });
    for (let i = 0; i < 1000; i++) await limiter.admitPool(async () => 'us-east-1_lease2');
    // A lease is 2000 / 20 = 100 requests.
    expect(hits).toBe(10);
  });

  it('keeps addresses and pools apart, and does not look the pool up when pools are not limited', async () => {
    const now = 1_800_000_200_000;
    const limiter = new RateLimiter(store.limits, () => now, { perIp: 3, perPool: 0 });
    expect(await admitted(limiter, 5, (x) => x.admitAddress('192.0.2.1'))).toBe(3);
    expect(await admitted(limiter, 5, (x) => x.admitAddress('192.0.2.2'))).toBe(3);
    await limiter.admitAddress(undefined);
    await limiter.admitPool(async () => {
      throw new Error('looked up');
    });
    const off = new RateLimiter(store.limits, () => now, { perIp: undefined, perPool: 0 });
    expect(await admitted(off, 50, (x) => x.admitAddress('192.0.2.1'))).toBe(50);
  });
});
