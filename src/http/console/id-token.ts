import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { PoolAndClient } from '../../runtime.js';

export type IdTokenCheck =
  | { ok: true; sub: string; username: string }
  | { ok: false; reason: 'invalid' | 'other-pool' };

export interface IdTokenVerifierOptions {
  issuerFor: (poolId: string) => string;
  jwks: (poolId: string) => Promise<{ keys: Record<string, string>[] } | undefined>;
}

/** The claims of a JWT, unverified (only to tell which issuer it claims); undefined when it is no JWT. */
function unverifiedClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies ID tokens of the console's pool and app client with aws-jwt-verify, as any app would,
 * except that the JWKS comes from the key ring in process (no HTTP round trip to ourselves).
 * A well-formed token of another issuer (a normal app's user) is told apart from an invalid one.
 */
export class ConsoleIdTokenVerifier {
  private cached?: { key: string; verify: (token: string) => Promise<Record<string, unknown>> };

  constructor(private readonly opts: IdTokenVerifierOptions) {}

  async check(token: string, ids: PoolAndClient): Promise<IdTokenCheck> {
    const claims = unverifiedClaims(token);
    if (!claims) return { ok: false, reason: 'invalid' };
    const issuer = this.opts.issuerFor(ids.poolId);
    if (claims.iss !== issuer) return { ok: false, reason: 'other-pool' };
    try {
      const payload = await this.verifierFor(issuer, ids)(token);
      const username = payload['cognito:username'];
      if (typeof payload.sub !== 'string' || typeof username !== 'string') return { ok: false, reason: 'invalid' };
      return { ok: true, sub: payload.sub, username };
    } catch {
      return { ok: false, reason: 'invalid' };
    }
  }

  /** One verifier per issuer and client (the issuer follows the public URL, known once listening). */
  private verifierFor(issuer: string, ids: PoolAndClient) {
    const key = `${issuer} ${ids.clientId}`;
    if (this.cached?.key !== key) {
      const jwksCache = new SimpleJwksCache({
        fetcher: {
          fetch: async () => {
            const jwks = await this.opts.jwks(ids.poolId);
            if (!jwks) throw new Error(`no JWKS for ${ids.poolId}`);
            return new TextEncoder().encode(JSON.stringify(jwks)).buffer as ArrayBuffer;
          },
        },
      });
      const verifier = JwtVerifier.create(
        {
          issuer,
          audience: null,
          customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: 'id', clientId: ids.clientId }),
        },
        { jwksCache },
      );
      this.cached = { key, verify: (t) => verifier.verify(t) };
    }
    return this.cached.verify;
  }
}
