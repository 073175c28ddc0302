import { TooManyRequestsException } from '../errors/catalog.js';
import type { LimitStore } from '../store/store.js';

/**
 * Request-rate limits on the public (unsigned) operations: per client address and per user pool, in
 * requests per second (COGNITO_REFERENCE §4.9: Cognito answers TooManyRequestsException "Rate exceeded").
 * Counted in the store, in fixed one-second windows, so that every instance on the database shares them.
 */
export interface RateLimitSettings {
  /** Requests per second from one address; undefined or 0: no per-address limit (COGNATE_RATE_LIMIT=off). */
  perIp: number | undefined;
  /** Requests per second to one user pool; 0: none. */
  perPool: number;
}

const WINDOW_MS = 1000;
/** An instance takes this share of a window's budget from the store at a time (at least one request). */
const LEASE_FRACTION = 20;
/** Windows remembered per kind before the stale ones are dropped (one per address seen this second). */
const MAX_REMEMBERED = 10_000;

interface LocalWindow {
  window: number;
  /** Requests this instance may still admit: leased from the store, not yet spent. */
  left: number;
  /** The store has no more to lease in this window. */
  exhausted: boolean;
  /** A lease being fetched: requests that find none left wait for it rather than each fetching one. */
  leasing?: Promise<void>;
}

/**
 * One kind of limit (per address, or per pool). The store keeps each window's count; to stay out of
 * the store on most requests, an instance leases part of the budget at a time (1/20 of it, one request
 * at least) and spends it locally — so the limit holds exactly across instances (a lease is granted only
 * from what is left), and at worst an instance's unspent lease is lost to the others at the end of a
 * window. Once the store has nothing left, the instance refuses without asking again until the next one.
 */
class SharedWindows {
  private readonly local = new Map<string, LocalWindow>();
  private readonly lease: number;

  constructor(
    private readonly store: LimitStore,
    private readonly kind: string,
    private readonly limit: number,
  ) {
    this.lease = Math.max(1, Math.floor(limit / LEASE_FRACTION));
  }

  async admit(subject: string, now: number): Promise<boolean> {
    const window = now - (now % WINDOW_MS);
    let w = this.local.get(subject);
    if (!w || w.window !== window) {
      w = { window, left: 0, exhausted: false };
      this.remember(subject, w, window);
    }
    while (w.left === 0) {
      if (w.exhausted) return false;
      w.leasing ??= this.takeLease(subject, w).finally(() => {
        w.leasing = undefined;
      });
      await w.leasing;
    }
    w.left -= 1;
    return true;
  }

  private async takeLease(subject: string, w: LocalWindow): Promise<void> {
    const total = await this.store.hit(`rate:${this.kind}:${subject}`, w.window, this.lease, w.window + WINDOW_MS);
    const granted = Math.max(0, Math.min(this.lease, this.limit - (total - this.lease)));
    w.left += granted;
    if (granted < this.lease) w.exhausted = true;
  }

  private remember(subject: string, w: LocalWindow, window: number): void {
    if (this.local.size >= MAX_REMEMBERED) {
      for (const [key, old] of this.local) if (old.window < window) this.local.delete(key);
    }
    if (this.local.size < MAX_REMEMBERED) this.local.set(subject, w);
  }
}

/** Subjects longer than this are cut (an address comes from a header when a proxy is trusted). */
const MAX_SUBJECT = 200;

export class RateLimiter {
  private readonly perIp: SharedWindows | undefined;
  private readonly perPool: SharedWindows | undefined;

  constructor(store: LimitStore, private readonly now: () => number, settings: RateLimitSettings) {
    this.perIp = settings.perIp ? new SharedWindows(store, 'ip', settings.perIp) : undefined;
    this.perPool = settings.perPool ? new SharedWindows(store, 'pool', settings.perPool) : undefined;
  }

  /** Before anything else of a public request: its address. */
  async admitAddress(ip: string | undefined): Promise<void> {
    if (this.perIp && ip !== undefined && !(await this.perIp.admit(ip.slice(0, MAX_SUBJECT), this.now()))) throw new TooManyRequestsException();
  }

  /** Then its pool (its app client's, or its access token's issuer's), looked up only when pools are limited. */
  async admitPool(poolOf: () => Promise<string | undefined>): Promise<void> {
    if (!this.perPool) return;
    const poolId = await poolOf();
    if (poolId !== undefined && !(await this.perPool.admit(poolId.slice(0, MAX_SUBJECT), this.now()))) throw new TooManyRequestsException();
  }
}
