import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AdminConfirmSignUpCommand, ConfirmSignUpCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatTimestamp, N } from '../../src/crypto/srp.js';
import { passwordClaim, srpClient, type PasswordVerifierChallenge } from '../helpers/sdk-srp.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * PreventUserExistenceErrors ENABLED (COGNITO_REFERENCE §4.8): an unknown user must be told apart from a
 * known one neither by the answer nor by its time. Known and unknown requests alternate (ABBA, so that
 * order and machine drift hit both alike) after a warm-up, and the pairs' median difference is compared
 * with the median request, which a shared, sometimes slow machine does not skew the way means would.
 *
 * The guessing limits apply to both alike (docs/security.md): the lockout after 5 wrong passwords, the
 * hourly limits on codes. Between pairs (untimed) the server's clock jumps past them, so that every
 * timed request takes the ordinary path — the one a single request of an attacker would.
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
/** Requests that mail a code: each round waits for the mail (~0.1 s here), so 500 rounds, 1,000 requests. */
const ROUNDS_MAILED = 500;
const WARM_UP = 60;
const TOLERANCE = 0.1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Past the sign-in lockout's reset (15 minutes without a failure) and past an hour's code limits. */
const PAST_LOCKOUT = 16 * 60_000;
const PAST_HOUR = 61 * 60_000;

/** How far the server's clock was moved in this test (moved back after each). */
let offset = 0;
const jump = (ms: number) => {
  server.advance(ms);
  offset += ms;
};
afterEach(() => {
  server.advance(-offset);
  offset = 0;
});

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
async function alternate(
  rounds: number,
  known: (i: number) => Promise<Answer>,
  unknown: (i: number) => Promise<Answer>,
  between: (i: number) => unknown = () => {},
) {
  const out = { known: [] as Answer[], unknown: [] as Answer[] };
  for (let i = -WARM_UP; i < rounds; i++) {
    await between(i);
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
    const runs = await alternate(ROUNDS, signIn(KNOWN), (i) => signIn(ghost(i))(), () => jump(PAST_LOCKOUT));

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
    const runs = await alternate(ROUNDS, () => start(KNOWN), (i) => start(ghost(i)), () => jump(PAST_LOCKOUT));

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
        USERNAME: p.USER_ID_FOR_SRP, PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, TIMESTAMP: formatTimestamp(new Date(Date.now() + offset)),
        PASSWORD_CLAIM_SIGNATURE: randomBytes(32).toString('base64'),
      };
    };
    const answer = async (USERNAME: string) => {
      const ChallengeResponses = await challenge(USERNAME);
      return call('RespondToAuthChallenge', { ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses });
    };
    const runs = await alternate(ROUNDS_ANSWERED, () => answer(KNOWN), (i) => answer(ghost(i)), () => jump(PAST_LOCKOUT));

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

/** A user with a verified email (confirmed with the mailed code), who can be sent a reset code. */
async function confirmedWithEmail(email: string): Promise<void> {
  const before = server.smtp.messages.length;
  await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
  await server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: await server.smtp.codeFor(email, before) }));
}

/**
 * Waits until the server has finished delivering (the newest mail is marked sent), and a little more for
 * the SMTP connection to close, so that no delivery overlaps the next timed request.
 */
async function settle(): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const [newest] = await server.store.outbox.recent(1);
    if (newest?.sentAt != null) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await new Promise((resolve) => setTimeout(resolve, 10));
}

/**
 * Times one call, then (untimed) waits for the mail it sends, so that the delivery overlaps no timed
 * request, and makes the same call for nobody: the first request after a pause is slower, and the next
 * timed one must not be it.
 */
async function callAndWaitForMail(to: string, operation: string, input: object): Promise<Answer> {
  const before = server.smtp.messages.length;
  const answer = await call(operation, input);
  await server.smtp.waitFor(to, 10_000, before);
  await settle();
  await call(operation, { ...input, Username: 'primer@example.com' });
  return answer;
}

const DELIVERY = { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: expect.stringMatching(/^[a-z]\*\*\*@e\*\*\*$/) };

describe('ForgotPassword: a known user and an unknown name', () => {
  const RECOVERING = 'recovering-rider@example.com';
  beforeAll(() => confirmedWithEmail(RECOVERING));

  it('get the same answer in the same time (the known one is mailed a code)', async () => {
    const forgot = (Username: string) => call('ForgotPassword', { ClientId: clientId, Username });
    const runs = await alternate(
      ROUNDS_MAILED,
      () => callAndWaitForMail(RECOVERING, 'ForgotPassword', { ClientId: clientId, Username: RECOVERING }),
      (i) => forgot(ghost(i)),
      () => jump(PAST_HOUR),
    );
    for (const a of [...runs.known, ...runs.unknown]) expect(a).toMatchObject({ status: 200, body: { CodeDeliveryDetails: DELIVERY } });
    expect(server.smtp.count(RECOVERING)).toBeGreaterThanOrEqual(WARM_UP + ROUNDS_MAILED);
    expectSameTime('ForgotPassword', runs.known, runs.unknown);
  }, 300_000);
});

describe('ConfirmForgotPassword: a wrong code for a known user and any code for an unknown name', () => {
  const RESETTING = 'resetting-rider@example.com';
  beforeAll(() => confirmedWithEmail(RESETTING));

  it('get the same answer in the same time', async () => {
    let wrong = '';
    const confirm = (Username: string, ConfirmationCode: string) =>
      call('ConfirmForgotPassword', { ClientId: clientId, Username, ConfirmationCode, Password: 'Another-Rider-2' });
    // Each round (untimed): a fresh code for the known user; the timed guess is one off it. Then, after the
    // idle wait for the mail, one more guess for nobody: the first request after a pause is slower, and
    // would be the first of the timed pair (known in one round, unknown in the next).
    const freshCode = async () => {
      jump(PAST_HOUR);
      const before = server.smtp.messages.length;
      await call('ForgotPassword', { ClientId: clientId, Username: RESETTING });
      wrong = String((Number(await server.smtp.codeFor(RESETTING, before)) + 1) % 1_000_000).padStart(6, '0');
      await settle();
      await confirm('primer@example.com', wrong);
    };
    const runs = await alternate(ROUNDS_MAILED, () => confirm(RESETTING, wrong), (i) => confirm(ghost(i), wrong), freshCode);

    const expected = { status: 400, body: { __type: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' } };
    for (const a of [...runs.known, ...runs.unknown]) expect({ status: a.status, body: a.body }).toEqual(expected);
    expectSameTime('ConfirmForgotPassword', runs.known, runs.unknown);
  }, 300_000);
});

describe('ResendConfirmationCode: an unconfirmed user and an unknown name', () => {
  const WAITING = 'waiting-rider@example.com';
  beforeAll(async () => {
    await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: WAITING, Password: PASSWORD }));
  });

  it('get the same answer in the same time (the known one is mailed a new code)', async () => {
    const resend = (Username: string) => call('ResendConfirmationCode', { ClientId: clientId, Username });
    const runs = await alternate(
      ROUNDS_MAILED,
      () => callAndWaitForMail(WAITING, 'ResendConfirmationCode', { ClientId: clientId, Username: WAITING }),
      (i) => resend(ghost(i)),
      () => jump(PAST_HOUR),
    );
    for (const a of [...runs.known, ...runs.unknown]) expect(a).toMatchObject({ status: 200, body: { CodeDeliveryDetails: DELIVERY } });
    expectSameTime('ResendConfirmationCode', runs.known, runs.unknown);
  }, 300_000);
});
