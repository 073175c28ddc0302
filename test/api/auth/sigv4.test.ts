import { describe, it, expect } from 'vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { buildQueryString } from '@smithy/core/protocols';
import type { HttpRequest, QueryParameterBag } from '@smithy/types';
import { CognitoIdentityProviderClient, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { verifySigV4, type SignedRequest, type SigV4Options } from '../../../src/api/auth/sigv4.js';
import { CognitoError } from '../../../src/errors/cognito-error.js';

const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SIGNED_AT = new Date('2024-01-01T00:00:00Z');
const BODY = JSON.stringify({ UserPoolId: 'us-east-1_abc123', Username: 'alice' });

interface SignArgs {
  service?: string;
  region?: string;
  secret?: string;
  path?: string;
  query?: QueryParameterBag;
  headers?: Record<string, string>;
  unsignableHeaders?: Set<string>;
}

/** Signs like the SDK v3 does for Cognito, then turns the result into what the server receives. */
async function sign(args: SignArgs = {}): Promise<SignedRequest> {
  const signer = new SignatureV4({
    service: args.service ?? 'cognito-idp',
    region: args.region ?? 'us-east-1',
    credentials: { accessKeyId: AKID, secretAccessKey: args.secret ?? SECRET },
    sha256: Sha256,
  });
  const request: HttpRequest = {
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 9229,
    path: args.path ?? '/',
    query: args.query ?? {},
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetUser',
      'content-length': String(Buffer.byteLength(BODY)),
      host: '127.0.0.1:9229',
      ...args.headers,
    },
    body: BODY,
  };
  const signed = await signer.sign(request, { signingDate: SIGNED_AT, unsignableHeaders: args.unsignableHeaders });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  return {
    method: signed.method,
    path: signed.path,
    query: buildQueryString(signed.query ?? {}),
    headers,
    body: Buffer.from(BODY),
  };
}

const opts = (over: Partial<SigV4Options> = {}): SigV4Options => ({
  service: 'cognito-idp',
  lookupSecret: (id) => (id === AKID ? SECRET : undefined),
  now: SIGNED_AT,
  ...over,
});

/** Runs fn, expecting a CognitoError of the given type; returns it for further checks. */
function expectError(fn: () => unknown, type: string): CognitoError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(CognitoError);
  const err = caught as CognitoError;
  expect(err.type).toBe(type);
  return err;
}

