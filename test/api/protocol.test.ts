import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * The wire protocol seen through raw HTTP: every bad input gets a Cognito-shaped error and changes
 * nothing; tolerated inputs (nulls, extra fields, odd content types) work; admin calls need a valid
 * SigV4 signature over the exact bytes; CORS, success framing and the GET endpoints.
 */

const PREFIX = 'AWSCognitoIdentityProviderService.';
const JSON_11 = 'application/x-amz-json-1.1';
const PASSWORD = 'Wild-Rydes-1';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server: TestServer;
let poolId: string;
let clientId: string;
let seq = 0;
const nextEmail = () => `proto-${++seq}-${Date.now()}@example.com`;

beforeAll(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createWorkshopPool(server));
});
afterAll(async () => server?.stop());

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

async function read(res: Response): Promise<Reply> {
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // left empty: the assertions on json fail with a readable diff
  }
  return { status: res.status, headers: res.headers, text, json };
}

interface PostOptions {
  /** Default: `${PREFIX}${op}`; null sends no X-Amz-Target. */
  target?: string | null;
  contentType?: string | null;
  headers?: Record<string, string>;
}

/** POST / with a raw body (a string is sent as is, anything else as JSON). */
async function post(op: string, body: unknown, opts: PostOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  const target = opts.target === undefined ? `${PREFIX}${op}` : opts.target;
  if (target !== null) headers['x-amz-target'] = target;
  const contentType = opts.contentType === undefined ? JSON_11 : opts.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  const res = await fetch(`${server.url}/`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return read(res);
}

/** What a request could have changed: users and outbox mail of the pool, and the pools. */
async function snapshot() {
  const pools = await server.store.pools.list(undefined, 100);
  const mail = await server.store.outbox.recent(1000);
  return { users: await server.store.users.count(poolId), pools: pools.map((p) => p.id).sort(), mail: mail.length };
}

/** Asserts a Cognito-style error: status, body {__type, message}, x-amzn-ErrorType and x-amzn-RequestId. */
function expectCognitoError(r: Reply, type: string, status = 400): void {
  expect(r.status, r.text).toBe(status);
  expect(r.json.__type).toBe(type);
  expect(typeof r.json.message).toBe('string');
  expect((r.json.message as string).length).toBeGreaterThan(0);
  expect(r.headers.get('x-amzn-errortype')).toBe(`${type}:`);
  expect(r.headers.get('x-amzn-requestid')).toMatch(UUID_RE);
  expect(r.headers.get('content-type')).toContain(JSON_11);
}

/** Runs a request that must fail with `type` and checks the store did not change. */
async function expectRefused(send: () => Promise<Reply>, type: string, status = 400): Promise<Reply> {
  const before = await snapshot();
  const r = await send();
  expectCognitoError(r, type, status);
  expect(await snapshot()).toEqual(before);
  return r;
}

const signUpBody = (email = nextEmail()) => ({
  ClientId: clientId,
  Username: email,
  Password: PASSWORD,
  UserAttributes: [{ Name: 'email', Value: email }],
});

describe('framing errors', () => {
  it('an unknown operation is UnknownOperationException', async () => {
    const r = await expectRefused(() => post('DoesNotExist', signUpBody()), 'UnknownOperationException');
    expect(r.json.message).toContain('DoesNotExist');
  });

  it('a missing X-Amz-Target is UnknownOperationException', async () => {
    await expectRefused(() => post('SignUp', signUpBody(), { target: null }), 'UnknownOperationException');
  });

  it('a target without the service prefix is UnknownOperationException', async () => {
    await expectRefused(() => post('SignUp', signUpBody(), { target: 'SignUp' }), 'UnknownOperationException');
  });

  it('broken JSON is SerializationException', async () => {
    const body = JSON.stringify(signUpBody()).slice(0, -5);
    await expectRefused(() => post('SignUp', body), 'SerializationException');
  });

  it.each([
    ['an array', JSON.stringify([signUpBody()])],
    ['a string', JSON.stringify('SignUp')],
    ['null', 'null'],
    ['a number', '42'],
  ])('a JSON body that is %s is SerializationException', async (_label, body) => {
    await expectRefused(() => post('SignUp', body), 'SerializationException');
  });

  it('a body over 256 KiB is 413 RequestEntityTooLargeException', async () => {
    const email = nextEmail();
    const body = JSON.stringify({ ...signUpBody(email), ClientMetadata: { pad: 'x'.repeat(256 * 1024) } });
    expect(Buffer.byteLength(body)).toBeGreaterThan(256 * 1024);
    await expectRefused(() => post('SignUp', body, { headers: { origin: 'http://example.test' } }), 'RequestEntityTooLargeException', 413);
    expect(await server.store.users.getByEmailKey(poolId, email)).toBeUndefined();
  });

  it('an oversized body sent chunked (no Content-Length) is 413 too', async () => {
    const encoder = new TextEncoder();
    const chunks = [encoder.encode(`{"ClientId":"${clientId}","Pad":"`), ...Array.from({ length: 6 }, () => encoder.encode('x'.repeat(64 * 1024))), encoder.encode('"}')];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const send = async () =>
      read(
        await fetch(`${server.url}/`, {
          method: 'POST',
          headers: { 'x-amz-target': `${PREFIX}SignUp`, 'content-type': JSON_11 },
          body: stream,
          duplex: 'half',
        } as RequestInit),
      );
    await expectRefused(send, 'RequestEntityTooLargeException', 413);
  });

  it('a JSON value nested deeper than 1000 levels, even in an unknown member, is SerializationException (not a 500)', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const body = JSON.stringify(signUpBody()).replace(/}$/, `,"Extra":${deep}}`);
    const r = await expectRefused(() => post('SignUp', body), 'SerializationException');
    expect(r.json.message).toContain('nested');
    const deepObject = `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`;
    await expectRefused(() => post('SignUp', JSON.stringify(signUpBody()).replace(/}$/, `,"Extra":${deepObject}}`)), 'SerializationException');
  });

  it('moderate nesting in an unknown member is ignored like any unknown member', async () => {
    const email = nextEmail();
    const body = JSON.stringify(signUpBody(email)).replace(/}$/, `,"Extra":${'['.repeat(500)}null${']'.repeat(500)}}`);
    const r = await post('SignUp', body);
    expect(r.status, r.text).toBe(200);
    expect(await server.store.users.getByEmailKey(poolId, email)).toBeDefined();
  });

  it('a body just under the limit is read (and then validated)', async () => {
    // ClientMetadata values may be long; the request is refused by the model, not the size limit.
    const body = JSON.stringify({ ...signUpBody(), ClientId: 7, ClientMetadata: { pad: 'x'.repeat(200 * 1024) } });
    const r = await expectRefused(() => post('SignUp', body), 'InvalidParameterException');
    expect(r.json.message).toContain("at 'clientId' failed to satisfy constraint: Member must be a string");
  });
});

