import { InvalidParameterException, NotAuthorizedException } from '../errors/catalog.js';
import type { PoolSettings } from './settings.js';

const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;

export const isEmail = (s: string) => EMAIL_RE.test(s) && s.length <= 2048;

/** Attributes a client may never write itself. */
const SERVER_OWNED = new Set(['sub', 'email_verified', 'phone_number_verified', 'cognito:user_status', 'cognito:mfa_enabled']);

/** What an administrator may set that a user may not (AdminCreateUser): the verification flags, 'true' or 'false'. */
const ADMIN_WRITABLE = new Set(['email_verified', 'phone_number_verified']);

/**
 * Checks attributes sent by a user (SignUp) or an administrator (AdminCreateUser): each must exist in
 * the pool's schema, be writable by the caller, and be well formed; required attributes must be
 * present. Returns them as a plain map.
 */
export function userAttributes(
  settings: PoolSettings,
  list: { name: string; value: string | undefined }[],
  context: 'sign-up' | 'admin-create',
): Record<string, string> {
  const out: Record<string, string> = {};
  const problems: string[] = [];
  for (const { name, value } of list) {
    if (context === 'admin-create' && ADMIN_WRITABLE.has(name)) {
      if (value !== 'true' && value !== 'false') problems.push(`${name}: Attribute value must be true or false`);
      else out[name] = value;
      continue;
    }
    if (SERVER_OWNED.has(name)) throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
    const schema = settings.schema.find((s) => s.name === name);
    if (!schema) {
      problems.push(`${name}: Attribute does not exist in the schema.`);
      continue;
    }
    const v = value ?? '';
    if (schema.maxLength !== undefined && [...v].length > Number(schema.maxLength)) problems.push(`${name}: String must be no longer than ${schema.maxLength} characters`);
    out[name] = v;
  }
  for (const s of settings.schema) {
    if (s.required && s.name !== 'sub' && !(s.name in out) && !(s.name === 'email' && settings.usernameAttributes.includes('email'))) {
      problems.push(`${s.name}: The attribute is required`);
    }
  }
  if (problems.length > 0) throw new InvalidParameterException(`Attributes did not conform to the schema: ${problems.join(', ')}`);
  if (out.email !== undefined && !isEmail(out.email)) throw new InvalidParameterException('Invalid email address format.');
  return out;
}

/** Cognito's masked destination: f***@e*** for fixture@example.com. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}
