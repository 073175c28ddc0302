import { randomBytes } from 'node:crypto';
import { NotAuthorizedException } from '../errors/catalog.js';
import type { FailurePolicy, LimitRecord, PoolRecord } from '../store/store.js';
import type { DomainDeps } from './deps.js';

/**
 * The sign-in lockout (COGNITO_REFERENCE §4.7, Cognito's documented behaviour): after 5 failed password
 * checks a user is locked out for 1 s, and each further failure locks for twice as long, up to 15
 * minutes: 2^(n−5) s for n counted failures. An attempt while locked is answered "Password attempts
 * exceeded" (even with the right password), is not counted and does not lengthen the lock. A right
 * password after the lock resets the count, and so do 15 minutes without a counted failure after the end
 * of the lock (so a user at the 15-minute lock who keeps failing stays there).
 *
 * Every password check counts: SRP's PASSWORD_VERIFIER, USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH and
 * ChangePassword's PreviousPassword. The count lives in the store (LimitStore.countFailure, one atomic
 * statement), so it holds across instances, and it is kept per pool and internal username — or, for a
 * name that matches nobody under PreventUserExistenceErrors ENABLED, per the stand-in that name gets, so
 * that an unknown name locks out exactly like a known one.
 *
 * Cost: one small read before the expensive work (a locked user is refused before it), one write per
 * failure; after a right password one more read (a failure counted meanwhile by a parallel request may
 * have locked the user: see passwordRight) and, only if there were failures, a delete.
 */
export const PASSWORD_ATTEMPTS_EXCEEDED = 'Password attempts exceeded';

/** Failures allowed before the first lock. */
export const FREE_FAILURES = 5;
const MAX_LOCK_MS = 15 * 60_000;

export const LOCKOUT_POLICY: FailurePolicy = {
  // The nth failure locks for 2^(n−5) s from the fifth on, at most 15 minutes (2^10 s is already more).
  lockMs: Array.from({ length: FREE_FAILURES + 11 }, (_, i) => (i + 1 < FREE_FAILURES ? 0 : Math.min(1000 * 2 ** (i + 1 - FREE_FAILURES), MAX_LOCK_MS))),
  resetAfterMs: 15 * 60_000,
};

/** What a password check is about: the lockout key of one user (or of an unknown name's stand-in). */
export interface LockoutSubject {
  key: string;
}

/** `userId`: the internal username, or the fake USER_ID_FOR_SRP of a name that matches nobody. */
export function lockoutSubject(deps: DomainDeps, pool: PoolRecord, userId: string): LockoutSubject {
  return { key: `lockout:${deps.digester.digest('lockout', pool.id, userId)}` };
}

const lockedAt = (record: LimitRecord | undefined, now: number) => record !== undefined && record.lockedUntil > now;

/** Before the password is checked (one read): a locked-out user is refused here, before the expensive work. */
export async function refuseIfLocked(deps: DomainDeps, subject: LockoutSubject): Promise<void> {
  if (lockedAt(await deps.store.limits.get(subject.key), deps.now())) throw new NotAuthorizedException(PASSWORD_ATTEMPTS_EXCEEDED);
}

/**
 * A wrong password: counted (one atomic write). A failure that arrives while the user is locked — a
 * parallel request's failure may have locked them since this request's refuseIfLocked — is not counted
 * and is answered "Password attempts exceeded" here: its answer must not tell whether the guess was
 * right. When it returns, the caller answers as for any wrong password.
 */
export async function passwordWrong(deps: DomainDeps, subject: LockoutSubject): Promise<void> {
  const attempt = randomBytes(12).toString('base64url');
  const record = await deps.store.limits.countFailure(subject.key, attempt, deps.now(), LOCKOUT_POLICY);
  if (record.lastAttempt !== attempt) throw new NotAuthorizedException(PASSWORD_ATTEMPTS_EXCEEDED);
  if (record.count >= FREE_FAILURES) deps.log.info({ failures: record.count, lockedForMs: record.lockedUntil - record.startedAt }, 'sign-in locked out');
}

/**
 * A right password: refused all the same while the user is locked (read after the check, so that of
 * many guesses sent at once, one that happens to be right is accepted only if it came before the lock),
 * and otherwise the count is reset — unless a failure was counted since this read.
 */
export async function passwordRight(deps: DomainDeps, subject: LockoutSubject): Promise<void> {
  const record = await deps.store.limits.get(subject.key);
  if (!record) return;
  if (lockedAt(record, deps.now())) throw new NotAuthorizedException(PASSWORD_ATTEMPTS_EXCEEDED);
  await deps.store.limits.delete(subject.key, record.lastAttempt);
}
