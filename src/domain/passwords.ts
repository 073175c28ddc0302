import { randomBytes } from 'node:crypto';
import { NotAuthorizedException } from '../errors/catalog.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/store.js';
import type { DomainDeps } from './deps.js';
import { enforcePolicy } from './password-policy.js';
import { findUser, nameKey, passwordVerifier, requireUser, verifyPassword } from './users.js';

/**
 * Passwords after sign-up (COGNITO_REFERENCE §4.2, §4.5): ChangePassword (the signed-in user, who keeps
 * their session), AdminSetUserPassword (permanent → CONFIRMED, temporary → FORCE_CHANGE_PASSWORD), and the
 * NEW_PASSWORD_REQUIRED challenge that a FORCE_CHANGE_PASSWORD user answers at sign-in. The challenge's
 * Session is sealed server state (no server-side session), good for one successful answer.
 */

const WRONG = 'Incorrect username or password.';
const SESSION_EXPIRED = 'Invalid session for the user, session is expired.';
const SESSION_PURPOSE = 'challenge-session';

/** ChangePassword: the previous password must match; the new one must satisfy the policy. Tokens stay valid. */
export async function changePassword(
  deps: DomainDeps,
  pool: PoolRecord,
  user: UserRecord,
  previous: string | undefined,
  proposed: string,
): Promise<void> {
  if (previous === undefined || !verifyPassword(pool, user, previous)) {
    deps.log.info({ poolId: pool.id, sub: user.sub }, 'password change refused: wrong previous password');
    throw new NotAuthorizedException(WRONG);
  }
  enforcePolicy(proposed, pool.settings.passwordPolicy, 'other');
  await deps.store.users.update(pool.id, user.username, passwordVerifier(pool, user.username, proposed), deps.now());
  deps.log.info({ poolId: pool.id, sub: user.sub }, 'password changed');
}

/** DeleteUser: the user removes their own account (codes and refresh tokens go with it). */
export async function deleteSelf(deps: DomainDeps, pool: PoolRecord, user: UserRecord): Promise<void> {
  await deps.store.transaction((tx) => tx.users.delete(pool.id, user.username));
  deps.log.info({ poolId: pool.id, sub: user.sub }, 'user deleted their account');
}

/**
 * AdminSetUserPassword: a new salt and verifier; permanent → CONFIRMED (from any status), temporary →
 * FORCE_CHANGE_PASSWORD (the next sign-in answers NEW_PASSWORD_REQUIRED).
 */
export async function adminSetUserPassword(deps: DomainDeps, pool: PoolRecord, typed: string, password: string, permanent: boolean): Promise<void> {
  const user = await requireUser(deps, pool, typed);
  enforcePolicy(password, pool.settings.passwordPolicy, 'other');
  const status = permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
  await deps.store.users.update(pool.id, user.username, { status, ...passwordVerifier(pool, user.username, password) }, deps.now());
  deps.log.info({ poolId: pool.id, sub: user.sub, status }, 'password set by an administrator');
}

export interface NewPasswordChallenge {
  session: string;
  parameters: { USER_ID_FOR_SRP: string; requiredAttributes: string; userAttributes: string };
}

interface ChallengeSession {
  /** Random id: a session is good for one successful answer. */
  i: string;
  p: string;
  c: string;
  u: string;
  e: number;
}

/** A FORCE_CHANGE_PASSWORD user proved the temporary password: NEW_PASSWORD_REQUIRED instead of tokens. */
export function newPasswordChallenge(deps: DomainDeps, pool: PoolRecord, client: ClientRecord, user: UserRecord): NewPasswordChallenge {
  const state: ChallengeSession = {
    i: randomBytes(16).toString('base64url'), p: pool.id, c: client.id, u: user.username,
    e: deps.now() + client.settings.authSessionValidity * 60_000,
  };
  // As observed on Cognito (COGNITO_REFERENCE §2.9): every attribute but sub, email_verified included
  // (identity-js's README tells apps to delete it before sending the attributes back).
  const attributes = Object.fromEntries(Object.entries(user.attributes).filter(([name]) => name !== 'sub'));
  return {
    session: deps.sealer.seal(JSON.stringify(state), SESSION_PURPOSE),
    parameters: { USER_ID_FOR_SRP: user.username, requiredAttributes: '[]', userAttributes: JSON.stringify(attributes) },
  };
}

/**
 * RespondToAuthChallenge NEW_PASSWORD_REQUIRED: the sealed Session (this pool and client, not expired,
 * not used, the same user, still FORCE_CHANGE_PASSWORD), then the policy — a refused password leaves the
 * session usable for another try — then the new password and status CONFIRMED. The caller issues tokens.
 */
export async function answerNewPassword(
  deps: DomainDeps,
  pool: PoolRecord,
  client: ClientRecord,
  session: string | undefined,
  typed: string,
  password: string,
): Promise<UserRecord> {
  const opened = session === undefined ? undefined : deps.sealer.open(session, SESSION_PURPOSE);
  if (!opened) throw new NotAuthorizedException(SESSION_EXPIRED);
  const state = JSON.parse(opened.toString('utf8')) as ChallengeSession;
  if (state.p !== pool.id || state.c !== client.id || state.e < deps.now()) throw new NotAuthorizedException(SESSION_EXPIRED);
  const user = await deps.store.users.getByKey(pool.id, nameKey(pool, state.u));
  if (!user || user.username !== state.u || user.status !== 'FORCE_CHANGE_PASSWORD') throw new NotAuthorizedException(SESSION_EXPIRED);
  const typedMatches = typed === user.username || (await findUser(deps, pool, typed))?.username === user.username;
  if (!typedMatches) throw new NotAuthorizedException(SESSION_EXPIRED);
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  enforcePolicy(password, pool.settings.passwordPolicy, 'other');
  if (!(await deps.store.tokens.useOnce(`challenge:${state.i}`, state.e))) throw new NotAuthorizedException(SESSION_EXPIRED);
  const patch = { status: 'CONFIRMED' as const, ...passwordVerifier(pool, user.username, password) };
  await deps.store.users.update(pool.id, user.username, patch, deps.now());
  deps.log.info({ poolId: pool.id, sub: user.sub }, 'new password set at sign-in');
  return { ...user, ...patch };
}
