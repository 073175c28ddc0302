import { createDiffieHellman, createHash, createHmac, randomBytes, type DiffieHellman } from 'node:crypto';

/**
 * SRP-6a exactly as amazon-cognito-identity-js and Amplify compute it (COGNITO_REFERENCE §2):
 * 3072-bit MODP group, g = 2, SHA-256, the "padHex" two's-complement encoding, k = H(PAD(N) ‖ PAD(g)),
 * HKDF "Caldera Derived Key". Modular exponentiation goes through OpenSSL: a Diffie-Hellman object
 * computes g^e (generateKeys) and base^e (computeSecret) for any exponent we set as its private key.
 */
const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

export const N = BigInt(`0x${N_HEX}`);
export const g = 2n;

/** Minimal two's-complement big-endian hex of a non-negative integer (Java BigInteger.toByteArray). */
export function padHex(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  else if ('89abcdef'.includes(hex[0] as string)) hex = `00${hex}`;
  return hex;
}

export function hexToBigInt(hex: string): bigint {
  return hex.length === 0 ? 0n : BigInt(`0x${hex}`);
}

function bigIntToBuffer(n: bigint): Buffer {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

/** SHA-256 over the bytes a hex string encodes, as 64 lower-case hex digits. */
export function hashHex(hex: string): string {
  return createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
}

export const k = hexToBigInt(hashHex(padHex(N) + padHex(g)));

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;

/** Modular exponentiation mod N through OpenSSL; one instance per thread. */
export class ModExp {
  private readonly dh: DiffieHellman = createDiffieHellman(bigIntToBuffer(N), bigIntToBuffer(g));

  /** g^e mod N */
  gPow(e: bigint): bigint {
    this.dh.setPrivateKey(bigIntToBuffer(e));
    this.dh.generateKeys();
    return hexToBigInt(this.dh.getPublicKey('hex'));
  }

  /** base^e mod N (base is reduced mod N first; OpenSSL refuses 0, 1 and N-1 as a base). */
  pow(base: bigint, e: bigint): bigint {
    const b = mod(base, N);
    if (b === 0n) return 0n;
    if (b === 1n) return 1n;
    if (b === N - 1n) return e % 2n === 0n ? 1n : N - 1n;
    this.dh.setPrivateKey(bigIntToBuffer(e));
    return hexToBigInt(this.dh.computeSecret(bigIntToBuffer(b)).toString('hex'));
  }
}

let shared: ModExp | undefined;
export const modExp = (): ModExp => (shared ??= new ModExp());

/** x = H(PAD(salt) ‖ H(poolName ‖ userId ‖ ":" ‖ password)) */
export function computeX(poolName: string, userId: string, password: string, salt: bigint): bigint {
  const inner = createHash('sha256').update(`${poolName}${userId}:${password}`, 'utf8').digest('hex');
  return hexToBigInt(hashHex(padHex(salt) + inner));
}

/** A new salt (16 random bytes) and the verifier v = g^x for a password. */
export function createVerifier(poolName: string, userId: string, password: string, salt = randomSalt()): { salt: bigint; verifier: bigint } {
  return { salt, verifier: modExp().gPow(computeX(poolName, userId, password, salt)) };
}

export function randomSalt(): bigint {
  return hexToBigInt(randomBytes(16).toString('hex'));
}

/** Server ephemeral: b random (256 bits), B = (k·v + g^b) mod N, never 0 mod N. */
export function serverEphemeral(verifier: bigint, b = hexToBigInt(randomBytes(32).toString('hex'))): { b: bigint; B: bigint } {
  const B = mod(k * verifier + modExp().gPow(b), N);
  if (B === 0n) return serverEphemeral(verifier);
  return { b, B };
}

export function scramble(A: bigint, B: bigint): bigint {
  return hexToBigInt(hashHex(padHex(A) + padHex(B)));
}

/** HKDF-SHA256 (one block) of S salted with u: the 16-byte key K both sides derive. */
export function deriveKey(S: bigint, u: bigint): Buffer {
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
  const okm = createHmac('sha256', prk).update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])])).digest();
  return okm.subarray(0, 16);
}

/** Server side: K from the client's A, the sealed b/B and the stored verifier. Undefined when u = 0. */
export function serverKey(A: bigint, B: bigint, b: bigint, verifier: bigint): Buffer | undefined {
  const u = scramble(A, B);
  if (u === 0n) return undefined;
  const me = modExp();
  const S = me.pow(mod(A * me.pow(verifier, u), N), b);
  return deriveKey(S, u);
}

/** Client side (tests and the load generator): K = HKDF((B − k·g^x)^(a + u·x)). */
export function clientKey(a: bigint, A: bigint, B: bigint, x: bigint): Buffer {
  const me = modExp();
  const u = scramble(A, B);
  const S = me.pow(mod(B - k * me.gPow(x), N), a + u * x);
  return deriveKey(S, u);
}

/** PASSWORD_CLAIM_SIGNATURE = Base64(HMAC(K, poolName ‖ userId ‖ secretBlock ‖ timestamp)). */
export function claimSignature(key: Buffer, poolName: string, userId: string, secretBlock: Buffer, timestamp: string): Buffer {
  return createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(poolName + userId, 'utf8'), secretBlock, Buffer.from(timestamp, 'utf8')]))
    .digest();
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** The clients' TIMESTAMP: "Tue Mar 5 09:04:07 UTC 2024" (unpadded day, always UTC). */
export function formatTimestamp(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

const TIMESTAMP_RE = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/;

/** Parses a TIMESTAMP; undefined when it is not in the clients' format at all. */
export function parseTimestamp(s: string): Date | undefined {
  const m = TIMESTAMP_RE.exec(s);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2] as string);
  if (month < 0 || !DAYS.includes(m[1] as string)) return undefined;
  const d = new Date(Date.UTC(Number(m[7]), month, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  return Number.isNaN(d.getTime()) ? undefined : d;
}
