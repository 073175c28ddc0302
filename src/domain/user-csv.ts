import { randomBytes } from 'node:crypto';
import { uuid } from '../crypto/random.js';
import { InvalidParameterException } from '../errors/catalog.js';
import type { PoolRecord, Store, UserRecord } from '../store/store.js';
import { ALIAS_ATTRIBUTES, aliasKeys, checkSignInValues, KEY_FIELD, nameKey, newUserIdentity, VERIFIED_FLAG } from './aliases.js';
import { checkAttributeWrite } from './attributes.js';
import type { PoolSettings, SignInAttribute } from './settings.js';

/**
 * Cognito's user-import CSV (GetCSVHeader, "Importing users into user pools from a CSV file"): one
 * column per standard attribute in Cognito's order, then the pool's custom attributes, then
 * cognito:mfa_enabled and cognito:username. Import and export (src/bulk/) and GetCSVHeader share it.
 *
 * An imported user is RESET_REQUIRED — Cognito imports no password: the user sets one with
 * ForgotPassword / ConfirmForgotPassword — with a new sub and an SRP salt and verifier drawn at random,
 * so that no password matches them. A row is checked as Cognito checks it: the attribute schema (types,
 * bounds, formats), required attributes present, cognito:mfa_enabled and the verified flags true or
 * false, at least one of the pool's auto-verified attributes verified.
 */

export const USERNAME_COLUMN = 'cognito:username';
export const MFA_COLUMN = 'cognito:mfa_enabled';

/** The standard attributes, in the order GetCSVHeader lists them (sub is never a column). */
const STANDARD_COLUMNS = [
  'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'email',
  'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'phone_number_verified', 'address', 'updated_at',
] as const;

/** Cognito's reason for a row that verifies none of the pool's auto-verified attributes. */
export const NOTHING_VERIFIED = 'The User Record does not set any of the auto verified attributes to verified. (Example: email_verified to true).';

/**
 * The pool's CSV header. Custom attributes follow updated_at in schema order, as in the headers that
 * Cognito hands out; developer-only ones (`dev:custom:…`) are listed too, since the import is an
 * administrator's write. [U] Whether Cognito lists developer-only attributes is not known.
 */
export function csvHeader(settings: Pick<PoolSettings, 'schema'>): string[] {
  const custom = settings.schema.filter((a) => a.name.startsWith('custom:') || a.name.startsWith('dev:')).map((a) => a.name);
  return [...STANDARD_COLUMNS, ...custom, MFA_COLUMN, USERNAME_COLUMN];
}

/**
 * Why an import into this pool with these columns cannot start, if it cannot. The header must name
 * cognito:username and cognito:mfa_enabled, and nothing that is not a column of the pool's header
 * (in any order, each once). Cognito wants every column of its header; Cognate lets the others be left
 * out, as empty ones would be. Like Cognito, a pool without auto-verified attributes takes no import:
 * its users could never reset their password.
 */
export function importProblem(settings: Pick<PoolSettings, 'schema' | 'autoVerifiedAttributes'>, columns: string[]): string | undefined {
  const known = new Set(csvHeader(settings));
  const missing = [USERNAME_COLUMN, MFA_COLUMN].filter((c) => !columns.includes(c));
  if (missing.length > 0) return `The CSV header must have the columns ${USERNAME_COLUMN} and ${MFA_COLUMN}; missing: ${missing.join(', ')}.`;
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (repeated.length > 0) return `The CSV header names a column more than once: ${[...new Set(repeated)].join(', ')}.`;
  const unknown = columns.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    return `The CSV header has columns that are not in the user pool's header: ${unknown.map((c) => JSON.stringify(c)).join(', ')}. The pool's header (GetCSVHeader): ${[...known].join(',')}`;
  }
  if (settings.autoVerifiedAttributes.length === 0) {
    return 'The user pool has no auto-verified attributes (email or phone_number): imported users could not reset their password, so it takes no import.';
  }
  return undefined;
}

/**
 * A row's values by column. Cognito's files put no quotes around values and escape a comma inside one
 * with a backslash (`Smith\, John`); a standard CSV parser splits such a value in two, so when a row has
 * more fields than the header, a field ending in a backslash is joined to the next one again.
 * Returns undefined when the number of fields still does not match.
 */
export function rowValues(columns: string[], fields: string[]): Record<string, string> | undefined {
  let extra = fields.length - columns.length;
  const joined: string[] = [];
  for (const field of fields) {
    const last = joined.length - 1;
    if (extra > 0 && last >= 0 && joined[last]!.endsWith('\\')) {
      joined[last] = `${joined[last]!.slice(0, -1)},${field}`;
      extra--;
    } else joined.push(field);
  }
  if (joined.length !== columns.length) return undefined;
  return Object.fromEntries(columns.map((c, i) => [c, joined[i]!]));
}

const FLAG = /^(true|false)$/i;
/** UsernameType of the official model: 1 to 128 letters, marks, symbols, digits or punctuation. */
const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

/** The name a user of this pool signs in with: in email/phone-as-username pools, that attribute. */
function typedName(settings: PoolSettings, user: UserRecord): string {
  for (const attribute of settings.usernameAttributes) {
    const value = user.attributes[attribute];
    if (value) return value;
  }
  return user.username;
}

/**
 * The user a row creates, in RESET_REQUIRED. Throws InvalidParameterException with the reason when
 * the row is refused; a username or sign-in value that another user holds is for the store to refuse.
 */
