/**
 * In Chromium, on each engine, with the demo data: Safer Rotherham links its 2010/11 perception target (NI 17: 25%
 * of residents, from 28% in 2008/09) to the Anti-Social Behaviour priority of its published 2010/11 refresh, withdraws
 * that version's approval (it was approved before the targets were linked), approves and publishes it again, starts
 * the 2011/12 refresh, changes the target (a made-up 24% by 2011/12) and sees "Target changed" in the comparison.
 * Then it withdraws the published 2016-19 plan and the public summary falls back to the 2010/11 refresh. axe-core
 * checks every page on the way.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { ENGINES } from '../support/db.ts';
import { expectAccessible, fillDate, useChromium, startRealApp, type RunningApp } from '../support/browser.ts';

const browser = useChromium();

for (const engine of ENGINES) {
  describe(`plan targets and approval withdrawal in Chromium on ${engine}`, { timeout: 600_000 }, () => {
    let server: RunningApp;
    let context: BrowserContext;
    let page: Page;
    let base = '';
    let refreshPath = '';

    async function submit(name: string | RegExp): Promise<void> {
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name }).click()]);
      await page.waitForLoadState('load');
    }
    async function openVersion(label: string): Promise<void> {
      await page.goto(`${server.url}${base}/plans`);
      await page.getByRole('link', { name: label, exact: true }).click();
      await page.waitForURL(/plan-versions\/\d+$/);
    }

    before(async () => {
      server = await startRealApp(engine);
      context = await browser().newContext({ bypassCSP: true });
      page = await context.newPage();
      page.setDefaultTimeout(45_000);
      const [, email, password] = /Demo sign-in: (\S+) \/ (\S+)/.exec(server.output())!;
      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('Email address').fill(email!);
      await page.getByLabel('Password', { exact: true }).fill(password!);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
      await page.goto(`${server.url}/partnerships`);
      await page.getByRole('link', { name: 'Safer Rotherham Partnership' }).click();
      base = new URL(page.url()).pathname;
      assert.match(base, /^\/partnerships\/\d+$/);
    });
    after(async () => {
      await context?.close();
      await server?.stop();
    });

    it('links the NI 17 target to the Anti-Social Behaviour priority', async () => {
      await page.goto(`${server.url}${base}/indicators`);
      await page.getByRole('link', { name: /^NI 17 / }).click();
      await page.getByRole('link', { name: 'Edit this indicator' }).click();
      await page
        .getByRole('group', { name: 'Priorities it measures (optional)' })
        .getByLabel('Anti-Social Behaviour (Safer Rotherham Partnership Plan 2010/11 refresh)', { exact: true })
        .check();
      await submit(/Save/);
      assert.doesNotMatch(page.url(), /edit$/);
    });

    it('withdraws the approval of the 2010/11 refresh with a reason, then approves and publishes it again', async () => {
      await openVersion('2010/11 refresh');
      await page.getByRole('link', { name: 'Withdraw approval' }).click();
      await expectAccessible(page, 'withdraw approval');
      await submit('Withdraw approval');
      await page.waitForSelector('.govuk-error-summary');
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter why the approval is being withdrawn/);
      await expectAccessible(page, 'withdraw approval with errors');
      await page
        .getByLabel('Why is the approval being withdrawn?')
        .fill('Approved before its indicator targets were linked to the priorities');
      await submit('Withdraw approval');
      assert.match(await page.locator('h1').innerText(), /2010\/11 refresh\s+Draft/);
      assert.match(
        await page.locator('#withdrawal').innerText(),
        /Approval withdrawn on .*: Approved before its indicator targets were linked to the priorities/,
      );
      await expectAccessible(page, 'withdrawn version');

      await page.getByRole('link', { name: 'Record approval' }).click();
      await page.getByLabel('Approved by').fill('Safer Rotherham Partnership');
      await fillDate(page, 'Date approved', '1', '4', '2010');
      await page.getByLabel('Meeting').fill('Safer Rotherham Partnership, April 2010');
      await submit('Record approval');
      await submit('Publish this version');
      // The confirmation page shows what will become public; publishing needs the box ticked.
      assert.match(await page.locator('#becomes-public').innerText(), /priorit/);
      await page.getByLabel(/I have checked what will become public/).check();
      await submit('Publish this version');
      assert.match(await page.locator('h1').innerText(), /Published/);
    });

    it("starts the 2011/12 refresh, changes the NI 17 target and sees 'Target changed' in the comparison", async () => {
      await page.getByRole('link', { name: 'Start next year’s refresh' }).click();
      await submit('Start refresh');
      refreshPath = new URL(page.url()).pathname;
      assert.match(await page.locator('h1').innerText(), /2011\/12 refresh/);

      await page.goto(`${server.url}${base}/indicators`);
      await page.getByRole('link', { name: /^NI 17 / }).click();
      await page.getByRole('link', { name: 'Edit this indicator' }).click();
      await page.locator('#targetValue').fill('24');
      await page.locator('#targetBy').fill('2011/12');
      await submit(/Save/);

      await page.goto(`${server.url}${refreshPath}`);
      await page.getByRole('link', { name: 'Compare with another version' }).click();
      await page.waitForURL(/compare$/);
      const targets = page.locator('table', { has: page.locator('caption', { hasText: 'Targets: Anti-Social Behaviour' }) });
      const row = targets.locator('tr[data-target-change]');
      assert.equal(await row.count(), 1);
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      assert.match(text, /NI 17 Residents who feel anti-social behaviour is a very or fairly big problem in their area/);
      assert.match(text, /Target changed/);
      assert.match(text, /Reach 25 by 2010\/11/);
      assert.match(text, /Reach 24 by 2011\/12/);
      assert.match(await page.locator('main').innerText(), /2010\/11 refresh: the targets recorded when it was approved/);
      await expectAccessible(page, 'comparison with targets');
    });

    it('withdraws the published 2016-19 plan: the public summary falls back to the 2010/11 refresh', async () => {
      const anonymous = await browser().newContext({ bypassCSP: true });
      const pub = await anonymous.newPage();
      const publicUrl = `${server.url}/public/partnerships/safer-rotherham-partnership`;
      await pub.goto(publicUrl);
      assert.match(await pub.locator('h1').innerText(), /2016-19/);

      await openVersion('2016-19');
      await page.getByRole('link', { name: 'Withdraw approval' }).click();
      assert.match(await page.locator('.govuk-warning-text').innerText(), /The public summary will stop showing this version/);
      await page.getByLabel('Why is the approval being withdrawn?').fill('The Board asked for the hate crime priority to be rewritten');
      await submit('Withdraw approval');
      assert.match(
        await page.locator('.govuk-notification-banner, [role="alert"], main').first().innerText(),
        /The approval of 2016-19 has been withdrawn/,
      );

      await pub.goto(publicUrl);
      assert.match(await pub.locator('h1').innerText(), /Safer Rotherham Partnership Plan 2010\/11 refresh/);
      await expectAccessible(pub, 'public summary after withdrawal');
      await anonymous.close();
    });
  });
}
