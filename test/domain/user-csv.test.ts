import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/domain/attribute-schema.js';
import { DEFAULT_PASSWORD_POLICY, type PoolSettings } from '../../src/domain/settings.js';
import { csvHeader, csvRow, importedUser, importProblem, NOTHING_VERIFIED, rowValues } from '../../src/domain/user-csv.js';
import type { PoolRecord } from '../../src/store/store.js';

/**
 * The user-import CSV's rules beyond what test/cli/users-import.test.ts drives through the command:
 * header checks, Cognito's backslash-escaped commas, and the row checks of other pool shapes.
 */
function pool(over: Partial<PoolSettings> = {}): PoolRecord {
  const settings: PoolSettings = {
    region: 'us-east-1', passwordPolicy: DEFAULT_PASSWORD_POLICY, usernameAttributes: [], aliasAttributes: [], autoVerifiedAttributes: ['email'],
    caseSensitive: false, allowAdminCreateUserOnly: false, deletionProtection: 'INACTIVE', mfaConfiguration: 'OFF',
    messages: { verification: { defaultEmailOption: 'CONFIRM_WITH_CODE' }, invitation: {} }, emailSending: { account: 'COGNITO_DEFAULT' },
    schema: buildSchema([]), passthrough: {}, ...over,
  };
  return { id: 'us-east-1_Csv000000', name: 'Csv', settings, createdAt: 0, updatedAt: 0 };
}

const NOW = 1_700_000_000_000;
const row = (values: Record<string, string>) => ({ 'cognito:mfa_enabled': 'false', ...values });

