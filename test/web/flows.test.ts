/**
 * The foundation's user journeys through the real app on each engine: sign-in (errors, lockout, sign-out),
 * change password, invite by link and accept, API tokens shown once and revocable, security headers,
 * the 404 page, the OpenAPI document and /health.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, memberOf, PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { listAudit } from '../../src/services/platform/audit.ts';

function newTokenFrom(body: string): string {
  const m = /id="new-token">([^<]+)</.exec(body);
  assert.ok(m, 'the new token is shown on the page');
  return m[1]!.trim();
}

for (const engine of ENGINES) {
  describe(`foundation journeys on ${engine}`, () => {
    let t: TestApp;
    let p: { id: number; name: string };

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'Journey Partnership');
    });
    after(() => t.close());

    it('signs in, shows errors for missing or wrong details, and signs out', async () => {
      const user = await memberOf(t.k, p.id, 'editor');
      const b = new Browser(t.app);
      await b.get('/sign-in');
      let res = await b.post('/sign-in', { email: '', password: '' });
      assert.equal(res.status, 400);
      assert.match(res.body, /govuk-error-summary/);
      assert.match(res.body, /href="#email">Enter your email address/);
      assert.match(res.body, /href="#password">Enter your password/);

      res = await b.post('/sign-in', { email: user.email, password: 'not the right password' });
      assert.equal(res.status, 401);
      assert.match(res.body, /The email address or password is not correct/);
      assert.ok(!b.cookies.has('csphub_session') || (await b.get('/account')).status !== 200);

      res = await b.signIn(user.email);
      assert.equal(res.status, 303);
      const account = await b.get('/account');
      assert.equal(account.status, 200);
      assert.match(account.body, new RegExp(user.email.replace(/[.+]/g, '\\$&')));

      res = await b.post('/sign-out');
      assert.equal(res.status, 303);
      const after = await b.get('/account');
      assert.equal(after.status, 303);
      assert.match(after.location ?? '', /^\/sign-in/);
    });

    it('locks an account after repeated failed sign-ins, even with the right password', async () => {
      const user = await memberOf(t.k, p.id, 'viewer');
      const b = new Browser(t.app);
      await b.get('/sign-in');
      for (let i = 0; i < 5; i++) assert.equal((await b.post('/sign-in', { email: user.email, password: `wrong-${i}` })).status, 401);
      const locked = await b.post('/sign-in', { email: user.email, password: PASSWORD });
      assert.equal(locked.status, 429);
      assert.match(locked.body, /Too many failed sign-in attempts/);
      assert.equal((await b.get('/account')).status, 303, 'still signed out');
    });

    it('changes a password: validates, then only the new password works and other sessions end', async () => {
      const user = await memberOf(t.k, p.id, 'contributor');
      const first = new Browser(t.app);
      const second = new Browser(t.app);
      await first.signIn(user.email);
      await second.signIn(user.email);
      await first.get('/account/password');
      let res = await first.post('/account/password', {
        currentPassword: 'wrong password here',
        newPassword: 'short',
        confirmPassword: 'different',
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /govuk-error-summary/);

      const newPassword = 'a much longer new passphrase';
      res = await first.post('/account/password', { currentPassword: PASSWORD, newPassword, confirmPassword: newPassword });
      assert.equal(res.status, 303);
      assert.equal((await first.get('/account')).status, 200, 'the session that changed it stays signed in');
      assert.equal((await second.get('/account')).status, 303, 'other sessions are signed out');

      const fresh = new Browser(t.app);
      assert.equal((await fresh.signIn(user.email, PASSWORD)).status, 401);
      assert.equal((await new Browser(t.app).signIn(user.email, newPassword)).status, 303);
    });

    it('invites a new person by link; they choose a password and join with the invited role', async () => {
      const admin = await memberOf(t.k, p.id, 'admin');
      const b = new Browser(t.app);
      await b.signIn(admin.email);
      await b.get(`/partnerships/${p.id}/users/invite`);
      let res = await b.post(`/partnerships/${p.id}/users/invite`, { name: '', email: 'not-an-email', role: 'viewer' });
      assert.equal(res.status, 400);
      assert.match(res.body, /govuk-error-summary/);

      const email = `invitee-${Date.now()}@example.org`;
      res = await b.post(`/partnerships/${p.id}/users/invite`, { name: 'Ivy Invitee', email, role: 'editor' });
      assert.equal(res.status, 200);
      const link = /\/invitations\/([A-Za-z0-9_-]+)/.exec(res.body);
      assert.ok(link, 'the invitation link is shown');

      const invitee = new Browser(t.app);
      const page = await invitee.get(`/invitations/${link[1]}`);
      assert.equal(page.status, 200);
      res = await invitee.post(`/invitations/${link[1]}`, { name: 'Ivy Invitee', password: 'short', confirmPassword: 'short' });
      assert.equal(res.status, 400);
      res = await invitee.post(`/invitations/${link[1]}`, {
        name: 'Ivy Invitee',
        password: 'ivy chooses a long password',
        confirmPassword: 'ivy chooses a long password',
      });
      assert.equal(res.status, 303);
      assert.equal(res.location, `/partnerships/${p.id}`);
      const home = await invitee.get(`/partnerships/${p.id}`);
      assert.equal(home.status, 200);
      assert.equal((await invitee.get(`/partnerships/${p.id}/organisations/new`)).status, 200, 'editors may add organisations');

      // The link is single-use.
      assert.equal((await new Browser(t.app).get(`/invitations/${link[1]}`)).status, 404);
      const users = await b.get(`/partnerships/${p.id}/users`);
      assert.match(users.body, new RegExp(email.replace(/[.+]/g, '\\$&')));
      const audit = await listAudit(t.k, { partnershipId: p.id });
      assert.ok(audit.events.some((e) => e.entity_type === 'invitation' || e.entity_type === 'membership'));
    });

    it('creates an API token shown once, uses it with the same rights as its owner, and revokes it', async () => {
      const viewer = await memberOf(t.k, p.id, 'viewer');
      const b = new Browser(t.app);
      await b.signIn(viewer.email);
      let res = await b.post('/account/tokens', { name: '' });
      assert.equal(res.status, 400);
      res = await b.post('/account/tokens', { name: 'Spreadsheet' });
      assert.equal(res.status, 200);
      const token = newTokenFrom(res.body);
      assert.match(token, /^csphub_/);
      const again = await b.get('/account');
      assert.ok(!again.body.includes(token), 'the token is not shown a second time');
      const stored = await t.k.selectFrom('api_tokens').selectAll().where('user_id', '=', viewer.id).execute();
      assert.equal(stored.length, 1);
      assert.ok(!JSON.stringify(stored).includes(token.slice(7)), 'only a hash is stored');

      const me = await api(t.app, token, 'GET', '/api/v1/me');
      assert.equal(me.status, 200);
      assert.equal(me.json<{ email: string }>().email, viewer.email);
      const partnership = await api(t.app, token, 'GET', `/api/v1/partnerships/${p.id}`);
      assert.equal(partnership.status, 200);
      assert.equal(partnership.json<{ name: string }>().name, p.name);
      const write = await api(t.app, token, 'POST', `/api/v1/partnerships/${p.id}/organisations`, { name: 'Not allowed', type: 'other' });
      assert.equal(write.status, 403, 'a viewer token cannot write');

      const id = stored[0]!.id;
      res = await b.post(`/account/tokens/${id}/revoke`);
      assert.equal(res.status, 303);
      assert.equal((await api(t.app, token, 'GET', '/api/v1/me')).status, 401);
      assert.equal((await api(t.app, 'csphub_madeup', 'GET', '/api/v1/me')).status, 401);
    });

    it('sends security headers and HttpOnly, SameSite cookies', async () => {
      const b = new Browser(t.app);
      const res = await t.app.inject({ method: 'GET', url: '/sign-in' });
      assert.equal(res.statusCode, 200);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src [^;]*'nonce-/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.ok(res.headers['x-frame-options']);
      assert.ok(res.headers['referrer-policy']);
      const user = await memberOf(t.k, p.id, 'viewer');
      await b.get('/sign-in');
      const signIn = await b.post('/sign-in', { email: user.email, password: PASSWORD });
      const cookies = ([] as string[]).concat((signIn.headers['set-cookie'] as string | string[]) ?? []);
      const session = cookies.find((c) => c.startsWith('csphub_session='));
      assert.ok(session, 'a session cookie is set');
      assert.match(session, /HttpOnly/i);
      assert.match(session, /SameSite=Lax/i);
    });

    it('marks cookies Secure when SECURE_COOKIES is on', async () => {
      const secure = await startTestApp(engine, { SECURE_COOKIES: 'true' });
      try {
        const res = await secure.app.inject({ method: 'GET', url: '/sign-in' });
        const cookies = ([] as string[]).concat((res.headers['set-cookie'] as string | string[]) ?? []);
        assert.ok(cookies.length > 0);
        for (const c of cookies) assert.match(c, /;\s*Secure/i);
        assert.ok(res.headers['strict-transport-security']);
      } finally {
        await secure.close();
      }
    });

    it('shows a 404 page for unknown pages and a JSON 404 in the API', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/no-such-page' });
      assert.equal(res.statusCode, 404);
      assert.match(res.body, /Page not found/);
      assert.match(res.body, /govuk-template/);
      const user = await memberOf(t.k, p.id, 'viewer');
      const b = new Browser(t.app);
      await b.signIn(user.email);
      const tokenPage = await b.post('/account/tokens', { name: 'x' });
      const apiRes = await api(t.app, newTokenFrom(tokenPage.body), 'GET', '/api/v1/nothing-here');
      assert.equal(apiRes.status, 404);
      assert.ok(apiRes.json<{ message: string }>().message);
    });

    it('describes every API route in the OpenAPI document', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      assert.equal(res.statusCode, 200);
      const doc = JSON.parse(res.body) as { openapi: string; paths: Record<string, Record<string, unknown>> };
      assert.match(doc.openapi, /^3\./);
      const apiRoutes = t.app.routeRecords.filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/openapi.json');
      assert.ok(apiRoutes.length >= 10);
      for (const r of apiRoutes) {
        const path = r.url.replace('/api/v1', '').replace(/:([A-Za-z]+)/g, '{$1}');
        const entry = doc.paths[path] ?? doc.paths[`/api/v1${path}`];
        assert.ok(entry, `OpenAPI has ${r.url}`);
        assert.ok(entry[r.method.toLowerCase()], `OpenAPI has ${r.method} ${r.url}`);
      }
    });

    it('shows the 500 page, without internals, when the database fails; /health reports 503', async () => {
      const broken = await startTestApp(engine);
      try {
        const user = await memberOf(broken.k, (await makePartnership(broken.k, 'Broken')).id, 'viewer');
        const b = new Browser(broken.app);
        await b.signIn(user.email);
        await broken.db.close();
        const page = await b.get('/account');
        assert.equal(page.status, 500);
        assert.match(page.body, /Sorry, there is a problem with the service/);
        assert.doesNotMatch(page.body, /at .*\.ts:\d+|Error:/, 'no stack trace or error text leaks to the page');
        const health = await broken.app.inject({ method: 'GET', url: '/health' });
        assert.equal(health.statusCode, 503);
        assert.equal(health.json<{ database: { reachable: boolean } }>().database.reachable, false);
      } finally {
        await broken.app.close();
        await broken.db.drop().catch(() => undefined);
      }
    });

    it('reports database reachability and migration state at /health', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/health' });
      assert.equal(res.statusCode, 200);
      const body = res.json<{ status: string; database: { engine: string; reachable: boolean }; migrations: { pending: unknown[] } }>();
      assert.equal(body.status, 'ok');
      assert.equal(body.database.engine, engine);
      assert.equal(body.database.reachable, true);
      assert.deepEqual(body.migrations.pending, []);
    });
  });
}
