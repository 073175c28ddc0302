import { describe, expect, it } from 'vitest';
import { parseUserFilter } from '../../src/domain/user-filter.js';

describe('ListUsers filters', () => {
  it('parses exact and prefix matches on attributes and fields', () => {
    expect(parseUserFilter('email = "a@b.c"')).toEqual({ field: 'attribute', attribute: 'email', op: 'eq', value: 'a@b.c' });
    expect(parseUserFilter('family_name ^= "Sm"')).toEqual({ field: 'attribute', attribute: 'family_name', op: 'prefix', value: 'Sm' });
    expect(parseUserFilter('username="jo\\"e"')).toEqual({ field: 'username', op: 'eq', value: 'jo"e' });
    expect(parseUserFilter('cognito:user_status = "unconfirmed"')).toEqual({ field: 'status', op: 'eq', value: 'UNCONFIRMED' });
    expect(parseUserFilter('status = "Disabled"')).toEqual({ field: 'enabled', op: 'eq', value: 'Disabled' });
    expect(parseUserFilter('sub = "x"')).toEqual({ field: 'sub', op: 'eq', value: 'x' });
  });
  it('treats an empty filter as no filter', () => {
    expect(parseUserFilter(undefined)).toBeUndefined();
    expect(parseUserFilter('  ')).toBeUndefined();
  });
  it('refuses bad syntax and unsearchable attributes with InvalidParameterException', () => {
    for (const bad of ['email', 'email = a', 'email != "a"', 'email = "a" and name = "b"', 'custom:x = "1"']) {
      expect(() => parseUserFilter(bad), bad).toThrow(expect.objectContaining({ type: 'InvalidParameterException' }));
    }
  });
});
