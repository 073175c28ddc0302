import { shapeOf, type Shape } from './model.js';

/**
 * Validates a request against the official model and words each failure the way Cognito's front end
 * (Coral) does: "Value 'x' at 'username' failed to satisfy constraint: Member must …". Values of
 * sensitive members are never echoed. `null` counts as absent, as the clients send nulls for optional
 * members. Unknown members are ignored, as AWS does (clients add modeled fields we may not use).
 */
const MAX_REPORTED = 10;

const patternCache = new Map<string, RegExp | null>();
function compile(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    let flags = 'u';
    let src = pattern;
    if (src.startsWith('(?s)')) {
      flags += 's';
      src = src.slice(4);
    }
    try {
      re = new RegExp(`^(?:${src})$`, flags);
    } catch {
      re = null; // a Java-only construct: the length limits still apply
    }
    patternCache.set(pattern, re);
  }
  return re;
}

/** The model's regular expressions that JavaScript cannot compile (a test keeps this empty). */
export function uncompilablePatterns(patterns: Iterable<string>): string[] {
  return [...patterns].filter((p) => compile(p) === null);
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function describeValue(value: unknown, shape: Shape): string {
  if (shape.sensitive || typeof value === 'object') return 'Value';
  const text = String(value);
  return `Value '${text.length > 256 ? `${text.slice(0, 256)}…` : text}'`;
}

const TYPE_CHECK: Record<Shape['type'], (v: unknown) => boolean> = {
  structure: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  map: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  list: Array.isArray,
  string: (v) => typeof v === 'string',
  blob: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  integer: (v) => typeof v === 'number' && Number.isSafeInteger(v) && Math.abs(v) <= 2 ** 31,
  long: (v) => typeof v === 'number' && Number.isSafeInteger(v),
  timestamp: (v) => typeof v === 'number' && Number.isFinite(v),
};
const TYPE_NAME: Record<Shape['type'], string> = {
  structure: 'an object', map: 'an object', list: 'a list', string: 'a string', blob: 'a base64 string',
  boolean: 'a boolean', integer: 'an integer', long: 'an integer', timestamp: 'a number of epoch seconds',
};

/**
 * Where AWS accepts more than the model's pattern says: passwords may contain spaces, but may not
 * begin or end with one (the space counts as a symbol in the password policy).
 */
const PATTERN_OVERRIDES: Record<string, RegExp> = {
  PasswordType: /^\S(?:[^]*\S)?$/u,
};

function check(value: unknown, shapeName: string, path: string, out: string[]): void {
  if (out.length > MAX_REPORTED) return;
  const shape = shapeOf(shapeName);
  const fail = (constraint: string) => out.push(`${describeValue(value, shape)} at '${path}' failed to satisfy constraint: ${constraint}`);
  if (!TYPE_CHECK[shape.type](value)) {
    fail(`Member must be ${TYPE_NAME[shape.type]}`);
    return;
  }
  switch (shape.type) {
    case 'structure': {
      const obj = value as Record<string, unknown>;
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const member = obj[name];
        const memberPath = path ? `${path}.${lowerFirst(name)}` : lowerFirst(name);
        if (member === undefined || member === null) {
          if (shape.required?.includes(name)) out.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
          continue;
        }
        check(member, ref.shape, memberPath, out);
      }
      return;
    }
    case 'list': {
      const list = value as unknown[];
      lengthChecks(list.length, shape, fail);
      list.forEach((item, i) => {
        if (item === null) fail('Member must not contain null elements');
        else check(item, shape.member!.shape, `${path}.${i + 1}.member`, out);
      });
      return;
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null);
      lengthChecks(entries.length, shape, fail);
      for (const [key, v] of entries) {
        check(key, shape.key!.shape, `${path}.key`, out);
        check(v, shape.value!.shape, `${path}.${key}.value`, out);
      }
      return;
    }
    case 'string': {
      const s = value as string;
      const length = [...s].length;
      lengthChecks(length, shape, fail);
      if (shape.enum && !shape.enum.includes(s)) fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      if (shape.pattern && length > 0) {
        const re = PATTERN_OVERRIDES[shapeName] ?? compile(shape.pattern);
        if (re && !re.test(s)) fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      return;
    }
    case 'integer':
    case 'long': {
      const n = value as number;
      if (shape.min !== undefined && n < shape.min) fail(`Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && n > shape.max) fail(`Member must have value less than or equal to ${shape.max}`);
      return;
    }
    default:
      return;
  }
}

function lengthChecks(length: number, shape: Shape, fail: (c: string) => void): void {
  if (shape.min !== undefined && length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
}

/** All failures of `value` against the input shape, in Coral wording; empty when valid. */
export function validateInput(value: unknown, shapeName: string): string[] {
  const out: string[] = [];
  check(value, shapeName, '', out);
  return out.slice(0, MAX_REPORTED);
}

/** The message of an InvalidParameterException for a list of failures. */
export function validationMessage(failures: string[]): string {
  const n = failures.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${failures.join('; ')}`;
}

/**
 * Drops what the output shape does not declare (so an internal field can never leak) and nulls.
 * Timestamps must already be epoch seconds.
 */
export function shapeOutput(value: unknown, shapeName: string): unknown {
  const shape = shapeOf(shapeName);
  if (value === null || value === undefined) return undefined;
  switch (shape.type) {
    case 'structure': {
      const obj = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = shapeOutput(obj[name], ref.shape);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((item) => shapeOutput(item, shape.member!.shape));
    case 'map':
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shapeOutput(v, shape.value!.shape)]));
    default:
      return value;
  }
}
