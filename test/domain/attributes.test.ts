import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/domain/attribute-schema.js';
import { checkAttributeWrite, readableAttributes, type AttributeClient, type AttributeWriteContext } from '../../src/domain/attributes.js';
import type { PoolSettings } from '../../src/domain/settings.js';

/** A pool with email required, and custom attributes of every kind. */
const schema = buildSchema([
  { name: 'email', required: true },
  { name: 'team', dataType: 'String', stringConstraints: { minLength: '2', maxLength: '5' } },
  { name: 'tier', dataType: 'String', mutable: false },
  { name: 'level', dataType: 'Number', numberConstraints: { minValue: '1', maxValue: '10' } },
  { name: 'member', dataType: 'Boolean' },
  { name: 'since', dataType: 'DateTime' },
  { name: 'score', dataType: 'Number', developerOnly: true },
]);
const pool: Pick<PoolSettings, 'schema' | 'usernameAttributes'> = { schema, usernameAttributes: [] };
const attrs = (o: Record<string, string | undefined>) => Object.entries(o).map(([name, value]) => ({ name, value }));
const write = (o: Record<string, string | undefined>, context: AttributeWriteContext, client?: AttributeClient) =>
  checkAttributeWrite(pool, attrs(o), { context, client });
const client = (writeAttributes?: string[], readAttributes?: string[]): AttributeClient => ({ settings: { writeAttributes, readAttributes } });
const EMAIL = { email: 'a@example.com' };

