/**
 * The settings of pools and app clients that Cognate acts on, in domain terms. Settings that are
 * stored and returned but not acted on yet travel in `passthrough`, in their wire form, untouched.
 */
export interface PasswordPolicy {
  minimumLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  temporaryPasswordValidityDays: number;
  passwordHistorySize?: number;
}

export type SignInAttribute = 'email' | 'phone_number';
export type AliasAttribute = SignInAttribute | 'preferred_username';

export interface AttributeSchema {
  name: string;
  dataType: 'String' | 'Number' | 'DateTime' | 'Boolean';
  mutable: boolean;
  required: boolean;
  developerOnly: boolean;
  minLength?: string;
  maxLength?: string;
  minValue?: string;
  maxValue?: string;
}

export interface PoolSettings {
  region: string;
  passwordPolicy: PasswordPolicy;
  usernameAttributes: SignInAttribute[];
  aliasAttributes: AliasAttribute[];
  autoVerifiedAttributes: SignInAttribute[];
  caseSensitive: boolean;
  allowAdminCreateUserOnly: boolean;
  deletionProtection: 'ACTIVE' | 'INACTIVE';
  mfaConfiguration: 'OFF' | 'ON' | 'OPTIONAL';
  emailSubject?: string;
  emailMessage?: string;
  schema: AttributeSchema[];
  passthrough: Record<string, unknown>;
}

export type ValidityUnit = 'seconds' | 'minutes' | 'hours' | 'days';

export interface ClientSettings {
  explicitAuthFlows: string[];
  preventUserExistenceErrors: 'LEGACY' | 'ENABLED';
  enableTokenRevocation: boolean;
  accessTokenValidity: number;
  idTokenValidity: number;
  refreshTokenValidity: number;
  units: { accessToken: ValidityUnit; idToken: ValidityUnit; refreshToken: ValidityUnit };
  authSessionValidity: number;
  readAttributes?: string[];
  writeAttributes?: string[];
  passthrough: Record<string, unknown>;
}

const UNIT_SECONDS: Record<ValidityUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

export function validitySeconds(value: number, unit: ValidityUnit): number {
  return value * UNIT_SECONDS[unit];
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minimumLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 7,
};

const STANDARD_STRINGS = [
  'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture',
  'website', 'email', 'gender', 'zoneinfo', 'locale', 'phone_number', 'address',
];

/** The standard attributes every pool has (COGNITO_REFERENCE §4.2, CreateUserPool). */
export function standardSchema(): AttributeSchema[] {
  const str = (name: string, min = '0', max = '2048'): AttributeSchema => ({
    name, dataType: 'String', mutable: true, required: false, developerOnly: false, minLength: min, maxLength: max,
  });
  return [
    { ...str('sub', '1', '2048'), mutable: false, required: true },
    ...STANDARD_STRINGS.map((n) => str(n)),
    str('birthdate', '10', '10'),
    { name: 'email_verified', dataType: 'Boolean', mutable: true, required: false, developerOnly: false },
    { name: 'phone_number_verified', dataType: 'Boolean', mutable: true, required: false, developerOnly: false },
    { name: 'updated_at', dataType: 'Number', mutable: true, required: false, developerOnly: false, minValue: '0' },
  ];
}
