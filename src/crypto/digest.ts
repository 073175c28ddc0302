import { createHmac, timingSafeEqual } from 'node:crypto';

/** Keyed digests (HMAC-SHA256) for one-time codes and refresh tokens: nothing guessable at rest. */
export class Digester {
  constructor(private readonly key: Buffer) {}

  digest(...parts: string[]): string {
    const h = createHmac('sha256', this.key);
    for (const p of parts) h.update(`${p.length}:${p}|`, 'utf8');
    return h.digest('base64url');
  }
}

/** Constant-time comparison of two strings or buffers (false when lengths differ). */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const x = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  const y = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}
