import { InvalidParameterException } from '../../errors/catalog.js';
import {
  DEFAULT_PASSWORD_POLICY, type AliasAttribute, type AttributeSchema, type PoolSettings, type SignInAttribute,
} from '../../domain/settings.js';
import { buildSchema, type SchemaAttributeInput } from '../../domain/attribute-schema.js';
import type { PoolRecord } from '../../store/store.js';
import { seconds } from './common.js';
import { emailSendingFromWire, MESSAGE_FIELDS, messagesToWire, messageTemplatesFromWire, type WireMessageInput } from './message-templates.js';

/** The CreateUserPool / UpdateUserPool fields Cognate acts on; the rest passes through unchanged. */
export interface WirePoolInput extends WireMessageInput {
  PoolName?: string;
  UserPoolId?: string;
  Policies?: { PasswordPolicy?: WirePasswordPolicy; [k: string]: unknown };
  UsernameAttributes?: SignInAttribute[];
  AliasAttributes?: AliasAttribute[];
  AutoVerifiedAttributes?: SignInAttribute[];
  UsernameConfiguration?: { CaseSensitive?: boolean };
  AdminCreateUserConfig?: { AllowAdminCreateUserOnly?: boolean; InviteMessageTemplate?: { EmailSubject?: string; EmailMessage?: string; SMSMessage?: string }; [k: string]: unknown };
  DeletionProtection?: 'ACTIVE' | 'INACTIVE';
  MfaConfiguration?: 'OFF' | 'ON' | 'OPTIONAL';
  Schema?: WireSchemaAttribute[];
  UserAttributeUpdateSettings?: { AttributesRequireVerificationBeforeUpdate?: SignInAttribute[] };
  [other: string]: unknown;
}

interface WirePasswordPolicy {
  MinimumLength?: number;
  RequireUppercase?: boolean;
  RequireLowercase?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
  TemporaryPasswordValidityDays?: number;
  PasswordHistorySize?: number;
}

export interface WireSchemaAttribute {
  Name?: string;
  AttributeDataType?: 'String' | 'Number' | 'DateTime' | 'Boolean';
  DeveloperOnlyAttribute?: boolean;
  Mutable?: boolean;
  Required?: boolean;
  StringAttributeConstraints?: { MinLength?: string; MaxLength?: string };
  NumberAttributeConstraints?: { MinValue?: string; MaxValue?: string };
}

const ACTED_ON = new Set([
  'PoolName', 'UserPoolId', 'Policies', 'UsernameAttributes', 'AliasAttributes', 'AutoVerifiedAttributes', 'UsernameConfiguration',
  'AdminCreateUserConfig', 'DeletionProtection', 'MfaConfiguration', 'Schema', 'UserAttributeUpdateSettings', ...MESSAGE_FIELDS,
]);

/** UserAttributeUpdateSettings: only attributes that are verified automatically can wait for their verification. */
function attributeUpdateFromWire(input: WirePoolInput): PoolSettings['attributeUpdate'] {
  const keep = [...new Set(input.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [])];
  if (keep.some((a) => !(input.AutoVerifiedAttributes ?? []).includes(a))) {
    throw new InvalidParameterException('All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes');
  }
  return { requireVerificationBeforeUpdate: keep };
}

/** A SchemaAttributeType as the domain reads it (CreateUserPool's Schema, AddCustomAttributes' CustomAttributes). */
export function schemaInputFromWire(a: WireSchemaAttribute): SchemaAttributeInput {
  return {
    name: a.Name ?? '', dataType: a.AttributeDataType, developerOnly: a.DeveloperOnlyAttribute, mutable: a.Mutable, required: a.Required,
    stringConstraints: a.StringAttributeConstraints && { minLength: a.StringAttributeConstraints.MinLength, maxLength: a.StringAttributeConstraints.MaxLength },
    numberConstraints: a.NumberAttributeConstraints && { minValue: a.NumberAttributeConstraints.MinValue, maxValue: a.NumberAttributeConstraints.MaxValue },
  };
}

function schemaFromWire(list: WireSchemaAttribute[] | undefined): AttributeSchema[] {
  return buildSchema((list ?? []).map(schemaInputFromWire));
}

/**
 * Pool settings from a CreateUserPool or UpdateUserPool request. As on AWS, UpdateUserPool sets
 * every updatable field from the request, and fields left out return to their defaults; the
 * username configuration and the schema cannot change after creation.
 */
