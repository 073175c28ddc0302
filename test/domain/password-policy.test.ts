import { describe, expect, it } from 'vitest';
import { enforcePolicy, policyViolation } from '../../src/domain/password-policy.js';
import { DEFAULT_PASSWORD_POLICY } from '../../src/domain/settings.js';

describe('the password policy', () => {
  const p = DEFAULT_PASSWORD_POLICY;
  it('names the first rule broken, in Cognito’s order', () => {
    expect(policyViolation('Ab1!', p)).toBe('Password not long enough');
    expect(policyViolation('abcdefg1!', p)).toBe('Password must have uppercase characters');
    expect(policyViolation('ABCDEFG1!', p)).toBe('Password must have lowercase characters');
    expect(policyViolation('Abcdefgh!', p)).toBe('Password must have numeric characters');
    expect(policyViolation('Abcdefgh1', p)).toBe('Password must have symbol characters');
    expect(policyViolation('Abcdefg1 ', p)).toBeUndefined();
    expect(policyViolation('Abcdefg1^', p)).toBeUndefined();
    expect(policyViolation('Abcdefg1é', p)).toBe('Password must have symbol characters');
  });
  it('words SignUp failures differently from the other operations', () => {
    expect(() => enforcePolicy('short', p, 'sign-up')).toThrow('Password did not conform with policy: Password not long enough');
    expect(() => enforcePolicy('short', p, 'other')).toThrow('Password does not conform to policy: Password not long enough');
  });
  it('honours a relaxed policy', () => {
    expect(policyViolation('abcdef', { ...p, minimumLength: 6, requireUppercase: false, requireNumbers: false, requireSymbols: false })).toBeUndefined();
  });
});
