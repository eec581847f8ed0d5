/**
 * Web security: Content Security Policy with a per-request nonce, CSRF tokens bound to the browser and the
 * session, and the session cookie's settings.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'csphub_session';
export const CSRF_COOKIE = 'csphub_csrf';

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * CSRF token: an HMAC of a random per-browser cookie and the session id, so a token taken from one browser or
 * one session is useless in another, and nothing needs storing on the server.
 */
export function csrfTokenFor(secret: string, browserKey: string, sessionId: string | null): string {
  return createHmac('sha256', secret).update(`${browserKey}:${sessionId ?? ''}`).digest('base64url');
}

export function csrfValid(secret: string, browserKey: string | undefined, sessionId: string | null, submitted: unknown): boolean {
  if (!browserKey || typeof submitted !== 'string' || submitted.length === 0) return false;
  const expected = Buffer.from(csrfTokenFor(secret, browserKey, sessionId));
  const given = Buffer.from(submitted);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function ensureBrowserKey(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const existing = request.cookies[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{20,64}$/.test(existing)) return existing;
  const key = randomBytes(24).toString('base64url');
  reply.setCookie(CSRF_COOKIE, key, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  request.cookies[CSRF_COOKIE] = key;
  return key;
}

/** Printable ASCII other than the space: anything else (controls, whitespace, non-ASCII) is refused in a redirect. */
const REDIRECT_CHARS = /^[\x21-\x7e]+$/;

/**
 * The one check for every redirect to a place the request names (`next` after sign-in, the organisation sign-in's
 * saved destination): a path on this site, or the home page. Accepted only when it is a string of at most 2,000
 * printable ASCII characters (no whitespace or control characters, which browsers strip or which break the
 * Location header), starts with a single "/" (not "//" or "/\", protocol-relative to another host), holds no
 * backslash (browsers read it as "/"), and resolves against the site's base URL to the same origin with a path
 * that does not itself start with "//".
 */
export function safeRedirectPath(next: unknown, baseUrl: string, fallback = '/'): string {
  if (typeof next !== 'string' || next.length > 2000 || !REDIRECT_CHARS.test(next)) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return fallback;
  let base: URL;
  let url: URL;
  try {
    base = new URL(baseUrl);
    url = new URL(next, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin || url.pathname.startsWith('//')) return fallback;
  return next;
}
