import { InvalidParameterException } from '../../errors/catalog.js';
import { validitySeconds, type ClientSettings, type ValidityUnit } from '../../domain/settings.js';
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

function checkRange(what: string, secs: number, min: number, max: number, words: string): void {
  if (secs < min || secs > max) throw new InvalidParameterException(`${what} must be between ${words}.`);
}

/**
 * App-client settings from CreateUserPoolClient / UpdateUserPoolClient. Defaults as AWS: 60-minute
 * access and ID tokens, 30-day refresh tokens; a validity given without its unit is in hours (access,
 * ID) or days (refresh). Omitted fields return to their defaults on update, as on AWS.
 */
export function clientSettingsFromWire(input: WireClientInput): ClientSettings {
  const units = {
    accessToken: input.TokenValidityUnits?.AccessToken ?? (input.AccessTokenValidity !== undefined ? 'hours' : 'minutes'),
    idToken: input.TokenValidityUnits?.IdToken ?? (input.IdTokenValidity !== undefined ? 'hours' : 'minutes'),
    refreshToken: input.TokenValidityUnits?.RefreshToken ?? 'days',
  } satisfies ClientSettings['units'];
  const access = input.AccessTokenValidity ?? (units.accessToken === 'minutes' ? 60 : validityIn(3600, units.accessToken));
  const id = input.IdTokenValidity ?? (units.idToken === 'minutes' ? 60 : validityIn(3600, units.idToken));
  const refresh = input.RefreshTokenValidity || validityIn(30 * 86400, units.refreshToken);
  checkRange('Access token validity', validitySeconds(access, units.accessToken), 300, 86400, '5 minutes and 1 day');
  checkRange('Id token validity', validitySeconds(id, units.idToken), 300, 86400, '5 minutes and 1 day');
  checkRange('Refresh token validity', validitySeconds(refresh, units.refreshToken), 3600, 3650 * 86400, '60 minutes and 10 years');
  const session = input.AuthSessionValidity ?? 3;
  if (session < 3 || session > 15) throw new InvalidParameterException('AuthSessionValidity must be between 3 and 15 minutes.');
  const flows = input.ExplicitAuthFlows ?? DEFAULT_AUTH_FLOWS;
  const legacy = flows.filter((f) => !f.startsWith('ALLOW_'));
  if (legacy.length > 0 && legacy.length < flows.length) {
    throw new InvalidParameterException('The ExplicitAuthFlows list cannot mix legacy values with ALLOW_ values.');
  }
  return {
    explicitAuthFlows: [...new Set(flows)],
    preventUserExistenceErrors: input.PreventUserExistenceErrors ?? 'LEGACY',
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
