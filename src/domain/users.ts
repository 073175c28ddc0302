import { createVerifier, hexToBigInt } from '../crypto/srp.js';
import { uuid } from '../crypto/random.js';
import {
  AliasExistsException, CodeMismatchException, InvalidParameterException, NotAuthorizedException, UserNotFoundException,
  UsernameExistsException,
} from '../errors/catalog.js';
import { UniqueViolation, type ClientRecord, type PoolRecord, type Store, type UserRecord } from '../store/store.js';
import { aliasKeys, checkSignInValues, claimAliases, findByName, nameKey, newUserIdentity } from './aliases.js';
import { checkAttributeWrite, maskEmail } from './attributes.js';
import { countCodeRequest } from './code-limits.js';
import { checkCode, issueCode } from './codes.js';
import { findUserEvenly } from './even-lookup.js';
import type { DomainDeps } from './deps.js';
import { enforcePolicy } from './password-policy.js';
import { checkCodeOfNobody, decoyAddress, fakeSrpUser, hidesUserExistence, issueCodeToNobody } from './user-existence.js';
import { srpPoolName } from './pools.js';

export interface CodeDelivery {
  destination: string;
  medium: 'EMAIL';
  attributeName: 'email';
}

export { nameKey };

/** Finds a user by what a person typed: the username, or a value that signs in (username attribute or alias, see aliases.ts). */
export async function findUser(deps: DomainDeps, pool: PoolRecord, typed: string, store: Store = deps.store): Promise<UserRecord | undefined> {
  return findByName(store, pool, typed);
}

export async function requireUser(deps: DomainDeps, pool: PoolRecord, typed: string): Promise<UserRecord> {
  const user = await findUser(deps, pool, typed);
  if (!user) throw new UserNotFoundException('User does not exist.');
  return user;
}

/** A password's salt and SRP verifier (the password itself is never kept). */
export function passwordVerifier(pool: PoolRecord, username: string, password: string): { salt: string; verifier: string } {
  const { salt, verifier } = createVerifier(srpPoolName(pool.id), username, password);
  return { salt: salt.toString(16), verifier: verifier.toString(16) };
}

export function verifyPassword(pool: PoolRecord, user: UserRecord, password: string): boolean {
  const { verifier } = createVerifier(srpPoolName(pool.id), user.username, password, hexToBigInt(user.salt));
  return verifier === hexToBigInt(user.verifier);
}

export interface SignUpInput {
  username: string;
  password: string | undefined;
  attributes: { name: string; value: string | undefined }[];
}

export interface SignUpResult {
  userSub: string;
  confirmed: boolean;
  delivery?: CodeDelivery;
}

export async function signUp(deps: DomainDeps, pool: PoolRecord, client: ClientRecord, input: SignUpInput): Promise<SignUpResult> {
  const s = pool.settings;
  if (s.allowAdminCreateUserOnly) throw new NotAuthorizedException('SignUp is not permitted for this user pool');
  if (input.password === undefined) {
    throw new InvalidParameterException("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null");
  }
  const sub = uuid();
  const { username, attributes } = newUserIdentity(s, input.username, sub, checkAttributeWrite(s, input.attributes, { context: 'sign-up', client }));
  checkSignInValues(s, attributes, false);
  enforcePolicy(input.password, s.passwordPolicy, 'sign-up');
  const now = deps.now();
  const user: UserRecord = {
    poolId: pool.id, username, usernameKey: nameKey(pool, username), sub, status: 'UNCONFIRMED', enabled: true,
    attributes: { sub, ...attributes }, ...aliasKeys(pool, attributes), pendingAttributes: {}, mfaOptions: [],
    ...passwordVerifier(pool, username, input.password), createdAt: now, updatedAt: now, signedOutAt: null,
  };
  const sendTo = s.autoVerifiedAttributes.includes('email') ? user.attributes.email : undefined;
  // A sign-in attribute that is the username (never a mere alias: unverified) is taken by one user only.
  const taken = (attribute: string) => new UsernameExistsException(`An account with the given ${attribute} already exists.`);
  try {
    await deps.store.transaction(async (tx) => {
      await claimAliases(deps, tx, pool, undefined, user.attributes, { force: false, conflict: taken });
      await tx.users.create(user);
      if (sendTo) await mailCode(deps, tx, pool, user, sendTo);
    });
  } catch (err) {
    if (err instanceof UniqueViolation) {
      throw s.usernameAttributes.length > 0 ? taken(user.attributes.email !== undefined ? 'email' : 'phone_number') : new UsernameExistsException('User already exists');
    }
    throw err;
  }
  deps.log.info({ poolId: pool.id, sub }, 'user signed up');
  return { userSub: sub, confirmed: false, delivery: sendTo ? { destination: maskEmail(sendTo), medium: 'EMAIL', attributeName: 'email' } : undefined };
}

