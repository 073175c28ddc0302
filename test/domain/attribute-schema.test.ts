import { describe, expect, it } from 'vitest';
import { buildSchema, extendSchema, MAX_CUSTOM_ATTRIBUTES } from '../../src/domain/attribute-schema.js';
import { standardSchema } from '../../src/domain/settings.js';

describe('a pool’s attribute schema', () => {
  it('starts from the standard attributes, which may be made required or immutable', () => {
    const schema = buildSchema([{ name: 'email', required: true, mutable: false }, { name: 'sub', mutable: true }]);
    expect(schema).toHaveLength(standardSchema().length);
    expect(schema.find((a) => a.name === 'email')).toMatchObject({ required: true, mutable: false, minLength: '0', maxLength: '2048' });
    expect(schema.find((a) => a.name === 'sub')).toMatchObject({ required: true, mutable: false });
  });

  it('refuses another type or developer-only for a standard attribute', () => {
    for (const input of [{ name: 'email', dataType: 'Number' as const }, { name: 'email', developerOnly: true }]) {
      expect(() => buildSchema([input])).toThrow('You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email');
    }
  });

  it('prefixes custom attributes, dev: for developer-only ones, mutable by default, keeping only the bounds of their type', () => {
    const schema = buildSchema([
      { name: 'team', dataType: 'String' },
      { name: 'level', dataType: 'Number', numberConstraints: { minValue: '-5' }, stringConstraints: { maxLength: '3' } },
      { name: 'score', dataType: 'Number', developerOnly: true, mutable: false },
    ]);
    expect(schema.slice(-3)).toEqual([
      { name: 'custom:team', dataType: 'String', mutable: true, required: false, developerOnly: false },
      { name: 'custom:level', dataType: 'Number', mutable: true, required: false, developerOnly: false, minValue: '-5' },
      { name: 'dev:custom:score', dataType: 'Number', mutable: false, required: false, developerOnly: true },
    ]);
  });

  it('refuses custom attributes without a type, required ones, and bad bounds, in Cognito’s words', () => {
    const cases: [Parameters<typeof buildSchema>[0][number], string][] = [
      [{ name: '', dataType: 'String' }, 'Schema attribute name is required.'],
      [{ name: 'x' }, 'Invalid AttributeDataType input, consider using the provided AttributeDataType enum.'],
      [{ name: 'x', dataType: 'String', required: true }, 'Required custom attributes are not supported currently.'],
      [{ name: 'x', dataType: 'String', stringConstraints: { minLength: 'a' } }, 'Invalid StringAttributeConstraints for schema attribute custom:x'],
      [{ name: 'x', dataType: 'String', stringConstraints: { maxLength: '2049' } }, 'user.custom:x: String attributes cannot have a length of more than 2048'],
      [{ name: 'x', dataType: 'String', stringConstraints: { minLength: '3', maxLength: '2' } }, 'user.custom:x: Max length cannot be less than min length.'],
      [{ name: 'x', dataType: 'Number', numberConstraints: { maxValue: '1.5' } }, 'Invalid NumberAttributeConstraints for schema attribute custom:x'],
      [{ name: 'x', dataType: 'Number', numberConstraints: { minValue: '2', maxValue: '1' } }, 'user.custom:x: Max value cannot be less than min value.'],
      [{ name: 'birthdate', stringConstraints: { minLength: '11', maxLength: '10' } }, 'user.birthdate: Max length cannot be less than min length.'],
    ];
    for (const [input, message] of cases) expect(() => buildSchema([input]), message).toThrow(message);
  });

  it('refuses a name already taken, and more than 50 custom attributes', () => {
    const schema = buildSchema([{ name: 'team', dataType: 'String' }, { name: 'score', dataType: 'Number', developerOnly: true }]);
    expect(() => extendSchema(schema, [{ name: 'team', dataType: 'Number' }])).toThrow('custom:team: Existing attribute already has name custom:team.');
    expect(() => extendSchema(schema, [{ name: 'score', dataType: 'Number', developerOnly: true }])).toThrow(
      'custom:score: Existing attribute already has name dev:custom:score.',
    );
    expect(() => buildSchema([{ name: 'a', dataType: 'String' }, { name: 'a', dataType: 'String' }])).toThrow('Existing attribute already has name custom:a.');
    const many = Array.from({ length: MAX_CUSTOM_ATTRIBUTES - 2 }, (_, i) => ({ name: `n${i}`, dataType: 'String' as const }));
    const full = extendSchema(schema, many);
    expect(full).toHaveLength(standardSchema().length + MAX_CUSTOM_ATTRIBUTES);
    expect(() => extendSchema(full, [{ name: 'one-more', dataType: 'String' }])).toThrow('A user pool can have at most 50 custom attributes.');
  });

  it('adds custom attributes without touching the schema it was given, every name taken as custom', () => {
    const schema = buildSchema([]);
    const extended = extendSchema(schema, [{ name: 'email', dataType: 'String' }]);
    expect(extended.at(-1)?.name).toBe('custom:email');
    expect(schema).toHaveLength(standardSchema().length);
  });
});
