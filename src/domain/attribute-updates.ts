import { AliasExistsException, ExpiredCodeException, InvalidParameterException } from '../errors/catalog.js';
import { UniqueViolation, type ClientRecord, type PoolRecord, type Store, type UserRecord } from '../store/store.js';
import {
  ALIAS_ATTRIBUTES, claimAliases, checkSignInValues, KEY_FIELD, nameKey, signInRole, VERIFIED_FLAG, type AliasKeys,
} from './aliases.js';
import { checkAttributeWrite, maskEmail } from './attributes.js';
import { countCodeRequest } from './code-limits.js';
import { checkCode, issueCode } from './codes.js';
import type { DomainDeps } from './deps.js';
import type { SignInAttribute } from './settings.js';
import type { CodeDelivery } from './users.js';

/**
 * Changing a user's attributes after sign-up (COGNITO_REFERENCE §4.2): UpdateUserAttributes and
 * DeleteUserAttributes (the user, through an app client) and their Admin twins.
 *
 * A new email or phone_number is unverified: its flag turns false and, when the pool verifies that
 * attribute automatically, a 'verify-email' code is mailed to it (there is no SMS: a phone number is
 * never sent one). When the pool's AttributesRequireVerificationBeforeUpdate names the attribute, the
 * old value stays in effect — and keeps signing in — while the new one waits in `pendingAttributes`
 * until VerifyUserAttribute (or an administrator's `*_verified: true`) promotes it. An administrator
 * may set the flags directly; `true` with a new value skips the code. Sign-in keys follow the values
 * (aliases.ts); an empty value deletes the attribute.
 */

const SIGN_IN: readonly SignInAttribute[] = ['email', 'phone_number'];
const isSignIn = (name: string): name is SignInAttribute => (SIGN_IN as readonly string[]).includes(name);

const keepsOriginal = (pool: PoolRecord, attribute: SignInAttribute) =>
  (pool.settings.attributeUpdate?.requireVerificationBeforeUpdate ?? []).includes(attribute);

const VERIFIABLE = 'Invalid attribute name. Only phone_number and email can be verified.';
/** [U] Cognito's wording when a pool cannot send SMS is not known for this operation. */
const NO_SMS = 'User pool does not have SMS configuration to send messages.';

export interface ChangeOptions {
  /** An administrator (AdminUpdateUserAttributes / AdminDeleteUserAttributes): may set the flags, takes verified aliases. */
  admin: boolean;
  /** The app client of the user's access token (its WriteAttributes). */
  client?: ClientRecord;
}

/**
 * UpdateUserAttributes / AdminUpdateUserAttributes / the Delete twins (values ''). Returns where
 * verification codes went. All or nothing: the attributes, keys, code and mail in one transaction.
 */
export async function changeUserAttributes(
  deps: DomainDeps,
  pool: PoolRecord,
  user: UserRecord,
  list: { name: string; value: string | undefined }[],
  options: ChangeOptions,
): Promise<CodeDelivery[]> {
  const written = checkAttributeWrite(pool.settings, list, { context: options.admin ? 'admin-update' : 'update', client: options.client });
  const next = { ...user.attributes };
  const pending = { ...user.pendingAttributes };
  const toVerify = new Set<SignInAttribute>();
  for (const [name, value] of Object.entries(written)) {
    if (isSignIn(name)) applySignInValue(pool, name, value, written[VERIFIED_FLAG[name]], next, pending, toVerify);
    else if (value === '') delete next[name];
    else next[name] = value;
  }
  // A flag an administrator sets verifies (or not) the value that is, or is about to be, in effect.
  for (const attribute of SIGN_IN) {
    const flag = written[VERIFIED_FLAG[attribute]];
    if (flag === 'true' && pending[attribute] !== undefined && written[attribute] === undefined) {
      next[attribute] = pending[attribute];
      delete pending[attribute];
    }
    if (flag !== undefined && written[attribute] !== undefined && flag !== 'true') next[VERIFIED_FLAG[attribute]] = flag;
  }
  checkSignInValues(pool.settings, written, user.status !== 'UNCONFIRMED');
  keepsSignInName(pool, next);

  const deliveries: CodeDelivery[] = [];
  const conflict = (attribute: string) => new AliasExistsException(`An account with the given ${attribute} already exists.`);
  await deps.store.transaction(async (tx) => {
    await checkPendingFree(tx, pool, user, pending, conflict);
    const keys = await claimAliases(deps, tx, pool, user, next, { force: options.admin, conflict });
    const emailMoved = next.email !== user.attributes.email || pending.email !== user.pendingAttributes.email;
    if (emailMoved) await tx.codes.delete(pool.id, user.username, 'verify-email');
    await writeClaimed(tx, pool, user, { attributes: next, pendingAttributes: pending }, keys, conflict, deps.now());
    const to = pending.email ?? next.email;
    if (toVerify.has('email') && to && pool.settings.autoVerifiedAttributes.includes('email')) {
      await mailVerificationCode(deps, tx, pool, user, to);
      deliveries.push({ destination: maskEmail(to), medium: 'EMAIL', attributeName: 'email' });
    }
  });
  deps.log.info({ poolId: pool.id, sub: user.sub, admin: options.admin, names: Object.keys(written) }, 'user attributes changed');
  return deliveries;
}

