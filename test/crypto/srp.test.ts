import { describe, expect, it } from 'vitest';
import vector from '../fixtures/srp-vector.json' with { type: 'json' };
import {
  claimSignature, clientKey, computeX, deriveKey, formatTimestamp, g, hexToBigInt, k, modExp, N, padHex,
  parseTimestamp, scramble, serverEphemeral, serverKey,
} from '../../src/crypto/srp.js';

const big = (h: string) => hexToBigInt(h);

describe('SRP against the fixed vector (shared/reference/vector.json)', () => {
  const salt = big(vector.SALT);
  const x = computeX(vector.poolName, vector.USER_ID_FOR_SRP, vector.password, salt);
  const v = modExp().gPow(x);

  it('k, x and v match', () => {
    expect(k.toString(16)).toBe(vector.k);
    expect(x.toString(16)).toBe(vector.x);
    expect(v.toString(16)).toBe(vector.v);
  });

  it('A, B, u, S and the HKDF key match', () => {
    const A = modExp().gPow(big(vector.a_hex));
    expect(A.toString(16)).toBe(vector.SRP_A);
    const { B } = serverEphemeral(v, big(vector.b_hex));
    expect(B.toString(16)).toBe(vector.SRP_B);
    const u = scramble(A, B);
    expect(u.toString(16)).toBe(vector.u);
    const key = serverKey(A, B, big(vector.b_hex), v);
    expect(key?.toString('hex')).toBe(vector.hkdf_key);
    expect(clientKey(big(vector.a_hex), A, B, x).toString('hex')).toBe(vector.hkdf_key);
    const S = modExp().pow((A * modExp().pow(v, u)) % N, big(vector.b_hex));
    expect(S.toString(16)).toBe(vector.S);
    expect(deriveKey(S, u).toString('hex')).toBe(vector.hkdf_key);
  });

  it('the password claim signature matches', () => {
    const sig = claimSignature(Buffer.from(vector.hkdf_key, 'hex'), vector.poolName, vector.USER_ID_FOR_SRP,
      Buffer.from(vector.SECRET_BLOCK, 'base64'), vector.TIMESTAMP);
    expect(sig.toString('base64')).toBe(vector.PASSWORD_CLAIM_SIGNATURE);
  });
});

describe('SRP encoding and timestamps', () => {
  it('padHex adds a sign byte for a set top bit and an even digit count', () => {
    expect(padHex(0xf0n)).toBe('00f0');
    expect(padHex(0x7fn)).toBe('7f');
    expect(padHex(0x1abn)).toBe('01ab');
    expect(padHex(g)).toBe('02');
  });

  it('modExp agrees with BigInt arithmetic, including the bases OpenSSL refuses', () => {
    const me = modExp();
    const slow = (b: bigint, e: bigint) => { let r = 1n; b %= N; while (e > 0n) { if (e & 1n) r = (r * b) % N; b = (b * b) % N; e >>= 1n; } return r; };
    for (const [b, e] of [[3n, 65537n], [N + 5n, 12345n], [1n, 99n], [N - 1n, 3n], [N - 1n, 4n], [0n, 5n]] as const) {
      expect(me.pow(b, e)).toBe(slow(b, e));
    }
    expect(me.gPow(1000n)).toBe(slow(2n, 1000n));
  });

  it('formats the day without padding and parses back', () => {
    const d = new Date(Date.UTC(2024, 2, 5, 9, 4, 7));
    expect(formatTimestamp(d)).toBe('Tue Mar 5 09:04:07 UTC 2024');
    expect(parseTimestamp('Tue Mar 5 09:04:07 UTC 2024')?.getTime()).toBe(d.getTime());
    expect(parseTimestamp('2024-03-05T09:04:07Z')).toBeUndefined();
    expect(parseTimestamp('Tue Foo 5 09:04:07 UTC 2024')).toBeUndefined();
  });
});
