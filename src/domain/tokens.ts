import { decodeJwt, signJwt, verifyRs256 } from '../crypto/jwt.js';
import { randomToken, uuid } from '../crypto/random.js';
import { NotAuthorizedException, UserNotFoundException } from '../errors/catalog.js';
import type { ClientRecord, PoolRecord, RefreshTokenRecord, UserRecord } from '../store/store.js';
import { readableAttributes } from './attributes.js';
import type { DomainDeps } from './deps.js';
import { MAX_GROUPS_PER_POOL, groupTokenClaims } from './groups.js';
import { validitySeconds } from './settings.js';

export const USER_ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

export interface TokenSet {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
}

/**
 * The user's attributes the client may read, as ID-token claims (readableAttributes: never `dev:`
 * ones): `*_verified` as booleans, `updated_at` as a number, `address` as `{formatted}`; everything
 * else, custom attributes too, as strings (COGNITO_REFERENCE §3.3).
 */
function attributeClaims(user: UserRecord, client: ClientRecord): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(readableAttributes(user.attributes, client))) {
    if (name === 'sub') continue;
    if (name === 'email_verified' || name === 'phone_number_verified') claims[name] = value === 'true';
    else if (name === 'updated_at') claims[name] = Number(value);
    else if (name === 'address') claims[name] = { formatted: value };
    else claims[name] = value;
  }
  return claims;
}

/**
 * Issues ID and access tokens (and, for a new sign-in, a refresh token). `authTime` and `originJti`
 * carry over on refresh, as in Cognito: origin_jti names the refresh-token family that revocation acts on.
 */
export async function issueTokens(
  deps: DomainDeps,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  carry?: { authTime: number; originJti: string },
): Promise<TokenSet> {
  const keys = await deps.keyRing.forPool(pool.id);
  if (!keys) throw new Error(`pool ${pool.id} has no signing keys`);
  const now = deps.now();
  const iat = Math.floor(now / 1000);
  const authTime = carry?.authTime ?? iat;
  const originJti = carry?.originJti ?? uuid();
  const revocable = client.settings.enableTokenRevocation;
  const eventId = uuid();
  const iss = deps.issuerFor(pool.id);
  const s = client.settings;
  const accessTtl = validitySeconds(s.accessTokenValidity, s.units.accessToken);
  const idTtl = validitySeconds(s.idTokenValidity, s.units.idToken);
  // One query per issue (sign-in and refresh alike), so membership changes show in the next tokens.
  const groups = groupTokenClaims(await deps.store.groups.listForUser(pool.id, user.username, undefined, MAX_GROUPS_PER_POOL));
  const access = {
    sub: user.sub, ...groups.access, iss, client_id: client.id, ...(revocable ? { origin_jti: originJti } : {}), event_id: eventId, token_use: 'access',
    scope: USER_ADMIN_SCOPE, auth_time: authTime, exp: iat + accessTtl, iat, jti: uuid(), username: user.username,
  };
  const id = {
    sub: user.sub, ...groups.id, ...attributeClaims(user, client), iss, 'cognito:username': user.username, ...(revocable ? { origin_jti: originJti } : {}),
    aud: client.id, event_id: eventId, token_use: 'id', auth_time: authTime, exp: iat + idTtl, iat, jti: uuid(),
  };
  const set: TokenSet = {
    accessToken: signJwt(access, keys.access.kid, keys.access.key),
    idToken: signJwt(id, keys.id.kid, keys.id.key),
    expiresIn: accessTtl,
  };
  if (!carry) {
    const refreshToken = randomToken(48);
    await deps.store.tokens.addRefresh({
      digest: deps.digester.digest('refresh', refreshToken), poolId: pool.id, clientId: client.id, username: user.username, originJti,
      authTime, expiresAt: now + validitySeconds(s.refreshTokenValidity, s.units.refreshToken) * 1000, revokedAt: null,
    });
    set.refreshToken = refreshToken;
  }
  return set;
}

