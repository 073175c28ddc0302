/**
 * The little the benchmark needs to talk to Cognate over the wire: one unsigned AWS JSON 1.1 call with
 * plain fetch, and how the benchmark's users are named.
 */

/** Meets the default password policy (length, upper, lower, digit, symbol). */
export const BENCH_PASSWORD = 'Bench-Passw0rd!';

/** The email (= username in the demo pool) of the i-th benchmark user, 0-based. */
export const benchEmail = (i: number) => `bench-user-${i}@example.com`;

export class CognitoCallError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(`${type}: ${message}`);
  }
}

/** POST / with X-Amz-Target; the parsed JSON answer, or a CognitoCallError for a non-2xx status. */
export async function cognitoCall<T = Record<string, unknown>>(url: string, operation: string, body: object): Promise<T> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (!res.ok) throw new CognitoCallError(String(json.__type ?? `HTTP ${res.status}`), String(json.message ?? text), res.status);
  return json as T;
}
