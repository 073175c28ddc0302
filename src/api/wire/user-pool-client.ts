import { InvalidParameterException } from '../../errors/catalog.js';
import { validitySeconds, type ClientSettings, type PoolSettings, type ValidityUnit } from '../../domain/settings.js';
import type { ClientRecord } from '../../store/store.js';
import { seconds } from './common.js';

export interface WireClientInput {
  UserPoolId: string;
  ClientName?: string;
  ClientId?: string;
  GenerateSecret?: boolean;
  RefreshTokenValidity?: number;
  AccessTokenValidity?: number;
  IdTokenValidity?: number;
  TokenValidityUnits?: { AccessToken?: ValidityUnit; IdToken?: ValidityUnit; RefreshToken?: ValidityUnit };
  ReadAttributes?: string[];
  WriteAttributes?: string[];
  ExplicitAuthFlows?: string[];
  PreventUserExistenceErrors?: 'LEGACY' | 'ENABLED';
  EnableTokenRevocation?: boolean;
  AuthSessionValidity?: number;
  [other: string]: unknown;
}

const ACTED_ON = new Set([
  'UserPoolId', 'ClientName', 'ClientId', 'GenerateSecret', 'RefreshTokenValidity', 'AccessTokenValidity', 'IdTokenValidity',
  'TokenValidityUnits', 'ReadAttributes', 'WriteAttributes', 'ExplicitAuthFlows', 'PreventUserExistenceErrors', 'EnableTokenRevocation',
  'AuthSessionValidity', 'ClientSecret',
]);

export const DEFAULT_AUTH_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];

/** Cognito's one answer for any validity out of its range (access and ID 5 min–1 day, refresh 60 min–10 years). */
const BAD_RANGE = 'Invalid range for token validity.';

function checkRange(secs: number, min: number, max: number): void {
  if (secs < min || secs > max) throw new InvalidParameterException(BAD_RANGE);
}

/** Attributes no app client may be given to write: Cognito sets them (verification) or they are the user's id. */
const NEVER_WRITABLE = new Set(['sub', 'email_verified', 'phone_number_verified']);

/**
 * ReadAttributes / WriteAttributes checked against the pool's schema, as Cognito: every name must
 * exist; writes exclude `sub`, the verification flags and developer-only attributes, and must include
 * every required attribute ("all app clients can write user pool required attributes").
 */
function checkAttributePermissions(input: WireClientInput, pool: PoolSettings, action: 'creating' | 'updating'): void {
  const known = new Set(pool.schema.map((a) => a.name));
  if (input.ReadAttributes?.some((name) => !known.has(name))) {
    throw new InvalidParameterException(`Invalid read attributes specified while ${action} a client`);
  }
  const write = input.WriteAttributes;
  if (write === undefined || write.length === 0) return;
  const required = pool.schema.filter((a) => a.required && a.name !== 'sub').map((a) => a.name);
  const bad = write.some((name) => !known.has(name) || NEVER_WRITABLE.has(name) || name.startsWith('dev:')) || required.some((name) => !write.includes(name));
  if (bad) throw new InvalidParameterException(`Invalid write attributes specified while ${action} a client`);
}

/**
 * App-client settings from CreateUserPoolClient / UpdateUserPoolClient. Defaults as AWS: 60-minute
 * access and ID tokens, 30-day refresh tokens. A validity given without its unit is in hours (access,
 * ID) or days (refresh); a unit given without its validity applies to the default number (60, or 30 for
 * refresh), so `{AccessToken: 'hours'}` alone is 60 hours and out of range, as on AWS. A refresh
 * validity of 0 means the default 30 days. Omitted fields return to their defaults on update, as on AWS.
 * With the pool (`against`) the attribute permissions are checked too; unset, the client reads and writes all.
 */