async function mailCode(deps: DomainDeps, tx: Store, pool: PoolRecord, user: UserRecord, to: string): Promise<void> {
  const code = await issueCode(deps, tx, pool.id, user.username, 'sign-up');
  await deps.mailer.sendVerificationCode(tx, { pool, to, code });
}

/** What PreventUserExistenceErrors ENABLED answers instead of telling that a code cannot be sent (no mail goes out). */
export const simulatedDelivery = (typed: string): CodeDelivery => ({
  destination: maskEmail(typed.includes('@') ? typed : `${typed}@example.com`), medium: 'EMAIL', attributeName: 'email',
});

/** Unknown users: LEGACY clients learn it; ENABLED clients get the same answer as for a wrong code. */
function unknownUser(client: ClientRecord): Error {
  return client.settings.preventUserExistenceErrors === 'ENABLED'
    ? new CodeMismatchException()
    : new UserNotFoundException('Username/client id combination not found.');
}

export async function confirmSignUp(deps: DomainDeps, pool: PoolRecord, client: ClientRecord, typed: string, code: string, forceAliasCreation: boolean): Promise<void> {
  const user = hidesUserExistence(client) ? await findUserEvenly(deps, pool, typed) : await findUser(deps, pool, typed);
  if (!user) {
    // ENABLED: a wrong code, after the attempt a real check counts (PreventUserExistenceErrors).
    if (hidesUserExistence(client)) await checkCodeOfNobody(deps, pool, 'sign-up', fakeSrpUser(deps, pool, typed).userId, code);
    throw unknownUser(client);
  }
  if (user.status !== 'UNCONFIRMED') throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
  await checkCode(deps, pool.id, user.username, 'sign-up', code);
  await deps.store.transaction(async (tx) => {
    await tx.codes.delete(pool.id, user.username, 'sign-up');
    await confirm(deps, tx, pool, user, true, forceAliasCreation);
  });
  deps.log.info({ poolId: pool.id, sub: user.sub }, 'user confirmed');
}

/** UNCONFIRMED → CONFIRMED; a confirmation by code also verifies the email and, in alias pools, claims it. */
async function confirm(deps: DomainDeps, tx: Store, pool: PoolRecord, user: UserRecord, verifiedEmail: boolean, forceAlias: boolean): Promise<void> {
  const attributes = { ...user.attributes };
  if (verifiedEmail && attributes.email !== undefined && pool.settings.autoVerifiedAttributes.includes('email')) attributes.email_verified = 'true';
  const keys = await claimAliases(deps, tx, pool, user, attributes, {
    force: forceAlias, conflict: (attribute) => new AliasExistsException(`An account with the ${attribute} already exists.`),
  });
  try {
    await tx.users.update(pool.id, user.username, { status: 'CONFIRMED', attributes, ...keys }, deps.now());
  } catch (err) {
    // Claimed by someone else since the check: the same answer as had it been first.
    if (err instanceof UniqueViolation) throw new AliasExistsException('An account with the email already exists.');
    throw err;
  }
}

