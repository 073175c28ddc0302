import type { DomainDeps } from '../domain/deps.js';
import type { CognitoErrorClass } from '../errors/cognito-error.js';
import type { SigV4Identity } from './auth/sigv4.js';

export type AuthMode = 'public' | 'sigv4';

export interface OperationContext {
  deps: DomainDeps;
  requestId: string;
  /** The admin credentials' identity, for SigV4 operations. */
  identity?: SigV4Identity;
}

/**
 * One Cognito operation: its wire name, how it is authenticated, the errors it may throw (a subset
 * of what the official model declares for it; a test checks both) and its handler. The input has
 * already been validated against the model, with nulls removed; the output is shaped by the model.
 */
export interface Operation<I = never> {
  name: string;
  auth: AuthMode;
  errors: readonly CognitoErrorClass[];
  /** What is missing when the operation is only partly supported (docs/operations.md shows it). */
  partial?: string;
  run(input: I, ctx: OperationContext): Promise<object>;
}

export function defineOperation<I>(op: Operation<I>): Operation<I> {
  return op;
}
