import { createPrivateKey, randomBytes, randomUUID } from 'node:crypto';
import { generateRsaKey, signJwt } from '../src/crypto/jwt.js';
import { claimSignature, createVerifier, formatTimestamp, hexToBigInt, modExp, serverEphemeral, serverKey } from '../src/crypto/srp.js';

/**
 * The crypto floor of one SRP sign-in: the CPU the server cannot avoid, whatever else it does.
 * serverEphemeral (g^b, 256-bit b, plus k·v), serverKey (v^u, then (A·v^u)^b, and the HKDF), the
 * HMAC claim signature, and two RS256 signatures with 2048-bit keys (ID and access token). Measured
 * with process.cpuUsage (user + system) in this process, after a short warm-up.
 */
export interface FloorResult {
  iterations: number;
  msPerSignIn: number;
  /** ms per sign-in of each of the batches whose median is msPerSignIn. */
  batches: number[];
}

export function measureFloor(iterations = 300): FloorResult {
  const poolName = 'BenchFloor';
  const userId = randomUUID();
  const { verifier } = createVerifier(poolName, userId, 'Bench-Passw0rd!');
  const A = modExp().gPow(hexToBigInt(randomBytes(32).toString('hex')));
  // A sealed SRP state is about this size (A, B, b in hex, ids, expiry; AES-GCM; base64-decoded).
  const secretBlock = randomBytes(1200);
  const keys = [generateRsaKey(), generateRsaKey()].map((k) => ({ kid: k.kid, key: createPrivateKey(k.privateKeyPem) }));

  const once = () => {
    const { b, B } = serverEphemeral(verifier);
    const key = serverKey(A, B, b, verifier);
    if (!key) throw new Error('u = 0');
    claimSignature(key, poolName, userId, secretBlock, formatTimestamp(new Date()));
    const iat = Math.floor(Date.now() / 1000);
    for (const [i, k] of keys.entries()) {
      signJwt({ sub: userId, iss: `http://127.0.0.1/us-east-1_${poolName}`, token_use: i === 0 ? 'id' : 'access', iat, exp: iat + 3600, jti: randomUUID() }, k.kid, k.key);
    }
  };

  for (let i = 0; i < 20; i++) once();
  // Five batches and their median: one batch lasts under a second, and a shared VM has hiccups.
  const per = Math.max(1, Math.round(iterations / 5));
  const batches: number[] = [];
  for (let n = 0; n < 5; n++) {
    const before = process.cpuUsage();
    for (let i = 0; i < per; i++) once();
    const used = process.cpuUsage(before);
    batches.push((used.user + used.system) / 1000 / per);
  }
  const sorted = [...batches].sort((a, b) => a - b);
  return { iterations: per * 5, msPerSignIn: sorted[2]!, batches };
}
