/**
 * Issue 2's "done when", in Chromium, on each engine: the app started as `npm start` starts it, the demo
 * administrator signs in with the printed sign-in, switches between the three demo partnerships, adds a user and
 * a partner organisation, sees both in the audit trail, and an API token reads the same data over /api/v1.
 * axe-core checks every page on the way.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { ENGINES } from '../support/db.ts';
import { expectAccessible, useChromium, startRealApp, type RunningApp } from '../support/browser.ts';

const DEMO_PARTNERSHIPS = ['Safer Rotherham Partnership', 'Rochford Community Safety Partnership', 'Rutland Community Safety Partnership'];

const browser = useChromium();

for (const engine of ENGINES) {
  describe(`foundation in Chromium on ${engine}`, { timeout: 600_000 }, () => {
    let server: RunningApp;
    let context: BrowserContext;
    let page: Page;
    const visited = new Set<string>();

    /** Opens a page and checks it with axe-core (once per distinct path). */
    async function visit(path: string): Promise<void> {
      const res = await page.goto(server.url + path);
      assert.ok(res, `navigated to ${path}`);
      await check(path);
    }
    async function check(label: string): Promise<void> {
      const key = `${label}|${await page.title()}`;
      if (visited.has(key)) return;
      visited.add(key);
      await expectAccessible(page, label);
    }

    before(async () => {
      // From an empty database, as a first `npm start`: migrations, the demo seed and the printed sign-in (the other
      // browser files start on a copy of the seeded demo database).
      server = await startRealApp(engine, {}, { fromEmpty: true });
      // bypassCSP lets axe-core be injected; the app's own CSP is checked in the web tests.
      context = await browser().newContext({ bypassCSP: true });
      page = await context.newPage();
      page.setDefaultTimeout(45_000);
    });
    after(async () => {
      await context?.close();
      await server?.stop();
    });

    it('prints the demo sign-in on start', () => {
      const m = /Demo sign-in: (\S+) \/ (\S+)/.exec(server.output());
      assert.ok(m, `start-up output names the demo sign-in:\n${server.output()}`);
      assert.equal(m[1], 'admin@csphub.test');
    });

    it('shows errors on the sign-in form, then signs the demo administrator in', async () => {
      const [, email, password] = /Demo sign-in: (\S+) \/ (\S+)/.exec(server.output())!;
      await visit('/');
      await visit('/sign-in');
      // The GOV.UK styles are served and applied (system font, not GDS Transport).
      assert.match(await page.evaluate(() => getComputedStyle(document.querySelector('h1')!).fontFamily), /arial/i);
      assert.notEqual(
        await page.getByRole('button', { name: 'Sign in', exact: true }).evaluate((b) => getComputedStyle(b).boxShadow),
        'none',
      );
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForSelector('.govuk-error-summary');
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter your email address/);
      await check('/sign-in with errors');
      // The error summary links move focus to the field.
      await page.locator('.govuk-error-summary a[href="#email"]').click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'email');

      await page.getByLabel('Email address').fill(email!);
      await page.getByLabel('Password', { exact: true }).fill(password!);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
      await check(new URL(page.url()).pathname);
    });

    it('switches between the three demo partnerships with the switcher', async () => {
      await visit('/partnerships');
      for (const name of DEMO_PARTNERSHIPS) assert.ok(await page.getByRole('link', { name }).count(), `${name} is listed`);
      for (const name of [...DEMO_PARTNERSHIPS].reverse()) {
        await page.getByLabel('Partnership', { exact: true }).selectOption({ label: name });
        await page.getByRole('button', { name: 'Switch' }).click();
        await page.waitForLoadState('load');
        assert.equal(await page.locator('h1').innerText(), name);
        assert.equal(
          await page.getByLabel('Partnership', { exact: true }).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text),
          name,
        );
        await check(`overview of ${name}`);
      }
    });

    let rochfordPath = '';
    it('adds a partner organisation to Rochford, with validation first', async () => {
      await page.getByLabel('Partnership', { exact: true }).selectOption({ label: 'Rochford Community Safety Partnership' });
      await page.getByRole('button', { name: 'Switch' }).click();
      await page.waitForLoadState('load');
      rochfordPath = new URL(page.url()).pathname;
      await visit(`${rochfordPath}/organisations`);
      await page.getByRole('button', { name: 'Add a partner organisation' }).click();
      await page.waitForURL(/organisations\/new$/);
      await check('new organisation');
      await page.getByRole('button', { name: /Save|Add/ }).click();
      await page.waitForSelector('.govuk-error-summary');
      await check('new organisation with errors');
      await page.getByLabel('Organisation name').fill('Rochford Street Pastors');
      await page.getByLabel('Voluntary or community organisation').check();
      await page.getByRole('button', { name: /Save|Add/ }).click();
      await page.waitForURL(/organisations$/);
      assert.ok(await page.getByText('Rochford Street Pastors').count(), 'the new organisation is listed');
      await check('organisations after adding');
    });

    let inviteLink = '';
    it('adds a user by invitation; the invitee accepts and signs in', async () => {
      await visit(`${rochfordPath}/users`);
      await page.getByRole('button', { name: 'Add a user' }).click();
      await page.waitForURL(/users\/invite$/);
      await check('invite');
      await page.getByLabel('Full name').fill('Rhiannon Analyst');
      await page.getByLabel('Email address').fill('rhiannon.analyst@rochford.example');
      await page.getByLabel('Editor').check();
      await page.getByRole('button', { name: /Add|Invite|Send|Create/ }).click();
      await page.waitForSelector('text=/invitations\\//');
      await check('invitation created');
      inviteLink = /(\/invitations\/[A-Za-z0-9_-]+)/.exec(await page.content())![1]!;

      const invitee = await context.browser()!.newContext({ bypassCSP: true });
      const p2 = await invitee.newPage();
      await p2.goto(server.url + inviteLink);
      await expectAccessible(p2, 'accept invitation');
      await p2.getByLabel('Choose a password').fill('orchard kettles wander far');
      await p2.getByLabel('Confirm your password').fill('orchard kettles wander far');
      await p2.getByRole('button', { name: /Accept|Join|Continue|Create/ }).click();
      await p2.waitForURL((u) => u.pathname === rochfordPath);
      assert.equal(await p2.locator('h1').innerText(), 'Rochford Community Safety Partnership');
      await invitee.close();

      await visit(`${rochfordPath}/users`);
      assert.ok(await page.getByText('rhiannon.analyst@rochford.example').count(), 'the new user is listed');
    });

    it('shows both changes in the audit trail, filterable by type', async () => {
      await visit(`${rochfordPath}/audit`);
      const table = await page.locator('table').innerText();
      assert.match(table, /Rochford Street Pastors/);
      assert.match(table, /rhiannon\.analyst@rochford\.example|Rhiannon Analyst/);
      assert.match(table, /admin@csphub\.test|Demo Administrator/);
      await page.goto(`${server.url}${rochfordPath}/audit?entityType=organisation`);
      const filtered = await page.locator('table').innerText();
      assert.match(filtered, /Rochford Street Pastors/);
      assert.doesNotMatch(filtered, /rhiannon\.analyst/);
      await check('audit filtered');
    });

    it('creates an API token that reads the same data over /api/v1, and revokes it', async () => {
      await visit('/account');
      await page.getByLabel('Name of a new token').fill('Browser test');
      await page.getByRole('button', { name: /Create/ }).click();
      await page.waitForSelector('#new-token');
      await check('token created');
      const token = (await page.locator('#new-token').innerText()).trim();
      const id = rochfordPath.split('/').pop();
      const res = await fetch(`${server.url}/api/v1/partnerships/${id}/organisations`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200);
      const body = JSON.stringify(await res.json());
      assert.match(body, /Rochford Street Pastors/);
      const users = await fetch(`${server.url}/api/v1/partnerships/${id}/users`, { headers: { authorization: `Bearer ${token}` } });
      assert.match(JSON.stringify(await users.json()), /rhiannon\.analyst@rochford\.example/);

      await page.goto(server.url + '/account');
      await page
        .getByRole('button', { name: /Revoke/ })
        .first()
        .click();
      await page.waitForLoadState('load');
      const after = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(after.status, 401);
    });

    it('has no accessibility violations on the remaining pages', async () => {
      const id = rochfordPath.split('/').pop();
      for (const path of [
        `/partnerships/${id}/settings`,
        `/partnerships/${id}/organisations`,
        '/account/password',
        '/admin/partnerships',
        '/admin/partnerships/new',
        '/no-such-page',
        '/invitations/not-a-real-token',
        '/health',
      ]) {
        if (path === '/health') {
          const res = await page.request.get(server.url + path, { timeout: 120_000 });
          assert.equal(res.status(), 200);
          continue;
        }
        await visit(path);
      }
      await page.goto(`${server.url}/partnerships/${id}/organisations`);
      await page
        .getByRole('link', { name: /Change|Edit/ })
        .first()
        .click();
      await page.waitForURL(/edit$/);
      await check('edit organisation');
      await page.goto(`${server.url}/partnerships/${id}/users`);
      await page.locator('table a').first().click();
      await page.waitForLoadState('load');
      await check('member page');
    });

    it('signs out', async () => {
      await page.goto(server.url + '/account');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/sign-in/);
      await page.goto(server.url + '/account');
      assert.match(page.url(), /\/sign-in/);
    });
  });
}
