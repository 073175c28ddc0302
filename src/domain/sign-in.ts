import { randomBytes } from 'node:crypto';
import { safeEqual } from '../crypto/digest.js';
import {
  claimSignature, formatTimestamp, hexToBigInt, modExp, N, parseTimestamp, serverEphemeral, serverKey,
} from '../crypto/srp.js';
import {
  InvalidParameterException, NotAuthorizedException, PasswordResetRequiredException, UserNotConfirmedException,
  UserNotFoundException,
} from '../errors/catalog.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/store.js';
import { temporaryPasswordExpired } from './admin-users.js';
import type { DomainDeps } from './deps.js';
import { srpPoolName } from './pools.js';
import { issueTokens, useRefreshToken, type TokenSet } from './tokens.js';
import { findUser, verifyPassword } from './users.js';

const WRONG = 'Incorrect username or password.';
/** How long the answer to a PASSWORD_VERIFIER challenge may take, and the TIMESTAMP skew allowed. */
export const SRP_STATE_TTL_MS = 5 * 60_000;
const TIMESTAMP_SKEW_MS = 5 * 60_000;
const SECRET_BLOCK_PURPOSE = 'srp-secret-block';

export interface SrpChallenge {
  salt: string;
  secretBlock: string;
  srpB: string;
  username: string;
}

interface SrpState {
  /** Random id: a secret block is good for one answer. */
  i: string;
  p: string;
  c: string;
  /** Internal username; absent for the simulated challenge of an unknown user. */
  u: string | null;
  A: string;
  B: string;
  b: string;
  e: number;
}

/** Unknown users and PreventUserExistenceErrors: a stable fake salt and user id per pool and name. */
function fakeIdentity(deps: DomainDeps, pool: PoolRecord, typed: string): { salt: string; userId: string } {
  const h = Buffer.from(deps.digester.digest('fake-srp-user', pool.id, typed.toLowerCase()), 'base64url');
  const hex = h.toString('hex');
  const userId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return { salt: hex.slice(32, 64).replace(/^0+/, ''), userId };
}

/** InitiateAuth USER_SRP_AUTH: B = k·v + g^b, with the server's state sealed into SECRET_BLOCK (no server-side session). */
export async function startSrp(deps: DomainDeps, pool: PoolRecord, client: ClientRecord, typed: string, srpA: string): Promise<SrpChallenge> {
  if (!/^[0-9a-fA-F]+$/.test(srpA)) throw new InvalidParameterException('SRP_A must be a hexadecimal number');
  const A = hexToBigInt(srpA);
  if (A % N === 0n) throw new InvalidParameterException('SRP_A cannot be zero.');
  const user = await findUser(deps, pool, typed);
  let salt: string;
  let userId: string;
  let B: bigint;
  let b: bigint;
  if (user) {
    ({ B, b } = serverEphemeral(hexToBigInt(user.verifier)));
    salt = user.salt;
    userId = user.username;
  } else {
    if (client.settings.preventUserExistenceErrors !== 'ENABLED') throw new UserNotFoundException('User does not exist.');
    ({ salt, userId } = fakeIdentity(deps, pool, typed));
    b = hexToBigInt(randomBytes(32).toString('hex'));
    B = modExp().gPow(b);
  }
  const state: SrpState = {
    i: randomBytes(16).toString('base64url'), p: pool.id, c: client.id, u: user ? user.username : null,
    A: A.toString(16), B: B.toString(16), b: b.toString(16), e: deps.now() + SRP_STATE_TTL_MS,
  };
  return { salt, secretBlock: deps.sealer.seal(JSON.stringify(state), SECRET_BLOCK_PURPOSE), srpB: B.toString(16), username: userId };
}

export interface PasswordVerifierAnswer {
  username: string;
  secretBlock: string;
  timestamp: string;
  signature: string;
}

