import { LimitExceededException, TooManyFailedAttemptsException } from '../errors/catalog.js';
import type { CodePurpose } from '../store/store.js';
import type { DomainDeps } from './deps.js';

/**
 * Per-user limits on one-time codes, across codes (COGNITO_REFERENCE §4.6): each code allows 5 wrong
 * guesses (codes.ts), and asking for a new code would give 5 fresh ones, so a user also gets only so
 * many codes and so many checks per clock hour, per kind of code. Counted in the store (LimitStore.hit,
 * atomic, shared by every instance) before anything is sent or compared. A name that matches nobody
 * under PreventUserExistenceErrors ENABLED is counted by its stand-in's id, so it runs into the limits
 * exactly as a user does.
 */
export const CODE_REQUESTS_PER_HOUR = 5;
export const CODE_CHECKS_PER_HOUR = 15;
const HOUR_MS = 3600_000;

async function countThisHour(deps: DomainDeps, what: string, poolId: string, userId: string, purpose: CodePurpose): Promise<number> {
  const now = deps.now();
  const window = now - (now % HOUR_MS);
  return deps.store.limits.hit(`${what}:${deps.digester.digest(what, poolId, userId, purpose)}`, window, 1, window + HOUR_MS);
}

/** A code is about to be sent (ResendConfirmationCode, ForgotPassword, GetUserAttributeVerificationCode). */
export async function countCodeRequest(deps: DomainDeps, poolId: string, userId: string, purpose: CodePurpose): Promise<void> {
  if ((await countThisHour(deps, 'code-requests', poolId, userId, purpose)) > CODE_REQUESTS_PER_HOUR) {
    deps.log.info({ poolId, purpose }, 'code request refused: hourly limit');
    throw new LimitExceededException();
  }
}

/**
 * A code is about to be compared. Over the limit: TooManyFailedAttemptsException where Cognito's model
 * declares it (ConfirmSignUp, ConfirmForgotPassword), LimitExceededException for VerifyUserAttribute.
 */
export async function countCodeCheck(deps: DomainDeps, poolId: string, userId: string, purpose: CodePurpose): Promise<void> {
  if ((await countThisHour(deps, 'code-checks', poolId, userId, purpose)) > CODE_CHECKS_PER_HOUR) {
    deps.log.info({ poolId, purpose }, 'code check refused: hourly limit');
    throw purpose === 'verify-email' ? new LimitExceededException() : new TooManyFailedAttemptsException();
  }
}
