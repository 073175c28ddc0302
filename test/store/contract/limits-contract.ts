import { describe, expect, it } from 'vitest';
import type { FailurePolicy, Store } from '../../../src/store/store.js';

/** What the limits section borrows from the enclosing contract suite (its store and fixtures). */
export interface LimitsContractContext {
  store: () => Store;
  uid: (label: string) => string;
  T0: number;
}

/** Two free failures, then 1 s, 2 s, and 4 s from the fifth on; a count idle for a minute (after its lock) starts again. */
const POLICY: FailurePolicy = { lockMs: [0, 0, 1000, 2000, 4000], resetAfterMs: 60_000 };

/**
 * The `limits` section of the store contract (called from storeContract): the shared counters behind
 * rate limits, sign-in lockouts and per-user code limits. Each change is one atomic statement, so
 * concurrent callers are all counted, each once — the property every limit across instances rests on.
 */
export function limitsContract({ store: s, uid, T0 }: LimitsContractContext): void {
  describe('limits', () => {
    describe('hit (fixed windows)', () => {
      it('counts within a window, starts again in the next one, and reads back numbers as numbers', async () => {
        const k = uid('rate');
        const w1 = T0 + 5_000_000_000;
        expect(await s().limits.hit(k, w1, 1, w1 + 1000)).toBe(1);
        expect(await s().limits.hit(k, w1, 1, w1 + 1000)).toBe(2);
        expect(await s().limits.hit(k, w1, 3, w1 + 1000)).toBe(5);
        const got = await s().limits.get(k);
        expect(got).toEqual({ key: k, count: 5, startedAt: w1, lockedUntil: 0, lastAttempt: null, expiresAt: w1 + 1000 });
        for (const f of ['count', 'startedAt', 'lockedUntil', 'expiresAt'] as const) expect(typeof got![f]).toBe('number');
        // The next window drops the old count.
        expect(await s().limits.hit(k, w1 + 1000, 2, w1 + 2000)).toBe(2);
        expect(await s().limits.get(k)).toMatchObject({ count: 2, startedAt: w1 + 1000, expiresAt: w1 + 2000 });
        // A hit of any other window (a clock moved back, another instance's clock behind) starts that one.
        expect(await s().limits.hit(k, w1, 1, w1 + 1000)).toBe(1);
        expect(await s().limits.get(k)).toMatchObject({ count: 1, startedAt: w1, expiresAt: w1 + 1000 });
      });

      it('counts every one of many concurrent hits exactly once', async () => {
        const k = uid('rate');
        const counts = await Promise.all(Array.from({ length: 40 }, () => s().limits.hit(k, T0, 1, T0 + 1000)));
        expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect((await s().limits.get(k))?.count).toBe(40);
      });

      it('keeps keys apart', async () => {
        const [a, b] = [uid('rate'), uid('rate')];
        await s().limits.hit(a, T0, 7, T0 + 1000);
        expect(await s().limits.hit(b, T0, 1, T0 + 1000)).toBe(1);
        expect(await s().limits.get(uid('never'))).toBeUndefined();
      });
    });

    describe('countFailure (lockouts)', () => {
      const at = T0 + 6_000_000_000;

      it('counts failures, locks by the policy, ignores failures while locked and goes on after the lock', async () => {
        const k = uid('lock');
        const one = await s().limits.countFailure(k, 'a1', at, POLICY);
        expect(one).toEqual({ key: k, count: 1, startedAt: at, lockedUntil: 0, lastAttempt: 'a1', expiresAt: at + 60_000 });
        expect(await s().limits.countFailure(k, 'a2', at + 10, POLICY)).toMatchObject({ count: 2, lockedUntil: 0, lastAttempt: 'a2' });
        // The third failure locks for 1 s.
        expect(await s().limits.countFailure(k, 'a3', at + 20, POLICY)).toMatchObject({ count: 3, lockedUntil: at + 1020, lastAttempt: 'a3' });
        // While locked a failure is ignored: nothing changes, and the caller sees that it was not counted.
        const ignored = await s().limits.countFailure(k, 'a4', at + 500, POLICY);
        expect(ignored).toEqual({ key: k, count: 3, startedAt: at + 20, lockedUntil: at + 1020, lastAttempt: 'a3', expiresAt: at + 61_020 });
        // After the lock: counted, with the next lock of the policy, and then the last one for ever after.
        expect(await s().limits.countFailure(k, 'a5', at + 1020, POLICY)).toMatchObject({ count: 4, lockedUntil: at + 3020, lastAttempt: 'a5' });
        expect(await s().limits.countFailure(k, 'a6', at + 3020, POLICY)).toMatchObject({ count: 5, lockedUntil: at + 7020 });
        expect(await s().limits.countFailure(k, 'a7', at + 7020, POLICY)).toMatchObject({ count: 6, lockedUntil: at + 11_020, lastAttempt: 'a7' });
        // The idle time that resets the count runs from the end of the lock.
        expect(await s().limits.get(k)).toMatchObject({ count: 6, lockedUntil: at + 11_020, lastAttempt: 'a7', expiresAt: at + 71_020 });
      });

      it('starts again at 1 once the count expired (idle for resetAfterMs after the end of its lock)', async () => {
        const k = uid('lock');
        for (let i = 0; i < 3; i++) await s().limits.countFailure(k, `b${i}`, at + i, POLICY);
        // The third locked until at + 1002: a minute after that is not yet over 1 ms before…
        expect(await s().limits.countFailure(k, 'b8', at + 61_001, POLICY)).toMatchObject({ count: 4, lastAttempt: 'b8' });
        const k2 = uid('lock');
        for (let i = 0; i < 3; i++) await s().limits.countFailure(k2, `b${i}`, at + i, POLICY);
        // …and is at it.
        const fresh = await s().limits.countFailure(k2, 'b9', at + 61_002, POLICY);
        expect(fresh).toEqual({ key: k2, count: 1, startedAt: at + 61_002, lockedUntil: 0, lastAttempt: 'b9', expiresAt: at + 121_002 });
      });

      it('counts concurrent failures up to the lock and ignores the rest', async () => {
        const k = uid('lock');
        const out = await Promise.all(Array.from({ length: 30 }, (_, i) => s().limits.countFailure(k, `c${i}`, at, POLICY)));
        const counted = out.filter((r, i) => r.lastAttempt === `c${i}`);
        // The third locks for 1 s (all arrive at the same moment): no fourth is counted.
        expect(counted.map((r) => r.count).sort()).toEqual([1, 2, 3]);
        expect(await s().limits.get(k)).toMatchObject({ count: 3, lockedUntil: at + 1000 });
      });

      it('applies a lock from the first failure when the policy says so', async () => {
        const k = uid('lock');
        expect(await s().limits.countFailure(k, 'd1', at, { lockMs: [250], resetAfterMs: 1000 })).toMatchObject({ count: 1, lockedUntil: at + 250 });
        expect(await s().limits.countFailure(k, 'd2', at + 100, { lockMs: [250], resetAfterMs: 1000 })).toMatchObject({ count: 1, lastAttempt: 'd1' });
        expect(await s().limits.countFailure(k, 'd3', at + 250, { lockMs: [250], resetAfterMs: 1000 })).toMatchObject({ count: 2, lockedUntil: at + 500 });
      });
    });

    describe('delete and purgeExpired', () => {
      it('delete removes a record, only while its last failure is the one named when one is', async () => {
        const k = uid('lock');
        await s().limits.countFailure(k, 'e1', T0, POLICY);
        await s().limits.delete(k, 'someone-else');
        expect(await s().limits.get(k)).toMatchObject({ lastAttempt: 'e1' });
        await s().limits.delete(k, 'e1');
        expect(await s().limits.get(k)).toBeUndefined();
        const r = uid('rate');
        await s().limits.hit(r, T0, 1, T0 + 1000);
        await s().limits.delete(r, null);
        expect(await s().limits.get(r)).toBeUndefined();
        await s().limits.hit(r, T0, 1, T0 + 1000);
        await s().limits.delete(r);
        expect(await s().limits.get(r)).toBeUndefined();
        await s().limits.delete(uid('never'));
      });

      it('purgeExpired deletes what expired before now and nothing else', async () => {
        // Far in the future, so that records of other tests (or other runs on a shared database) do not count.
        const far = T0 + 90_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;
        const [old, live] = [uid('rate'), uid('rate')];
        await s().limits.hit(old, far, 1, far + 1000);
        await s().limits.hit(live, far, 1, far + 5000);
        const purged = await s().limits.purgeExpired(far + 2000);
        expect(purged).toBeGreaterThanOrEqual(1);
        expect(await s().limits.get(old)).toBeUndefined();
        expect(await s().limits.get(live)).toMatchObject({ count: 1 });
      });
    });

    it('takes part in transactions: a rolled-back hit is gone', async () => {
      const k = uid('rate');
      await s().limits.hit(k, T0, 1, T0 + 1000);
      await expect(
        s().transaction(async (tx) => {
          expect(await tx.limits.hit(k, T0, 1, T0 + 1000)).toBe(2);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect((await s().limits.get(k))?.count).toBe(1);
    });
  });
}
