import { InvalidParameterException } from '../../errors/catalog.js';
import {
  DEFAULT_PASSWORD_POLICY, standardSchema, type AliasAttribute, type AttributeSchema, type PoolSettings, type SignInAttribute,
} from '../../domain/settings.js';
import type { PoolRecord } from '../../store/store.js';
import { seconds } from './common.js';

/** The CreateUserPool / UpdateUserPool fields Cognate acts on; the rest passes through unchanged. */
export interface WirePoolInput {
  PoolName?: string;
  UserPoolId?: string;
  Policies?: { PasswordPolicy?: WirePasswordPolicy; [k: string]: unknown };
  UsernameAttributes?: SignInAttribute[];
  AliasAttributes?: AliasAttribute[];
  AutoVerifiedAttributes?: SignInAttribute[];
  UsernameConfiguration?: { CaseSensitive?: boolean };
  AdminCreateUserConfig?: { AllowAdminCreateUserOnly?: boolean; [k: string]: unknown };
  DeletionProtection?: 'ACTIVE' | 'INACTIVE';
  MfaConfiguration?: 'OFF' | 'ON' | 'OPTIONAL';
  EmailVerificationSubject?: string;
  EmailVerificationMessage?: string;
  VerificationMessageTemplate?: { EmailSubject?: string; EmailMessage?: string; [k: string]: unknown };
  Schema?: WireSchemaAttribute[];
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

interface WireSchemaAttribute {
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
  'AdminCreateUserConfig', 'DeletionProtection', 'MfaConfiguration', 'EmailVerificationSubject', 'EmailVerificationMessage',
  'VerificationMessageTemplate', 'Schema',
]);

function schemaFromWire(list: WireSchemaAttribute[] | undefined): AttributeSchema[] {
  const schema = standardSchema();
  for (const a of list ?? []) {
    if (!a.Name) throw new InvalidParameterException('Schema attribute name is required.');
    const standard = schema.find((s) => s.name === a.Name);
    if (standard) {
      // Standard attributes may be made required (at creation only, as in Cognito).
      if (a.Required !== undefined) standard.required = a.Required;
      if (a.Mutable !== undefined) standard.mutable = a.Mutable;
      continue;
    }
    const name = a.DeveloperOnlyAttribute ? `dev:custom:${a.Name}` : `custom:${a.Name}`;
    if (a.Name.length > 20) throw new InvalidParameterException(`custom:${a.Name}: Custom attribute name must be 20 characters or fewer.`);
    if (schema.some((s) => s.name === name)) throw new InvalidParameterException(`Existing attribute already has name ${name}.`);
    if (a.Required) throw new InvalidParameterException('Required custom attributes are not supported currently.');
    schema.push({
      name, dataType: a.AttributeDataType ?? 'String', mutable: a.Mutable ?? true, required: false, developerOnly: a.DeveloperOnlyAttribute ?? false,
      minLength: a.StringAttributeConstraints?.MinLength, maxLength: a.StringAttributeConstraints?.MaxLength,
      minValue: a.NumberAttributeConstraints?.MinValue, maxValue: a.NumberAttributeConstraints?.MaxValue,
    });
  }
  return schema;
}

function templateCheck(message: string | undefined): void {
  if (message !== undefined && !message.includes('{####}')) throw new InvalidParameterException('The email verification message must contain the {####} placeholder.');
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
  const subject = input.VerificationMessageTemplate?.EmailSubject ?? input.EmailVerificationSubject;
  const message = input.VerificationMessageTemplate?.EmailMessage ?? input.EmailVerificationMessage;
  templateCheck(message);
  const passthrough = Object.fromEntries(Object.entries(input).filter(([k]) => !ACTED_ON.has(k)));
  const { PasswordPolicy: _pp, ...otherPolicies } = input.Policies ?? {};
  if (Object.keys(otherPolicies).length > 0) passthrough.Policies = otherPolicies;
  const { AllowAdminCreateUserOnly: _a, ...otherAdminCreate } = input.AdminCreateUserConfig ?? {};
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
    emailSubject: subject,
    emailMessage: message,
    schema: existing ? existing.schema : schemaFromWire(input.Schema),
    passthrough,
  };
}

const DEFAULT_EMAIL_MESSAGE = 'Your verification code is {####}. ';
const DEFAULT_EMAIL_SUBJECT = 'Your verification code';

function schemaToWire(s: AttributeSchema) {
  return {
    Name: s.name.replace(/^dev:/, ''), AttributeDataType: s.dataType, DeveloperOnlyAttribute: s.developerOnly, Mutable: s.mutable, Required: s.required,
    ...(s.dataType === 'String' ? { StringAttributeConstraints: { MinLength: s.minLength ?? '0', MaxLength: s.maxLength ?? '2048' } } : {}),
    ...(s.dataType === 'Number' ? { NumberAttributeConstraints: { ...(s.minValue ? { MinValue: s.minValue } : {}), ...(s.maxValue ? { MaxValue: s.maxValue } : {}) } } : {}),
  };
}

export const poolArn = (pool: PoolRecord) => `arn:aws:cognito-idp:${pool.settings.region}:000000000000:userpool/${pool.id}`;

/** UserPoolType as DescribeUserPool returns it. */
export function poolToWire(pool: PoolRecord, estimatedUsers: number) {
  const s = pool.settings;
  const pt = s.passthrough as Record<string, unknown>;
  return {
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT' },
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
    EmailVerificationMessage: s.emailMessage ?? DEFAULT_EMAIL_MESSAGE,
    EmailVerificationSubject: s.emailSubject ?? DEFAULT_EMAIL_SUBJECT,
    VerificationMessageTemplate: {
      ...(pt.VerificationMessageTemplate as object | undefined),
      EmailMessage: s.emailMessage ?? DEFAULT_EMAIL_MESSAGE, EmailSubject: s.emailSubject ?? DEFAULT_EMAIL_SUBJECT, DefaultEmailOption: 'CONFIRM_WITH_CODE',
    },
    MfaConfiguration: s.mfaConfiguration,
    EstimatedNumberOfUsers: estimatedUsers,
    AdminCreateUserConfig: { UnusedAccountValidityDays: s.passwordPolicy.temporaryPasswordValidityDays, ...(pt.AdminCreateUserConfig as object | undefined), AllowAdminCreateUserOnly: s.allowAdminCreateUserOnly },
    UsernameConfiguration: { CaseSensitive: s.caseSensitive },
    Arn: poolArn(pool),
  };
}

export const poolSummaryToWire = (pool: PoolRecord) => ({
  Id: pool.id, Name: pool.name, LambdaConfig: {}, Status: 'Enabled', LastModifiedDate: seconds(pool.updatedAt), CreationDate: seconds(pool.createdAt),
});
