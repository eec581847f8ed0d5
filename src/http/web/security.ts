/**
 * Web security: Content Security Policy with a per-request nonce, the Permissions-Policy, CSRF tokens bound to the
 * browser and the session, the session cookie's settings, the check on redirect destinations and the guard against
 * request bodies trickled in slowly.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';

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

/**
 * Browser features no CSP Hub page uses, denied to the page and anything it could embed: sent with every response
 * (pages, API, static files). Only features Chromium recognises, so its console stays free of warnings.
 */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'browsing-topics',
  'camera',
  'display-capture',
  'encrypted-media',
  'gamepad',
  'geolocation',
  'gyroscope',
  'hid',
  'identity-credentials-get',
  'idle-detection',
  'local-fonts',
  'magnetometer',
  'microphone',
  'midi',
  'otp-credentials',
  'payment',
  'picture-in-picture',
  'publickey-credentials-create',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'speaker-selection',
  'usb',
  'window-management',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * CSRF token: an HMAC of a random per-browser cookie and the session id, so a token taken from one browser or
 * one session is useless in another, and nothing needs storing on the server.
 */
export function csrfTokenFor(secret: string, browserKey: string, sessionId: string | null): string {
  return createHmac('sha256', secret)
    .update(`${browserKey}:${sessionId ?? ''}`)
    .digest('base64url');
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

/**
 * The slow-upload guard: while a request's body is still arriving, at least UPLOAD_MIN_BYTES_PER_SECOND must come
 * in over each window (counted on the socket, so the body stream itself is left alone). A client trickling bytes to
 * hold the connection open gets 408 and the connection is closed; REQUEST_TIMEOUT_SECONDS still caps the total.
 */
export function guardBodyRate(
  request: FastifyRequest,
  reply: FastifyReply,
  config: Pick<Config, 'uploadMinBytesPerSecond' | 'uploadRateWindowMs'>,
): void {
  const raw = request.raw;
  const socket = raw.socket as typeof raw.socket | undefined;
  const hasBody = raw.headers['transfer-encoding'] !== undefined || Number(raw.headers['content-length'] ?? 0) > 0;
  // Only real connections are watched (not fastify.inject's stand-in socket, which counts no bytes).
  if (!hasBody || raw.complete || !socket || typeof socket.bytesRead !== 'number') return;
  const least = (config.uploadMinBytesPerSecond * config.uploadRateWindowMs) / 1000;
  let before = socket.bytesRead;
  const timer = setInterval(() => {
    if (raw.complete || socket.destroyed) {
      clearInterval(timer);
      return;
    }
    const now = socket.bytesRead;
    if (now - before >= least) {
      before = now;
      return;
    }
    clearInterval(timer);
    request.log.warn({ bytes: now - before, windowMs: config.uploadRateWindowMs }, 'Request body arriving too slowly: connection closed');
    if (!reply.raw.headersSent) socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    setTimeout(() => socket.destroy(), 1000).unref();
  }, config.uploadRateWindowMs);
  timer.unref();
}
