import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { AdminConfirmSignUpCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL, shapeOf, type Shape } from '../../src/api/model/model.js';
import { OPERATIONS } from '../../src/api/operations/index.js';
import { PROTOCOL_ERRORS } from '../../src/errors/catalog.js';
import { ADMIN, createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Property-based fuzzing of every served operation with requests that are malformed for certain (a
 * required member missing, a member of the wrong type, a string over its limit, broken or non-object
 * JSON, deep nesting) dressed with noise (extra members, unicode edge cases, huge strings, nulls, odd
 * content types). Whatever comes in: the answer is one of the operation's declared errors or a protocol
 * error, never InternalErrorException; the server keeps answering; its memory stays bounded; and the
 * store is exactly as it was.
 */
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 60);
/**
 * Heap growth, after full collections, that would mean the server keeps something of every request: the
 * default storm sends about 6 MiB in 3,180 requests and the heap ended 4.3 MiB above where it started
 * (this process's: vitest, fast-check and the HTTP client's bookkeeping are in it too); the large-request
 * probe sends 50 MiB, and a server made to keep each body fails it at 48 MiB.
 */
const HEAP_GROWTH_LIMIT = 16 * 1024 * 1024;
let server: TestServer;
let poolId: string;
let clientId: string;
let heapBefore = 0;

const signer = new SignatureV4({ service: 'cognito-idp', region: 'us-east-1', credentials: ADMIN, sha256: Sha256 });

interface FuzzRequest {
  body: string | Buffer;
  contentType: string;
  sign: boolean;
}

async function send(operation: string, req: FuzzRequest): Promise<{ status: number; type: string | undefined; text: string }> {
  const url = new URL(server.url);
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': req.contentType,
    'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
  };
  if (req.sign) {
    const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers, body: req.body, query: {} });
    Object.assign(headers, signed.headers);
  }
  const res = await fetch(`${server.url}/`, { method: 'POST', headers, body: typeof req.body === 'string' ? req.body : new Uint8Array(req.body) });
  const text = await res.text();
  let type: string | undefined;
  try {
    type = (JSON.parse(text) as { __type?: string }).__type;
  } catch {
    type = undefined;
  }
  return { status: res.status, type, text };
}

/** Everything the store holds that a request could change, as one digest. */
async function storeDigest(): Promise<string> {
  const h = createHash('sha256');
  const pools = await server.store.pools.list(undefined, 10_000);
  h.update(JSON.stringify(pools));
  for (const p of pools) {
    h.update(JSON.stringify(await server.store.clients.list(p.id, undefined, 10_000)));
    h.update(JSON.stringify(await server.store.users.list(p.id, { limit: 10_000 })));
  }
  h.update(JSON.stringify(await server.store.outbox.recent(10_000)));
  return h.digest('hex');
}

// ---- generators -----------------------------------------------------------------------------------

const edgeStrings = fc.constantFrom(
  '', ' ', '\u0000', '\ud800', '\udfff', '\u202e', 'e\u0301', '😀'.repeat(3), '\ufeff', '%s%n', '../../etc/passwd', '<script>x</script>',
  "' or 1=1 --", '${jndi:ldap://x}', 'a'.repeat(5000), '\\', '"', '\r\n', 'us-east-1_', 'NaN', '-0', '1e309',
);
const noise: fc.Arbitrary<unknown> = fc.oneof(
  edgeStrings,
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.integer(), edgeStrings), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), edgeStrings), { maxKeys: 4 }),
);

/** A value roughly of the shape (the right type, random content): the request's background. */
function plausible(shapeName: string, depth = 0): fc.Arbitrary<unknown> {
  const s = shapeOf(shapeName);
  if (depth > 4) return fc.constant(undefined);
  switch (s.type) {
    case 'structure': {
      const members = Object.entries(s.members ?? {});
      if (members.length === 0) return fc.constant({});
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, m] of members) record[name] = plausible(m.shape, depth + 1);
      return fc.record(record, { requiredKeys: (s.required ?? []).filter((r) => r in record) });
    }
    case 'list':
      return fc.array(plausible(s.member!.shape, depth + 1), { maxLength: 3 });
    case 'map':
      return fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), plausible(s.value!.shape, depth + 1), { maxKeys: 3 });
    case 'string':
      return s.enum ? fc.constantFrom(...s.enum) : fc.oneof(fc.string({ maxLength: Math.min(s.max ?? 40, 40) }), edgeStrings);
    case 'integer':
    case 'long':
      return fc.integer({ min: s.min ?? -5, max: s.max !== undefined ? Math.min(s.max, 2 ** 31 - 1) : 100_000 });
    case 'boolean':
      return fc.boolean();
    case 'timestamp':
      return fc.integer({ min: 0, max: 2 ** 31 });
    case 'blob':
      return fc.base64String({ maxLength: 40 });
  }
}

