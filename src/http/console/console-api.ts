import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiResult } from '../../api/dispatch.js';
import { configJs } from '../../demo/config-js.js';
import type { ConsoleOptions } from './console-routes.js';
import { ConsoleIdTokenVerifier } from './id-token.js';
import {
  clearSessionCookie, csrfMatches, newSession, openSession, sameOrigin, setSessionCookie, type ConsoleSession,
} from './session.js';

/** The operations the console may call, all of them admin operations of the Cognito API. */
export const CONSOLE_OPERATIONS: ReadonlySet<string> = new Set([
  'CreateUserPool', 'DescribeUserPool', 'ListUserPools', 'UpdateUserPool', 'DeleteUserPool',
  'CreateUserPoolClient', 'DescribeUserPoolClient', 'ListUserPoolClients', 'UpdateUserPoolClient', 'DeleteUserPoolClient',
  'ListUsers', 'AdminGetUser', 'AdminConfirmSignUp', 'AdminDeleteUser', 'AdminDisableUser', 'AdminEnableUser',
  'AdminResetUserPassword',
]);

const NOT_SIGNED_IN = 'Not signed in.';
const CSRF = 'CSRF token missing or invalid';
const FOREIGN_ORIGIN = 'Cross-origin requests are not accepted.';
const NOT_ADMIN = 'Only console administrators may sign in here.';

const sessions = new WeakMap<FastifyRequest, ConsoleSession>();

const message = (reply: FastifyReply, status: number, text: string) => reply.code(status).send({ message: text });
const cognitoError = (reply: FastifyReply, type: string, text: string) => reply.code(400).send({ __type: type, message: text });

/**
 * The console's JSON API under /console/api (this plugin is registered with that prefix): same-origin
 * only, no CORS, never cached. Sign-in exchanges an ID token of the console pool for a session cookie;
 * every other call needs the session, and POST/DELETE also the CSRF token.
 */