describe('validation against the model', () => {
  it('a wrong field type is InvalidParameterException in Coral wording, without echoing the value', async () => {
    const r = await expectRefused(() => post('SignUp', { ...signUpBody(), Username: 123 }), 'InvalidParameterException');
    expect(r.json.message).toBe("1 validation error detected: Value at 'username' failed to satisfy constraint: Member must be a string");
    expect(r.headers.get('x-amzn-errormessage')).toBe(r.json.message);
  });

  it('a missing required field is "Value null … Member must not be null"', async () => {
    const { ClientId: _omit, ...body } = signUpBody();
    const r = await expectRefused(() => post('SignUp', body), 'InvalidParameterException');
    expect(r.json.message).toBe("1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null");
  });

  it('a required field sent as null is missing too', async () => {
    const r = await expectRefused(() => post('SignUp', { ...signUpBody(), ClientId: null }), 'InvalidParameterException');
    expect(r.json.message).toBe("1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null");
  });

  it('several failures are counted and all reported', async () => {
    const r = await expectRefused(() => post('SignUp', { Username: 'x'.repeat(129), Password: 5 }), 'InvalidParameterException');
    const message = r.json.message as string;
    expect(message).toMatch(/^3 validation errors detected: /);
    expect(message).toContain("Value null at 'clientId' failed to satisfy constraint: Member must not be null");
    expect(message).toContain("Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128");
    expect(message).toContain("Value at 'password' failed to satisfy constraint: Member must be a string");
  });

  it('a too long field is refused with its limit', async () => {
    const r = await expectRefused(() => post('SignUp', { ...signUpBody(), Username: `${'a'.repeat(129)}` }), 'InvalidParameterException');
    expect(r.json.message).toBe(
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128",
    );
  });

  it('a too long field inside a list is reported with its path', async () => {
    const email = nextEmail();
    const body = { ...signUpBody(email), UserAttributes: [{ Name: 'email', Value: email }, { Name: 'n'.repeat(33), Value: 'v' }] };
    const r = await expectRefused(() => post('SignUp', body), 'InvalidParameterException');
    expect(r.json.message).toContain("at 'userAttributes.2.member.name' failed to satisfy constraint: Member must have length less than or equal to 32");
  });

  it('an enum violation lists the allowed values', async () => {
    const r = await expectRefused(
      () => post('InitiateAuth', { AuthFlow: 'NOPE', ClientId: clientId, AuthParameters: { USERNAME: 'a@example.com', PASSWORD } }),
      'InvalidParameterException',
    );
    const message = r.json.message as string;
    expect(message).toMatch(/^1 validation error detected: Value 'NOPE' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: \[/);
    expect(message).toContain('USER_SRP_AUTH');
    expect(message).toContain('REFRESH_TOKEN_AUTH');
  });

  it('a map value of the wrong type is refused', async () => {
    const r = await expectRefused(
      () => post('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'a@example.com', PASSWORD: 1 } }),
      'InvalidParameterException',
    );
    expect(r.json.message).toContain("at 'authParameters.PASSWORD.value' failed to satisfy constraint: Member must be a string");
  });
});

describe('tolerated inputs', () => {
  it('null optional members are treated as absent (SignUp with "ValidationData": null)', async () => {
    const email = nextEmail();
    const before = await server.store.users.count(poolId);
    const r = await post('SignUp', { ...signUpBody(email), ValidationData: null, ClientMetadata: null, SecretHash: null });
    expect(r.status, r.text).toBe(200);
    expect(r.json.UserSub).toMatch(UUID_RE);
    expect(r.json.UserConfirmed).toBe(false);
    expect(await server.store.users.count(poolId)).toBe(before + 1);
    expect((await server.store.users.getByEmailKey(poolId, email))?.sub).toBe(r.json.UserSub);
  });

  it('unknown extra members are ignored', async () => {
    const email = nextEmail();
    const r = await post('SignUp', {
      ...signUpBody(email),
      UserContextData: { EncodedData: 'x' },
      AnalyticsMetadata: { AnalyticsEndpointId: 'y' },
      SomethingNew: { nested: [1, 2, 3] },
      ClientMetadata: {},
    });
    expect(r.status, r.text).toBe(200);
    expect(await server.store.users.getByEmailKey(poolId, email)).toBeDefined();
  });

  it('a text/plain request is still read as JSON', async () => {
    const email = nextEmail();
    const r = await post('SignUp', signUpBody(email), { contentType: 'text/plain' });
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get('content-type')).toContain(JSON_11);
    expect(await server.store.users.getByEmailKey(poolId, email)).toBeDefined();
  });

  it('a request without Content-Type is still read as JSON', async () => {
    const email = nextEmail();
    const res = await fetch(`${server.url}/`, {
      method: 'POST',
      headers: { 'x-amz-target': `${PREFIX}SignUp` },
      body: new TextEncoder().encode(JSON.stringify(signUpBody(email))),
    });
    const r = await read(res);
    expect(r.status, r.text).toBe(200);
    expect(await server.store.users.getByEmailKey(poolId, email)).toBeDefined();
  });

  it('InitiateAuth REFRESH_TOKEN_AUTH accepts "DEVICE_KEY": null inside AuthParameters (identity-js does that)', async () => {
    const email = nextEmail();
    expect((await post('SignUp', signUpBody(email))).status).toBe(200);
    const user = await server.store.users.getByEmailKey(poolId, email);
    await server.store.users.update(poolId, user!.username, { status: 'CONFIRMED' }, Date.now());
    const signIn = await post('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: email, PASSWORD, DEVICE_KEY: null }, ClientMetadata: {},
    });
    expect(signIn.status, signIn.text).toBe(200);
    const refreshToken = (signIn.json.AuthenticationResult as { RefreshToken: string }).RefreshToken;
    expect(refreshToken).toBeTruthy();
    const refreshed = await post('InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: refreshToken, DEVICE_KEY: null }, ClientMetadata: {},
    });
    expect(refreshed.status, refreshed.text).toBe(200);
    const result = refreshed.json.AuthenticationResult as Record<string, unknown>;
    expect(typeof result.AccessToken).toBe('string');
    expect(typeof result.IdToken).toBe('string');
    expect(result.ExpiresIn).toBe(3600);
  });
});

