import { expect } from 'vitest';
import type { TestServer } from './test-server.js';

/**
 * Raw JSON 1.1 calls for the rate-limit tests (docs/security.md, "Rate limits"): they need headers an
 * SDK does not send (X-Forwarded-For) and many requests at once, and they look only at the answer's type.
 */
export interface RawAnswer {
  status: number;
  type: string | undefined;
  message: string | undefined;
  errorHeader: string | null;
  body: Record<string, unknown>;
}

export async function rawCall(server: TestServer, operation: string, input: object, from?: string): Promise<RawAnswer> {
  const res = await fetch(`${server.url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      ...(from && { 'x-forwarded-for': from }),
    },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as Record<string, unknown> & { __type?: string; message?: string };
  return { status: res.status, type: body.__type, message: body.message, errorHeader: res.headers.get('x-amzn-errortype'), body };
}

/** A public call that needs no user: a refresh with a token that is not one (NotAuthorizedException, or ResourceNotFound for an unknown client). */
export const cheapCall = (server: TestServer, clientId: string, from?: string) =>
  rawCall(server, 'InitiateAuth', { ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: 'not-a-token' } }, from);

export const refused = (answers: RawAnswer[]) => answers.filter((a) => a.type === 'TooManyRequestsException');
export const admitted = (answers: RawAnswer[]) => answers.filter((a) => a.type !== 'TooManyRequestsException');

/** Cognito's answer to a request over a rate limit. */
export function expectRateExceeded(answer: RawAnswer): void {
  expect(answer).toMatchObject({ status: 400, type: 'TooManyRequestsException', message: 'Rate exceeded', errorHeader: 'TooManyRequestsException:' });
}

/**
 * Moves the servers' clocks (together) to just after the start of the next one-second window, so that
 * a burst sent now falls into one window. `offset` is how far they were moved already.
 */
export function nextWindow(servers: TestServer[], offset: { ms: number }): void {
  const now = Date.now() + offset.ms;
  const step = 1000 - (now % 1000) + 5;
  for (const s of servers) s.advance(step);
  offset.ms += step;
}

/** Moves the servers' clocks back to real time (SigV4 calls need it). */
export function realTime(servers: TestServer[], offset: { ms: number }): void {
  for (const s of servers) s.advance(-offset.ms);
  offset.ms = 0;
}

/**
 * Two instances on one database share every counter: a client address and a pool get their limits
 * once, however the requests are spread over the instances. The servers trust 127.0.0.1 as a proxy
 * (COGNATE_TRUST_PROXY), so that X-Forwarded-For gives each request its address; limits 4 per address,
 * 6 per pool, per second.
 */
export async function expectCountersShared(servers: [TestServer, TestServer], clientId: string): Promise<void> {
  const offset = { ms: 0 };
  try {
    // One address, 8 requests spread over both instances, none naming a pool: 4 admitted in all.
    nextWindow(servers, offset);
    const fromOne = await Promise.all(Array.from({ length: 8 }, (_, i) => cheapCall(servers[i % 2]!, 'unknownclient0000000000000', '198.51.100.7')));
    expect(admitted(fromOne)).toHaveLength(4);
    for (const a of admitted(fromOne)) expect(a.type).toBe('ResourceNotFoundException');
    for (const a of refused(fromOne)) expectRateExceeded(a);
    // …from both instances' shares: neither admitted all 4 alone, unless the other had none.
    expect(refused(fromOne)).toHaveLength(4);

    // One pool, 10 requests from 10 addresses over both instances: 6 admitted in all.
    nextWindow(servers, offset);
    const toPool = await Promise.all(Array.from({ length: 10 }, (_, i) => cheapCall(servers[i % 2]!, clientId, `203.0.113.${i + 1}`)));
    expect(admitted(toPool)).toHaveLength(6);
    for (const a of admitted(toPool)) expect(a.type).toBe('NotAuthorizedException');
    for (const a of refused(toPool)) expectRateExceeded(a);

    // The next second, both admit again.
    nextWindow(servers, offset);
    for (const s of servers) expect((await cheapCall(s, clientId, '203.0.113.99')).type).toBe('NotAuthorizedException');
  } finally {
    realTime(servers, offset);
  }
}