/** Looks a refresh token up and checks it belongs to this client and is still good. */
export async function useRefreshToken(deps: DomainDeps, client: ClientRecord, token: string): Promise<RefreshTokenRecord> {
  const record = await deps.store.tokens.getRefresh(deps.digester.digest('refresh', token));
  if (!record || record.clientId !== client.id) throw new NotAuthorizedException('Invalid Refresh Token');
  if (record.revokedAt !== null) throw new NotAuthorizedException('Refresh Token has been revoked');
  if (record.expiresAt < deps.now()) throw new NotAuthorizedException('Refresh Token has expired');
  return record;
}

export interface AccessContext {
  pool: PoolRecord;
  user: UserRecord;
  claims: Record<string, unknown>;
}

const INVALID = 'Invalid Access Token';
/** How far in the future an access token's iat (or nbf) may be: the clock difference tolerated between instances. */
const ISSUED_AT_SKEW_MS = 60_000;

/**
 * Everything an access-token-authorized operation checks: a well-formed RS256 JWT signed by an
 * access key of the pool named in `iss`, not expired, token_use "access" with the user-admin scope,
 * not revoked, and a user that still exists and is enabled.
 */
export async function authorizeAccessToken(deps: DomainDeps, token: string): Promise<AccessContext> {
  const jwt = decodeJwt(token);
  if (!jwt || typeof jwt.header.kid !== 'string' || typeof jwt.payload.iss !== 'string') throw new NotAuthorizedException(INVALID);
  const poolId = jwt.payload.iss.split('/').pop() ?? '';
  const pool = poolId.includes('_') ? await deps.store.pools.get(poolId) : undefined;
  if (!pool || jwt.payload.iss !== deps.issuerFor(pool.id)) throw new NotAuthorizedException(INVALID);
  const key = await deps.keyRing.verifier(pool.id, jwt.header.kid);
  if (!key || key.use !== 'access' || !verifyRs256(jwt, key.key)) throw new NotAuthorizedException(INVALID);
  const c = jwt.payload;
  if (c.token_use !== 'access' || typeof c.username !== 'string' || typeof c.exp !== 'number' || typeof c.iat !== 'number') throw new NotAuthorizedException(INVALID);
  if (c.exp * 1000 <= deps.now()) throw new NotAuthorizedException('Access Token has expired');
  // Issued in the future (or not valid before a later moment): minted elsewhere, or a clock gone wrong.
  const notBefore = Math.max(c.iat, typeof c.nbf === 'number' ? c.nbf : 0);
  if (notBefore * 1000 > deps.now() + ISSUED_AT_SKEW_MS) throw new NotAuthorizedException(INVALID);
  if (typeof c.scope !== 'string' || !c.scope.split(' ').includes(USER_ADMIN_SCOPE)) throw new NotAuthorizedException('Access Token does not have required scopes');
  const user = await deps.store.users.getByKey(pool.id, pool.settings.caseSensitive ? c.username : c.username.toLowerCase());
  if (!user || user.sub !== c.sub) throw new UserNotFoundException('User does not exist.');
  const revoked =
    typeof c.origin_jti === 'string'
      ? await deps.store.tokens.isFamilyRevoked(c.origin_jti)
      : // iat has whole seconds: a token from the second of the sign-out may predate it, so it is refused too.
        user.signedOutAt !== null && c.iat <= Math.floor(user.signedOutAt / 1000);
  if (revoked) throw new NotAuthorizedException('Access Token has been revoked');
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  return { pool, user, claims: c };
}

/** GlobalSignOut: every refresh token of the user (and the access tokens of their families) stops working. */
export async function signOutEverywhere(deps: DomainDeps, pool: PoolRecord, user: UserRecord): Promise<void> {
  const now = deps.now();
  await deps.store.transaction(async (tx) => {
    await tx.tokens.revokeUser(pool.id, user.username, now);
    await tx.users.update(pool.id, user.username, { signedOutAt: now }, now);
  });
  deps.log.info({ poolId: pool.id, sub: user.sub }, 'user signed out globally');
}