export function consoleApi(opts: ConsoleOptions) {
  const now = opts.now ?? Date.now;
  const verifier = new ConsoleIdTokenVerifier({ issuerFor: opts.issuerFor, jwks: opts.jwks });
  const secure = () => opts.publicUrl().startsWith('https:');
  const trusted = (operation: string, input: object, request: FastifyRequest) => opts.dispatcher.handleTrusted(operation, input, request.id);

  /** The administrator still exists in the console pool and is enabled (disabling one ends their sessions). */
  async function activeAdmin(username: string, sub: string, request: FastifyRequest): Promise<boolean> {
    const ids = await opts.consoleIds();
    if (!ids) return false;
    const found = await trusted('AdminGetUser', { UserPoolId: ids.poolId, Username: username }, request);
    const user = found.body as { Enabled?: boolean; UserStatus?: string; UserAttributes?: { Name: string; Value?: string }[] };
    return found.status === 200 && user.Enabled === true && user.UserStatus === 'CONFIRMED' && user.UserAttributes?.some((a) => a.Name === 'sub' && a.Value === sub) === true;
  }

  return async (api: FastifyInstance) => {
    // Same-origin API: no CORS headers (the app-wide CORS is for the Cognito API), and nothing cached.
    api.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), cors: false } as typeof route.config;
    });
    api.addHook('onSend', async (_request, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });
    // A DELETE (or POST) with a JSON content type and no body is fine.
    const json = api.getDefaultJsonParser('error', 'error');
    api.removeContentTypeParser('application/json');
    api.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      if (body === '') return done(null, undefined);
      return json(request, body as string, done);
    });
    api.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
      if (err.statusCode && err.statusCode < 500) return message(reply, err.statusCode, err.message);
      request.log.error({ err }, 'console API error');
      return message(reply, 500, 'Internal server error.');
    });
    api.setNotFoundHandler((_request, reply) => message(reply, 404, 'Not found.'));
    // Same-origin pages never preflight: answer other sites' preflights without CORS headers, so they fail.
    api.options('/*', (_request, reply) => message(reply, 403, FOREIGN_ORIGIN));

    api.get('/config', async (_request, reply) => {
      const ids = await opts.consoleIds();
      if (!ids) return message(reply, 503, 'The console is not set up yet.');
      return reply.send({
        endpoint: `${opts.publicUrl()}/`, userPoolId: ids.poolId, clientId: ids.clientId, region: ids.poolId.split('_')[0], outbox: opts.outbox !== undefined,
      });
    });

    api.post<{ Body: { idToken?: unknown } | undefined }>('/session', async (request, reply) => {
      if (!sameOrigin(request, opts.publicUrl())) return message(reply, 403, FOREIGN_ORIGIN);
      const idToken = request.body?.idToken;
      if (typeof idToken !== 'string' || idToken.length === 0) return message(reply, 400, 'idToken is required.');
      const ids = await opts.consoleIds();
      if (!ids) return message(reply, 503, 'The console is not set up yet.');
      const checked = await verifier.check(idToken, ids);
      if (!checked.ok) {
        request.log.info({ reason: checked.reason }, 'console sign-in refused');
        return checked.reason === 'other-pool' ? message(reply, 403, NOT_ADMIN) : message(reply, 401, 'The ID token is not valid.');
      }
      if (!(await activeAdmin(checked.username, checked.sub, request))) return message(reply, 401, 'The ID token is not valid.');
      const session = newSession(checked.sub, checked.username, now());
      setSessionCookie(reply, opts.sealer, session, secure());
      request.log.info({ admin: session.username }, 'console sign-in');
      return reply.send({ username: session.username, csrfToken: session.csrf });
    });

    // Everything below needs a session; POST and DELETE also a same-origin request and the CSRF token.
    await api.register(async (authed) => {
      authed.addHook('preHandler', async (request, reply) => {
        const session = openSession(request, opts.sealer, now());
        if (!session || !(await activeAdmin(session.username, session.sub, request))) {
          if (session) clearSessionCookie(reply, secure());
          return message(reply, 401, NOT_SIGNED_IN);
        }
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          if (!sameOrigin(request, opts.publicUrl())) return message(reply, 403, FOREIGN_ORIGIN);
          if (!csrfMatches(request, session)) return message(reply, 403, CSRF);
        }
        sessions.set(request, session);
      });
      const sessionOf = (request: FastifyRequest) => sessions.get(request)!;

      authed.get('/session', async (request, reply) => {
        const s = sessionOf(request);
        return reply.send({ username: s.username, csrfToken: s.csrf });
      });

      authed.delete('/session', async (request, reply) => {
        clearSessionCookie(reply, secure());
        request.log.info({ admin: sessionOf(request).username }, 'console sign-out');
        return reply.code(204).send();
      });

      authed.post<{ Body: { operation?: unknown; input?: unknown } | undefined }>('/call', async (request, reply) => {
        const session = sessionOf(request);
        const operation = request.body?.operation;
        const input = request.body?.input ?? {};
        if (typeof operation !== 'string' || !CONSOLE_OPERATIONS.has(operation)) {
          return cognitoError(reply, 'UnknownOperationException', `The console does not offer the operation ${typeof operation === 'string' ? operation : '(none)'}.`);
        }
        if (typeof input !== 'object' || input === null || Array.isArray(input)) {
          return cognitoError(reply, 'SerializationException', 'input must be a JSON object.');
        }
        const refusal = await guard(operation, input as Record<string, unknown>, session);
        const result: ApiResult = refusal
          ? { operation, status: 400, body: { __type: 'InvalidParameterException', message: refusal } }
          : await trusted(operation, input, request);
        request.log.info(
          { operation, status: result.status, errorType: (result.body as { __type?: string }).__type, admin: session.username, undeclared: result.undeclared || undefined },
          'console call',
        );
        return reply.code(result.status).send(result.body);
      });

      authed.get<{ Querystring: { limit?: string } }>('/outbox', async (request, reply) => {
        if (!opts.outbox) return message(reply, 404, 'There is no dev outbox: mail goes to the configured SMTP server.');
        const limit = Math.min(Math.max(Number(request.query.limit) || 50, 1), 500);
        return reply.send({ messages: await opts.outbox(limit) });
      });

      authed.get<{ Querystring: { pool?: string; client?: string } }>('/config-js', async (request, reply) => {
        const { pool, client } = request.query;
        if (!pool || !client) return message(reply, 400, 'pool and client are required.');
        const found = await trusted('DescribeUserPoolClient', { UserPoolId: pool, ClientId: client }, request);
        if (found.status !== 200) {
          const body = found.body as { __type?: string; message?: string };
          return body.__type === 'ResourceNotFoundException' ? message(reply, 404, body.message ?? 'Not found.') : reply.code(found.status).send(found.body);
        }
        return reply
          .type('text/javascript; charset=utf-8')
          .header('content-disposition', 'attachment; filename="config.js"')
          .send(configJs({ poolId: pool, clientId: client, endpoint: `${opts.publicUrl()}/` }));
      });
    });
  };

  /** What the console refuses to do to itself: lose its pool or client, or lock out the administrator signed in (delete, disable, reset). */
  async function guard(operation: string, input: Record<string, unknown>, session: ConsoleSession): Promise<string | undefined> {
    const ids = await opts.consoleIds();
    if (!ids || input.UserPoolId !== ids.poolId) return undefined;
    switch (operation) {
      case 'DeleteUserPool':
        return "The console's own user pool cannot be deleted.";
      case 'UpdateUserPool':
        return "The console's own user pool is managed by Cognate and cannot be changed here.";
      case 'DeleteUserPoolClient':
      case 'UpdateUserPoolClient':
        return input.ClientId === ids.clientId ? "The console's own app client cannot be changed or deleted." : undefined;
      case 'AdminDeleteUser':
      case 'AdminDisableUser':
        return typeof input.Username === 'string' && input.Username.toLowerCase() === session.username.toLowerCase()
          ? 'You cannot delete or disable the administrator you are signed in as.'
          : undefined;
      case 'AdminResetUserPassword':
        return typeof input.Username === 'string' && input.Username.toLowerCase() === session.username.toLowerCase()
          ? 'You cannot reset the password of the administrator you are signed in as.'
          : undefined;
      default:
        return undefined;
    }
  }
}
