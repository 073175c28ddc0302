import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AdminConfirmSignUpCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTimestamp, N } from '../../src/crypto/srp.js';
import { passwordClaim, srpClient, type PasswordVerifierChallenge } from '../helpers/sdk-srp.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * PreventUserExistenceErrors ENABLED (COGNITO_REFERENCE §4.8): an unknown user must be told apart from a
 * known one neither by the answer nor by its time. Known and unknown requests alternate (ABBA, so that
 * order and machine drift hit both alike) after a warm-up, and the pairs' median difference is compared
 * with the median request, which a shared, sometimes slow machine does not skew the way means would.
 */
let server: TestServer;
let poolId: string;
let clientId: string;

const KNOWN = 'known-rider@example.com';
const PASSWORD = 'Known-Rider-1';
const WRONG_PASSWORD = 'Not-The-Password-1';
const ROUNDS = 1000;
/** PASSWORD_VERIFIER answers: each needs a challenge first, so fewer rounds keep the test short. */
const ROUNDS_ANSWERED = 400;
const WARM_UP = 60;
const TOLERANCE = 0.1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Answer {
  status: number;
  body: Record<string, unknown>;
  ms: number;
}

/** One raw JSON 1.1 call (undici, keep-alive): only the round trip is timed, none of an SDK's work. */
async function call(operation: string, input: object): Promise<Answer> {
  const body = JSON.stringify(input);
  const started = performance.now();
  const res = await fetch(`${server.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body,
  });
  const text = await res.text();
  const ms = performance.now() - started;
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, ms };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Runs `rounds` pairs, alternating which goes first, and returns both sides' answers. The warm-up
 * pairs (JIT, connection, caches) are run the same way and dropped.
 */
async function alternate(rounds: number, known: (i: number) => Promise<Answer>, unknown: (i: number) => Promise<Answer>) {
  const out = { known: [] as Answer[], unknown: [] as Answer[] };
  for (let i = -WARM_UP; i < rounds; i++) {
    let k: Answer;
    let u: Answer;
    if (i % 2 === 0) {
      k = await known(i);
      u = await unknown(i);
    } else {
      u = await unknown(i);
      k = await known(i);
    }
    if (i >= 0) {
      out.known.push(k);
      out.unknown.push(u);
    }
  }
  return out;
}

/**
 * The typical difference within a pair (the median of known − unknown, request by request) must stay
 * under 10 % of the typical request. On a shared machine each side's own median swings by more than
 * that between runs of identical code (a request the scheduler preempts takes several times as long,
 * and the median often falls between the two modes); pairs taken back to back share the conditions,
 * so their differences cancel both drift and load, and still show any systematic difference in full.
 */
function expectSameTime(label: string, known: Answer[], unknown: Answer[]): void {
  const k = median(known.map((a) => a.ms));
  const u = median(unknown.map((a) => a.ms));
  const typical = median([...known, ...unknown].map((a) => a.ms));
  const gap = median(known.map((a, i) => a.ms - unknown[i]!.ms)) / typical;
  // Printed so that a drift towards the limit shows up in the log before it fails.
  console.info(`${label}: medians known ${k.toFixed(3)} ms, unknown ${u.toFixed(3)} ms; typical pair difference ${(gap * 100).toFixed(1)} %`);
  expect(Math.abs(gap), `${label}: known − unknown is typically ${(gap * 100).toFixed(1)} % of a request`).toBeLessThan(TOLERANCE);
}

const ghost = (i: number) => `ghost-${(i + 10_000) % 97}@example.com`;

beforeAll(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createWorkshopPool(server, { PreventUserExistenceErrors: 'ENABLED' }));
  await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: KNOWN, Password: PASSWORD }));
  await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: KNOWN }));
});
afterAll(async () => server?.stop());

describe('USER_PASSWORD_AUTH: a wrong password and an unknown user', () => {
  it('get the same answer in the same time', async () => {
    const signIn = (USERNAME: string) => () =>
      call('InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: WRONG_PASSWORD } });
    const runs = await alternate(ROUNDS, signIn(KNOWN), (i) => signIn(ghost(i))());

    const expected = { status: 400, body: { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' } };
    for (const a of [...runs.known, ...runs.unknown]) expect({ status: a.status, body: a.body }).toEqual(expected);
    expectSameTime('USER_PASSWORD_AUTH', runs.known, runs.unknown);
  }, 120_000);
});

describe('USER_SRP_AUTH: the challenge of a known and of an unknown user', () => {
  it('look alike and take the same time', async () => {
    // One SRP_A for all: the answers then differ only by what the server chose.
    const { srpA } = srpClient();
    const start = (USERNAME: string) => call('InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME, SRP_A: srpA } });
    const runs = await alternate(ROUNDS, () => start(KNOWN), (i) => start(ghost(i)));

    const params = (a: Answer) => a.body.ChallengeParameters as Required<PasswordVerifierChallenge>;
    for (const a of [...runs.known, ...runs.unknown]) {
      expect(a.status).toBe(200);
      expect(Object.keys(a.body).sort()).toEqual(['ChallengeName', 'ChallengeParameters']);
      expect(a.body.ChallengeName).toBe('PASSWORD_VERIFIER');
      const p = params(a);
      expect(Object.keys(p).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
      expect(p.USER_ID_FOR_SRP).toMatch(UUID);
      expect(p.USERNAME).toBe(p.USER_ID_FOR_SRP);
      expect(p.SALT).toMatch(/^[1-9a-f][0-9a-f]{0,31}$/);
      // B: a number of the group, written like any other (3072 bits: up to 768 hex digits).
      expect(p.SRP_B).toMatch(/^[1-9a-f][0-9a-f]{700,767}$/);
      expect(BigInt(`0x${p.SRP_B}`) < N).toBe(true);
    }
    // The sealed state has the same length for both kinds: its most common length is the same.
    const commonLength = (answers: Answer[]) => {
      const counts = new Map<number, number>();
      for (const a of answers) counts.set(params(a).SECRET_BLOCK.length, (counts.get(params(a).SECRET_BLOCK.length) ?? 0) + 1);
      return [...counts.entries()].sort((x, y) => y[1] - x[1])[0]![0];
    };
    expect(commonLength(runs.unknown)).toBe(commonLength(runs.known));
    // A stable salt and id per name, different across names, a fresh B every time — like a real user's.
    const first = params(runs.unknown[0]!);
    const again = params(runs.unknown[97 * 2]!);
    expect(ghost(0)).toBe(ghost(97 * 2));
    expect([again.SALT, again.USER_ID_FOR_SRP]).toEqual([first.SALT, first.USER_ID_FOR_SRP]);
    expect(again.SRP_B).not.toBe(first.SRP_B);
    expect(new Set(runs.unknown.slice(0, 97).map((a) => params(a).SALT)).size).toBe(97);
    expect(new Set(runs.unknown.slice(0, 97).map((a) => params(a).USER_ID_FOR_SRP)).size).toBe(97);
    expect(new Set(runs.known.map((a) => params(a).SALT)).size).toBe(1);
    expect(new Set(runs.known.map((a) => params(a).SRP_B)).size).toBe(ROUNDS);
    expectSameTime('USER_SRP_AUTH InitiateAuth', runs.known, runs.unknown);
  }, 120_000);

  it('are answered alike and as slowly: a wrong proof of a known user and any proof of an unknown one', async () => {
    // Each challenge is started untimed; only the answers are timed, alternating as above. The server's
    // work does not depend on whether the proof is right, so a random one stands for a wrong password
    // (the client's half of SRP is slow, and would dominate the test's time).
    const { srpA } = srpClient();
    const challenge = async (USERNAME: string) => {
      const started = await call('InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME, SRP_A: srpA } });
      const p = started.body.ChallengeParameters as Required<PasswordVerifierChallenge>;
      return {
        USERNAME: p.USER_ID_FOR_SRP, PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, TIMESTAMP: formatTimestamp(new Date()),
        PASSWORD_CLAIM_SIGNATURE: randomBytes(32).toString('base64'),
      };
    };
    const answer = async (USERNAME: string) => {
      const ChallengeResponses = await challenge(USERNAME);
      return call('RespondToAuthChallenge', { ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses });
    };
    const runs = await alternate(ROUNDS_ANSWERED, () => answer(KNOWN), (i) => answer(ghost(i)));

    const expected = { status: 400, body: { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' } };
    for (const a of [...runs.known, ...runs.unknown]) expect({ status: a.status, body: a.body }).toEqual(expected);
    const logged = server.logs.filter((l) => l.flow === 'USER_SRP_AUTH').map((l) => l.msg);
    expect(logged.filter((m) => m === 'sign-in failed: wrong password')).toHaveLength(WARM_UP + ROUNDS_ANSWERED);
    expect(logged.filter((m) => m === 'sign-in failed: unknown user')).toHaveLength(WARM_UP + ROUNDS_ANSWERED);
    expectSameTime('PASSWORD_VERIFIER', runs.known, runs.unknown);
  }, 120_000);

  it('accept the right password of a known user only', async () => {
    const signIn = async (name: string) => {
      const client = srpClient();
      const started = await call('InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: name, SRP_A: client.srpA } });
      const claim = passwordClaim(client, poolId, PASSWORD, started.body.ChallengeParameters as PasswordVerifierChallenge);
      return call('RespondToAuthChallenge', { ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: claim });
    };
    const known = await signIn(KNOWN);
    expect(known.status).toBe(200);
    expect((known.body.AuthenticationResult as Record<string, unknown>).AccessToken).toBeDefined();
    // The unknown name with the very same password (and proof computed exactly as a client does).
    expect(await signIn(ghost(1))).toMatchObject({ status: 400, body: { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' } });
  });
});
