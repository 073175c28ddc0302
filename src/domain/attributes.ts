import { InvalidParameterException, NotAuthorizedException } from '../errors/catalog.js';
import type { AttributeSchema, ClientSettings, PoolSettings } from './settings.js';

/**
 * User attributes as written and read through Cognito's API (COGNITO_REFERENCE §4.2): the pool's
 * schema says what exists, its type and bounds and whether it may change; an app client's
 * WriteAttributes / ReadAttributes say what a user may set and see through that client;
 * developer-only (`dev:`) attributes are for administrators alone.
 */

const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;
/** E.164: a plus and up to 15 digits. */
const PHONE_RE = /^\+[0-9]{1,15}$/;
const NUMBER_RE = /^[+-]?[0-9]+(\.[0-9]+)?$/;

export const isEmail = (s: string) => EMAIL_RE.test(s) && s.length <= 2048;

/** The flags only Cognito (verification) or an administrator sets. */
const VERIFIED_FLAGS = new Set(['email_verified', 'phone_number_verified']);

export type AttributeWriteContext = 'sign-up' | 'admin-create' | 'update' | 'admin-update';

/** What these checks read of an app client (a ClientRecord will do). */
export interface AttributeClient {
  settings: Pick<ClientSettings, 'readAttributes' | 'writeAttributes'>;
}

const isUpdate = (context: AttributeWriteContext) => context === 'update' || context === 'admin-update';
const isAdmin = (context: AttributeWriteContext) => context === 'admin-create' || context === 'admin-update';
const listed = (list: string[] | undefined): list is string[] => list !== undefined && list.length > 0;

/**
 * Whether an app client may write the attribute (`sub` aside): its WriteAttributes when set (required
 * attributes always, as "all app clients can write user pool required attributes"); otherwise every
 * attribute but the verification flags and developer-only ones. An unknown name counts as writable by
 * default so that the schema check names it.
 */
function clientMayWrite(attribute: AttributeSchema | undefined, name: string, client: AttributeClient | undefined): boolean {
  if (attribute?.required) return true;
  const explicit = client?.settings.writeAttributes;
  if (listed(explicit)) return explicit.includes(name);
  return !VERIFIED_FLAGS.has(name) && !name.startsWith('dev:') && !attribute?.developerOnly;
}

/** What is wrong with a value for the attribute's type and bounds, if anything (lengths in characters). */
function valueProblem(attribute: AttributeSchema, value: string): string | undefined {
  if (attribute.dataType === 'Boolean') {
    // [U] Cognito's wording for a flag that is neither true nor false is not known.
    return value === 'true' || value === 'false' ? undefined : 'Attribute value must be true or false';
  }
  if (attribute.dataType === 'String') {
    const length = [...value].length;
    if (attribute.minLength !== undefined && length < Number(attribute.minLength)) return `String must be no shorter than ${attribute.minLength} characters`;
    if (attribute.maxLength !== undefined && length > Number(attribute.maxLength)) return `String must be no longer than ${attribute.maxLength} characters`;
    return undefined;
  }
  if (attribute.dataType === 'Number') {
    // [U] Cognito's wording for a number out of bounds or not a number is not known.
    if (!NUMBER_RE.test(value)) return 'Value must be a number';
    const n = Number(value);
    if (attribute.minValue !== undefined && n < Number(attribute.minValue)) return `Number must be no less than ${attribute.minValue}`;
    if (attribute.maxValue !== undefined && n > Number(attribute.maxValue)) return `Number must be no greater than ${attribute.maxValue}`;
  }
  return undefined;
}

/** The sign-in attribute the username itself provides, which a sign-up need not repeat. */
const fromUsername = (settings: Pick<PoolSettings, 'usernameAttributes'>, name: string) => (name === 'email' || name === 'phone_number') && settings.usernameAttributes.includes(name);