describe('the CSV header', () => {
  it('refuses a header without the two cognito: columns, with repeated or unknown columns; takes any order and a subset', () => {
    const s = pool().settings;
    expect(importProblem(s, ['email', 'cognito:mfa_enabled', 'cognito:username'])).toBeUndefined();
    expect(importProblem(s, csvHeader(s).reverse())).toBeUndefined();
    expect(importProblem(s, ['email'])).toBe('The CSV header must have the columns cognito:username and cognito:mfa_enabled; missing: cognito:username, cognito:mfa_enabled.');
    expect(importProblem(s, ['cognito:username', 'cognito:mfa_enabled', 'sub'])).toMatch(/^The CSV header has columns that are not in the user pool's header: "sub"\. /);
    expect(importProblem(s, ['cognito:username', 'cognito:mfa_enabled', 'custom:nope', ''])).toMatch(/: "custom:nope", ""\. /);
  });
});

describe('rowValues', () => {
  const columns = ['cognito:username', 'name', 'cognito:mfa_enabled'];
  it("joins a value that Cognito's format split at an escaped comma, only when the row has too many fields", () => {
    expect(rowValues(columns, ['u', 'Smith\\', ' John', 'false'])).toEqual({ 'cognito:username': 'u', name: 'Smith, John', 'cognito:mfa_enabled': 'false' });
    expect(rowValues(columns, ['u', 'a\\', 'b\\', 'c', 'false'])).toEqual({ 'cognito:username': 'u', name: 'a,b,c', 'cognito:mfa_enabled': 'false' });
    // The right number of fields: a trailing backslash is part of the value.
    expect(rowValues(columns, ['u', 'C:\\', 'false'])).toEqual({ 'cognito:username': 'u', name: 'C:\\', 'cognito:mfa_enabled': 'false' });
    expect(rowValues(columns, ['u', 'a', 'b', 'false'])).toBeUndefined();
    expect(rowValues(columns, ['u', 'false'])).toBeUndefined();
  });
});

describe('importedUser', () => {
  it('makes a RESET_REQUIRED user with a new sub and a random salt and verifier, each time different', () => {
    const p = pool();
    const a = importedUser(p, row({ 'cognito:username': 'Ann', email: 'ann@example.com', email_verified: 'true' }), NOW);
    const b = importedUser(p, row({ 'cognito:username': 'Bob', email: 'bob@example.com', email_verified: 'true' }), NOW);
    expect(a).toMatchObject({
      username: 'Ann', usernameKey: 'ann', status: 'RESET_REQUIRED', enabled: true, createdAt: NOW, updatedAt: NOW, emailKey: null,
      attributes: { sub: a.sub, email: 'ann@example.com', email_verified: 'true' },
    });
    expect(a.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(a.verifier).toMatch(/^[0-9a-f]{64}$/);
    expect([b.sub, b.salt, b.verifier]).not.toContain(a.sub);
    expect(b.salt).not.toBe(a.salt);
    expect(b.verifier).not.toBe(a.verifier);
  });

  it('gives a verified email alias its sign-in key', () => {
    const user = importedUser(pool({ aliasAttributes: ['email'] }), row({ 'cognito:username': 'ann', email: 'Ann@Example.com', email_verified: 'true' }), NOW);
    expect(user.emailKey).toBe('ann@example.com');
  });

  it('refuses what Cognito refuses, with the reason', () => {
    const refuse = (p: PoolRecord, values: Record<string, string>) => () => importedUser(p, row(values), NOW);
    const plain = pool();
    expect(refuse(plain, { 'cognito:username': 'has space', email: 'a@example.com', email_verified: 'true' })).toThrow(
      'cognito:username must be 1 to 128 letters, digits, symbols or punctuation marks (no spaces).',
    );
    expect(refuse(plain, { 'cognito:username': 'a', email: 'a@example.com', email_verified: 'true', 'cognito:mfa_enabled': '' })).toThrow('cognito:mfa_enabled must be true or false.');
    expect(refuse(plain, { 'cognito:username': 'a', phone_number_verified: 'true', email: 'a@example.com', email_verified: 'true' })).toThrow(
      'phone_number_verified is true, but the user has no phone_number.',
    );
    expect(refuse(plain, { 'cognito:username': 'a', phone_number: '+15550100', phone_number_verified: 'true' })).toThrow(NOTHING_VERIFIED);
    expect(refuse(plain, { 'cognito:username': 'a', email: 'not-an-email', email_verified: 'true' })).toThrow('Invalid email address format.');
    expect(refuse(plain, { 'cognito:username': 'a', email: 'a@example.com', email_verified: 'true', birthdate: '1.1.1990' })).toThrow(
      'Attributes did not conform to the schema: birthdate: String must be no shorter than 10 characters',
    );
    const required = pool({ schema: buildSchema([{ name: 'given_name', required: true }]) });
    expect(refuse(required, { 'cognito:username': 'a', email: 'a@example.com', email_verified: 'true' })).toThrow(
      'Attributes did not conform to the schema: given_name: The attribute is required',
    );
    const alias = pool({ aliasAttributes: ['email', 'preferred_username'] });
    expect(refuse(alias, { 'cognito:username': 'a@example.com', email: 'a@example.com', email_verified: 'true' })).toThrow(
      'Username cannot be of email format, since user pool is configured for email alias.',
    );
    expect(refuse(alias, { 'cognito:username': 'a', email: 'a@example.com', email_verified: 'true', preferred_username: 'b@example.com' })).toThrow(
      'Preferred username cannot be of email format, since user pool is configured for email alias.',
    );
    // An imported account counts as confirmed: its preferred_username alias is taken as given.
    expect(importedUser(alias, row({ 'cognito:username': 'a', email: 'a@example.com', email_verified: 'true', preferred_username: 'Ace' }), NOW).preferredUsernameKey).toBe('ace');
    const phone = pool({ usernameAttributes: ['phone_number'], autoVerifiedAttributes: ['phone_number'] });
    const user = importedUser(phone, row({ 'cognito:username': '+15550100', phone_number_verified: 'true' }), NOW);
    expect(user).toMatchObject({ username: user.sub, phoneKey: '+15550100', attributes: { phone_number: '+15550100', phone_number_verified: 'true' } });
  });
});

describe('csvRow', () => {
  it('writes the sign-in name as cognito:username (the email in email-as-username pools), false for MFA, empty for what is not set', () => {
    const p = pool({ usernameAttributes: ['email'] });
    const user = importedUser(p, row({ 'cognito:username': 'ann@example.com', email_verified: 'true', name: 'Ann' }), NOW);
    const columns = csvHeader(p.settings);
    const out = Object.fromEntries(columns.map((c, i) => [c, csvRow(p, user, columns)[i]]));
    expect(out).toMatchObject({ 'cognito:username': 'ann@example.com', 'cognito:mfa_enabled': 'false', email: 'ann@example.com', name: 'Ann', gender: '' });
    expect(user.username).not.toBe('ann@example.com');
  });
});
