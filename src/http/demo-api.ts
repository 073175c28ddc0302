import { randomBytes, randomInt } from 'node:crypto';
import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import {
  CognitoJwtInvalidClientIdError, CognitoJwtInvalidTokenUseError, JwtExpiredError, JwtInvalidAudienceError, JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError, JwtInvalidSignatureError, JwtNotBeforeError, JwtParseError, JwtWithoutValidKidError,
  KidNotFoundInJwksError, WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PoolAndClient } from '../runtime.js';

export interface DemoApiOptions {
  siteIds: () => Promise<PoolAndClient | undefined>;
  issuerFor: (poolId: string) => string;
  jwks: (poolId: string) => Promise<{ keys: Record<string, string>[] } | undefined>;
  /** The server's clock (ms since the epoch), the one that stamps the tokens; they expire by it. Default Date.now. */
  now?: () => number;
}

/** The fleet the canned answer picks from. */
const UNICORNS = [
  { Name: 'Stardust', Color: 'Silver', Gender: 'Female' },
  { Name: 'Nimbus', Color: 'White', Gender: 'Male' },
  { Name: 'Marigold', Color: 'Golden', Gender: 'Female' },
  { Name: 'Thunderhoof', Color: 'Black', Gender: 'Male' },
  { Name: 'Prism', Color: 'Rainbow', Gender: 'Female' },
] as const;

/** A token refused, with the words the 401 answer carries. */
class Refused extends Error {}

/** The token from `Authorization`: bare (as the workshop and API Gateway's Cognito authorizer take it) or `Bearer <token>`. */
function tokenOf(header: string | undefined): string | undefined {
  return header ? /^\s*(?:Bearer\s+)?(\S+)\s*$/i.exec(header)?.[1] : undefined;
}

/** Why a token was refused, in words; never the verifier's internals (they go to the log). */
function reasonFor(err: unknown): string {
  if (err instanceof Refused) return err.message;
  if (err instanceof JwtExpiredError) return 'The token has expired.';
  if (err instanceof JwtNotBeforeError) return 'The token is not valid yet.';
  if (err instanceof CognitoJwtInvalidTokenUseError) return `Not an ID token (token_use is ${JSON.stringify(err.failedAssertion.actual)}).`;
  if (err instanceof JwtInvalidIssuerError) return "The token was not issued by this site's user pool.";
  if (err instanceof CognitoJwtInvalidClientIdError || err instanceof JwtInvalidAudienceError) return "The token was issued to another app client.";
  if (
    err instanceof JwtInvalidSignatureError || err instanceof JwtInvalidSignatureAlgorithmError || err instanceof KidNotFoundInJwksError ||
    err instanceof WaitPeriodNotYetEndedJwkError || err instanceof JwtWithoutValidKidError
  ) {
    return 'The token signature is not valid.';
  }
  if (err instanceof JwtParseError) return 'The token is malformed.';
  return 'The token is not valid.';
}

const bytesOf = (value: unknown): ArrayBuffer => {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
};

/**
 * The sample protected REST API of the demo: POST /demo/api/ride, what module 3 of the workshop builds
 * with API Gateway, a Cognito authorizer and a Lambda. The ID token in `Authorization` is verified with
 * aws-jwt-verify: signature against the site pool's JWKS (read in-process), issuer, token_use "id" and
 * audience = the site's app client; expiry by the server's clock.
 */
export function demoApiRoutes(opts: DemoApiOptions) {
  const now = opts.now ?? Date.now;
  const verifiers = new Map<string, ReturnType<typeof createVerifier>>();

  function createVerifier(ids: PoolAndClient, issuer: string) {
    // The JWKS comes from the key ring, not over HTTP; an unknown kid makes the cache fetch it again
    // (at most once per 10 s: the library's penalty box).
    const jwksCache = new SimpleJwksCache({
      fetcher: {
        fetch: async () => {
          const jwks = await opts.jwks(ids.poolId);
          if (!jwks) throw new Refused("The site's user pool has no signing keys.");
          return bytesOf(jwks);
        },
      },
    });
    // audience: null here because validateCognitoJwtFields checks it the Cognito way (aud for ID tokens)
    // after token_use, so an access token is refused as such rather than for lacking an aud.
    return JwtVerifier.create(
      { issuer, audience: null, customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: 'id', clientId: ids.clientId }) },
      { jwksCache },
    );
  }

  function verifierFor(ids: PoolAndClient, issuer: string) {
    const key = `${issuer} ${ids.clientId}`;
    let verifier = verifiers.get(key);
    if (!verifier) verifiers.set(key, (verifier = createVerifier(ids, issuer)));
    return verifier;
  }

  async function verify(ids: PoolAndClient, token: string): Promise<JwtPayload> {
    const issuer = opts.issuerFor(ids.poolId);
    // A single-issuer verifier looks the kid up before comparing issuers; say "other pool" for what
    // is one, without fetching the JWKS again for a kid it cannot have.
    const claimed = decomposeUnverifiedJwt(token).payload.iss;
    if (claimed !== issuer) throw new JwtInvalidIssuerError('Issuer not allowed', claimed ?? null, issuer);
    // The library judges exp by the machine clock; allow for the server clock being behind it, then
    // judge expiry by the server clock (in production both are the same).
    const behind = Math.max(0, Math.ceil((Date.now() - now()) / 1000));
    const payload = await verifierFor(ids, issuer).verify(token, { graceSeconds: behind });
    if (typeof payload.exp !== 'number') throw new Refused('The token has no expiry.');
    if (payload.exp <= now() / 1000) throw new JwtExpiredError('Token expired by the server clock', payload.exp);
    return payload;
  }

  const claimsOf = new WeakMap<FastifyRequest, JwtPayload>();

  const unauthorized = (reply: FastifyReply, message: string, challenge: string) =>
    reply.code(401).header('www-authenticate', challenge).header('cache-control', 'no-store').send({ message });

  /** Before the body is read, like an API Gateway authorizer: no token, no ride. */
  async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    const ids = await opts.siteIds();
    if (!ids) return reply.code(503).send({ message: 'The demo site has no user pool.' });
    const token = tokenOf(request.headers.authorization);
    if (!token) return unauthorized(reply, 'Sign in first: the Authorization header must carry your ID token.', 'Bearer');
    try {
      claimsOf.set(request, await verify(ids, token));
    } catch (err) {
      const message = reasonFor(err);
      request.log.info({ reason: message, err: err instanceof Error ? err.message : String(err) }, 'demo api refused a token');
      return unauthorized(reply, message, 'Bearer error="invalid_token"');
    }
  }

  return async (app: FastifyInstance) => {
    app.post('/demo/api/ride', { onRequest: authenticate, bodyLimit: 16 * 1024 }, async (request, reply) => {
      const claims = claimsOf.get(request)!;
      const unicorn = UNICORNS[randomInt(UNICORNS.length)]!;
      const rider = typeof claims.email === 'string' ? claims.email : String(claims['cognito:username'] ?? claims.sub);
      return reply.header('cache-control', 'no-store').send({
        RideId: randomBytes(16).toString('base64url'),
        Unicorn: { ...unicorn },
        UnicornName: unicorn.Name,
        Eta: '30 seconds',
        Rider: rider,
      });
    });
  };
}
