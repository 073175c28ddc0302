import { createHash } from 'node:crypto';
import { randomCode } from '../crypto/random.js';
import { safeEqual } from '../crypto/digest.js';
import { createVerifier, hexToBigInt, N } from '../crypto/srp.js';
import type { ClientRecord, CodePurpose, PoolRecord } from '../store/store.js';
import { isEmail } from './attributes.js';
import { countCodeCheck, countCodeRequest } from './code-limits.js';
import type { DomainDeps } from './deps.js';
import { srpPoolName } from './pools.js';

/**
 * PreventUserExistenceErrors (COGNITO_REFERENCE §4.8). With ENABLED an unknown user gets the answer a
 * known one would get, and only after the same expensive work, so that neither the body nor the time
 * of the answer tells whether the account exists.
 */
export const hidesUserExistence = (client: ClientRecord) => client.settings.preventUserExistenceErrors === 'ENABLED';

/** What an unknown name looks like to SRP: stable per pool and name, unrelated to any real account. */
export interface FakeSrpUser {
  /** USER_ID_FOR_SRP / USERNAME of the simulated challenge. */
  userId: string;
  /** SALT, as hex without leading zeros like a real user's. */
  salt: string;
}

/** A name that no user can have (usernames have no white space): decoy store calls touch no real row. */
const NOBODY = ' ';
/** The holder of the decoy code that checks of nobody's codes count their attempts on (see checkCodeOfNobody). */
const NOBODY_CHECKED = '  ';

/**
 * The stand-in for an unknown name. Where usernames are generated (email or phone as the sign-in name)
 * or the name is a sign-in alias, real challenges name the user by an opaque id, so the fake one is a
 * UUID; otherwise a real challenge repeats the username, so the fake one repeats the name typed
 * (case-folded in case-insensitive pools, the likeliest spelling of a real username there).
 */
export function fakeSrpUser(deps: DomainDeps, pool: PoolRecord, typed: string): FakeSrpUser {
  const s = pool.settings;
  const key = s.caseSensitive ? typed : typed.toLowerCase();
  const id = Buffer.from(deps.digester.digest('fake-srp-user', pool.id, key), 'base64url').toString('hex');
  const alias = (isEmail(typed) && s.aliasAttributes.includes('email')) || (typed.startsWith('+') && s.aliasAttributes.includes('phone_number'));
  const userId = s.usernameAttributes.length > 0 || alias ? uuidFrom(id) : key;
  return { userId, salt: hexToBigInt(id.slice(32, 64)).toString(16) };
}

/** A version-4 UUID from 32 hex digits, variant nibble included (8, 9, a or b, like randomUUID's). */
function uuidFrom(hex: string): string {
  const variant = (8 + (parseInt(hex[16]!, 16) & 3)).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The verifier of a simulated challenge, from the USER_ID_FOR_SRP it named (all its answer has): a
 * keyed digest stretched to 3072 bits and reduced into the group. It is not g^x for any password
 * anyone knows, so no answer ever verifies against it.
 */
export function fakeVerifier(deps: DomainDeps, pool: PoolRecord, userId: string): bigint {
  const seed = deps.digester.digest('fake-srp-verifier', pool.id, userId);
  const wide = createHash('shake256', { outputLength: 384 }).update(seed).digest('hex');
  const verifier = hexToBigInt(wide) % N;
  return verifier < 2n ? 2n : verifier;
}

/** The work of checking a password (one verifier computation), for a name that matched no user. */
export function checkPasswordOfNobody(pool: PoolRecord, fake: FakeSrpUser, password: string): void {
  createVerifier(srpPoolName(pool.id), fake.userId, password, hexToBigInt(fake.salt));
}

/** A user's row as stored: attributes, salt and verifier, the latter two sealed at rest (store/sealed-secrets.ts). */
interface DecoyRow {
  attributes: string;
  salt: string;
  verifier: string;
}
const decoyRows = new WeakMap<DomainDeps['sealer'], DecoyRow>();

/**
 * The work of decoding a user's row once it is read — its attributes parsed, its salt and verifier
 * opened (AES-256-GCM) — for a lookup that found nobody, on a decoy row of the same size.
 */
export function decodeNobody(deps: DomainDeps): void {
  let row = decoyRows.get(deps.sealer);
  if (!row) {
    const attributes = { sub: '00000000-0000-4000-8000-000000000000', email: 'nobody@example.com', email_verified: 'true' };
    row = {
      attributes: JSON.stringify(attributes),
      salt: deps.sealer.seal('f'.repeat(32), 'decoy-salt'),
      verifier: deps.sealer.seal('f'.repeat(768), 'decoy-verifier'),
    };
    decoyRows.set(deps.sealer, row);
  }
  JSON.parse(row.attributes);
  deps.sealer.open(row.salt, 'decoy-salt');
  deps.sealer.open(row.verifier, 'decoy-verifier');
}

/** One read of the user table that finds nobody, as costly as a lookup that misses. */
export async function readNobody(deps: DomainDeps, pool: PoolRecord): Promise<void> {
  await deps.store.users.getByKey(pool.id, NOBODY);
}

/**
 * The store work of checking a one-time code (the attempts are counted before the comparison), for a
 * code that cannot be right (an unknown name, a disabled user): `userId` (the user's, or an unknown
 * name's stand-in's) runs into the hourly limit on checks as any user does.
 */
export async function checkCodeOfNobody(deps: DomainDeps, pool: PoolRecord, purpose: CodePurpose, userId: string, code: string): Promise<void> {
  await countCodeCheck(deps, pool.id, userId, purpose);
  // A real check writes its attempt to the code's row; this one writes to a decoy row (made on first use,
  // again after the daily purge), so that it costs a write too — and compares the code with it.
  const decoy = await deps.store.codes.countAttempt(pool.id, NOBODY_CHECKED, purpose);
  if (!decoy || decoy.attempts > 1_000_000) {
    const digest = deps.digester.digest('decoy', pool.id);
    await deps.store.codes.put({ poolId: pool.id, username: NOBODY_CHECKED, purpose, digest, expiresAt: deps.now() + 86_400_000, attempts: 0 });
    return;
  }
  safeEqual(deps.digester.digest('code', pool.id, userId, purpose, code), decoy.digest);
}

/** Where a code for a name that matches nobody would have gone: the name, when it is an address. */
export const decoyAddress = (typed: string) => (typed.includes('@') ? typed : `${typed}@example.com`);

/**
 * The work of issuing a code (one write transaction, the mail worded and sealed), for nobody: the decoy
 * row is written and removed in the same transaction, so nothing is ever visible, and no mail is queued.
 * The request counts against `userId` (the user's, or an unknown name's stand-in's) as any user's does
 * (the hourly limit on code requests), so an unknown name is refused as often as a known one.
 */
export async function issueCodeToNobody(deps: DomainDeps, pool: PoolRecord, purpose: CodePurpose, userId: string, to: string): Promise<void> {
  await countCodeRequest(deps, pool.id, userId, purpose);
  deps.mailer.rehearseCodeMail(purpose === 'forgot-password' ? 'reset' : 'verification', { pool, to, code: randomCode() });
  await deps.store.transaction(async (tx) => {
    await tx.codes.put({ poolId: pool.id, username: NOBODY, purpose, digest: deps.digester.digest('decoy', pool.id), expiresAt: deps.now(), attempts: 0 });
    await tx.codes.delete(pool.id, NOBODY, purpose);
  });
}
