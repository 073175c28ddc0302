import { describe, expect, it } from 'vitest';
import { groupClaims, groupTokenClaims } from '../../src/domain/groups.js';
import type { GroupRecord } from '../../src/store/store.js';

const g = (name: string, precedence: number | null, roleArn: string | null = null): GroupRecord => ({
  poolId: 'us-east-1_x', name, description: null, roleArn, precedence, createdAt: 0, updatedAt: 0,
});
const A = 'arn:aws:iam::123456789012:role/A';
const B = 'arn:aws:iam::123456789012:role/B';

describe('groupClaims', () => {
  it('is undefined without groups, and the tokens then carry nothing', () => {
    expect(groupClaims([])).toBeUndefined();
    expect(groupTokenClaims([])).toEqual({ access: {}, id: {} });
  });

  it('orders by precedence, null last, then by name', () => {
    const c = groupClaims([g('b', null), g('z', 2), g('a', null), g('y', 0), g('x', 2)]);
    expect(c?.groups).toEqual(['y', 'x', 'z', 'a', 'b']);
  });

  it('the preferred role is the best-ranked group’s role; roles are listed once each, in the same order', () => {
    expect(groupClaims([g('low', 9, B), g('high', 1, A), g('top', 0), g('dup', 5, B)])).toEqual({
      groups: ['top', 'high', 'dup', 'low'], roles: [A, B], preferredRole: A,
    });
  });

  it('equal precedence: the same role is preferred, different roles leave it unset (nulls rank equal too)', () => {
    expect(groupClaims([g('a', 1, A), g('b', 1, A), g('c', 0)])?.preferredRole).toBe(A);
    expect(groupClaims([g('a', 1, A), g('b', 1, B), g('c', 2, A)])).toEqual({ groups: ['a', 'b', 'c'], roles: [A, B], preferredRole: undefined });
    expect(groupClaims([g('a', null, A), g('b', null, B)])?.preferredRole).toBeUndefined();
    expect(groupClaims([g('a', null, A), g('b', 3)])?.preferredRole).toBe(A);
  });

  it('the access token gets cognito:groups only; the ID token also the roles, and the preferred role when there is one', () => {
    expect(groupTokenClaims([g('a', 1)])).toEqual({ access: { 'cognito:groups': ['a'] }, id: { 'cognito:groups': ['a'] } });
    expect(groupTokenClaims([g('a', 1, A), g('b', 1, B)])).toEqual({
      access: { 'cognito:groups': ['a', 'b'] }, id: { 'cognito:groups': ['a', 'b'], 'cognito:roles': [A, B] },
    });
  });
});
