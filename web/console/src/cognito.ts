// The few Cognito shapes the console reads (as the service model names them; dates are epoch seconds),
// and small helpers to present them.

export interface PasswordPolicy {
  MinimumLength?: number;
  RequireUppercase?: boolean;
  RequireLowercase?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
  TemporaryPasswordValidityDays?: number;
  PasswordHistorySize?: number;
}

export interface UserPool {
  Id: string;
  Name: string;
  Arn?: string;
  Status?: string;
  CreationDate?: number;
  LastModifiedDate?: number;
  EstimatedNumberOfUsers?: number;
  Policies?: { PasswordPolicy?: PasswordPolicy };
  UsernameAttributes?: string[];
  AliasAttributes?: string[];
  AutoVerifiedAttributes?: string[];
  UsernameConfiguration?: { CaseSensitive?: boolean };
  MfaConfiguration?: string;
  DeletionProtection?: string;
  AdminCreateUserConfig?: { AllowAdminCreateUserOnly?: boolean };
  SchemaAttributes?: { Name?: string; Required?: boolean; Mutable?: boolean; AttributeDataType?: string }[];
}

export interface UserPoolSummary {
  Id: string;
  Name: string;
  CreationDate?: number;
  LastModifiedDate?: number;
}

export interface UserPoolClient {
  ClientId: string;
  ClientName: string;
  UserPoolId: string;
  ClientSecret?: string;
  ExplicitAuthFlows?: string[];
  CreationDate?: number;
}

export interface UserPoolClientSummary {
  ClientId: string;
  ClientName: string;
  UserPoolId: string;
}

export interface Attribute {
  Name: string;
  Value?: string;
}

export interface User {
  Username: string;
  Attributes?: Attribute[];
  UserCreateDate?: number;
  UserLastModifiedDate?: number;
  Enabled?: boolean;
  UserStatus?: string;
}

export interface AdminGetUserOutput {
  Username: string;
  UserAttributes?: Attribute[];
  UserCreateDate?: number;
  UserLastModifiedDate?: number;
  Enabled?: boolean;
  UserStatus?: string;
}

export function attribute(list: Attribute[] | undefined, name: string): string | undefined {
  return list?.find((a) => a.Name === name)?.Value;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An epoch-seconds date as the reader's local date and time. */
export function formatDate(seconds: number | undefined): string {
  return seconds === undefined ? '—' : dateFormat.format(new Date(seconds * 1000));
}

/** The region part of a pool id (us-east-1_AbC → us-east-1). */
export function regionOf(poolId: string): string {
  return poolId.split('_')[0] ?? '';
}

/** A ListUsers filter: the email starts with what was typed (quotes and backslashes escaped). */
export function emailPrefixFilter(prefix: string): string {
  return `email ^= "${prefix.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
