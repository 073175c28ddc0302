import { randomBytes } from 'node:crypto';
import { safeEqual } from '../crypto/digest.js';
import {
  claimSignature, formatTimestamp, hexToBigInt, N, parseTimestamp, serverEphemeral, serverKey,
} from '../crypto/srp.js';
import {
  InvalidParameterException, NotAuthorizedException, PasswordResetRequiredException, UserNotConfirmedException,
  UserNotFoundException,
} from '../errors/catalog.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/store.js';
import { temporaryPasswordExpired } from './admin-users.js';
import type { DomainDeps } from './deps.js';
import { srpPoolName } from './pools.js';
import { findUserEvenly } from './even-lookup.js';
import { lockoutSubject, passwordRight, passwordWrong, refuseIfLocked } from './lockout.js';
import { issueTokens, useRefreshToken, type TokenSet } from './tokens.js';
import { checkPasswordOfNobody, fakeSrpUser, fakeVerifier, hidesUserExistence } from './user-existence.js';
import { passwordNeverSet } from './user-csv.js';
import { findUser, nameKey, verifyPassword } from './users.js';

const WRONG = 'Incorrect username or password.';
/** The TIMESTAMP skew allowed. (How long the answer may take is the client's AuthSessionValidity.) */
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
  /** The USER_ID_FOR_SRP of the challenge: the internal username, or the fake one of an unknown name. */
  u: string;
  /** 1 for a simulated challenge (a number, so that both kinds of block have the same length). */
  f: 0 | 1;
  A: string;
  B: string;
  b: string;
  e: number;
}

/** InitiateAuth USER_SRP_AUTH: B = k·v + g^b, with the server's state sealed into SECRET_BLOCK (no server-side session). */
export async function startSrp(deps: DomainDeps, pool: PoolRecord, client: ClientRecord, typed: string, srpA: string): Promise<SrpChallenge> {
  if (!/^[0-9a-fA-F]+$/.test(srpA)) throw new InvalidParameterException('SRP_A must be a hexadecimal number');
  const A = hexToBigInt(srpA);
  if (A % N === 0n) throw new InvalidParameterException('SRP_A cannot be zero.');
  const hide = hidesUserExistence(client);
  const user = hide ? await findUserEvenly(deps, pool, typed) : await findUser(deps, pool, typed);
  if (!user && !hide) throw new UserNotFoundException('User does not exist.');
  if (user && !hide) refuseImportedUser(user);
  // An unknown name gets a challenge computed exactly like a real one, against a fake verifier. The
  // fake is derived for every name, so that known and unknown names cost the same.
  const fake = fakeSrpUser(deps, pool, typed);
  const userId = user ? user.username : fake.userId;
  // A locked-out user (or unknown name: it locks out alike) is refused before the expensive work.
  await refuseIfLocked(deps, lockoutSubject(deps, pool, userId));
  const decoy = fakeVerifier(deps, pool, fake.userId);
  const { B, b } = serverEphemeral(user ? hexToBigInt(user.verifier) : decoy);
  const state: SrpState = {
    i: randomBytes(16).toString('base64url'), p: pool.id, c: client.id, u: userId, f: user ? 0 : 1,
    A: A.toString(16), B: B.toString(16), b: b.toString(16), e: deps.now() + client.settings.authSessionValidity * 60_000,
  };
  const salt = user ? user.salt : fake.salt;
  return { salt, secretBlock: deps.sealer.seal(JSON.stringify(state), SECRET_BLOCK_PURPOSE), srpB: B.toString(16), username: userId };
}

export interface PasswordVerifierAnswer {
  username: string;
  secretBlock: string;
  timestamp: string;
  signature: string;
}