describe('success responses', () => {
  it('carry the JSON 1.1 content type, a request id, a Date header and epoch-second dates', async () => {
    const before = Date.now() / 1000;
    const email = nextEmail();
    const signUp = await post('SignUp', signUpBody(email));
    expect(signUp.status, signUp.text).toBe(200);
    expect(signUp.headers.get('content-type')).toContain(JSON_11);
    expect(signUp.headers.get('x-amzn-requestid')).toMatch(UUID_RE);
    expect(signUp.headers.get('x-amzn-errortype')).toBeNull();
    expect(Number.isNaN(Date.parse(signUp.headers.get('date') ?? ''))).toBe(false);

    const user = await signedPost('AdminGetUser', JSON.stringify({ UserPoolId: poolId, Username: email }));
    expect(user.status, user.text).toBe(200);
    expect(user.headers.get('x-amzn-requestid')).toMatch(UUID_RE);
    expect(user.headers.get('x-amzn-requestid')).not.toBe(signUp.headers.get('x-amzn-requestid'));
    for (const field of ['UserCreateDate', 'UserLastModifiedDate']) {
      const value = user.json[field];
      expect(typeof value, field).toBe('number');
      expect(value as number).toBeGreaterThanOrEqual(Math.floor(before) - 1);
      expect(value as number).toBeLessThanOrEqual(Date.now() / 1000 + 1);
    }
    expect(user.text).toMatch(/"UserCreateDate":\d+(\.\d+)?[,}]/);

    const pool = await signedPost('DescribeUserPool', JSON.stringify({ UserPoolId: poolId }));
    expect(pool.status, pool.text).toBe(200);
    const described = pool.json.UserPool as Record<string, unknown>;
    expect(typeof described.CreationDate).toBe('number');
    expect(typeof described.LastModifiedDate).toBe('number');
    expect(described.CreationDate as number).toBeLessThan(Date.now() / 1000 + 1);
    expect(described.CreationDate as number).toBeGreaterThan(Date.now() / 1000 - 600);
  });
});

