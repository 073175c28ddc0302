import {
  CodeMismatchException, InvalidParameterException, NotAuthorizedException, UserNotFoundException,
} from '../errors/catalog.js';
import type { ClientRecord, PoolRecord, Store, UserRecord } from '../store/store.js';
import { maskEmail } from './attributes.js';
import { countCodeRequest } from './code-limits.js';
import { checkCode, issueCode } from './codes.js';
import type { DomainDeps } from './deps.js';
import { findUserEvenly } from './even-lookup.js';
import { enforcePolicy } from './password-policy.js';
import { checkCodeOfNobody, decoyAddress, fakeSrpUser, hidesUserExistence, issueCodeToNobody } from './user-existence.js';
import { findUser, passwordVerifier, requireUser, simulatedDelivery, type CodeDelivery } from './users.js';

/**
 * Account recovery (COGNITO_REFERENCE §4.2): ForgotPassword mails a 'forgot-password' code (1 h) to
 * the verified email; ConfirmForgotPassword sets a new password with it; AdminResetUserPassword does
 * the same on an administrator's behalf and makes the password unusable (RESET_REQUIRED) until then.
 * The pool's AccountRecoverySetting is always verified_email (SMS is not supported).
 */

const NO_VERIFIED_CHANNEL = 'Cannot reset password for the user as there is no registered/verified email or phone_number';
const WRONG_STATE = 'User password cannot be reset in the current state.';
const UNKNOWN = 'Username/client id combination not found.';

/** The verified email a reset code may go to, if any. */
function verifiedEmail(user: UserRecord): string | undefined {
  const email = user.attributes.email;
  return email && user.attributes.email_verified === 'true' ? email : undefined;
}

/** Issues a fresh reset code (replacing any earlier one) and queues its mail in the same transaction. */
async function mailResetCode(deps: DomainDeps, tx: Store, pool: PoolRecord, user: UserRecord, to: string): Promise<void> {
  const code = await issueCode(deps, tx, pool.id, user.username, 'forgot-password');
  await deps.mailer.sendPasswordResetCode(tx, { pool, to, code });
}

/**
 * ForgotPassword. LEGACY clients learn why a reset is impossible; ENABLED clients get the same
 * simulated delivery for an unknown user, a disabled one and one without a verified email — after the
 * same write a real code costs, and without mail. Every code sent or simulated counts towards the
 * hourly limit of the user (or of the unknown name). The user's status does not change.
 */
export async function forgotPassword(deps: DomainDeps, pool: PoolRecord, client: ClientRecord, typed: string): Promise<CodeDelivery> {
  const user = hidesUserExistence(client) ? await findUserEvenly(deps, pool, typed) : await findUser(deps, pool, typed);
  const simulated = async () => {
    await issueCodeToNobody(deps, pool, 'forgot-password', user?.username ?? fakeSrpUser(deps, pool, typed).userId, decoyAddress(typed));
    return simulatedDelivery(typed);
  };
  if (!user) {
    if (hidesUserExistence(client)) return simulated();
    throw new UserNotFoundException(UNKNOWN);
  }
  if (!user.enabled) {
    if (hidesUserExistence(client)) return simulated();
    throw new NotAuthorizedException('User is disabled.');
  }
  if (user.status === 'FORCE_CHANGE_PASSWORD') throw new NotAuthorizedException(WRONG_STATE);
  const to = verifiedEmail(user);
  if (!to) {
    if (hidesUserExistence(client)) return simulated();
    throw new InvalidParameterException(NO_VERIFIED_CHANNEL);
  }
  await countCodeRequest(deps, pool.id, user.username, 'forgot-password');
  await deps.store.transaction((tx) => mailResetCode(deps, tx, pool, user, to));
  deps.log.info({ poolId: pool.id, sub: user.sub }, 'password reset code sent');
  return { destination: maskEmail(to), medium: 'EMAIL', attributeName: 'email' };
}

/**
 * ConfirmForgotPassword: the code (attempt counted before the comparison), then the policy; on
 * success a new salt and verifier, status CONFIRMED, the code gone and every refresh token of the
 * user revoked (their sessions end everywhere), in one transaction.
 */
export async function confirmForgotPassword(
  deps: DomainDeps,
  pool: PoolRecord,
  client: ClientRecord,
  typed: string,
  code: string,
  password: string,
): Promise<void> {
  const user = hidesUserExistence(client) ? await findUserEvenly(deps, pool, typed) : await findUser(deps, pool, typed);
  if (!user || !user.enabled) {
    if (!hidesUserExistence(client)) throw user ? new NotAuthorizedException('User is disabled.') : new UserNotFoundException(UNKNOWN);
    // A wrong code, after the attempt a real check counts.
    await checkCodeOfNobody(deps, pool, 'forgot-password', user?.username ?? fakeSrpUser(deps, pool, typed).userId, code);
    throw new CodeMismatchException();
  }
  await checkCode(deps, pool.id, user.username, 'forgot-password', code);
  if (user.status !== 'CONFIRMED' && user.status !== 'RESET_REQUIRED') throw new NotAuthorizedException(WRONG_STATE);
  enforcePolicy(password, pool.settings.passwordPolicy, 'other');
  const now = deps.now();
  await deps.store.transaction(async (tx) => {
    await tx.codes.delete(pool.id, user.username, 'forgot-password');
    await tx.users.update(pool.id, user.username, { status: 'CONFIRMED', ...passwordVerifier(pool, user.username, password) }, now);
    await tx.tokens.revokeUser(pool.id, user.username, now);
  });
  deps.log.info({ poolId: pool.id, sub: user.sub }, 'password reset');
}

/**
 * AdminResetUserPassword: RESET_REQUIRED (sign-in answers PasswordResetRequiredException), the
 * user's refresh tokens revoked, and a reset code mailed for ConfirmForgotPassword — all or nothing.
 */
export async function adminResetUserPassword(deps: DomainDeps, pool: PoolRecord, typed: string): Promise<void> {
  const user = await requireUser(deps, pool, typed);
  const to = verifiedEmail(user);
  if (!to) throw new InvalidParameterException(NO_VERIFIED_CHANNEL);
  const now = deps.now();
  await deps.store.transaction(async (tx) => {
    await tx.users.update(pool.id, user.username, { status: 'RESET_REQUIRED' }, now);
    await tx.tokens.revokeUser(pool.id, user.username, now);
    await mailResetCode(deps, tx, pool, user, to);
  });
  deps.log.info({ poolId: pool.id, sub: user.sub }, 'password reset by an administrator');
}