/** A value that is not of this type (never null: null counts as absent). */
function wrongType(shape: Shape): fc.Arbitrary<unknown> {
  const choices: fc.Arbitrary<unknown>[] = [];
  if (shape.type !== 'string' && shape.type !== 'blob') choices.push(fc.string({ maxLength: 20 }));
  if (!['integer', 'long', 'timestamp'].includes(shape.type)) choices.push(fc.integer(), fc.double({ noDefaultInfinity: true, noNaN: true }));
  if (['integer', 'long'].includes(shape.type)) choices.push(fc.constant(1.5), fc.constant(2 ** 53 + 2));
  if (shape.type !== 'boolean') choices.push(fc.boolean());
  if (shape.type !== 'list') choices.push(fc.array(fc.integer(), { maxLength: 3 }));
  if (shape.type !== 'structure' && shape.type !== 'map') choices.push(fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }));
  return fc.oneof(...choices);
}

type Breakage = { kind: 'json'; input: Record<string, unknown> } | { kind: 'raw'; body: string | Buffer };

/** One certain defect, applied to a plausible input of the operation. */
function broken(inputShape: string): fc.Arbitrary<Breakage> {
  const s = shapeOf(inputShape);
  const members = Object.entries(s.members ?? {});
  const required = s.required ?? [];
  const strings = members.filter(([, m]) => shapeOf(m.shape).type === 'string' && shapeOf(m.shape).max !== undefined && shapeOf(m.shape).max! < 100_000);
  const base = plausible(inputShape) as fc.Arbitrary<Record<string, unknown>>;
  const withExtras = fc.tuple(base, fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(k in (s.members ?? {}))), noise, { maxKeys: 3 }))
    .map(([b, extra]) => ({ ...extra, ...b }));
  const defects: fc.Arbitrary<Breakage>[] = [
    // Not an object at the top, or not JSON at all.
    fc.oneof(
      fc.constantFrom('', '{', '{"a":', 'null', '[]', '"text"', '42', 'true', '{"a":1}}', '\ufeff{', '{"a":"\\ud800"', 'undefined'),
      fc.string({ unit: 'binary', maxLength: 200 }).filter((t) => {
        try {
          const v: unknown = JSON.parse(t);
          return typeof v !== 'object' || v === null || Array.isArray(v);
        } catch {
          return true;
        }
      }),
    ).map((body) => ({ kind: 'raw' as const, body })),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ kind: 'raw' as const, body: Buffer.concat([Buffer.from('{"x":"'), Buffer.from(bytes), Buffer.from([0xff, 0xfe])]) })),
    // Nesting over the 1,000-level limit, around an otherwise plausible input (built as text: too deep to stringify).
    fc.tuple(withExtras, fc.integer({ min: 1001, max: 5000 })).map(([input, n]) => ({
      kind: 'raw' as const,
      body: `{"Deep":${'['.repeat(n)}${']'.repeat(n)},${JSON.stringify(input).slice(1)}`.replace(/,}$/, '}'),
    })),
  ];
  if (required.length > 0) {
    defects.push(fc.tuple(withExtras, fc.constantFrom(...required)).map(([input, drop]) => {
      const copy = { ...input };
      delete copy[drop];
      return { kind: 'json' as const, input: copy };
    }));
    defects.push(
      fc.tuple(withExtras, fc.constantFrom(...required)).chain(([input, name]) =>
        wrongType(shapeOf(s.members![name]!.shape)).map((v) => ({ kind: 'json' as const, input: { ...input, [name]: v } })),
      ),
    );
  }
  if (members.length > 0) {
    defects.push(
      fc.tuple(withExtras, fc.constantFrom(...members)).chain(([input, [name, m]]) =>
        wrongType(shapeOf(m.shape)).map((v) => ({ kind: 'json' as const, input: { ...input, [name]: v } })),
      ),
    );
  }
  if (strings.length > 0) {
    defects.push(
      fc.tuple(withExtras, fc.constantFrom(...strings), fc.integer({ min: 1, max: 3000 }), fc.constantFrom('a', 'é', '😀')).map(([input, [name, m], extra, ch]) => ({
        kind: 'json' as const,
        input: { ...input, [name]: ch.repeat(shapeOf(m.shape).max! + extra) },
      })),
    );
  }
  return fc.oneof(...defects);
}