describe('checkAttributeWrite', () => {
  it('returns the attributes as a map, the last of a repeated name winning', () => {
    const out = checkAttributeWrite(pool, [...attrs({ ...EMAIL, name: 'Ann' }), { name: 'name', value: 'Anna' }], { context: 'sign-up' });
    expect(out).toEqual({ email: 'a@example.com', name: 'Anna' });
  });

  it('checks String lengths in characters, not bytes', () => {
    expect(write({ ...EMAIL, 'custom:team': 'ééééé' }, 'sign-up')).toMatchObject({ 'custom:team': 'ééééé' });
    expect(() => write({ ...EMAIL, 'custom:team': 'abcdef' }, 'sign-up')).toThrow(
      'Attributes did not conform to the schema: custom:team: String must be no longer than 5 characters\n',
    );
    expect(() => write({ ...EMAIL, 'custom:team': 'a' }, 'update')).toThrow('user.custom:team: String must be no shorter than 2 characters\n');
    expect(() => write({ ...EMAIL, birthdate: '1990-1-1' }, 'sign-up')).toThrow('birthdate: String must be no shorter than 10 characters');
  });

  it('checks numbers as numbers, within their bounds', () => {
    expect(write({ ...EMAIL, 'custom:level': '10' }, 'sign-up')).toMatchObject({ 'custom:level': '10' });
    expect(() => write({ ...EMAIL, 'custom:level': '11' }, 'sign-up')).toThrow('custom:level: Number must be no greater than 10');
    expect(() => write({ ...EMAIL, 'custom:level': '0' }, 'sign-up')).toThrow('custom:level: Number must be no less than 1');
    expect(() => write({ ...EMAIL, 'custom:level': 'ten' }, 'sign-up')).toThrow('custom:level: Value must be a number');
    expect(() => write({ ...EMAIL, updated_at: '-1' }, 'sign-up')).toThrow('updated_at: Number must be no less than 0');
  });

  it('takes true or false for Boolean attributes; DateTime values as given', () => {
    expect(write({ ...EMAIL, 'custom:member': 'true', 'custom:since': '2024-01-01' }, 'sign-up')).toMatchObject({ 'custom:member': 'true' });
    expect(() => write({ ...EMAIL, 'custom:member': 'yes' }, 'sign-up')).toThrow('custom:member: Attribute value must be true or false');
  });

  it('lists every problem, one line each, required attributes last', () => {
    expect(() => write({ 'custom:nope': 'x', 'custom:team': 'abcdef' }, 'sign-up')).toThrow(
      'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n'
        + 'custom:team: String must be no longer than 5 characters\nemail: The attribute is required\n',
    );
    expect(() => write({ email: '' }, 'admin-create')).toThrow('Attributes did not conform to the schema: email: The attribute is required\n');
  });

  it('needs no required email from the attributes when the email is the username', () => {
    expect(checkAttributeWrite({ schema, usernameAttributes: ['email'] }, [], { context: 'sign-up' })).toEqual({});
  });

  it('refuses a missing value, whoever writes', () => {
    for (const context of ['sign-up', 'admin-create', 'update', 'admin-update'] as const) {
      expect(() => write({ name: undefined }, context)).toThrow('Attribute value for name must not be null');
    }
  });

  it('checks the email and phone formats after the schema', () => {
    expect(() => write({ email: 'not-an-email' }, 'sign-up')).toThrow('Invalid email address format.');
    expect(() => write({ ...EMAIL, phone_number: '0123' }, 'sign-up')).toThrow('Invalid phone number format.');
    expect(write({ ...EMAIL, phone_number: '+15555550100' }, 'sign-up')).toMatchObject({ phone_number: '+15555550100' });
  });

  describe('as a user, through an app client', () => {
    it('refuses what Cognito sets itself, and sub', () => {
      for (const name of ['email_verified', 'phone_number_verified', 'sub']) {
        expect(() => write({ ...EMAIL, [name]: 'true' }, 'sign-up')).toThrow('A client attempted to write unauthorized attribute');
      }
      expect(() => write({ email_verified: 'true' }, 'update')).toThrow('A client attempted to write unauthorized attribute');
      expect(() => write({ sub: 'x' }, 'update')).toThrow('Cannot modify the non-mutable attribute sub');
    });

    it('never writes developer-only attributes, and names unknown ones', () => {
      expect(() => write({ ...EMAIL, 'dev:custom:score': '1' }, 'sign-up')).toThrow('A client attempted to write unauthorized attribute');
      expect(() => write({ 'custom:score': '1' }, 'update')).toThrow('user.custom:score: Attribute does not exist in the schema.\n');
    });

    it('writes only the client’s WriteAttributes when it has them, required ones always', () => {
      const c = client(['name', 'custom:team']);
      expect(write({ ...EMAIL, name: 'Ann', 'custom:team': 'ab' }, 'sign-up', c)).toMatchObject({ name: 'Ann' });
      expect(() => write({ ...EMAIL, given_name: 'Ann' }, 'sign-up', c)).toThrow('A client attempted to write unauthorized attribute');
      expect(() => write({ 'custom:nope': 'x' }, 'update', c)).toThrow('A client attempted to write unauthorized attribute');
      expect(write({ ...EMAIL }, 'update', client([]))).toEqual(EMAIL);
    });

    it('cannot change immutable attributes once created, not even to empty', () => {
      expect(write({ ...EMAIL, 'custom:tier': 'gold' }, 'sign-up')).toMatchObject({ 'custom:tier': 'gold' });
      expect(() => write({ 'custom:tier': 'silver' }, 'update')).toThrow('user.custom:tier: Attribute cannot be updated.\n');
      expect(() => write({ 'custom:tier': '' }, 'admin-update')).toThrow('user.custom:tier: Attribute cannot be updated.\n');
    });

    it('deletes with an empty value on update, skipping the type checks, but not a required attribute', () => {
      expect(write({ 'custom:team': '', 'custom:level': '', phone_number: '' }, 'update')).toEqual({ 'custom:team': '', 'custom:level': '', phone_number: '' });
      expect(() => write({ email: '' }, 'update')).toThrow('user.email: The attribute is required\n');
    });
  });

  describe('as an administrator', () => {
    it('sets the verification flags, true or false, and developer-only attributes', () => {
      expect(write({ ...EMAIL, email_verified: 'true', 'dev:custom:score': '3' }, 'admin-create')).toEqual({ ...EMAIL, email_verified: 'true', 'dev:custom:score': '3' });
      expect(write({ phone_number_verified: 'false' }, 'admin-update')).toEqual({ phone_number_verified: 'false' });
      expect(() => write({ ...EMAIL, email_verified: 'yes' }, 'admin-create')).toThrow('email_verified: Attribute value must be true or false');
    });

    it('is held to the schema like anyone', () => {
      expect(() => write({ ...EMAIL, 'custom:nope': 'x' }, 'admin-create')).toThrow('Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n');
      expect(() => write({ 'dev:custom:score': 'x' }, 'admin-update')).toThrow('user.dev:custom:score: Value must be a number\n');
      expect(() => write({ ...EMAIL, sub: 'x' }, 'admin-create')).toThrow('A client attempted to write unauthorized attribute');
      expect(() => write({ sub: 'x' }, 'admin-update')).toThrow('Cannot modify the non-mutable attribute sub');
    });
  });
});

describe('readableAttributes', () => {
  const user = { sub: 's', email: 'a@example.com', email_verified: 'true', 'custom:team': 'ab', 'dev:custom:score': '3', 'cognito:internal': 'x' };
  it('shows every attribute but developer-only ones when the client sets no ReadAttributes', () => {
    expect(readableAttributes(user, client())).toEqual({ sub: 's', email: 'a@example.com', email_verified: 'true', 'custom:team': 'ab' });
    expect(readableAttributes(user, undefined)).toEqual(readableAttributes(user, client(undefined, [])));
  });
  it('shows only the ReadAttributes (and sub) when set, never developer-only ones', () => {
    expect(readableAttributes(user, client(undefined, ['email', 'dev:custom:score']))).toEqual({ sub: 's', email: 'a@example.com' });
  });
});