// ---- SigV4 over raw HTTP ----

interface SignOptions {
  secret?: string;
  accessKeyId?: string;
  target?: string;
  /** Keep x-amz-content-sha256 out of the request (the server then hashes the body itself). */
  noContentHash?: boolean;
}

async function signedHeaders(op: string, body: string, opts: SignOptions = {}): Promise<Record<string, string>> {
  const url = new URL(server.url);
  const signer = new SignatureV4({
    service: 'cognito-idp',
    region: 'us-east-1',
    credentials: { accessKeyId: opts.accessKeyId ?? ADMIN.accessKeyId, secretAccessKey: opts.secret ?? ADMIN.secretAccessKey },
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: {},
      headers: {
        'content-type': JSON_11,
        'x-amz-target': opts.target ?? `${PREFIX}${op}`,
        'content-length': String(Buffer.byteLength(body)),
        host: url.host,
      },
      body,
    },
    { unsignableHeaders: opts.noContentHash ? new Set(['x-amz-content-sha256']) : undefined },
  );
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) {
    // fetch sets Host and Content-Length from the URL and the body itself.
    if (k.toLowerCase() === 'host' || k.toLowerCase() === 'content-length') continue;
    if (opts.noContentHash && k.toLowerCase() === 'x-amz-content-sha256') continue;
    headers[k.toLowerCase()] = v;
  }
  return headers;
}

