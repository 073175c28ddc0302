import type { DomainDeps } from '../domain/deps.js';
import type { RateLimiter } from '../domain/rate-limits.js';
import { decodeJwt } from '../crypto/jwt.js';
import { CognitoError } from '../errors/cognito-error.js';
import {
  InternalErrorException, InvalidParameterException, PROTOCOL_ERRORS, SerializationException, UnknownOperationException,
} from '../errors/catalog.js';
import { verifySigV4, type SignedRequest, type SigV4Identity } from './auth/sigv4.js';
import { MODEL } from './model/model.js';
import { shapeOutput, validateInput, validationMessage } from './model/validate.js';
import type { Operation } from './operation.js';

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

export interface ApiRequest extends SignedRequest {
  requestId: string;
  /** The client's address (from X-Forwarded-For only behind a trusted proxy: COGNATE_TRUST_PROXY). */
  ip?: string;
}

export interface ApiResult {
  operation: string | undefined;
  status: number;
  body: object;
  error?: CognitoError;
  /** Set when an operation threw an error type it does not declare (a bug: the tests fail on it). */
  undeclared?: boolean;
}

export interface AdminCredentials {
  lookupSecret(accessKeyId: string): string | undefined;
}

function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, stripNulls(v)]));
  }
  return value;
}

/** Deepest nesting accepted (as Jackson's default); deeper bodies would overflow the recursive walks below. */
const MAX_DEPTH = 1000;

function tooDeep(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_DEPTH) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/**
 * The user pool a public request is about, for its rate limit: its app client's, or the issuer's of its
 * access token (read without checking it: the handler does that; a forged one only counts elsewhere).
 */
async function poolOf(deps: DomainDeps, input: Record<string, unknown>): Promise<string | undefined> {
  if (typeof input.ClientId === 'string') return (await deps.store.clients.get(input.ClientId))?.poolId;
  const iss = typeof input.AccessToken === 'string' ? decodeJwt(input.AccessToken)?.payload.iss : undefined;
  const poolId = typeof iss === 'string' ? iss.slice(iss.lastIndexOf('/') + 1) : undefined;
  return poolId !== undefined && POOL_ID.test(poolId) ? poolId : undefined;
}

function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw new SerializationException('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SerializationException('The request body must be a JSON object.');
  if (tooDeep(parsed)) throw new SerializationException(`The request body is nested more than ${MAX_DEPTH} levels deep.`);
  return parsed as Record<string, unknown>;
}

/**
 * X-Amz-Target → operation → authenticate (SigV4 for admin operations) → parse → validate against
 * the model → rate limits (public operations) → handler → shape the output. Every failure becomes a
 * CognitoError; anything unexpected becomes InternalErrorException, its cause left for the log.
 */
export class Dispatcher {
  private readonly operations: Map<string, Operation<never>>;

  constructor(
    operations: readonly Operation<never>[],
    private readonly deps: DomainDeps,
    private readonly admin: AdminCredentials,
    /** Per-address and per-pool request rates of the public operations (the console's trusted calls are not limited). */
    private readonly limiter?: RateLimiter,
  ) {
    this.operations = new Map(operations.map((op) => [op.name, op]));
  }

  async handle(target: string | undefined, req: ApiRequest): Promise<ApiResult> {
    const name = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
    const op = name === undefined ? undefined : this.operations.get(name);
    const unknown = name ? `Unknown operation: ${name}` : 'The X-Amz-Target header is missing or malformed.';
    return this.run(op, unknown, req.requestId, (found) => {
      const identity = found.auth === 'sigv4' ? verifySigV4(req, { service: 'cognito-idp', region: this.deps.region, lookupSecret: this.admin.lookupSecret, now: new Date(this.deps.now()) }) : undefined;
      return { input: parseBody(req.body), identity };
    }, async (found, input) => {
      if (found.auth !== 'public' || !this.limiter) return;
      await this.limiter.admitAddress(req.ip);
      await this.limiter.admitPool(() => poolOf(this.deps, input));
    });
  }

  /**
   * The same pipeline for a caller that is already authenticated another way (the admin console's
   * session): no SigV4, the input arrives parsed. Validation, handler and output shaping are as in handle().
   */
  async handleTrusted(operation: string, input: unknown, requestId: string): Promise<ApiResult> {
    const op = this.operations.get(operation);
    return this.run(op, `Unknown operation: ${operation}`, requestId, () => {
      const body = input ?? {};
      if (typeof body !== 'object' || Array.isArray(body)) throw new SerializationException('The request body must be a JSON object.');
      if (tooDeep(body)) throw new SerializationException(`The request body is nested more than ${MAX_DEPTH} levels deep.`);
      return { input: body as Record<string, unknown>, identity: undefined };
    });
  }

  /** Authenticates and parses (through `prepare`), validates, runs and shapes; every failure becomes a result. */
  private async run(
    op: Operation<never> | undefined,
    unknown: string,
    requestId: string,
    prepare: (op: Operation<never>) => { input: Record<string, unknown>; identity: SigV4Identity | undefined },
    admit?: (op: Operation<never>, input: Record<string, unknown>) => Promise<void>,
  ): Promise<ApiResult> {
    try {
      if (!op) throw new UnknownOperationException(unknown);
      const { input, identity } = prepare(op);
      const model = MODEL.operations[op.name]!;
      const failures = model.input ? validateInput(input, model.input) : [];
      if (failures.length > 0) throw new InvalidParameterException(validationMessage(failures));
      await admit?.(op, input);
      const output = await op.run(stripNulls(input) as never, { deps: this.deps, requestId, identity });
      return { operation: op.name, status: 200, body: (model.output ? shapeOutput(output, model.output) : {}) as object };
    } catch (err) {
      return this.failure(op, err);
    }
  }

  private failure(op: Operation<never> | undefined, err: unknown): ApiResult {
    if (err instanceof CognitoError && err.expose) {
      const declared =
        !op || err.type === 'InvalidParameterException' || PROTOCOL_ERRORS.some((e) => e.type === err.type) || op.errors.some((e) => e.type === err.type);
      if (!declared) this.deps.log.error({ operation: op?.name, errorType: err.type }, 'operation threw an error type it does not declare');
      return { operation: op?.name, status: err.status, body: { __type: err.type, message: err.message }, error: err, undeclared: !declared };
    }
    this.deps.log.error({ operation: op?.name, err }, 'internal error');
    const internal = new InternalErrorException();
    return { operation: op?.name, status: internal.status, body: { __type: internal.type, message: internal.message }, error: internal };
  }
}
