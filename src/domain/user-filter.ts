import { InvalidParameterException } from '../errors/catalog.js';
import type { UserFilter } from '../store/store.js';

const ATTRIBUTES = new Set(['email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username']);
const FILTER_RE = /^\s*([a-z_:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

/**
 * Parses ListUsers' Filter: `attribute = "value"` or `attribute ^= "value"` (prefix), one attribute,
 * quotes escaped with a backslash. Empty means all users.
 */
export function parseUserFilter(filter: string | undefined): UserFilter | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const m = FILTER_RE.exec(filter);
  if (!m) throw new InvalidParameterException('Error while parsing filter.');
  const [, name = '', operator, quoted = ''] = m;
  const value = quoted.replace(/\\(.)/g, '$1');
  const op = operator === '=' ? 'eq' : 'prefix';
  if (name === 'username' || name === 'sub') return { field: name, op, value };
  if (name === 'cognito:user_status') return { field: 'status', op, value: value.toUpperCase() };
  if (name === 'status') return { field: 'enabled', op, value };
  if (ATTRIBUTES.has(name)) return { field: 'attribute', attribute: name, op, value };
  throw new InvalidParameterException(`Invalid search attribute: ${name}`);
}
