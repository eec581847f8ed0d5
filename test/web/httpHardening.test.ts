/**
 * HTTP hardening of the running app (a real listening server, raw sockets): a body trickled too slowly is cut off,
 * a request that takes longer than REQUEST_TIMEOUT_SECONDS is ended, an idle connection is closed after
 * CONNECTION_TIMEOUT_SECONDS, and other people's requests are answered meanwhile; and the security headers,
 * Permissions-Policy included, are on a page, an API response and a static file.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { freshDb, type TestDb } from '../support/db.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';

type App = Awaited<ReturnType<typeof buildApp>>;

async function startServer(
  env: Record<string, string>,
  adjust: (c: Config) => Config = (c) => c,
): Promise<{ app: App; db: TestDb; port: number }> {
  const db = await freshDb('sqlite');
  const config = adjust(
    loadConfig({ SESSION_SECRET: 'test-secret-0123456789', BASE_URL: 'http://localhost:3000', CRIME_STORE_PATH: ':memory:', ...env }),
  );
  const app = await buildApp({ db, config, oidc: null });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, db, port: (app.server.address() as AddressInfo).port };
}

interface Outcome {
  /** Milliseconds from connecting until the server closed the connection. */
  closedAfter: number;
  response: string;
}

/**
 * Opens a connection, sends `head`, then one byte of body every `everyMs` until the server closes the connection
 * or `giveUpMs` passes (the test fails then: the server held on).
 */
function trickle(port: number, head: string, everyMs: number, giveUpMs = 8000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('connect', () => {
      if (head) socket.write(head);
      if (everyMs > 0) timer = setInterval(() => socket.writable && socket.write('a'), everyMs);
    });
    socket.on('data', (d: Buffer) => (response += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ closedAfter: Date.now() - started, response });
    });
  });
}

const POST_HEAD = (length: number) =>
  `POST /sign-in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${length}\r\n\r\n`;

describe('slow requests are cut off', { timeout: 60_000 }, () => {
  it('a body trickled slower than UPLOAD_MIN_BYTES_PER_SECOND is refused with 408 and the connection closed', async () => {
    const s = await startServer({ UPLOAD_MIN_BYTES_PER_SECOND: '1024' }, (c) => ({ ...c, uploadRateWindowMs: 500 }));
    try {
      const slow = trickle(s.port, POST_HEAD(100_000), 50);
      // Others are served while the trickle goes on.
      await new Promise((r) => setTimeout(r, 300));
      const health = await fetch(`http://127.0.0.1:${s.port}/health`);
      assert.equal(health.status, 200);
      const outcome = await slow;
      assert.ok(outcome.closedAfter < 3000, `closed after ${outcome.closedAfter} ms`);
      assert.match(outcome.response, /^HTTP\/1\.1 408 /);
    } finally {
      await s.app.close();
      await s.db.drop();
    }
  });

  it('a body arriving steadily but for longer than REQUEST_TIMEOUT_SECONDS is ended', async () => {
    const s = await startServer({ REQUEST_TIMEOUT_SECONDS: '1', UPLOAD_MIN_BYTES_PER_SECOND: '0' });
    try {
      const outcome = await trickle(s.port, POST_HEAD(1_000_000), 20);
      assert.ok(outcome.closedAfter >= 900 && outcome.closedAfter < 4000, `closed after ${outcome.closedAfter} ms`);
      assert.match(outcome.response, /^HTTP\/1\.1 408 /);
    } finally {
      await s.app.close();
      await s.db.drop();
    }
  });

  it('a connection that goes quiet is closed after CONNECTION_TIMEOUT_SECONDS, a kept-alive one after KEEP_ALIVE_TIMEOUT_SECONDS', async () => {
    const s = await startServer({ CONNECTION_TIMEOUT_SECONDS: '1', KEEP_ALIVE_TIMEOUT_SECONDS: '1', UPLOAD_MIN_BYTES_PER_SECOND: '0' });
    try {
      const outcome = await trickle(s.port, 'GET /health HTTP/1.1\r\nHost: localhost\r\n', 0);
      assert.ok(outcome.closedAfter >= 900 && outcome.closedAfter < 4000, `closed after ${outcome.closedAfter} ms`);
      // A kept-alive connection with nothing more to ask is closed after the keep-alive timeout.
      const kept = await trickle(s.port, 'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n', 0);
      assert.match(kept.response, /^HTTP\/1\.1 200 /);
      assert.ok(kept.closedAfter < 4000, `kept alive for ${kept.closedAfter} ms`);
    } finally {
      await s.app.close();
      await s.db.drop();
    }
  });

  it('reads the timeouts from the environment, with defaults, and refuses nonsense', () => {
    const c = loadConfig({});
    assert.deepEqual(
      [c.requestTimeoutSeconds, c.connectionTimeoutSeconds, c.keepAliveTimeoutSeconds, c.uploadMinBytesPerSecond],
      [3600, 120, 72, 1024],
    );
    const set = loadConfig({
      REQUEST_TIMEOUT_SECONDS: '600',
      CONNECTION_TIMEOUT_SECONDS: '30',
      KEEP_ALIVE_TIMEOUT_SECONDS: '5',
      UPLOAD_MIN_BYTES_PER_SECOND: '0',
    });
    assert.deepEqual(
      [set.requestTimeoutSeconds, set.connectionTimeoutSeconds, set.keepAliveTimeoutSeconds, set.uploadMinBytesPerSecond],
      [600, 30, 5, 0],
    );
    assert.throws(() => loadConfig({ REQUEST_TIMEOUT_SECONDS: '0' }), /REQUEST_TIMEOUT_SECONDS/);
    assert.throws(() => loadConfig({ CONNECTION_TIMEOUT_SECONDS: 'forever' }), /CONNECTION_TIMEOUT_SECONDS/);
    assert.throws(() => loadConfig({ UPLOAD_MIN_BYTES_PER_SECOND: '-1' }), /UPLOAD_MIN_BYTES_PER_SECOND/);
  });
});

describe('security headers', { timeout: 60_000 }, () => {
  let s: { app: App; db: TestDb; port: number };
  before(async () => {
    s = await startServer({});
  });
  after(async () => {
    await s.app.close();
    await s.db.drop();
  });

  for (const [what, url] of [
    ['a page', '/sign-in'],
    ['an API response', '/api/v1/me'],
    ['a static file', '/public/favicon.svg'],
    ['a missing page', '/no-such-page'],
  ]) {
    it(`are sent with ${what}`, async () => {
      const res = await fetch(`http://127.0.0.1:${s.port}${url!}`);
      await res.arrayBuffer();
      const policy = res.headers.get('permissions-policy') ?? '';
      for (const feature of [
        'camera',
        'microphone',
        'geolocation',
        'payment',
        'usb',
        'serial',
        'hid',
        'display-capture',
        'browsing-topics',
      ]) {
        assert.match(policy, new RegExp(`(^|, )${feature}=\\(\\)`), `${url}: ${feature} denied in "${policy}"`);
      }
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', url);
      assert.ok(res.headers.get('x-frame-options'), url);
      assert.ok(res.headers.get('referrer-policy'), url);
      assert.ok(res.headers.get('cross-origin-opener-policy'), url);
      if (url !== '/public/favicon.svg') assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/, url);
    });
  }
});