/**
 * RespondToAuthChallenge PASSWORD_VERIFIER: checks the client's proof of K, then the account's state.
 * The answer to a simulated challenge takes the same steps (user lookup, K against the fake verifier,
 * the proof) and fails like a wrong password.
 */
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
  const userId = state.u;
  if (typeof userId !== 'string') throw new NotAuthorizedException(WRONG);
  const found = await deps.store.users.getByKey(pool.id, nameKey(pool, userId));
  const user = state.f !== 1 && found?.username === userId ? found : undefined;
  const typedMatches = answer.username === userId || (await findUser(deps, pool, answer.username))?.username === userId;
  if (!typedMatches) throw new NotAuthorizedException(WRONG);
  const decoy = fakeVerifier(deps, pool, userId);
  const verifier = user ? hexToBigInt(user.verifier) : decoy;
  const key = serverKey(hexToBigInt(state.A), hexToBigInt(state.B), hexToBigInt(state.b), verifier);
  if (!key) throw new NotAuthorizedException(WRONG);
  // MAC over our own canonical form of the timestamp: a zero-padded day does not verify, as on AWS.
  const expected = claimSignature(key, srpPoolName(pool.id), userId, Buffer.from(answer.secretBlock, 'base64'), formatTimestamp(when));
  const proven = safeEqual(expected, Buffer.from(answer.signature, 'base64'));
  const subject = lockoutSubject(deps, pool, userId);
  if (!user || !proven) {
    await passwordWrong(deps, subject);
    deps.log.info({ poolId: pool.id, sub: user?.sub, flow: 'USER_SRP_AUTH' }, user ? 'sign-in failed: wrong password' : 'sign-in failed: unknown user');
    throw new NotAuthorizedException(WRONG);
  }
  await passwordRight(deps, subject);
  checkAccountState(deps, pool, user);
  return user;
}

/**
 * USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH: recomputes the verifier from the password. With
 * PreventUserExistenceErrors ENABLED an unknown name costs the same verifier computation and gets the
 * wrong-password answer, and an unconfirmed user is named as such only to someone with the password.
 */
export async function passwordSignIn(deps: DomainDeps, pool: PoolRecord, client: ClientRecord, typed: string, password: string): Promise<UserRecord> {
  const hide = hidesUserExistence(client);
  const user = hide ? await findUserEvenly(deps, pool, typed) : await findUser(deps, pool, typed);
  if (!user && !hide) throw new UserNotFoundException('User does not exist.');
  if (user && !hide) refuseImportedUser(user);
  // Derived for every name, known or not, so that both cost the same.
  const fake = hide ? fakeSrpUser(deps, pool, typed) : undefined;
  const subject = lockoutSubject(deps, pool, user ? user.username : fake!.userId);
  await refuseIfLocked(deps, subject);
  if (!user) {
    checkPasswordOfNobody(pool, fake!, password);
    await passwordWrong(deps, subject);
    deps.log.info({ poolId: pool.id, flow: 'USER_PASSWORD_AUTH' }, 'sign-in failed: unknown user');
    throw new NotAuthorizedException(WRONG);
  }
  if (!verifyPassword(pool, user, password)) {
    await passwordWrong(deps, subject);
    if (user.status === 'UNCONFIRMED' && !hide) throw new UserNotConfirmedException('User is not confirmed.');
    deps.log.info({ poolId: pool.id, sub: user.sub, flow: 'USER_PASSWORD_AUTH' }, 'sign-in failed: wrong password');
    throw new NotAuthorizedException(WRONG);
  }
  await passwordRight(deps, subject);
  checkAccountState(deps, pool, user);
  return user;
}

/**
 * An imported user who has not set a password yet (RESET_REQUIRED, no password at all): under LEGACY
 * every sign-in is answered PasswordResetRequiredException at once, whatever the password, as Cognito
 * does, so that the app sends them to ForgotPassword. Under ENABLED they get the generic wrong-password
 * answer instead (COGNITO_REFERENCE §4: imported users needing a reset), which the ordinary check gives.
 * A user reset by AdminResetUserPassword keeps a real verifier and is refused after the password check.
 */
function refuseImportedUser(user: UserRecord): void {
  if (user.status === 'RESET_REQUIRED' && passwordNeverSet(user)) throw new PasswordResetRequiredException();
}

function checkAccountState(deps: DomainDeps, pool: PoolRecord, user: UserRecord): void {
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  if (user.status === 'UNCONFIRMED') throw new UserNotConfirmedException('User is not confirmed.');
  if (user.status === 'RESET_REQUIRED') throw new PasswordResetRequiredException();
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

