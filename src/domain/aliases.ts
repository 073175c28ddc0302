import { InvalidParameterException } from '../errors/catalog.js';
import type { PoolRecord, Store, UserRecord } from '../store/store.js';
import { isEmail } from './attributes.js';
import type { DomainDeps } from './deps.js';
import type { AliasAttribute, PoolSettings, SignInAttribute } from './settings.js';

/**
 * Sign-in identifiers (COGNITO_REFERENCE §4.4): which attribute values sign a user in, and the keys
 * (unique per pool) that keep them apart. Every write of those attributes — sign-up, confirmation,
 * AdminCreateUser, updates, deletes, verification — goes through here.
 *
 * - UsernameAttributes (email and/or phone_number as the username): the value signs in, verified or
 *   not, and no two users share it.
 * - AliasAttributes email / phone_number: the value signs in once verified; unverified duplicates are
 *   allowed, and verifying one claims the alias (refused while another user holds it, or taken from
 *   them — they keep the value, unverified — when forced).
 * - AliasAttributes preferred_username: signs in whenever set, unique, never movable; it cannot be
 *   given before the account is confirmed, nor look like an email / phone number that is an alias.
 *
 * Keys are case-folded in case-insensitive pools, like usernames.
 */

export const ALIAS_ATTRIBUTES: readonly AliasAttribute[] = ['email', 'phone_number', 'preferred_username'];

export type AliasKeyField = 'emailKey' | 'phoneKey' | 'preferredUsernameKey';
export type AliasKeys = Pick<UserRecord, AliasKeyField>;

export const KEY_FIELD: Record<AliasAttribute, AliasKeyField> = {
  email: 'emailKey', phone_number: 'phoneKey', preferred_username: 'preferredUsernameKey',
};

/** The flag that says a sign-in attribute is verified. */
export const VERIFIED_FLAG: Record<SignInAttribute, 'email_verified' | 'phone_number_verified'> = {
  email: 'email_verified', phone_number: 'phone_number_verified',
};

const PREFERRED_BEFORE_CONFIRMATION = 'Preferred username cannot be provided for unconfirmed account, since user pool is configured for preferred username alias.';

/** E.164 as Cognito takes it: a plus sign, then up to 15 digits (the format attributes.ts checks). */
export const isPhoneNumber = (s: string) => /^\+[0-9]{1,15}$/.test(s);

/** The lookup form of a name or alias in this pool (case-folded when the pool is case-insensitive). */
export const nameKey = (pool: PoolRecord, name: string) => (pool.settings.caseSensitive ? name : name.toLowerCase());

/** How an attribute signs in, in this pool: as the username, as an alias, or not at all. */
export function signInRole(s: PoolSettings, attribute: AliasAttribute): 'username' | 'alias' | undefined {
  if (attribute !== 'preferred_username' && s.usernameAttributes.includes(attribute)) return 'username';
  return s.aliasAttributes.includes(attribute) ? 'alias' : undefined;
}

/** The keys that a user with these attributes holds. */
export function aliasKeys(pool: PoolRecord, attributes: Record<string, string>): AliasKeys {
  const keys: AliasKeys = { emailKey: null, phoneKey: null, preferredUsernameKey: null };
  for (const attribute of ALIAS_ATTRIBUTES) {
    const value = attributes[attribute];
    const role = signInRole(pool.settings, attribute);
    if (!value || !role) continue;
    if (role === 'alias' && attribute !== 'preferred_username' && attributes[VERIFIED_FLAG[attribute]] !== 'true') continue;
    keys[KEY_FIELD[attribute]] = nameKey(pool, value);
  }
  return keys;
}

/** The user a typed name signs in: an email or phone alias, the username, then a preferred_username. */
export async function findByName(store: Store, pool: PoolRecord, typed: string): Promise<UserRecord | undefined> {
  const s = pool.settings;
  const byAlias = (attribute: AliasAttribute) =>
    signInRole(s, attribute) ? store.users.getByAlias(pool.id, attribute, nameKey(pool, typed)) : Promise.resolve(undefined);
  if (typed.includes('@')) {
    const user = await byAlias('email');
    if (user) return user;
  }
  if (isPhoneNumber(typed)) {
    const user = await byAlias('phone_number');
    if (user) return user;
  }
  return (await store.users.getByKey(pool.id, nameKey(pool, typed))) ?? (await byAlias('preferred_username'));
}