async function sendWith(headers: Record<string, string>, body: string): Promise<Reply> {
  return read(await fetch(`${server.url}/`, { method: 'POST', headers, body }));
}

async function signedPost(op: string, body: string, opts: SignOptions = {}): Promise<Reply> {
  return sendWith(await signedHeaders(op, body, opts), body);
}

describe('admin operations need a valid SigV4 signature', () => {
  const createPool = (name: string) => JSON.stringify({ PoolName: name });

  it('a correctly signed raw request is accepted (the control for the refusals below)', async () => {
    const before = (await server.store.pools.list(undefined, 100)).length;
    const r = await signedPost('CreateUserPool', createPool('signed-ok'));
    expect(r.status, r.text).toBe(200);
    expect((r.json.UserPool as { Name: string }).Name).toBe('signed-ok');
    expect((await server.store.pools.list(undefined, 100)).length).toBe(before + 1);
    const noHash = await signedPost('ListUserPools', JSON.stringify({ MaxResults: 60 }), { noContentHash: true });
    expect(noHash.status, noHash.text).toBe(200);
  });

  it('an unsigned call is MissingAuthenticationTokenException', async () => {
    const r = await expectRefused(() => post('CreateUserPool', { PoolName: 'unsigned' }), 'MissingAuthenticationTokenException');
    expect(r.json.message).toBe('Missing Authentication Token');
    await expectRefused(() => post('AdminDeleteUser', { UserPoolId: poolId, Username: 'whoever' }), 'MissingAuthenticationTokenException');
  });

  it('a signature made with the wrong secret is InvalidSignatureException', async () => {
    const r = await expectRefused(
      () => signedPost('CreateUserPool', createPool('bad-secret'), { secret: 'not-the-admin-secret-0123456789' }),
      'InvalidSignatureException',
    );
    expect(r.json.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
  });

  it('a garbled signature is InvalidSignatureException', async () => {
    const body = createPool('garbled');
    const headers = await signedHeaders('CreateUserPool', body);
    headers.authorization = headers.authorization!.replace(/Signature=([0-9a-f])/, (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`);
    await expectRefused(() => sendWith(headers, body), 'InvalidSignatureException');
  });

  it('an unknown access key id is UnrecognizedClientException', async () => {
    const r = await expectRefused(
      () => signedPost('CreateUserPool', createPool('unknown-key'), { accessKeyId: 'AKIAUNKNOWNKEY000000' }),
      'UnrecognizedClientException',
    );
    expect(r.json.message).toBe('The security token included in the request is invalid.');
  });

  it('a body changed after signing is InvalidSignatureException (with x-amz-content-sha256)', async () => {
    const signedBody = createPool('alpha-pool');
    const headers = await signedHeaders('CreateUserPool', signedBody);
    expect(headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    const changed = signedBody.replace('alpha', 'omega');
    expect(changed.length).toBe(signedBody.length);
    await expectRefused(() => sendWith(headers, changed), 'InvalidSignatureException');
    expect((await server.store.pools.list(undefined, 100)).some((p) => p.name === 'omega-pool')).toBe(false);
  });

  it('a body changed after signing is InvalidSignatureException (without x-amz-content-sha256)', async () => {
    const signedBody = createPool('alpha-pool');
    const headers = await signedHeaders('CreateUserPool', signedBody, { noContentHash: true });
    expect(headers['x-amz-content-sha256']).toBeUndefined();
    await expectRefused(() => sendWith(headers, signedBody.replace('alpha', 'omega')), 'InvalidSignatureException');
  });

  it('a target changed after signing is InvalidSignatureException', async () => {
    const email = nextEmail();
    expect((await post('SignUp', signUpBody(email))).status).toBe(200);
    const username = (await server.store.users.getByEmailKey(poolId, email))!.username;
    const body = JSON.stringify({ UserPoolId: poolId, Username: username });
    const headers = await signedHeaders('AdminGetUser', body);
    headers['x-amz-target'] = `${PREFIX}AdminDeleteUser`;
    await expectRefused(() => sendWith(headers, body), 'InvalidSignatureException');
    expect(await server.store.users.getByKey(poolId, username)).toBeDefined();
  });

  it('the signature is checked before the body is parsed or validated', async () => {
    await expectRefused(() => post('CreateUserPool', '{not json'), 'MissingAuthenticationTokenException');
    await expectRefused(() => post('CreateUserPool', { PoolName: 5 }), 'MissingAuthenticationTokenException');
  });
});

describe('CORS', () => {
  it('answers a preflight from any origin with the requested headers allowed', async () => {
    const res = await fetch(`${server.url}/`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://example.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent',
      },
    });
    expect([200, 204]).toContain(res.status);
    const origin = res.headers.get('access-control-allow-origin');
    expect(origin === '*' || origin === 'http://example.test').toBe(true);
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',').map((h) => h.trim());
    for (const h of ['content-type', 'x-amz-target', 'x-amz-user-agent']) expect(allowed).toContain(h);
    expect((res.headers.get('access-control-allow-methods') ?? '').toUpperCase()).toContain('POST');
  });

  it.each([
    ['an error', () => post('NoSuchOperation', {}, { headers: { origin: 'http://example.test' } }), 400],
    ['a validation error', () => post('SignUp', { Username: 1 }, { headers: { origin: 'http://example.test' } }), 400],
    [
      'an oversized body',
      () => post('SignUp', JSON.stringify({ pad: 'x'.repeat(300 * 1024) }), { headers: { origin: 'http://example.test' } }),
      413,
    ],
  ])('%s carries Access-Control-Allow-Origin and exposes x-amzn-ErrorType', async (_label, send, status) => {
    const r = await send();
    expect(r.status).toBe(status);
    const origin = r.headers.get('access-control-allow-origin');
    expect(origin === '*' || origin === 'http://example.test').toBe(true);
    const exposed = (r.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(',').map((h) => h.trim());
    expect(exposed).toContain('x-amzn-errortype');
    expect(exposed).toContain('x-amzn-requestid');
    expect(exposed).toContain('x-amzn-errormessage');
  });

  it('a success carries Access-Control-Allow-Origin too', async () => {
    const r = await post('SignUp', signUpBody(), { headers: { origin: 'http://example.test' } });
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toMatch(/^(\*|http:\/\/example\.test)$/);
    expect((r.headers.get('access-control-expose-headers') ?? '').toLowerCase()).toContain('x-amzn-requestid');
  });
});

describe('GET endpoints', () => {
  it('GET /health is 200 {status: ok}', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it("a pool's JWKS has its two public RSA keys and nothing private", async () => {
    const res = await fetch(`${server.url}/${poolId}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(2);
    const stored = await server.store.keys.list(poolId);
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual(stored.map((k) => k.kid).sort());
    expect(new Set(jwks.keys.map((k) => k.kid)).size).toBe(2);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
      expect(typeof key.kid).toBe('string');
      expect(typeof key.n).toBe('string');
      expect((key.n as string).length).toBeGreaterThanOrEqual(342); // ≥ 2048 bits, base64url
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) expect(key, secret).not.toHaveProperty(secret);
    }
  });

  it("a pool's openid-configuration names its issuer and JWKS", async () => {
    const res = await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const config = (await res.json()) as Record<string, unknown>;
    expect(config.issuer).toBe(`${server.url}/${poolId}`);
    expect(config.jwks_uri).toBe(`${server.url}/${poolId}/.well-known/jwks.json`);
    const jwks = await fetch(config.jwks_uri as string);
    expect(jwks.status).toBe(200);
  });

  it('an unknown pool is 404 on both', async () => {
    for (const path of ['jwks.json', 'openid-configuration']) {
      const res = await fetch(`${server.url}/us-east-1_doesnotexist/.well-known/${path}`);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { __type: string }).__type).toBe('ResourceNotFoundException');
    }
  });
});
