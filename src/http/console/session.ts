import type { FastifyReply, FastifyRequest } from 'fastify';
import '@fastify/cookie';
import { safeEqual } from '../../crypto/digest.js';
import { randomToken } from '../../crypto/random.js';
import type { Sealer } from '../../crypto/seal.js';

/**
 * The console's session: a cookie holding { sub, username, exp, csrf }, sealed with AES-256-GCM by the
 * server's key (purpose 'console-session'), so it is stateless and any instance can check it. The
 * CSRF token travels in the sign-in answer and must come back in the `x-csrf-token` header of every
 * POST and DELETE (the cookie alone is not enough).
 */
export const SESSION_COOKIE = 'cognate_console';
export const SESSION_PURPOSE = 'console-session';
export const SESSION_SECONDS = 8 * 3600;
export const CSRF_HEADER = 'x-csrf-token';
const COOKIE_PATH = '/console';

export interface ConsoleSession {
  sub: string;
  username: string;
  /** Epoch seconds. */
  exp: number;
  csrf: string;
}

export function newSession(sub: string, username: string, nowMs: number): ConsoleSession {
  return { sub, username, exp: Math.floor(nowMs / 1000) + SESSION_SECONDS, csrf: randomToken(24) };
}

const cookieOptions = (maxAge: number, secure: boolean) =>
  ({ maxAge, path: COOKIE_PATH, httpOnly: true, sameSite: 'strict', secure }) as const;

export function setSessionCookie(reply: FastifyReply, sealer: Sealer, session: ConsoleSession, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, sealer.seal(JSON.stringify(session), SESSION_PURPOSE), cookieOptions(SESSION_SECONDS, secure));
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, '', cookieOptions(0, secure));
}

/** The session the request's cookie carries, when it was sealed by this server and has not expired. */
export function openSession(request: FastifyRequest, sealer: Sealer, nowMs: number): ConsoleSession | undefined {
  const value = request.cookies[SESSION_COOKIE];
  if (!value) return undefined;
  const plain = sealer.open(value, SESSION_PURPOSE);
  if (!plain) return undefined;
  let s: Partial<ConsoleSession>;
  try {
    s = JSON.parse(plain.toString('utf8')) as Partial<ConsoleSession>;
  } catch {
    return undefined;
  }
  const valid = typeof s.sub === 'string' && typeof s.username === 'string' && typeof s.csrf === 'string' && typeof s.exp === 'number';
  if (!valid || s.exp! * 1000 <= nowMs) return undefined;
  return s as ConsoleSession;
}

/** True when the request's x-csrf-token header equals the session's token. */
export function csrfMatches(request: FastifyRequest, session: ConsoleSession): boolean {
  const given = request.headers[CSRF_HEADER];
  return typeof given === 'string' && given.length > 0 && safeEqual(given, session.csrf);
}

/**
 * False when the request names an Origin other than Cognate's own: the public URL's origin, or the
 * origin of the Host the browser addressed (same-origin by definition, e.g. localhost vs 127.0.0.1).
 * Requests without an Origin header (curl, tests) pass: the cookie is SameSite=Strict and HttpOnly.
 */
export function sameOrigin(request: FastifyRequest, publicUrl: string): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  let given: URL;
  try {
    given = new URL(origin);
  } catch {
    return false;
  }
  try {
    if (given.origin === new URL(publicUrl).origin) return true;
  } catch {
    // no public URL yet
  }
  return request.headers.host !== undefined && given.host === request.headers.host;
}