/** A new (or deleted, '') email / phone_number: in effect at once and unverified, or pending its verification. */
function applySignInValue(
  pool: PoolRecord,
  attribute: SignInAttribute,
  value: string,
  flag: string | undefined,
  next: Record<string, string>,
  pending: Record<string, string>,
  toVerify: Set<SignInAttribute>,
): void {
  const verifiedFlag = VERIFIED_FLAG[attribute];
  delete pending[attribute];
  if (value === '') {
    delete next[attribute];
    delete next[verifiedFlag];
    return;
  }
  // The same value again changes nothing (and sends no code); it only cancels a pending change.
  if (value === next[attribute]) return;
  if (flag === 'true') {
    next[attribute] = value;
    next[verifiedFlag] = 'true';
    return;
  }
  toVerify.add(attribute);
  if (keepsOriginal(pool, attribute) && next[attribute] !== undefined) {
    pending[attribute] = value;
    return;
  }
  next[attribute] = value;
  next[verifiedFlag] = 'false';
}

/** In pools with UsernameAttributes, a user keeps at least one of them: it is what they sign in with. */
function keepsSignInName(pool: PoolRecord, next: Record<string, string>): void {
  const names = pool.settings.usernameAttributes;
  if (names.length > 0 && !names.some((a) => next[a])) {
    throw new InvalidParameterException(`user.${names.join('/')}: The attribute is required\n`);
  }
}

/** A value waiting for verification that will be the username once verified must not be someone else's already. */
async function checkPendingFree(tx: Store, pool: PoolRecord, user: UserRecord, pending: Record<string, string>, conflict: (a: string) => Error): Promise<void> {
  for (const attribute of SIGN_IN) {
    const value = pending[attribute];
    if (value === undefined || value === user.pendingAttributes[attribute] || signInRole(pool.settings, attribute) !== 'username') continue;
    const holder = await tx.users.getByAlias(pool.id, attribute, nameKey(pool, value));
    if (holder && holder.username !== user.username) throw conflict(attribute);
  }
}

/** Writes the change with its keys; a key claimed meanwhile by a concurrent change (the unique index) is that key's conflict. */
async function writeClaimed(
  tx: Store,
  pool: PoolRecord,
  user: UserRecord,
  change: Pick<UserRecord, 'attributes' | 'pendingAttributes'>,
  keys: AliasKeys,
  conflict: (attribute: string) => Error,
  now: number,
): Promise<void> {
  try {
    await tx.users.update(pool.id, user.username, { ...change, ...keys }, now);
  } catch (err) {
    if (!(err instanceof UniqueViolation)) throw err;
    const moved = ALIAS_ATTRIBUTES.find((a) => keys[KEY_FIELD[a]] !== null && keys[KEY_FIELD[a]] !== user[KEY_FIELD[a]]);
    throw conflict(moved ?? 'email');
  }
}

async function mailVerificationCode(deps: DomainDeps, tx: Store, pool: PoolRecord, user: UserRecord, to: string): Promise<void> {
  const code = await issueCode(deps, tx, pool.id, user.username, 'verify-email');
  await deps.mailer.sendVerificationCode(tx, { pool, to, code });
}

/**
 * GetUserAttributeVerificationCode: a fresh code for the email (to the pending new address when there
 * is one). A phone number cannot be sent one: there is no SMS here.
 */
export async function sendAttributeVerificationCode(deps: DomainDeps, pool: PoolRecord, user: UserRecord, name: string): Promise<CodeDelivery> {
  if (!isSignIn(name)) throw new InvalidParameterException(VERIFIABLE);
  if (name === 'phone_number') throw new InvalidParameterException(NO_SMS);
  const to = user.pendingAttributes.email ?? user.attributes.email;
  // [U] Cognito's wording for a user without the attribute is not known.
  if (!to) throw new InvalidParameterException('The user has no email attribute to verify.');
  await countCodeRequest(deps, pool.id, user.username, 'verify-email');
  await deps.store.transaction((tx) => mailVerificationCode(deps, tx, pool, user, to));
  deps.log.info({ poolId: pool.id, sub: user.sub }, 'attribute verification code sent');
  return { destination: maskEmail(to), medium: 'EMAIL', attributeName: 'email' };
}

/**
 * VerifyUserAttribute: the code (attempt counted before the comparison) makes the email — the pending
 * one, if any — verified and in effect, and claims its alias (AliasExistsException while another user
 * holds it: there is no ForceAliasCreation here). A phone number never got a code.
 */
export async function verifyUserAttribute(deps: DomainDeps, pool: PoolRecord, user: UserRecord, name: string, code: string): Promise<void> {
  if (!isSignIn(name)) throw new InvalidParameterException(VERIFIABLE);
  if (name === 'phone_number') throw new ExpiredCodeException();
  await checkCode(deps, pool.id, user.username, 'verify-email', code);
  const next = { ...user.attributes };
  const pending = { ...user.pendingAttributes };
  if (pending.email !== undefined) next.email = pending.email;
  delete pending.email;
  if (next.email === undefined) throw new ExpiredCodeException();
  next.email_verified = 'true';
  const conflict = (attribute: string) => new AliasExistsException(`An account with the ${attribute} already exists.`);
  await deps.store.transaction(async (tx) => {
    const keys = await claimAliases(deps, tx, pool, user, next, { force: false, conflict });
    await tx.codes.delete(pool.id, user.username, 'verify-email');
    await writeClaimed(tx, pool, user, { attributes: next, pendingAttributes: pending }, keys, conflict, deps.now());
  });
  deps.log.info({ poolId: pool.id, sub: user.sub }, 'email verified');
}