/**
 * The one place that validates attributes written by a user (SignUp, UpdateUserAttributes, through
 * `client`) or an administrator (AdminCreateUser, AdminUpdateUserAttributes). In order, as Cognito:
 * a missing value; `sub` ("Cannot modify the non-mutable attribute sub" on update); the client's write
 * permission (NotAuthorizedException "A client attempted to write unauthorized attribute"); then the schema — unknown names, immutable attributes after creation,
 * type and bounds, required attributes — reported together ("Attributes did not conform to the
 * schema: custom:x: …" at creation, "user.custom:x: …" on update, one line each); last the email and
 * phone formats. On update an empty value deletes the attribute (and skips the type checks). Returns
 * the attributes as a map; the last of a repeated name wins.
 */
export function checkAttributeWrite(
  settings: Pick<PoolSettings, 'schema' | 'usernameAttributes'>,
  list: { name: string; value: string | undefined }[],
  options: { context: AttributeWriteContext; client?: AttributeClient },
): Record<string, string> {
  const { context, client } = options;
  const byName = new Map(settings.schema.map((a) => [a.name, a]));
  const out: Record<string, string> = {};
  for (const { name, value } of list) {
    if (value === undefined) throw new InvalidParameterException(`Attribute value for ${name} must not be null`);
    if (name === 'sub' && isUpdate(context)) throw new InvalidParameterException('Cannot modify the non-mutable attribute sub');
    if (name === 'sub' || (!isAdmin(context) && !clientMayWrite(byName.get(name), name, client))) {
      throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
    }
    out[name] = value;
  }
  const problems: string[] = [];
  for (const [name, value] of Object.entries(out)) {
    const attribute = byName.get(name);
    if (!attribute) problems.push(`${name}: Attribute does not exist in the schema.`);
    else if (isUpdate(context) && !attribute.mutable) problems.push(`${name}: Attribute cannot be updated.`);
    else if (isUpdate(context) && value === '') {
      // [U] Cognito's wording for deleting a required attribute is not known.
      if (attribute.required) problems.push(`${name}: The attribute is required`);
    } else {
      const problem = valueProblem(attribute, value);
      if (problem) problems.push(`${name}: ${problem}`);
    }
  }
  if (!isUpdate(context)) {
    // An administrator may leave a required attribute out (not empty): the user supplies it when
    // answering NEW_PASSWORD_REQUIRED, whose requiredAttributes lists it (AdminCreateUser's UserAttributes doc).
    const absentAllowed = context === 'admin-create';
    for (const a of settings.schema) {
      const missing = absentAllowed ? out[a.name] === '' : !out[a.name];
      if (a.required && a.name !== 'sub' && missing && !fromUsername(settings, a.name)) problems.push(`${a.name}: The attribute is required`);
    }
  }
  if (problems.length > 0) {
    const lines = problems.map((p) => (isUpdate(context) ? `user.${p}\n` : `${p}\n`)).join('');
    throw new InvalidParameterException(isUpdate(context) ? lines : `Attributes did not conform to the schema: ${lines}`);
  }
  const written = (v: string | undefined): v is string => v !== undefined && !(isUpdate(context) && v === '');
  if (written(out.email) && !isEmail(out.email)) throw new InvalidParameterException('Invalid email address format.');
  if (written(out.phone_number) && !PHONE_RE.test(out.phone_number)) throw new InvalidParameterException('Invalid phone number format.');
  return out;
}

/**
 * The attributes a user sees through an app client (GetUser, the ID token): its ReadAttributes when
 * set, else all of them; `sub` always; never developer-only ones nor anything outside the schema's
 * namespaces (standard names and `custom:`).
 */
export function readableAttributes(attributes: Record<string, string>, client: AttributeClient | undefined): Record<string, string> {
  const explicit = client?.settings.readAttributes;
  return Object.fromEntries(
    Object.entries(attributes).filter(([name]) => {
      if (name.includes(':') && !name.startsWith('custom:')) return false;
      return name === 'sub' || !listed(explicit) || explicit.includes(name);
    }),
  );
}

/** Cognito's masked destination: f***@e*** for fixture@example.com. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}
