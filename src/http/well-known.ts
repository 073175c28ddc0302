import type { FastifyInstance } from 'fastify';
import type { DomainDeps } from '../domain/deps.js';

/** JWKS and OpenID discovery of each pool, at <issuer path>/.well-known/… as Cognito serves them. */
export function wellKnownRoutes(deps: DomainDeps, publicUrl: () => string) {
  return async (app: FastifyInstance) => {
    const notFound = { __type: 'ResourceNotFoundException', message: 'User pool does not exist.' };

    app.get<{ Params: { poolId: string } }>('/:poolId/.well-known/jwks.json', async (request, reply) => {
      const keys = await deps.keyRing.forPool(request.params.poolId);
      if (!keys) return reply.code(404).send(notFound);
      return reply.header('cache-control', 'public, max-age=300').send(keys.jwks);
    });

    app.get<{ Params: { poolId: string } }>('/:poolId/.well-known/openid-configuration', async (request, reply) => {
      const pool = await deps.store.pools.get(request.params.poolId);
      if (!pool) return reply.code(404).send(notFound);
      return reply.send({
        issuer: deps.issuerFor(pool.id),
        jwks_uri: `${publicUrl()}/${pool.id}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256'],
        subject_types_supported: ['public'],
        response_types_supported: ['code', 'token'],
        scopes_supported: ['openid', 'email', 'phone', 'profile'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      });
    });
  };
}
