import { randomCode } from '../crypto/random.js';
import { safeEqual } from '../crypto/digest.js';
import { CodeMismatchException, ExpiredCodeException, LimitExceededException } from '../errors/catalog.js';
import type { CodePurpose, Store } from '../store/store.js';
import { countCodeCheck } from './code-limits.js';
import type { DomainDeps } from './deps.js';

/** How long each kind of code lives (COGNITO_REFERENCE §4.6). */
export const CODE_TTL_MS: Record<CodePurpose, number> = {
  'sign-up': 24 * 3600_000,
  'verify-email': 24 * 3600_000,
  'forgot-password': 3600_000,
};

/** Wrong guesses allowed on one code; after that the code is dead and a new one must be requested. */
export const MAX_CODE_ATTEMPTS = 5;

/** Issues a fresh 6-digit code (replacing any earlier one) and returns it for mailing; only its keyed digest is stored. */
export async function issueCode(deps: DomainDeps, tx: Store, poolId: string, username: string, purpose: CodePurpose): Promise<string> {
  const code = randomCode();
  await tx.codes.put({
    poolId, username, purpose, digest: deps.digester.digest('code', poolId, username, purpose, code),
    expiresAt: deps.now() + CODE_TTL_MS[purpose], attempts: 0,
  });
  return code;
}

/**
 * Checks a code. The attempt is counted (atomically, in its own write) before the comparison, so
 * parallel guesses cannot slip past the limit — against the user's hourly checks first (code-limits.ts),
 * then against the code. The code is not consumed here: the caller deletes it
 * in the transaction that acts on it.
 */
export async function checkCode(deps: DomainDeps, poolId: string, username: string, purpose: CodePurpose, code: string): Promise<void> {
  await countCodeCheck(deps, poolId, username, purpose);
  const record = await deps.store.codes.countAttempt(poolId, username, purpose);
  if (!record) throw new ExpiredCodeException();
  if (record.attempts > MAX_CODE_ATTEMPTS) throw new LimitExceededException();
  if (record.expiresAt < deps.now()) throw new ExpiredCodeException();
  if (!safeEqual(deps.digester.digest('code', poolId, username, purpose, code), record.digest)) throw new CodeMismatchException();
}
