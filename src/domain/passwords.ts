import { randomBytes } from 'node:crypto';
import { AliasExistsException, InvalidParameterException, NotAuthorizedException } from '../errors/catalog.js';
import { UniqueViolation, type ClientRecord, type PoolRecord, type UserRecord } from '../store/store.js';
import { ALIAS_ATTRIBUTES, checkSignInValues, claimAliases, signInRole, VERIFIED_FLAG } from './aliases.js';
import { checkAttributeWrite } from './attributes.js';
import type { DomainDeps } from './deps.js';
import { lockoutSubject, passwordRight, passwordWrong, refuseIfLocked } from './lockout.js';
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

/**
 * ChangePassword: the previous password must match — a check like a sign-in's, so it counts towards the
 * lockout (lockout.ts) — and the new one must satisfy the policy. Tokens stay valid.
 */
export async function changePassword(
  deps: DomainDeps,
  pool: PoolRecord,
  user: UserRecord,
  previous: string | undefined,
  proposed: string,
): Promise<void> {
  if (previous === undefined) throw new NotAuthorizedException(WRONG);
  const subject = lockoutSubject(deps, pool, user.username);
  await refuseIfLocked(deps, subject);
  if (!verifyPassword(pool, user, previous)) {
    await passwordWrong(deps, subject);
    deps.log.info({ poolId: pool.id, sub: user.sub }, 'password change refused: wrong previous password');
    throw new NotAuthorizedException(WRONG);
  }
  await passwordRight(deps, subject);
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
    parameters: {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: JSON.stringify(missingRequired(pool, user.attributes).map((name) => `userAttributes.${name}`)),
      userAttributes: JSON.stringify(attributes),
    },
  };
}

/** The pool's required attributes that have no value here (an administrator may create a user without them). */
function missingRequired(pool: PoolRecord, attributes: Record<string, string>): string[] {
  return pool.settings.schema.filter((a) => a.required && a.name !== 'sub' && !attributes[a.name]).map((a) => a.name);
}

const isAlias = (name: string): name is (typeof ALIAS_ATTRIBUTES)[number] => (ALIAS_ATTRIBUTES as readonly string[]).includes(name);

/**
 * The attributes after a NEW_PASSWORD_REQUIRED answer's `userAttributes.<name>` values, written as the
 * user writes them through the client (UpdateUserAttributes' checks) — except that an attribute without
 * a value may be set even when immutable, and one that is required or signs in and already has a value
 * may not change. A new email / phone number is unverified. Every required attribute must then have a value.
 */
function answeredAttributes(pool: PoolRecord, client: ClientRecord, user: UserRecord, answers: Record<string, string>): Record<string, string> {
  const list = Object.entries(answers).map(([name, value]) => ({ name, value }));
  const s = pool.settings;
  for (const { name } of list) {
    const fixed = s.schema.some((a) => a.name === name && a.required) || (isAlias(name) && signInRole(s, name) !== undefined);
    if (fixed && user.attributes[name]) throw new InvalidParameterException(`Cannot modify an already provided ${name}`);
  }
  const unset = new Set(list.filter(({ name }) => !user.attributes[name]).map(({ name }) => name));
  const schema = s.schema.map((a) => (unset.has(a.name) ? { ...a, mutable: true } : a));
  const written = checkAttributeWrite({ ...s, schema }, list, { context: 'update', client });
  checkSignInValues(s, written, true);
  const next = { ...user.attributes };
  for (const [name, value] of Object.entries(written)) {
    if (value === '') delete next[name];
    else next[name] = value;
    if ((name === 'email' || name === 'phone_number') && value !== user.attributes[name]) next[VERIFIED_FLAG[name]] = 'false';
  }
  const missing = missingRequired(pool, next);
  if (missing.length > 0) throw new InvalidParameterException(`Invalid attributes given, ${missing[0]} is missing`);
  return next;
}

/**
 * RespondToAuthChallenge NEW_PASSWORD_REQUIRED: the sealed Session (this pool and client, not expired,
 * not used, the same user, still FORCE_CHANGE_PASSWORD), then the policy and the answered attributes —
 * a refusal leaves the session usable for another try — then, in one transaction, the session used up,
 * the new password, the attributes (and the sign-in aliases they bring) and status CONFIRMED. The
 * caller issues tokens.
 */
export async function answerNewPassword(
  deps: DomainDeps,
  pool: PoolRecord,
  client: ClientRecord,
  session: string | undefined,
  typed: string,
  password: string,
  answers: Record<string, string> = {},
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
  const attributes = answeredAttributes(pool, client, user, answers);
  const conflict = (attribute: string) => new AliasExistsException(`An account with the given ${attribute} already exists.`);
  let patch: Partial<UserRecord> = {};
  try {
    await deps.store.transaction(async (tx) => {
      if (!(await tx.tokens.useOnce(`challenge:${state.i}`, state.e))) throw new NotAuthorizedException(SESSION_EXPIRED);
      const keys = await claimAliases(deps, tx, pool, user, attributes, { force: false, conflict });
      patch = { status: 'CONFIRMED', ...passwordVerifier(pool, user.username, password), attributes, ...keys };
      await tx.users.update(pool.id, user.username, patch, deps.now());
    });
  } catch (err) {
    if (err instanceof UniqueViolation) throw conflict('alias');
    throw err;
  }
  deps.log.info({ poolId: pool.id, sub: user.sub }, 'new password set at sign-in');
  return { ...user, ...patch };
}
