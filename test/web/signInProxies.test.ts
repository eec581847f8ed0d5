/**
 * The address sign-in limits count by, on each engine: X-Forwarded-For is believed only from the proxies listed in
 * TRUSTED_PROXIES, so spoofed headers neither bypass the per-address limit (even with NODE_ENV=production) nor
 * spread one client over many addresses; and 100 simultaneous wrong passwords through HTTP reach the password check
 * at most the limit's number of times.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { makeUser, PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { loadConfig } from '../../src/config.ts';
import { MAX_FAILURES_PER_EMAIL_AND_IP, MAX_FAILURES_PER_IP } from '../../src/services/identity/signIn.ts';

/** Posts the sign-in form from a given client address, with the headers a client chooses. */
async function signInFrom(
  t: TestApp,
  remoteAddress: string,
  form: { email: string; password: string },
  headers: Record<string, string> = {},
) {
  const page = await t.app.inject({ method: 'GET', url: '/sign-in', remoteAddress });
  const cookie = ([] as string[])
    .concat((page.headers['set-cookie'] as string | string[]) ?? [])
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  return t.app.inject({
    method: 'POST',
    url: '/sign-in',
    remoteAddress,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
  });
}

async function lastIp(t: TestApp, email: string): Promise<string> {
  const row = await t.k
    .selectFrom('login_attempts')
    .select('ip')
    .where('email', '=', email)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return row.ip;
}

describe('TRUSTED_PROXIES setting', () => {
  it('is read as a list of addresses, CIDR ranges and proxy-addr names, and refuses anything else', () => {
    assert.deepEqual(loadConfig({}).trustedProxies, []);
    assert.deepEqual(loadConfig({ TRUSTED_PROXIES: ' 10.0.0.1, 10.1.0.0/16 ,::1,fd00::/8, loopback ' }).trustedProxies, [
      '10.0.0.1',
      '10.1.0.0/16',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.1,*' }), /TRUSTED_PROXIES.*"\*"/);
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/33' }), /TRUSTED_PROXIES.*10\.0\.0\.0\/33/);
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: 'true' }), /TRUSTED_PROXIES/);
  });
});

for (const engine of ENGINES) {
  describe(`client address for sign-in limits on ${engine}`, { timeout: 120_000 }, () => {
    let production: TestApp;
    let proxied: TestApp;
    before(async () => {
      production = await startTestApp(engine, { NODE_ENV: 'production', SEED_DEMO: 'false' });
      proxied = await startTestApp(engine, { TRUSTED_PROXIES: '10.0.0.1, 10.1.0.0/16' });
    });
    after(async () => {
      await production.close();
      await proxied.close();
    });

    it('in production without TRUSTED_PROXIES, a spoofed X-Forwarded-For does not get past the per-address limit', async () => {
      for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
        const res = await signInFrom(
          production,
          '192.0.2.50',
          { email: `spray${i}@example.org`, password: 'Password123!' },
          { 'x-forwarded-for': `203.0.113.${i}` },
        );
        assert.equal(res.statusCode, 401, `attempt ${i + 1}`);
      }
      const user = await makeUser(production.k);
      const locked = await signInFrom(
        production,
        '192.0.2.50',
        { email: user.email, password: PASSWORD },
        { 'x-forwarded-for': '198.51.100.1' },
      );
      assert.equal(locked.statusCode, 429);
      assert.match(locked.body, /Too many failed sign-in attempts from your network/);
      assert.equal(await lastIp(production, 'spray7@example.org'), '192.0.2.50', 'the socket address is recorded, not the header');
    });

    it('believes X-Forwarded-For only from a trusted proxy', async () => {
      const user = await makeUser(proxied.k);
      const wrong = { email: user.email, password: 'not it at all' };
      await signInFrom(proxied, '10.0.0.1', wrong, { 'x-forwarded-for': '203.0.113.9' });
      assert.equal(await lastIp(proxied, user.email), '203.0.113.9');
      await signInFrom(proxied, '10.1.2.3', wrong, { 'x-forwarded-for': '198.51.100.4' });
      assert.equal(await lastIp(proxied, user.email), '198.51.100.4', 'a proxy inside a trusted range');
      await signInFrom(proxied, '10.0.0.1', wrong, { 'x-forwarded-for': '203.0.113.200, 198.51.100.77' });
      assert.equal(await lastIp(proxied, user.email), '198.51.100.77', 'what the client put in front is ignored');
      await signInFrom(proxied, '192.0.2.60', wrong, { 'x-forwarded-for': '203.0.113.9' });
      assert.equal(await lastIp(proxied, user.email), '192.0.2.60', 'an untrusted sender is the client');
    });

    it('100 simultaneous wrong passwords with spoofed headers reach the password check at most the limit', async () => {
      const user = await makeUser(proxied.k);
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          signInFrom(proxied, '192.0.2.99', { email: user.email, password: `guess number ${i}` }, { 'x-forwarded-for': `203.0.${i}.1` }),
        ),
      );
      const statuses = responses.map((r) => r.statusCode);
      const checked = statuses.filter((s) => s === 401).length;
      assert.ok(checked <= MAX_FAILURES_PER_EMAIL_AND_IP, `${checked} password checks`);
      assert.equal(statuses.filter((s) => s === 429).length, 100 - checked);
    });
  });
}