export async function resendConfirmationCode(deps: DomainDeps, pool: PoolRecord, client: ClientRecord, typed: string): Promise<CodeDelivery> {
  const user = hidesUserExistence(client) ? await findUserEvenly(deps, pool, typed) : await findUser(deps, pool, typed);
  const enabled = client.settings.preventUserExistenceErrors === 'ENABLED';
  if (!user) {
    if (enabled) {
      // The write a real code costs, without the mail (PreventUserExistenceErrors).
      await issueCodeToNobody(deps, pool, 'sign-up', fakeSrpUser(deps, pool, typed).userId, decoyAddress(typed));
      return simulatedDelivery(typed);
    }
    throw new UserNotFoundException('Username/client id combination not found.');
  }
  if (user.status !== 'UNCONFIRMED') throw new InvalidParameterException('User is already confirmed.');
  const to = user.attributes.email;
  if (!to || !pool.settings.autoVerifiedAttributes.includes('email')) throw new InvalidParameterException('Cannot resend codes. Auto verification not turned on.');
  await countCodeRequest(deps, pool.id, user.username, 'sign-up');
  await deps.store.transaction((tx) => mailCode(deps, tx, pool, user, to));
  return { destination: maskEmail(to), medium: 'EMAIL', attributeName: 'email' };
}

export async function adminConfirmSignUp(deps: DomainDeps, pool: PoolRecord, typed: string): Promise<void> {
  const user = await requireUser(deps, pool, typed);
  if (user.status !== 'UNCONFIRMED') throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
  await deps.store.transaction(async (tx) => {
    await tx.codes.delete(pool.id, user.username, 'sign-up');
    await confirm(deps, tx, pool, user, false, false);
  });
  deps.log.info({ poolId: pool.id, sub: user.sub }, 'user confirmed by an administrator');
}

export async function adminDeleteUser(deps: DomainDeps, pool: PoolRecord, typed: string): Promise<void> {
  const user = await requireUser(deps, pool, typed);
  await deps.store.transaction((tx) => tx.users.delete(pool.id, user.username));
  deps.log.info({ poolId: pool.id, sub: user.sub }, 'user deleted');
}

/**
 * A user that can sign in at once: CONFIRMED, with this password (checked against the pool's policy).
 * For seeds and tools (the console's first administrator); in email-as-username pools the email is
 * the sign-in name and counts as verified.
 */
export async function createConfirmedUser(deps: DomainDeps, pool: PoolRecord, typed: string, password: string): Promise<UserRecord> {
  const s = pool.settings;
  enforcePolicy(password, s.passwordPolicy, 'other');
  const sub = uuid();
  const identity = newUserIdentity(s, typed, sub, {});
  const username = identity.username;
  const attributes: Record<string, string> = { sub, ...identity.attributes };
  if (attributes.email !== undefined) attributes.email_verified = 'true';
  const now = deps.now();
  const user: UserRecord = {
    poolId: pool.id, username, usernameKey: nameKey(pool, username), sub, status: 'CONFIRMED', enabled: true, attributes,
    ...aliasKeys(pool, attributes), pendingAttributes: {}, mfaOptions: [], ...passwordVerifier(pool, username, password),
    createdAt: now, updatedAt: now, signedOutAt: null,
  };
  try {
    await deps.store.users.create(user);
  } catch (err) {
    if (err instanceof UniqueViolation) throw new UsernameExistsException('User account already exists');
    throw err;
  }
  deps.log.info({ poolId: pool.id, sub }, 'confirmed user created');
  return user;
}

/**
 * AdminDisableUser / AdminEnableUser. Disabling also revokes every refresh token of the user, so the
 * tokens already issued stop working (access tokens of those families are refused as revoked) and
 * stay dead after the user is enabled again.
 */
export async function setUserEnabled(deps: DomainDeps, pool: PoolRecord, typed: string, enabled: boolean): Promise<void> {
  const user = await requireUser(deps, pool, typed);
  const now = deps.now();
  await deps.store.transaction(async (tx) => {
    await tx.users.update(pool.id, user.username, { enabled }, now);
    if (!enabled) await tx.tokens.revokeUser(pool.id, user.username, now);
  });
  deps.log.info({ poolId: pool.id, sub: user.sub }, enabled ? 'user enabled' : 'user disabled');
}
