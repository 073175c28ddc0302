// The console's only way to the server: same-origin JSON calls to /console/api with the session cookie.
// Every state-changing call carries the session's CSRF token in x-csrf-token.

export interface ConsoleConfig {
  endpoint: string;
  userPoolId: string;
  clientId: string;
  region: string;
  /** True when no SMTP server is configured and the dev outbox is on. */
  outbox: boolean;
}

export interface Session {
  username: string;
  csrfToken: string;
}

export interface OutboxMessage {
  id: string | number;
  poolId: string;
  to: string;
  subject?: string;
  text?: string;
  createdAt: number;
  delivered: boolean;
}

/** A failed call: the HTTP status, and for Cognito operations the error's __type. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const BASE = '/console/api';

let csrfToken = '';
let onUnauthorized: () => void = () => {};

/** Remembers the session's CSRF token (or forgets it with ''). */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when a call that needs a session is answered 401 (the session expired or was signed out elsewhere). */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  return fetch(`${BASE}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
}

async function readJson(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function failure(response: Response): Promise<ApiError> {
  const body = await readJson(response);
  const message = typeof body.message === 'string' && body.message ? body.message : `The server answered ${response.status} ${response.statusText}.`;
  return new ApiError(response.status, message, typeof body.__type === 'string' ? body.__type : undefined);
}

async function expectOk<T>(response: Response): Promise<T> {
  if (!response.ok) {
    const error = await failure(response);
    if (response.status === 401) onUnauthorized();
    throw error;
  }
  return (await readJson(response)) as T;
}

export async function getConfig(): Promise<ConsoleConfig> {
  const response = await request('GET', '/config');
  if (!response.ok) throw await failure(response);
  return (await readJson(response)) as unknown as ConsoleConfig;
}

/** The current session, or null when signed out (401). */
export async function getSession(): Promise<Session | null> {
  const response = await request('GET', '/session');
  if (response.status === 401) return null;
  if (!response.ok) throw await failure(response);
  return (await readJson(response)) as unknown as Session;
}

/** Trades an ID token of the console pool for a session cookie. */
export async function createSession(idToken: string): Promise<Session> {
  const response = await request('POST', '/session', { idToken });
  if (!response.ok) throw await failure(response);
  return (await readJson(response)) as unknown as Session;
}

export async function deleteSession(): Promise<void> {
  const response = await request('DELETE', '/session');
  if (!response.ok && response.status !== 401) throw await failure(response);
}

/** Runs one Cognito operation as the signed-in administrator. */
export async function call<T>(operation: string, input: object): Promise<T> {
  return expectOk<T>(await request('POST', '/call', { operation, input }));
}

/** The dev outbox, or null when it is off (an SMTP server is configured: 404). */
export async function getOutbox(limit = 50): Promise<OutboxMessage[] | null> {
  const response = await request('GET', `/outbox?limit=${limit}`);
  if (response.status === 404) return null;
  const body = await expectOk<{ messages?: OutboxMessage[] }>(response);
  return body.messages ?? [];
}

/** Where the browser downloads js/config.js for an app client (an attachment). */
export function configJsUrl(poolId: string, clientId: string): string {
  return `${BASE}/config-js?pool=${encodeURIComponent(poolId)}&client=${encodeURIComponent(clientId)}`;
}