export function poolSettingsFromWire(input: WirePoolInput, existing?: PoolSettings): Omit<PoolSettings, 'region'> {
  if (input.UsernameAttributes?.length && input.AliasAttributes?.length) {
    throw new InvalidParameterException('UsernameAttributes and AliasAttributes cannot be set at the same time.');
  }
  const pp = input.Policies?.PasswordPolicy;
  const messages = messageTemplatesFromWire(input);
  const emailSending = emailSendingFromWire(input);
  const passthrough = Object.fromEntries(Object.entries(input).filter(([k]) => !ACTED_ON.has(k)));
  const { PasswordPolicy: _pp, ...otherPolicies } = input.Policies ?? {};
  if (Object.keys(otherPolicies).length > 0) passthrough.Policies = otherPolicies;
  const { AllowAdminCreateUserOnly: _a, InviteMessageTemplate: _i, ...otherAdminCreate } = input.AdminCreateUserConfig ?? {};
  if (Object.keys(otherAdminCreate).length > 0) passthrough.AdminCreateUserConfig = otherAdminCreate;
  return {
    passwordPolicy: {
      minimumLength: pp?.MinimumLength ?? DEFAULT_PASSWORD_POLICY.minimumLength,
      requireUppercase: pp?.RequireUppercase ?? (pp ? false : DEFAULT_PASSWORD_POLICY.requireUppercase),
      requireLowercase: pp?.RequireLowercase ?? (pp ? false : DEFAULT_PASSWORD_POLICY.requireLowercase),
      requireNumbers: pp?.RequireNumbers ?? (pp ? false : DEFAULT_PASSWORD_POLICY.requireNumbers),
      requireSymbols: pp?.RequireSymbols ?? (pp ? false : DEFAULT_PASSWORD_POLICY.requireSymbols),
      temporaryPasswordValidityDays: pp?.TemporaryPasswordValidityDays || DEFAULT_PASSWORD_POLICY.temporaryPasswordValidityDays,
      ...(pp?.PasswordHistorySize !== undefined ? { passwordHistorySize: pp.PasswordHistorySize } : {}),
    },
    usernameAttributes: existing ? existing.usernameAttributes : (input.UsernameAttributes ?? []),
    aliasAttributes: existing ? existing.aliasAttributes : (input.AliasAttributes ?? []),
    autoVerifiedAttributes: input.AutoVerifiedAttributes ?? [],
    caseSensitive: existing ? existing.caseSensitive : (input.UsernameConfiguration?.CaseSensitive ?? true),
    allowAdminCreateUserOnly: input.AdminCreateUserConfig?.AllowAdminCreateUserOnly ?? false,
    deletionProtection: input.DeletionProtection ?? 'INACTIVE',
    mfaConfiguration: input.MfaConfiguration ?? 'OFF',
    messages,
    emailSending,
    schema: existing ? existing.schema : schemaFromWire(input.Schema),
    attributeUpdate: attributeUpdateFromWire(input),
    passthrough,
  };
}

/**
 * SchemaAttributeType as DescribeUserPool returns it: names with their prefixes (`custom:`,
 * `dev:custom:`), String constraints as set (empty for a custom String declared without), Number
 * constraints only when some bound is set.
 */
function schemaToWire(s: AttributeSchema) {
  const given = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const number = given({ MinValue: s.minValue, MaxValue: s.maxValue });
  return {
    Name: s.name, AttributeDataType: s.dataType, DeveloperOnlyAttribute: s.developerOnly, Mutable: s.mutable, Required: s.required,
    ...(s.dataType === 'String' ? { StringAttributeConstraints: given({ MinLength: s.minLength, MaxLength: s.maxLength }) } : {}),
    ...(s.dataType === 'Number' && Object.keys(number).length > 0 ? { NumberAttributeConstraints: number } : {}),
  };
}

export const poolArn = (pool: PoolRecord) => `arn:aws:cognito-idp:${pool.settings.region}:000000000000:userpool/${pool.id}`;

/** UserPoolType as DescribeUserPool returns it. */
export function poolToWire(pool: PoolRecord, estimatedUsers: number) {
  const s = pool.settings;
  const pt = s.passthrough as Record<string, unknown>;
  const { InviteMessageTemplate, ...mail } = messagesToWire(s.messages, s.emailSending);
  return {
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    UserPoolTier: 'ESSENTIALS',
    ...pt,
    Id: pool.id,
    Name: pool.name,
    Policies: {
      ...(pt.Policies as object | undefined),
      PasswordPolicy: {
        MinimumLength: s.passwordPolicy.minimumLength, RequireUppercase: s.passwordPolicy.requireUppercase,
        RequireLowercase: s.passwordPolicy.requireLowercase, RequireNumbers: s.passwordPolicy.requireNumbers,
        RequireSymbols: s.passwordPolicy.requireSymbols, TemporaryPasswordValidityDays: s.passwordPolicy.temporaryPasswordValidityDays,
        ...(s.passwordPolicy.passwordHistorySize !== undefined ? { PasswordHistorySize: s.passwordPolicy.passwordHistorySize } : {}),
      },
    },
    DeletionProtection: s.deletionProtection,
    LambdaConfig: (pt.LambdaConfig as object | undefined) ?? {},
    LastModifiedDate: seconds(pool.updatedAt),
    CreationDate: seconds(pool.createdAt),
    SchemaAttributes: s.schema.map(schemaToWire),
    AutoVerifiedAttributes: s.autoVerifiedAttributes.length ? s.autoVerifiedAttributes : undefined,
    AliasAttributes: s.aliasAttributes.length ? s.aliasAttributes : undefined,
    UsernameAttributes: s.usernameAttributes.length ? s.usernameAttributes : undefined,
    ...mail,
    MfaConfiguration: s.mfaConfiguration,
    EstimatedNumberOfUsers: estimatedUsers,
    AdminCreateUserConfig: { UnusedAccountValidityDays: s.passwordPolicy.temporaryPasswordValidityDays, ...(pt.AdminCreateUserConfig as object | undefined), InviteMessageTemplate, AllowAdminCreateUserOnly: s.allowAdminCreateUserOnly },
    UsernameConfiguration: { CaseSensitive: s.caseSensitive },
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: s.attributeUpdate?.requireVerificationBeforeUpdate ?? [] },
    Arn: poolArn(pool),
  };
}

export const poolSummaryToWire = (pool: PoolRecord) => ({
  Id: pool.id, Name: pool.name, LambdaConfig: {}, Status: 'Enabled', LastModifiedDate: seconds(pool.updatedAt), CreationDate: seconds(pool.createdAt),
});
