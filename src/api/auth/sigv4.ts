import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import {
  IncompleteSignatureException, InvalidSignatureException, MissingAuthenticationTokenException, UnrecognizedClientException,
} from '../../errors/catalog.js';

/**
 * AWS Signature Version 4 verification (Authorization-header form only) for the admin operations,
 * canonicalising requests exactly as the AWS SDK v3 signer (@smithy/signature-v4) does for a
 * non-S3 service.
 */

export interface SignedRequest {
  method: string;
  path: string; // raw path as received, without query (may be percent-encoded)
  query: string; // raw query string without '?', '' if none
  headers: Record<string, string | string[] | undefined>; // IncomingMessage headers (lower-case names)
  body: Buffer;
}

export interface SigV4Options {
  service: string;
  /** The region requests must be signed for (this server's); any region when unset. */
  region?: string;
  lookupSecret: (accessKeyId: string) => string | undefined;
  now: Date;
  maxSkewMs?: number; // allowed clock skew either way; default 5 minutes
}

export interface SigV4Identity { accessKeyId: string; region: string; }

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
const DEFAULT_SKEW_MS = 5 * 60 * 1000;

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded. */
const uriEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // malformed escapes: canonicalise the raw text
  }
};

/** YYYYMMDD'T'HHMMSS'Z' */
const amzDate = (d: Date): string => d.toISOString().replace(/[-:]|\.\d{3}/g, '');

/** A header's value; repeated values joined with ','. */
const headerValue = (headers: SignedRequest['headers'], name: string): string | undefined => headers[name]?.toString();

/** Like the SDK: drop empty and '.' segments, resolve '..', then encode each (raw) segment again. */
function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(uriEncode(seg));
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `/${segments.join('/')}${trailing}`;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Each pair decoded then RFC 3986-encoded, sorted by key then value. */
function canonicalQuery(query: string): string {
  const pairs = query.split('&').filter((p) => p !== '').map((p) => {
    const eq = p.indexOf('=');
    const [k, v] = eq < 0 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
    return [uriEncode(decode(k)), uriEncode(decode(v))] as const;
  });
  pairs.sort((x, y) => compare(x[0], y[0]) || compare(x[1], y[1]));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function parseAuthorization(auth: string) {
  const match = /^(\S+)\s+(.*)$/s.exec(auth.trim());
  if (!match) throw new IncompleteSignatureException(`Authorization header is malformed: '${auth}'.`);
  const [, algorithm = '', rest = ''] = match;
  if (algorithm !== ALGORITHM) {
    throw new IncompleteSignatureException(`Unsupported AWS 'algorithm': '${algorithm}'; only '${ALGORITHM}' is accepted.`);
  }
  const params = new Map<string, string>();
  for (const part of rest.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((k) => !params.get(k));
  if (missing.length > 0) {
    throw new IncompleteSignatureException(`${missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' ')} Authorization=${auth}`);
  }
  const credential = params.get('Credential') ?? '';
  const parts = credential.split('/');
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = parts;
  if (parts.length !== 5 || parts.some((p) => p === '')) {
    throw new IncompleteSignatureException(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'.`);
  }
  if (terminator !== TERMINATOR) {
    throw new IncompleteSignatureException(`Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'.`);
  }
  const signedHeaders = (params.get('SignedHeaders') ?? '').split(';');
  return { accessKeyId, date, region, service, scope: parts.slice(1).join('/'), signedHeaders, signature: params.get('Signature') ?? '' };
}

/** The request time, from x-amz-date or else the Date header. */
function requestTime(headers: SignedRequest['headers']): Date {
  const xAmzDate = headerValue(headers, 'x-amz-date');
  if (xAmzDate !== undefined) {
    const d = new Date(xAmzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    if (Number.isNaN(d.getTime()) || amzDate(d) !== xAmzDate) {
      throw new IncompleteSignatureException(`Date must be in ISO-8601 'basic format'. Got '${xAmzDate}'.`);
    }
    return d;
  }
  const date = headerValue(headers, 'date');
  if (date === undefined) {
    throw new IncompleteSignatureException("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const d = new Date(date);
  if (Number.isNaN(d.getTime())) throw new IncompleteSignatureException(`The 'Date' header is not a valid date: '${date}'.`);
  return d;
}

export function verifySigV4(req: SignedRequest, opts: SigV4Options): SigV4Identity {
  const auth = headerValue(req.headers, 'authorization');
  if (auth === undefined || auth.trim() === '') throw new MissingAuthenticationTokenException();
  const a = parseAuthorization(auth);

  if (!a.signedHeaders.map((h) => h.toLowerCase()).includes('host')) {
    throw new IncompleteSignatureException("'Host' must be a signed header.");
  }
  const canonicalHeaders = a.signedHeaders.map((name) => {
    const value = headerValue(req.headers, name.toLowerCase());
    if (value === undefined) throw new IncompleteSignatureException(`Signed header '${name}' is missing from the request.`);
    return `${name}:${value.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '')}\n`;
  });
  const time = requestTime(req.headers);

  if (a.service !== opts.service) {
    throw new InvalidSignatureException(`Credential should be scoped to correct service: '${opts.service}'.`);
  }
  if (opts.region !== undefined && a.region !== opts.region) {
    throw new InvalidSignatureException('Credential should be scoped to a valid region.');
  }
  const secret = opts.lookupSecret(a.accessKeyId);
  if (secret === undefined) throw new UnrecognizedClientException();

  const timeStr = amzDate(time);
  const day = timeStr.slice(0, 8);
  if (day !== a.date) {
    throw new InvalidSignatureException(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${a.date}' != '${day}', from '${timeStr}'.`);
  }
  const skew = opts.maxSkewMs ?? DEFAULT_SKEW_MS;
  const minutes = `${skew / 60_000} min.`;
  const now = opts.now.getTime();
  if (time.getTime() < now - skew) {
    const min = amzDate(new Date(now - skew));
    throw new InvalidSignatureException(`Signature expired: ${timeStr} is now earlier than ${min} (${amzDate(opts.now)} - ${minutes})`);
  }
  if (time.getTime() > now + skew) {
    const max = amzDate(new Date(now + skew));
    throw new InvalidSignatureException(`Signature not yet current: ${timeStr} is still later than ${max} (${amzDate(opts.now)} + ${minutes})`);
  }

  // Always hash the body ourselves: a (signed) hash header must never vouch for a different body.
  const payloadHash = sha256Hex(req.body);
  const claimedHash = headerValue(req.headers, 'x-amz-content-sha256');
  if (claimedHash !== undefined && claimedHash.trim().toLowerCase() !== payloadHash) {
    throw new InvalidSignatureException("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  const signedHeaders = a.signedHeaders.join(';');
  const canonicalRequest = [req.method, canonicalUri(req.path), canonicalQuery(req.query), canonicalHeaders.join(''), signedHeaders, payloadHash].join('\n');
  const stringToSign = [ALGORITHM, timeStr, a.scope, sha256Hex(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${secret}`, a.date);
  for (const part of [a.region, a.service, TERMINATOR]) key = hmac(key, part);
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign).digest('hex'));
  const provided = Buffer.from(a.signature);
  if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) {
    throw new InvalidSignatureException();
  }
  return { accessKeyId: a.accessKeyId, region: a.region };
}
