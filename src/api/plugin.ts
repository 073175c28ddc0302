import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RequestEntityTooLargeException, SerializationException } from '../errors/catalog.js';
import type { CognitoError } from '../errors/cognito-error.js';
import type { ApiResult, Dispatcher } from './dispatch.js';

const JSON_11 = 'application/x-amz-json-1.1';

/** Header values must be Latin-1; messages may not be. */
const headerSafe = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').slice(0, 1024);

function send(reply: FastifyReply, requestId: string, result: Pick<ApiResult, 'status' | 'body' | 'error'>): FastifyReply {
  reply.code(result.status).header('content-type', JSON_11).header('x-amzn-RequestId', requestId);
  if (result.error) {
    reply.header('x-amzn-ErrorType', `${result.error.type}:`).header('x-amzn-ErrorMessage', headerSafe(result.error.message));
  }
  return reply.send(JSON.stringify(result.body));
}

function errorResult(error: CognitoError) {
  return { status: error.status, body: { __type: error.type, message: error.message }, error };
}

/**
 * The Cognito JSON 1.1 endpoint: POST / with X-Amz-Target. The body is taken raw (SigV4 hashes the
 * exact bytes; the dispatcher parses it), whatever the content type, up to the body limit.
 */
export function apiPlugin(dispatcher: Dispatcher, bodyLimit: number) {
  return async (api: FastifyInstance) => {
    api.removeAllContentTypeParsers();
    api.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));

    api.setErrorHandler((err: Error & { code?: string; statusCode?: number }, request, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return send(reply, request.id, errorResult(new RequestEntityTooLargeException(`Request body is larger than ${bodyLimit} bytes.`)));
      }
      if (err.statusCode && err.statusCode < 500) {
        return send(reply, request.id, errorResult(new SerializationException(`The request could not be read: ${err.message}`)));
      }
      request.log.error({ err }, 'unhandled API error');
      return send(reply, request.id, { status: 500, body: { __type: 'InternalErrorException', message: 'Internal server error.' }, error: undefined });
    });

    api.post('/', async (request: FastifyRequest, reply: FastifyReply) => {
      const [path = '/', query = ''] = (request.raw.url ?? '/').split('?', 2);
      const target = request.headers['x-amz-target'];
      const result = await dispatcher.handle(typeof target === 'string' ? target : undefined, {
        requestId: request.id,
        ip: request.ip,
        method: request.method,
        path,
        query,
        headers: request.headers,
        body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      });
      request.log.info(
        { operation: result.operation, status: result.status, errorType: result.error?.type, undeclared: result.undeclared || undefined },
        'api call',
      );
      return send(reply, request.id, result);
    });
  };
}