export function importedUser(pool: PoolRecord, values: Record<string, string>, now: number): UserRecord {
  const s = pool.settings;
  const typed = values[USERNAME_COLUMN] ?? '';
  if (!USERNAME.test(typed)) {
    throw new InvalidParameterException(
      typed === '' ? `${USERNAME_COLUMN} is empty.` : `${USERNAME_COLUMN} must be 1 to 128 letters, digits, symbols or punctuation marks (no spaces).`,
    );
  }
  const mfa = (values[MFA_COLUMN] ?? '').toLowerCase();
  if (mfa === 'true') throw new InvalidParameterException(`${MFA_COLUMN} is true, but Cognate has no MFA: import the user with false.`);
  if (mfa !== 'false') throw new InvalidParameterException(`${MFA_COLUMN} must be true or false.`);

  const list: { name: string; value: string }[] = [];
  for (const [name, raw] of Object.entries(values)) {
    if (name === USERNAME_COLUMN || name === MFA_COLUMN || raw === '') continue;
    const flag = name === 'email_verified' || name === 'phone_number_verified';
    if (flag && !FLAG.test(raw)) throw new InvalidParameterException(`${name} must be true or false.`);
    list.push({ name, value: flag ? raw.toLowerCase() : raw });
  }
  const given = checkAttributeWrite(s, list, { context: 'admin-create' });
  const sub = uuid();
  const { username, attributes } = newUserIdentity(s, typed, sub, given);
  for (const attribute of ['email', 'phone_number'] as const) {
    const column = given[attribute];
    if (column !== undefined && attributes[attribute] !== column && nameKey(pool, column) !== nameKey(pool, attributes[attribute] ?? '')) {
      throw new InvalidParameterException(`${USERNAME_COLUMN} must be the user's ${attribute}: the user pool signs in with ${attribute} as username.`);
    }
  }
  const missing = s.schema.filter((a) => a.required && a.name !== 'sub' && !attributes[a.name]).map((a) => `${a.name}: The attribute is required\n`);
  if (missing.length > 0) throw new InvalidParameterException(`Attributes did not conform to the schema: ${missing.join('')}`);
  for (const attribute of ['email', 'phone_number'] as const satisfies SignInAttribute[]) {
    if (attributes[VERIFIED_FLAG[attribute]] === 'true' && !attributes[attribute]) {
      throw new InvalidParameterException(`${VERIFIED_FLAG[attribute]} is true, but the user has no ${attribute}.`);
    }
  }
  if (!s.autoVerifiedAttributes.some((a) => attributes[VERIFIED_FLAG[a]] === 'true')) throw new InvalidParameterException(NOTHING_VERIFIED);
  // An imported user is a confirmed account: a preferred_username alias may come with it.
  checkSignInValues(s, attributes, true);
  return {
    poolId: pool.id, username, usernameKey: nameKey(pool, username), sub, status: 'RESET_REQUIRED', enabled: true,
    attributes: { sub, ...attributes }, ...aliasKeys(pool, attributes), pendingAttributes: {}, mfaOptions: [],
    ...unusableVerifier(), createdAt: now, updatedAt: now, signedOutAt: null,
  };
}

/**
 * A salt and an SRP verifier that no password produces: the verifier is a random number below the
 * group's modulus, whose discrete logarithm (the x a password would have to hash to) nobody knows.
 * 256 bits rather than a full 2048: finding the logarithm is no easier for a small number (any method
 * randomises it first), and a million imported users take 400 MB less.
 */
function unusableVerifier(): { salt: string; verifier: string } {
  const bytes = randomChunk(48);
  return { salt: bytes.toString('hex', 0, 16), verifier: bytes.toString('hex', 16, 48) };
}

/**
 * Whether a user's password was never set: an imported user's verifier is the 256-bit random number
 * above, where every verifier a password gives is a number modulo the 3072-bit group prime (hundreds
 * of hex digits). Such a user can only get a password through ForgotPassword / ConfirmForgotPassword
 * (or an administrator's AdminSetUserPassword).
 */
export function passwordNeverSet(user: Pick<UserRecord, 'verifier'>): boolean {
  return user.verifier.length <= 64;
}

/** Random bytes drawn 48 KiB at a time: one call per row cost a bulk import a fifth of its time. */
let drawn = Buffer.alloc(0);
let used = 0;
function randomChunk(n: number): Buffer {
  if (used + n > drawn.length) {
    drawn = randomBytes(48 * 1024);
    used = 0;
  }
  used += n;
  return drawn.subarray(used - n, used);
}

/**
 * Why the store refused to create this user (a UniqueViolation), in SignUp's words: their username,
 * or the sign-in value of theirs that another user holds.
 */
export async function conflictReason(store: Store, pool: PoolRecord, user: UserRecord): Promise<string> {
  const taken = 'User account already exists';
  if (await store.users.getByKey(pool.id, user.usernameKey)) return taken;
  for (const attribute of ALIAS_ATTRIBUTES) {
    const key = user[KEY_FIELD[attribute]];
    if (key === null || !(await store.users.getByAlias(pool.id, attribute, key))) continue;
    return `An account with the given ${attribute} already exists.`;
  }
  return taken;
}

/** A user's row of the pool's CSV (export): cognito:username is the name they sign in with. */
export function csvRow(pool: PoolRecord, user: UserRecord, columns: string[]): string[] {
  return columns.map((column) => {
    if (column === USERNAME_COLUMN) return typedName(pool.settings, user);
    if (column === MFA_COLUMN) return 'false';
    return user.attributes[column] ?? '';
  });
}