/**
 * The internal username and attributes of a new user (SignUp, AdminCreateUser). With UsernameAttributes
 * the typed name is an email or phone number that becomes that attribute, and the username is the sub;
 * otherwise it may not look like an email / phone number that is an alias.
 */
export function newUserIdentity(
  s: PoolSettings,
  typed: string,
  sub: string,
  attributes: Record<string, string>,
): { username: string; attributes: Record<string, string> } {
  if (s.usernameAttributes.length > 0) {
    const email = s.usernameAttributes.includes('email');
    const phone = s.usernameAttributes.includes('phone_number');
    if (email && isEmail(typed)) return { username: sub, attributes: { ...attributes, email: typed } };
    if (phone && isPhoneNumber(typed)) return { username: sub, attributes: { ...attributes, phone_number: typed } };
    throw new InvalidParameterException(
      email && phone ? 'Username should be either an email or a phone number.' : email ? 'Username should be an email.' : 'Username should be a phone number.',
    );
  }
  if (s.aliasAttributes.includes('email') && isEmail(typed)) {
    throw new InvalidParameterException('Username cannot be of email format, since user pool is configured for email alias.');
  }
  if (s.aliasAttributes.includes('phone_number') && isPhoneNumber(typed)) {
    throw new InvalidParameterException('Username cannot be of phone number format, since user pool is configured for phone number alias.');
  }
  return { username: typed, attributes };
}

/**
 * Checks a new preferred_username alias (the formats of emails and phone numbers are checked with the
 * other attributes): not before confirmation, not shaped like an email / phone number that is an alias too.
 */
export function checkSignInValues(s: PoolSettings, values: Record<string, string>, confirmed: boolean): void {
  const preferred = values.preferred_username;
  if (!preferred || !s.aliasAttributes.includes('preferred_username')) return;
  if (!confirmed) throw new InvalidParameterException(PREFERRED_BEFORE_CONFIRMATION);
  if (s.aliasAttributes.includes('email') && isEmail(preferred)) {
    throw new InvalidParameterException('Preferred username cannot be of email format, since user pool is configured for email alias.');
  }
  if (s.aliasAttributes.includes('phone_number') && isPhoneNumber(preferred)) {
    throw new InvalidParameterException('Preferred username cannot be of phone number format, since user pool is configured for phone number alias.');
  }
}

export interface ClaimOptions {
  /** A verified email / phone alias that another user holds is taken from them (ForceAliasCreation, administrators). */
  force: boolean;
  /** The error for a value that another user holds and keeps. */
  conflict: (attribute: AliasAttribute) => Error;
}

/**
 * The keys of a user whose attributes become `attributes`, claimed in `tx`: a key another user holds
 * is taken from them when it may move and `force` is set, and refused with `conflict` otherwise.
 * `self` is the user's internal username (undefined for a user being created). The caller writes the
 * keys; a concurrent claim then ends in the store's UniqueViolation.
 */
export async function claimAliases(
  deps: DomainDeps,
  tx: Store,
  pool: PoolRecord,
  self: UserRecord | undefined,
  attributes: Record<string, string>,
  options: ClaimOptions,
): Promise<AliasKeys> {
  const keys = aliasKeys(pool, attributes);
  for (const attribute of ALIAS_ATTRIBUTES) {
    const field = KEY_FIELD[attribute];
    const key = keys[field];
    if (key === null || self?.[field] === key) continue;
    const holder = await tx.users.getByAlias(pool.id, attribute, key);
    if (!holder || holder.username === self?.username) continue;
    const movable = attribute !== 'preferred_username' && signInRole(pool.settings, attribute) === 'alias';
    if (!movable || !options.force) throw options.conflict(attribute);
    const flag = VERIFIED_FLAG[attribute as SignInAttribute];
    await tx.users.update(pool.id, holder.username, { [field]: null, attributes: { ...holder.attributes, [flag]: 'false' } }, deps.now());
    deps.log.info({ poolId: pool.id, sub: holder.sub, attribute }, 'alias moved to another user');
  }
  return keys;
}