describe('verifySigV4', () => {
  it('accepts a request signed by the SDK and returns the access key id and region', async () => {
    const req = await sign();
    expect(req.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(req.headers.authorization).toContain('SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target');
    expect(verifySigV4(req, opts())).toEqual({ accessKeyId: AKID, region: 'us-east-1' });
  });

  it('accepts a request signed by the real Cognito client', async () => {
    let captured: HttpRequest | undefined;
    const client = new CognitoIdentityProviderClient({
      region: 'eu-west-3',
      endpoint: 'http://127.0.0.1:9229',
      credentials: { accessKeyId: AKID, secretAccessKey: SECRET },
      maxAttempts: 1,
      requestHandler: {
        handle: async (request: HttpRequest) => {
          captured = request;
          throw new Error('captured');
        },
      },
    });
    await expect(client.send(new ListUserPoolsCommand({ MaxResults: 10 }))).rejects.toThrow('captured');
    if (!captured) throw new Error('no request captured');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(captured.headers)) headers[k.toLowerCase()] = v;
    // The SDK hands over a Uint8Array subclass (JsonBytesStringAdapter); copy its bytes as the wire would.
    const raw: unknown = captured.body;
    const body = raw instanceof Uint8Array ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength) : Buffer.from(String(raw));
    const req: SignedRequest = { method: captured.method, path: captured.path, query: buildQueryString(captured.query ?? {}), headers, body };
    expect(verifySigV4(req, opts({ now: new Date() }))).toEqual({ accessKeyId: AKID, region: 'eu-west-3' });
  });

  it('refuses a body changed after signing, even with the original x-amz-content-sha256 kept', async () => {
    const req = await sign();
    req.body = Buffer.from(BODY.replace('alice', 'mallory'));
    const err = expectError(() => verifySigV4(req, opts()), 'InvalidSignatureException');
    expect(err.message).toContain('x-amz-content-sha256');
  });

  it('refuses a changed body when no x-amz-content-sha256 header is sent', async () => {
    const req = await sign({ unsignableHeaders: new Set(['x-amz-content-sha256']) });
    delete req.headers['x-amz-content-sha256'];
    expect(verifySigV4(req, opts())).toEqual({ accessKeyId: AKID, region: 'us-east-1' });
    req.body = Buffer.from(BODY.replace('alice', 'mallory'));
    expectError(() => verifySigV4(req, opts()), 'InvalidSignatureException');
  });

  it('refuses a changed signed header', async () => {
    const req = await sign();
    req.headers['x-amz-target'] = 'AWSCognitoIdentityProviderService.AdminDeleteUser';
    expectError(() => verifySigV4(req, opts()), 'InvalidSignatureException');
  });

  it('refuses a request signed with the wrong secret', async () => {
    const req = await sign({ secret: 'not-the-secret' });
    const err = expectError(() => verifySigV4(req, opts()), 'InvalidSignatureException');
    expect(err.message).toMatch(/^The request signature we calculated does not match/);
  });

  it('refuses an unknown access key id', async () => {
    const req = await sign();
    expectError(() => verifySigV4(req, opts({ lookupSecret: () => undefined })), 'UnrecognizedClientException');
  });

  it('refuses a request without Authorization', async () => {
    const req = await sign();
    delete req.headers.authorization;
    const err = expectError(() => verifySigV4(req, opts()), 'MissingAuthenticationTokenException');
    expect(err.message).toBe('Missing Authentication Token');
  });

  it('refuses a credential scoped to another service', async () => {
    const req = await sign({ service: 'iam' });
    const err = expectError(() => verifySigV4(req, opts()), 'InvalidSignatureException');
    expect(err.message).toBe("Credential should be scoped to correct service: 'cognito-idp'.");
  });

  it('refuses a credential scoped to another region than the server is configured for', async () => {
    const req = await sign({ region: 'eu-west-1' });
    const err = expectError(() => verifySigV4(req, opts({ region: 'us-east-1' })), 'InvalidSignatureException');
    expect(err.message).toBe('Credential should be scoped to a valid region.');
    expect(verifySigV4(await sign(), opts({ region: 'us-east-1' })).region).toBe('us-east-1');
  });

  it('refuses a request 6 minutes old, with AWS wording', async () => {
    const req = await sign();
    const err = expectError(() => verifySigV4(req, opts({ now: new Date('2024-01-01T00:06:00Z') })), 'InvalidSignatureException');
    expect(err.message).toBe('Signature expired: 20240101T000000Z is now earlier than 20240101T000100Z (20240101T000600Z - 5 min.)');
  });

  it('refuses a request 6 minutes in the future, with AWS wording', async () => {
    const req = await sign();
    const err = expectError(() => verifySigV4(req, opts({ now: new Date('2023-12-31T23:54:00Z') })), 'InvalidSignatureException');
    expect(err.message).toBe('Signature not yet current: 20240101T000000Z is still later than 20231231T235900Z (20231231T235400Z + 5 min.)');
  });

  it('accepts a request 4 minutes either side of now', async () => {
    const req = await sign();
    expect(() => verifySigV4(req, opts({ now: new Date('2024-01-01T00:04:00Z') }))).not.toThrow();
    expect(() => verifySigV4(req, opts({ now: new Date('2023-12-31T23:56:00Z') }))).not.toThrow();
  });

  it('uses the configured skew window in the message', async () => {
    const req = await sign();
    const err = expectError(
      () => verifySigV4(req, opts({ now: new Date('2024-01-01T00:02:00Z'), maxSkewMs: 60_000 })),
      'InvalidSignatureException',
    );
    expect(err.message).toContain('(20240101T000200Z - 1 min.)');
  });

  it('refuses a scope date that does not match the request date', async () => {
    const req = await sign();
    req.headers.authorization = req.headers.authorization?.toString().replace('/20240101/', '/20240102/');
    const err = expectError(() => verifySigV4(req, opts()), 'InvalidSignatureException');
    expect(err.message).toContain("'20240102' != '20240101'");
  });

  it('requires host to be signed', async () => {
    const req = await sign({ unsignableHeaders: new Set(['host']) });
    expect(req.headers.authorization).not.toMatch(/SignedHeaders=[^,]*host/);
    const err = expectError(() => verifySigV4(req, opts()), 'IncompleteSignatureException');
    expect(err.message).toContain('Host');
  });

  it('requires every signed header to be present', async () => {
    const req = await sign();
    delete req.headers['x-amz-target'];
    const err = expectError(() => verifySigV4(req, opts()), 'IncompleteSignatureException');
    expect(err.message).toContain('x-amz-target');
  });

  it('requires x-amz-date or Date', async () => {
    const req = await sign();
    delete req.headers['x-amz-date'];
    req.headers.authorization = req.headers.authorization?.toString().replace('x-amz-date;', '');
    const err = expectError(() => verifySigV4(req, opts()), 'IncompleteSignatureException');
    expect(err.message).toContain('Date');
  });

  it('falls back to the Date header when x-amz-date is absent', async () => {
    const req = await sign({ unsignableHeaders: new Set(['x-amz-date']) });
    delete req.headers['x-amz-date'];
    req.headers.date = 'Mon, 01 Jan 2024 00:00:00 GMT';
    expect(verifySigV4(req, opts())).toEqual({ accessKeyId: AKID, region: 'us-east-1' });
  });

  it('canonicalises header whitespace like the SDK', async () => {
    const req = await sign({ headers: { 'x-custom': 'a   b \t c' } });
    expect(req.headers.authorization).toContain('x-custom');
    expect(verifySigV4(req, opts())).toEqual({ accessKeyId: AKID, region: 'us-east-1' });
  });

  it.each([
    ['garbage', 'AWS4-HMAC-SHA256'],
    ['another algorithm', 'AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00'],
    ['no Signature', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host'],
    ['no Credential', 'AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abcd'],
    ['short credential', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1, SignedHeaders=host, Signature=abcd'],
    ['bad terminator', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/cognito-idp/aws5_request, SignedHeaders=host, Signature=abcd'],
  ])('refuses a malformed Authorization header (%s)', async (_label, authorization) => {
    const req = await sign();
    req.headers.authorization = authorization;
    expectError(() => verifySigV4(req, opts()), 'IncompleteSignatureException');
  });

  it('verifies percent-encoded and unnormalised paths exactly as the SDK signs them', async () => {
    for (const path of ['/a%20b/c', '/x%2Fy/%E2%82%AC', '/p//q/./r/../s/']) {
      const req = await sign({ path });
      expect(req.path).toBe(path);
      expect(verifySigV4(req, opts())).toEqual({ accessKeyId: AKID, region: 'us-east-1' });
      expectError(() => verifySigV4({ ...req, path: '/other' }, opts()), 'InvalidSignatureException');
    }
  });

  it('verifies query strings exactly as the SDK signs them', async () => {
    const req = await sign({ query: { b: 'x y+z', a: ['2', '1'], 'k~*': "it's", empty: '' } });
    expect(verifySigV4(req, opts())).toEqual({ accessKeyId: AKID, region: 'us-east-1' });
    expectError(() => verifySigV4({ ...req, query: `${req.query}&extra=1` }, opts()), 'InvalidSignatureException');
  });

  it('treats a signature of the wrong length as a mismatch', async () => {
    const req = await sign();
    req.headers.authorization = req.headers.authorization?.toString().replace(/Signature=\w+/, 'Signature=abc');
    expectError(() => verifySigV4(req, opts()), 'InvalidSignatureException');
  });
});
