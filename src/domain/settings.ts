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
  /** The mail templates (CreateUserPool's VerificationMessageTemplate, InviteMessageTemplate…). */
  messages: MessageTemplates;
  /** EmailConfiguration: who the pool's mail comes from. */
  emailSending: EmailSending;
  schema: AttributeSchema[];
  /**
   * UserAttributeUpdateSettings: a change of these attributes waits for its verification (the old value
   * stays in effect until then). Absent in pools stored before it was acted on: none.
   */
  attributeUpdate?: AttributeUpdateSettings;
  passthrough: Record<string, unknown>;
}

export interface AttributeUpdateSettings {
  requireVerificationBeforeUpdate: SignInAttribute[];
}

/**
 * A pool's mail templates; an absent subject or message means Cognito's default wording. SMS templates
 * are kept (and returned) but not sent: Cognate sends no SMS.
 */
export interface MessageTemplates {
  /**
   * Sign-up, resend and attribute-verification codes, and — once customised — password-reset codes.
   * {####} is the code; {username} is not a placeholder here (Cognito sends it as written).
   */
  verification: {
    emailSubject?: string;
    emailMessage?: string;
    smsMessage?: string;
    /** CONFIRM_WITH_LINK is stored; the link needs a hosted-UI domain Cognate lacks, so it mails the code. */
    defaultEmailOption: 'CONFIRM_WITH_CODE' | 'CONFIRM_WITH_LINK';
    emailSubjectByLink?: string;
    emailMessageByLink?: string;
  };
  /** AdminCreateUser's invitation: {username} and {####} (the temporary password). */
  invitation: { emailSubject?: string; emailMessage?: string; smsMessage?: string };
}

/**
 * EmailConfiguration. Cognate sends everything through its own SMTP server; what names SES (the
 * account, the identity ARN, the configuration set) is kept as given.
 */
export interface EmailSending {
  account: 'COGNITO_DEFAULT' | 'DEVELOPER';
  /** "addr@example.com" or "Name <addr@example.com>"; absent: the SourceArn's address, else the server's. */
  from?: string;
  replyTo?: string;
  sourceArn?: string;
  configurationSet?: string;
}

/** Cognito's wording for a pool that customised nothing (DescribeUserPool shows the first two). */
export const DEFAULT_MESSAGES = {
  verificationSubject: 'Your verification code',
  verificationMessage: 'Your verification code is {####}. ',
  resetSubject: 'Your password reset code',
  resetMessage: 'Your password reset code is {####}. Enter it with a new password within 1 hour to sign in again.',
  invitationSubject: 'Your temporary password',
  invitationMessage: 'Your username is {username} and temporary password is {####}.',
} as const;

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
