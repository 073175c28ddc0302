import { createVerifier, hexToBigInt } from '../crypto/srp.js';
import { uuid } from '../crypto/random.js';
import {
  AliasExistsException, CodeMismatchException, InvalidParameterException, NotAuthorizedException, UserNotFoundException,
  UsernameExistsException,
} from '../errors/catalog.js';
import { UniqueViolation, type ClientRecord, type PoolRecord, type Store, type UserRecord } from '../store/store.js';
import { maskEmail, userAttributes, isEmail } from './attributes.js';
import { checkCode, issueCode } from './codes.js';
import type { DomainDeps } from './deps.js';
import { enforcePolicy } from './password-policy.js';
import { srpPoolName } from './pools.js';

export interface CodeDelivery {
  destination: string;
  medium: 'EMAIL';
  attributeName: 'email';
}

/** The lookup key of a name in this pool (case-folded when the pool is case-insensitive). */
export const nameKey = (pool: PoolRecord, name: string) => (pool.settings.caseSensitive ? name : name.toLowerCase());
const emailKeyOf = (pool: PoolRecord, email: string) => nameKey(pool, email);

/** Finds a user by what a person typed: the username, or an email that signs in (username attribute or verified alias). */
export async function findUser(deps: DomainDeps, pool: PoolRecord, typed: string, store: Store = deps.store): Promise<UserRecord | undefined> {
  const s = pool.settings;
  const byEmail = typed.includes('@') && (s.usernameAttributes.includes('email') || s.aliasAttributes.includes('email'));
  if (byEmail) {
    const user = await store.users.getByEmailKey(pool.id, emailKeyOf(pool, typed));
    if (user) return user;
  }
  return store.users.getByKey(pool.id, nameKey(pool, typed));
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

export async function signUp(deps: DomainDeps, pool: PoolRecord, _client: ClientRecord, input: SignUpInput): Promise<SignUpResult> {
  const s = pool.settings;
  if (s.allowAdminCreateUserOnly) throw new NotAuthorizedException('SignUp is not permitted for this user pool');
  if (input.password === undefined) {
    throw new InvalidParameterException("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null");
  }
  const attributes = userAttributes(s, input.attributes, 'sign-up');
  const emailIsUsername = s.usernameAttributes.includes('email');
  let username = input.username;
  const sub = uuid();
  if (emailIsUsername) {
    if (!isEmail(input.username)) {
      throw new InvalidParameterException(s.usernameAttributes.includes('phone_number') ? 'Username should be either an email or a phone number.' : 'Username should be an email.');
    }
    attributes.email = input.username;
    username = sub;
  } else if (s.usernameAttributes.length > 0 || isEmail(username)) {
    if (s.aliasAttributes.includes('email') && isEmail(username)) throw new InvalidParameterException('Username cannot be of email format, since user pool is configured for email alias.');
  }
  enforcePolicy(input.password, s.passwordPolicy, 'sign-up');
  const now = deps.now();
  const user: UserRecord = {
    poolId: pool.id, username, usernameKey: nameKey(pool, username), sub, status: 'UNCONFIRMED', enabled: true,
    attributes: { sub, ...attributes }, emailKey: emailIsUsername ? emailKeyOf(pool, attributes.email!) : null,
    ...passwordVerifier(pool, username, input.password), createdAt: now, updatedAt: now, signedOutAt: null,
  };
  const sendTo = s.autoVerifiedAttributes.includes('email') ? user.attributes.email : undefined;
  try {
    await deps.store.transaction(async (tx) => {
      await tx.users.create(user);
      if (sendTo) await mailCode(deps, tx, pool, user, sendTo);
    });
  } catch (err) {
    if (err instanceof UniqueViolation) {
      throw new UsernameExistsException(emailIsUsername ? 'An account with the given email already exists.' : 'User already exists');
    }
    throw err;
  }
  deps.log.info({ poolId: pool.id, sub }, 'user signed up');
  return { userSub: sub, confirmed: false, delivery: sendTo ? { destination: maskEmail(sendTo), medium: 'EMAIL', attributeName: 'email' } : undefined };
}

async function mailCode(deps: DomainDeps, tx: Store, pool: PoolRecord, user: UserRecord, to: string): Promise<void> {
  const code = await issueCode(deps, tx, pool.id, user.username, 'sign-up');
  await deps.mailer.sendVerificationCode(tx, {
    poolId: pool.id, to, code, username: user.username, subject: pool.settings.emailSubject, template: pool.settings.emailMessage,
  });
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
  const user = await findUser(deps, pool, typed);
  if (!user) throw unknownUser(client);
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
  let emailKey = user.emailKey;
  if (verifiedEmail && attributes.email !== undefined && pool.settings.autoVerifiedAttributes.includes('email')) {
    attributes.email_verified = 'true';
    if (pool.settings.aliasAttributes.includes('email')) {
      emailKey = emailKeyOf(pool, attributes.email);
      const holder = await tx.users.getByEmailKey(pool.id, emailKey);
      if (holder && holder.username !== user.username) {
        if (!forceAlias) throw new AliasExistsException('An account with the email already exists.');
        await tx.users.update(pool.id, holder.username, { emailKey: null, attributes: { ...holder.attributes, email_verified: 'false' } }, deps.now());
      }
    }
  }
  await tx.users.update(pool.id, user.username, { status: 'CONFIRMED', attributes, emailKey }, deps.now());
}

export async function resendConfirmationCode(deps: DomainDeps, pool: PoolRecord, client: ClientRecord, typed: string): Promise<CodeDelivery> {
  const user = await findUser(deps, pool, typed);
  const enabled = client.settings.preventUserExistenceErrors === 'ENABLED';
  if (!user) {
    if (enabled) return simulatedDelivery(typed);
    throw new UserNotFoundException('Username/client id combination not found.');
  }
  if (user.status !== 'UNCONFIRMED') throw new InvalidParameterException('User is already confirmed.');
  const to = user.attributes.email;
  if (!to || !pool.settings.autoVerifiedAttributes.includes('email')) throw new InvalidParameterException('Cannot resend codes. Auto verification not turned on.');
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
  const emailIsUsername = s.usernameAttributes.includes('email');
  if (emailIsUsername && !isEmail(typed)) throw new InvalidParameterException('Username should be an email.');
  const username = emailIsUsername ? sub : typed;
  const attributes: Record<string, string> = emailIsUsername ? { sub, email: typed, email_verified: 'true' } : { sub };
  const now = deps.now();
  const user: UserRecord = {
    poolId: pool.id, username, usernameKey: nameKey(pool, username), sub, status: 'CONFIRMED', enabled: true, attributes,
    emailKey: emailIsUsername ? emailKeyOf(pool, typed) : null, ...passwordVerifier(pool, username, password),
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