export function clientSettingsFromWire(input: WireClientInput, against?: { pool: PoolSettings; action: 'creating' | 'updating' }): ClientSettings {
  if (against) checkAttributePermissions(input, against.pool, against.action);
  const units = {
    accessToken: input.TokenValidityUnits?.AccessToken ?? (input.AccessTokenValidity !== undefined ? 'hours' : 'minutes'),
    idToken: input.TokenValidityUnits?.IdToken ?? (input.IdTokenValidity !== undefined ? 'hours' : 'minutes'),
    refreshToken: input.TokenValidityUnits?.RefreshToken ?? 'days',
  } satisfies ClientSettings['units'];
  const access = input.AccessTokenValidity ?? 60;
  const id = input.IdTokenValidity ?? 60;
  const refresh = input.RefreshTokenValidity === 0 ? validityIn(30 * 86400, units.refreshToken) : (input.RefreshTokenValidity ?? 30);
  checkRange(validitySeconds(access, units.accessToken), 300, 86400);
  checkRange(validitySeconds(id, units.idToken), 300, 86400);
  checkRange(validitySeconds(refresh, units.refreshToken), 3600, 3650 * 86400);
  const session = input.AuthSessionValidity ?? 3;
  if (session < 3 || session > 15) throw new InvalidParameterException('AuthSessionValidity must be between 3 and 15 minutes.');
  const flows = input.ExplicitAuthFlows ?? DEFAULT_AUTH_FLOWS;
  const legacy = flows.filter((f) => !f.startsWith('ALLOW_'));
  if (legacy.length > 0 && legacy.length < flows.length) {
    throw new InvalidParameterException('The ExplicitAuthFlows list cannot mix legacy values with ALLOW_ values.');
  }
  return {
    explicitAuthFlows: [...new Set(flows)],
    // ENABLED unless LEGACY is asked for: Cognito's console default. (Its API defaults to LEGACY; Cognate
    // takes the safer one for every client, see docs/security.md, "Enumeration".)
    preventUserExistenceErrors: input.PreventUserExistenceErrors ?? 'ENABLED',
    enableTokenRevocation: input.EnableTokenRevocation ?? true,
    accessTokenValidity: access,
    idTokenValidity: id,
    refreshTokenValidity: refresh,
    units,
    authSessionValidity: session,
    readAttributes: input.ReadAttributes,
    writeAttributes: input.WriteAttributes,
    passthrough: Object.fromEntries(Object.entries(input).filter(([k]) => !ACTED_ON.has(k))),
  };
}

function validityIn(secs: number, unit: ValidityUnit): number {
  return secs / validitySeconds(1, unit);
}

/** UserPoolClientType as DescribeUserPoolClient returns it. */
export function clientToWire(c: ClientRecord) {
  const s = c.settings;
  return {
    AllowedOAuthFlowsUserPoolClient: false,
    EnablePropagateAdditionalUserContextData: false,
    ...s.passthrough,
    UserPoolId: c.poolId,
    ClientName: c.name,
    ClientId: c.id,
    ClientSecret: c.secret ?? undefined,
    LastModifiedDate: seconds(c.updatedAt),
    CreationDate: seconds(c.createdAt),
    RefreshTokenValidity: s.refreshTokenValidity,
    AccessTokenValidity: s.accessTokenValidity,
    IdTokenValidity: s.idTokenValidity,
    TokenValidityUnits: { AccessToken: s.units.accessToken, IdToken: s.units.idToken, RefreshToken: s.units.refreshToken },
    ReadAttributes: s.readAttributes,
    WriteAttributes: s.writeAttributes,
    ExplicitAuthFlows: s.explicitAuthFlows,
    PreventUserExistenceErrors: s.preventUserExistenceErrors,
    EnableTokenRevocation: s.enableTokenRevocation,
    AuthSessionValidity: s.authSessionValidity,
  };
}

export const clientSummaryToWire = (c: ClientRecord) => ({ ClientId: c.id, UserPoolId: c.poolId, ClientName: c.name });
