import { InvalidParameterException } from '../errors/catalog.js';
import type { DomainDeps } from './deps.js';
import { updatePool } from './pools.js';
import { standardSchema, type AttributeSchema } from './settings.js';

/**
 * A pool's attribute schema (COGNITO_REFERENCE §4.2, CreateUserPool / AddCustomAttributes): the
 * standard attributes, which CreateUserPool may make required or immutable, and up to 50 custom ones,
 * named `custom:<name>` (`dev:custom:<name>` when developer-only), never required, with optional
 * length (String, at most 2048) or value (Number) bounds. Messages are Cognito's, but those tagged [U].
 */
export interface SchemaAttributeInput {
  name: string;
  dataType?: AttributeSchema['dataType'];
  developerOnly?: boolean;
  mutable?: boolean;
  required?: boolean;
  stringConstraints?: { minLength?: string; maxLength?: string };
  numberConstraints?: { minValue?: string; maxValue?: string };
}

export const MAX_CUSTOM_ATTRIBUTES = 50;
const MAX_STRING_LENGTH = 2048;

const isCustom = (a: AttributeSchema) => a.name.startsWith('custom:') || a.name.startsWith('dev:');

/** A constraint bound: absent, or an integer (non-negative for lengths). */
function bound(value: string | undefined, lengths: boolean, invalid: () => Error): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(lengths ? /^[0-9]+$/ : /^-?[0-9]+$/).test(value)) throw invalid();
  return Number(value);
}

/** The type's bounds from the input, checked; the other type's constraints are ignored, as Cognito does. */
function constraints(name: string, dataType: AttributeSchema['dataType'], input: SchemaAttributeInput): Partial<AttributeSchema> {
  if (dataType === 'String' && input.stringConstraints) {
    const { minLength, maxLength } = input.stringConstraints;
    const invalid = () => new InvalidParameterException(`Invalid StringAttributeConstraints for schema attribute ${name}`);
    const min = bound(minLength, true, invalid);
    const max = bound(maxLength, true, invalid);
    if ((min ?? 0) > MAX_STRING_LENGTH || (max ?? 0) > MAX_STRING_LENGTH) {
      throw new InvalidParameterException(`user.${name}: String attributes cannot have a length of more than ${MAX_STRING_LENGTH}`);
    }
    if (min !== undefined && max !== undefined && min > max) throw new InvalidParameterException(`user.${name}: Max length cannot be less than min length.`);
    return { minLength: min === undefined ? undefined : minLength, maxLength: max === undefined ? undefined : maxLength };
  }
  if (dataType === 'Number' && input.numberConstraints) {
    const { minValue, maxValue } = input.numberConstraints;
    const invalid = () => new InvalidParameterException(`Invalid NumberAttributeConstraints for schema attribute ${name}`);
    const min = bound(minValue, false, invalid);
    const max = bound(maxValue, false, invalid);
    if (min !== undefined && max !== undefined && min > max) throw new InvalidParameterException(`user.${name}: Max value cannot be less than min value.`);
    return { minValue: min === undefined ? undefined : minValue, maxValue: max === undefined ? undefined : maxValue };
  }
  return {};
}

const defined = (o: Partial<AttributeSchema>): Partial<AttributeSchema> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** A new custom attribute, checked against the schema it joins. */
function customAttribute(input: SchemaAttributeInput, schema: AttributeSchema[]): AttributeSchema {
  // [U] Cognito's wording for a schema attribute without a name is not known.
  if (input.name === '') throw new InvalidParameterException('Schema attribute name is required.');
  const base = `custom:${input.name}`;
  const name = input.developerOnly ? `dev:${base}` : base;
  if (!input.dataType) throw new InvalidParameterException('Invalid AttributeDataType input, consider using the provided AttributeDataType enum.');
  if (schema.some((a) => a.name === name)) throw new InvalidParameterException(`${base}: Existing attribute already has name ${name}.`);
  if (input.required) throw new InvalidParameterException('Required custom attributes are not supported currently.');
  const bounds = constraints(name, input.dataType, input);
  return {
    name, dataType: input.dataType, mutable: input.mutable ?? true, required: false, developerOnly: input.developerOnly ?? false, ...defined(bounds),
  };
}

/** A standard attribute as CreateUserPool may adjust it: required, mutable, tighter bounds of its own type. */
function adjustStandard(standard: AttributeSchema, input: SchemaAttributeInput): void {
  if ((input.dataType !== undefined && input.dataType !== standard.dataType) || input.developerOnly) {
    throw new InvalidParameterException(`You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute ${standard.name}`);
  }
  if (standard.name === 'sub') return;
  if (input.required !== undefined) standard.required = input.required;
  if (input.mutable !== undefined) standard.mutable = input.mutable;
  Object.assign(standard, defined(constraints(standard.name, standard.dataType, input)));
}

function checkCount(schema: AttributeSchema[]): void {
  // [U] Cognito's wording for the 51st custom attribute is not known; the limit is (§4.9).
  if (schema.filter(isCustom).length > MAX_CUSTOM_ATTRIBUTES) {
    throw new InvalidParameterException(`A user pool can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`);
  }
}

/** The schema of a new pool: the standard attributes, adjusted, then the custom ones. */
export function buildSchema(inputs: SchemaAttributeInput[]): AttributeSchema[] {
  const schema = standardSchema();
  for (const input of inputs) {
    const standard = schema.find((a) => a.name === input.name && !isCustom(a));
    if (standard) adjustStandard(standard, input);
    else schema.push(customAttribute(input, schema));
  }
  checkCount(schema);
  return schema;
}

/** The schema with more custom attributes (every name is taken as a custom one, even `email`). */
export function extendSchema(schema: AttributeSchema[], inputs: SchemaAttributeInput[]): AttributeSchema[] {
  const out = schema.map((a) => ({ ...a }));
  for (const input of inputs) out.push(customAttribute(input, out));
  checkCount(out);
  return out;
}

/** AddCustomAttributes: the pool's schema grows, or nothing changes. */
export async function addCustomAttributes(deps: DomainDeps, poolId: string, inputs: SchemaAttributeInput[]): Promise<void> {
  await updatePool(deps, poolId, (pool) => ({ ...pool.settings, schema: extendSchema(pool.settings.schema, inputs) }));
  deps.log.info({ poolId, added: inputs.length }, 'custom attributes added');
}
