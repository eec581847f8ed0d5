/**
 * Where sign-in sends a person afterwards: only a path on this site. Known open-redirect payloads (protocol-relative
 * URLs, backslashes, tab and newline tricks, other schemes, encoded variants) fall back to the home page, on the
 * GET (already signed in), the POST, the organisation sign-in's start and callback, and never give a 500.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { Browser, makeUser, PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { safeRedirectPath } from '../../src/http/web/security.ts';

const BASE = 'http://localhost:3000';

/** Values of `next` as the server receives them (already percent-decoded once by the query or form parser). */
export const OPEN_REDIRECT_PAYLOADS = [
  '//evil.example/',
  '///evil.example/',
  '////evil.example/',
  '/\\evil.example/',
  '\\\\evil.example/',
  '/\t/evil.example/',
  '/\n/evil.example/',
  '/\r\n/evil.example/',
  '/ /evil.example/',
  '/\u0000/evil.example/',
  '/\u000b/evil.example/',
  '/\u00a0/evil.example/',
  '/\u2028/evil.example/',
  '/\u3000/evil.example/',
  '/\\/evil.example/',
  '/.//evil.example/',
  '/./\\evil.example/',
  ' //evil.example/',
  '\t//evil.example/',
  'https://evil.example/',
  'http:evil.example',
  'https:/evil.example',
  '//evil.example@localhost:3000/',
  'evil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(document.domain)',
  'data:text/html,<script>alert(1)</script>',
  '/%2f/evil.example/'.replace('%2f', '/'),
  '/\u00e9/',
  '',
  '/'.repeat(3000),
];

const SAFE = [
  '/',
  '/account',
  '/partnerships/3/performance?year=2019-20#rag',
  '/partnerships/3/indicators/7?download=table-1.csv',
  '/%09/evil.example/',
  '/a//b',
  '/reports?next=//evil.example',
];

describe('safeRedirectPath', () => {
  it('keeps paths on this site', () => {
    for (const path of SAFE) assert.equal(safeRedirectPath(path, BASE), path, path);
  });
  it('sends every known open-redirect payload to the home page', () => {
    for (const payload of OPEN_REDIRECT_PAYLOADS) assert.equal(safeRedirectPath(payload, BASE), '/', JSON.stringify(payload));
    for (const other of [undefined, null, 42, ['/account'], { a: 1 }]) assert.equal(safeRedirectPath(other, BASE), '/');
  });
});

for (const engine of ENGINES) {
  describe(`redirects after sign-in on ${engine}`, () => {
    let t: TestApp;
    let email: string;
    before(async () => {
      t = await startTestApp(engine);
      email = (await makeUser(t.k)).email;
    });
    after(() => t.close());

    it('the sign-in form carries only a safe next, and signing in goes there', async () => {
      const b = new Browser(t.app);
      const page = await b.get(`/sign-in?next=${encodeURIComponent('/\t/evil.example/')}`);
      assert.equal(page.status, 200);
      assert.match(page.body, /name="next" value="\/"/);
      const res = await b.post('/sign-in', { email, password: PASSWORD, next: '/account?tab=tokens' });
      assert.equal(res.status, 303);
      assert.equal(res.location, '/account?tab=tokens');
    });

    it('never redirects off-site or fails, whatever next holds', async () => {
      const signedIn = new Browser(t.app);
      assert.equal((await signedIn.signIn(email)).status, 303);
      for (const payload of OPEN_REDIRECT_PAYLOADS) {
        // Already signed in: GET /sign-in?next=… redirects straight away.
        const get = await signedIn.get(`/sign-in?next=${encodeURIComponent(payload)}`);
        assert.equal(get.status, 303, JSON.stringify(payload));
        assert.equal(get.location, '/', JSON.stringify(payload));
      }
      // The raw query strings from the issue: a tab and a newline after the first slash.
      for (const raw of [
        '/%09/evil.example/',
        '/%0A/evil.example/',
        '/%0D%0ALocation:%20https://evil.example/',
        '/%5Cevil.example',
        '%2F%2Fevil.example',
      ]) {
        const res = await signedIn.get(`/sign-in?next=${raw}`);
        assert.equal(res.status, 303, raw);
        assert.equal(res.location, '/', raw);
      }
      // The POST, signing in afresh for a sample of payloads (each sign-in is a slow hash).
      for (const payload of ['/\t/evil.example/', '/\n/evil.example/', '//evil.example/', '/\\evil.example/', 'https://evil.example/']) {
        const b = new Browser(t.app);
        await b.get('/sign-in');
        const res = await b.post('/sign-in', { email, password: PASSWORD, next: payload });
        assert.equal(res.status, 303, JSON.stringify(payload));
        assert.equal(res.location, '/', JSON.stringify(payload));
      }
    });
  });
}
