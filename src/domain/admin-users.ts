import { uuid } from '../crypto/random.js';
import { UnsupportedUserStateException, UserNotFoundException, UsernameExistsException } from '../errors/catalog.js';
import { UniqueViolation, type PoolRecord, type Store, type UserRecord } from '../store/store.js';
import { checkSignInValues, claimAliases, newUserIdentity, signInRole } from './aliases.js';
import { checkAttributeWrite } from './attributes.js';
import type { DomainDeps } from './deps.js';
import { enforcePolicy, generatePassword } from './password-policy.js';
import { findUser, nameKey, passwordVerifier } from './users.js';

/**
 * AdminCreateUser (COGNITO_REFERENCE §4.2): a user in FORCE_CHANGE_PASSWORD with a temporary password
 * (given, checked against the policy, or generated), invited by mail in the transaction that creates
 * them; RESEND gives an invited user a new temporary password and mails it again. The temporary
 * password is good for the pool's TemporaryPasswordValidityDays from the user's last change
 * (`updatedAt`, see temporaryPasswordExpired).
 */

export interface AdminCreateUserInput {
  username: string;
  attributes: { name: string; value: string | undefined }[];
  temporaryPassword?: string;
  messageAction?: 'RESEND' | 'SUPPRESS';
  desiredDeliveryMediums?: ('EMAIL' | 'SMS')[];
  forceAliasCreation: boolean;
}

const DAY_MS = 86_400_000;

/** A FORCE_CHANGE_PASSWORD user whose temporary password was set more than TemporaryPasswordValidityDays ago. */
export function temporaryPasswordExpired(pool: PoolRecord, user: UserRecord, now: number): boolean {
  if (user.status !== 'FORCE_CHANGE_PASSWORD') return false;
  const days = pool.settings.passwordPolicy.temporaryPasswordValidityDays || 7;
  return now - user.updatedAt > days * DAY_MS;
}

/**
 * The invitation, unless SUPPRESS: by email when the user has one and EMAIL is asked for — or nothing is
 * asked for (Cognito's default is SMS, which Cognate does not send; it mails instead).
 */
async function invite(
  deps: DomainDeps,
  tx: Store,
  pool: PoolRecord,
  user: UserRecord,
  signInName: string,
  password: string,
  input: AdminCreateUserInput,
): Promise<void> {
  if (input.messageAction === 'SUPPRESS') return;
  const to = user.attributes.email;
  const wantsEmail = input.desiredDeliveryMediums === undefined || input.desiredDeliveryMediums.length === 0 || input.desiredDeliveryMediums.includes('EMAIL');
  if (!to || !wantsEmail) return;
  await deps.mailer.sendInvitation(tx, { pool, to, username: signInName, temporaryPassword: password });
}

export async function adminCreateUser(deps: DomainDeps, pool: PoolRecord, input: AdminCreateUserInput): Promise<UserRecord> {
  const s = pool.settings;
  if (input.temporaryPassword !== undefined) enforcePolicy(input.temporaryPassword, s.passwordPolicy, 'other');
  const password = input.temporaryPassword ?? generatePassword(s.passwordPolicy);
  if (input.messageAction === 'RESEND') return resend(deps, pool, input, password);

  const sub = uuid();
  const { username, attributes } = newUserIdentity(s, input.username, sub, checkAttributeWrite(s, input.attributes, { context: 'admin-create' }));
  checkSignInValues(s, attributes, false);
  const now = deps.now();
  const user: UserRecord = {
    poolId: pool.id, username, usernameKey: nameKey(pool, username), sub, status: 'FORCE_CHANGE_PASSWORD', enabled: true,
    attributes: { sub, ...attributes }, emailKey: null, phoneKey: null, preferredUsernameKey: null, pendingAttributes: {}, mfaOptions: [],
    ...passwordVerifier(pool, username, password), createdAt: now, updatedAt: now, signedOutAt: null,
  };
  try {
    await deps.store.transaction(async (tx) => {
      // An email / phone the administrator marks verified signs in at once, so it claims the alias.
      // AliasExistsException is not among AdminCreateUser's modeled errors: a taken alias is a UsernameExists.
      Object.assign(
        user,
        await claimAliases(deps, tx, pool, undefined, user.attributes, {
          force: input.forceAliasCreation,
          conflict: (attribute) =>
            new UsernameExistsException(
              signInRole(s, attribute) === 'username' ? 'User account already exists' : `An account with the given ${attribute} already exists.`,
            ),
        }),
      );
      await tx.users.create(user);
      await invite(deps, tx, pool, user, input.username, password, input);
    });
  } catch (err) {
    if (err instanceof UniqueViolation) throw new UsernameExistsException('User account already exists');
    throw err;
  }
  deps.log.info({ poolId: pool.id, sub }, 'user created by an administrator');
  return user;
}

/** RESEND: only for a user who has not yet replaced their temporary password; the new one starts a new validity period. */
async function resend(deps: DomainDeps, pool: PoolRecord, input: AdminCreateUserInput, password: string): Promise<UserRecord> {
  const user = await findUser(deps, pool, input.username);
  if (!user) throw new UserNotFoundException('User does not exist.');
  if (user.status !== 'FORCE_CHANGE_PASSWORD') {
    throw new UnsupportedUserStateException(`Resend not possible. ${user.username} status is not FORCE_CHANGE_PASSWORD.`);
  }
  const patch = passwordVerifier(pool, user.username, password);
  const now = deps.now();
  await deps.store.transaction(async (tx) => {
    await tx.users.update(pool.id, user.username, patch, now);
    await invite(deps, tx, pool, user, input.username, password, input);
  });
  deps.log.info({ poolId: pool.id, sub: user.sub }, 'invitation sent again by an administrator');
  return { ...user, ...patch, updatedAt: now };
}
