import { describe, expect, it } from 'vitest';
import { shapeOutput, validateInput, validationMessage } from '../../../src/api/model/validate.js';

describe('validation against the official model', () => {
  it('words failures as Cognito does and never echoes sensitive values', () => {
    const failures = validateInput({ ClientId: 'abc', Username: '', Password: 'trailing space ' }, 'SignUpRequest');
    expect(validationMessage(failures)).toBe(
      "2 validation errors detected: Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+",
    );
  });
  it('reports missing required members, wrong types, enums, numbers and nested paths', () => {
    expect(validateInput({}, 'InitiateAuthRequest')).toEqual([
      "Value null at 'authFlow' failed to satisfy constraint: Member must not be null",
      "Value null at 'clientId' failed to satisfy constraint: Member must not be null",
    ]);
    expect(validateInput({ UserPoolId: 'us-east-1_abc', Limit: 61 }, 'ListUsersRequest')).toEqual([
      "Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    ]);
    expect(validateInput({ ClientId: 'c', Username: 'u', UserAttributes: [{ Name: 'email', Value: 5 }] }, 'SignUpRequest')).toEqual([
      "Value at 'userAttributes.1.member.value' failed to satisfy constraint: Member must be a string",
    ]);
    expect(validateInput({ AuthFlow: 'NOPE', ClientId: 'c' }, 'InitiateAuthRequest')[0]).toContain("Value 'NOPE' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH");
  });
  it('treats null as absent and ignores unknown members', () => {
    expect(validateInput({ ClientId: 'c', Username: 'u', ValidationData: null, Extra: { deep: [1] } }, 'SignUpRequest')).toEqual([]);
  });
  it('shapes output to the declared members only', () => {
    expect(shapeOutput({ UserConfirmed: true, UserSub: 's', Secret: 'x', CodeDeliveryDetails: undefined }, 'SignUpResponse')).toEqual({ UserConfirmed: true, UserSub: 's' });
  });
});

describe('passwords', () => {
  it('may contain spaces but not begin or end with one', () => {
    const ok = (Password: string) => validateInput({ ClientId: 'c', Username: 'u', Password }, 'SignUpRequest');
    expect(ok('Has inner space1!')).toEqual([]);
    expect(ok(' leading1A!')).toHaveLength(1);
    expect(ok('trailing1A! ')).toHaveLength(1);
    expect(ok('x')).toEqual([]);
  });
});