const request = (inputShape: string) =>
  fc.record({
    breakage: broken(inputShape),
    contentType: fc.constantFrom('application/x-amz-json-1.1', 'application/x-amz-json-1.1', 'application/json', 'text/plain', 'application/octet-stream', ''),
    unsigned: fc.boolean(),
  });

/** The heap in use after full garbage collections (the flag lets this process ask for one). */
function collectedHeap(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

// ---- the test ---------------------------------------------------------------------------------------

beforeAll(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createWorkshopPool(server));
  // Something in the store for the requests to (not) change.
  await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: 'fuzz@example.com', Password: 'Fuzz-Password-1' }));
  await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'fuzz@example.com' }));
  // The sign-up mail's delivery is recorded asynchronously: let it settle before the first snapshot.
  await server.smtp.waitFor('fuzz@example.com');
  while ((await server.store.outbox.recent(100)).some((m) => m.sentAt === null)) await new Promise((r) => setTimeout(r, 50));
  heapBefore = collectedHeap();
}, 60_000);
afterAll(async () => server?.stop());

describe('fuzzing every operation with malformed requests', () => {
  const protocolErrors = new Set<string>(PROTOCOL_ERRORS.map((e) => e.type));
  let total = 0;
  let bytesSent = 0;
  /** Answers by __type over the whole run. */
  const answers = new Map<string, number>();

  it.each(OPERATIONS.map((op) => [op.name, op] as const))('%s answers only declared errors and changes nothing', async (name, op) => {
    const model = MODEL.operations[name]!;
    const allowed = new Set<string>([...op.errors.map((e) => e.type), ...protocolErrors]);
    allowed.delete('InternalErrorException');
    const before = await storeDigest();
    await fc.assert(
      fc.asyncProperty(request(model.input!), async ({ breakage, contentType, unsigned }) => {
        const body = breakage.kind === 'raw' ? breakage.body : JSON.stringify(breakage.input);
        const res = await send(name, { body, contentType, sign: op.auth === 'sigv4' && !unsigned });
        total += 1;
        bytesSent += Buffer.byteLength(body);
        const key = res.type ?? `status ${res.status}`;
        answers.set(key, (answers.get(key) ?? 0) + 1);
        expect(res.status, res.text).toBe(400);
        expect(allowed.has(res.type ?? ''), `${name}: ${res.text}`).toBe(true);
      }),
      { numRuns: RUNS_PER_OPERATION },
    );
    expect(await storeDigest()).toBe(before);
  });

  it('kept the server up, its memory bounded, and ran thousands of requests', async () => {
    expect(total).toBeGreaterThanOrEqual(OPERATIONS.length * RUNS_PER_OPERATION);
    // The defects reached both the JSON reader and the model validator (not all bounced off one check).
    expect(answers.get('SerializationException') ?? 0).toBeGreaterThan(total / 20);
    expect(answers.get('InvalidParameterException') ?? 0).toBeGreaterThan(total / 4);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    // The server runs in this process: after full collections its heap has not grown by a leak's size.
    expect(bytesSent).toBeGreaterThan(2 ** 20);
    const growth = collectedHeap() - heapBefore;
    expect(growth, `heap grew by ${(growth / 2 ** 20).toFixed(1)} MiB`).toBeLessThan(HEAP_GROWTH_LIMIT);
  });

  it('keeps nothing of large malformed requests: 200 bodies of 250 KiB leave the heap where it was', async () => {
    const before = collectedHeap();
    const huge = 'x'.repeat(250 * 1024);
    let sent = 0;
    for (let i = 0; i < 200; i++) {
      // Half broken JSON (the reader refuses it), half well-formed with a string far over its limit (the
      // model refuses it after parsing): both are read whole before they are refused.
      const body = i % 2 === 0 ? `{"ClientId":"${clientId}","Username":"${huge}` : JSON.stringify({ ClientId: clientId, Username: huge, Password: `${i}` });
      const res = await send('SignUp', { body, contentType: 'application/x-amz-json-1.1', sign: false });
      expect(res.status).toBe(400);
      expect(res.type).toBe(i % 2 === 0 ? 'SerializationException' : 'InvalidParameterException');
      sent += body.length;
    }
    expect(sent).toBeGreaterThan(48 * 2 ** 20);
    const growth = collectedHeap() - before;
    expect(growth, `heap grew by ${(growth / 2 ** 20).toFixed(1)} MiB`).toBeLessThan(HEAP_GROWTH_LIMIT);
  });
});