/** RespondToAuthChallenge PASSWORD_VERIFIER: checks the client's proof of K, then the account's state. */
export async function answerPasswordVerifier(deps: DomainDeps, pool: PoolRecord, client: ClientRecord, answer: PasswordVerifierAnswer): Promise<UserRecord> {
  const opened = deps.sealer.open(answer.secretBlock, SECRET_BLOCK_PURPOSE);
  if (!opened) throw new NotAuthorizedException(WRONG);
  const state = JSON.parse(opened.toString('utf8')) as SrpState;
  if (state.p !== pool.id || state.c !== client.id) throw new NotAuthorizedException(WRONG);
  if (state.e < deps.now()) throw new NotAuthorizedException('Invalid session for the user, session is expired.');
  const when = parseTimestamp(answer.timestamp);
  if (!when) throw new InvalidParameterException('TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');
  if (Math.abs(when.getTime() - deps.now()) > TIMESTAMP_SKEW_MS) throw new NotAuthorizedException(WRONG);
  if (!(await deps.store.tokens.useOnce(`srp:${state.i}`, state.e))) throw new NotAuthorizedException(WRONG);
  if (state.u === null) throw new NotAuthorizedException(WRONG);
  const user = await deps.store.users.getByKey(pool.id, pool.settings.caseSensitive ? state.u : state.u.toLowerCase());
  if (!user || user.username !== state.u) throw new NotAuthorizedException(WRONG);
  const typedMatches = answer.username === user.username || (await findUser(deps, pool, answer.username))?.username === user.username;
  if (!typedMatches) throw new NotAuthorizedException(WRONG);
  const key = serverKey(hexToBigInt(state.A), hexToBigInt(state.B), hexToBigInt(state.b), hexToBigInt(user.verifier));
  if (!key) throw new NotAuthorizedException(WRONG);
  // MAC over our own canonical form of the timestamp: a zero-padded day does not verify, as on AWS.
  const expected = claimSignature(key, srpPoolName(pool.id), user.username, Buffer.from(answer.secretBlock, 'base64'), formatTimestamp(when));
  if (!safeEqual(expected, Buffer.from(answer.signature, 'base64'))) {
    deps.log.info({ poolId: pool.id, sub: user.sub, flow: 'USER_SRP_AUTH' }, 'sign-in failed: wrong password');
    throw new NotAuthorizedException(WRONG);
  }
  checkAccountState(deps, pool, user);
  return user;
}

/** USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH: recomputes the verifier from the password. */
export async function passwordSignIn(deps: DomainDeps, pool: PoolRecord, client: ClientRecord, typed: string, password: string): Promise<UserRecord> {
  const user = await findUser(deps, pool, typed);
  if (!user) {
    if (client.settings.preventUserExistenceErrors === 'ENABLED') throw new NotAuthorizedException(WRONG);
    throw new UserNotFoundException('User does not exist.');
  }
  if (!verifyPassword(pool, user, password)) {
    if (user.status === 'UNCONFIRMED') throw new UserNotConfirmedException('User is not confirmed.');
    deps.log.info({ poolId: pool.id, sub: user.sub, flow: 'USER_PASSWORD_AUTH' }, 'sign-in failed: wrong password');
    throw new NotAuthorizedException(WRONG);
  }
  checkAccountState(deps, pool, user);
  return user;
}

function checkAccountState(deps: DomainDeps, pool: PoolRecord, user: UserRecord): void {
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  if (user.status === 'UNCONFIRMED') throw new UserNotConfirmedException('User is not confirmed.');
  if (user.status === 'RESET_REQUIRED') throw new PasswordResetRequiredException('Password reset required for the user');
  if (temporaryPasswordExpired(pool, user, deps.now())) {
    deps.log.info({ poolId: pool.id, sub: user.sub }, 'sign-in refused: temporary password expired');
    throw new NotAuthorizedException('Temporary password has expired and must be reset by an administrator.');
  }
}

export async function completeSignIn(deps: DomainDeps, pool: PoolRecord, client: ClientRecord, user: UserRecord): Promise<TokenSet> {
  const tokens = await issueTokens(deps, pool, client, user);
  deps.log.info({ poolId: pool.id, clientId: client.id, sub: user.sub }, 'signed in');
  return tokens;
}

/** REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken: new ID and access tokens of the same family. */
export async function refreshSignIn(
  deps: DomainDeps,
  client: ClientRecord,
  refreshToken: string,
  checkCaller: (username: string) => void = () => {},
): Promise<{ tokens: TokenSet; user: UserRecord; pool: PoolRecord }> {
  const record = await useRefreshToken(deps, client, refreshToken);
  checkCaller(record.username);
  const pool = await deps.store.pools.get(record.poolId);
  const user = pool && (await deps.store.users.getByKey(pool.id, pool.settings.caseSensitive ? record.username : record.username.toLowerCase()));
  if (!pool || !user) throw new NotAuthorizedException('Invalid Refresh Token');
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  const tokens = await issueTokens(deps, pool, client, user, { authTime: record.authTime, originJti: record.originJti });
  return { tokens, user, pool };
}

