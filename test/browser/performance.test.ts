/**
 * Issue 4's "done when", in Chromium, on each engine: the app started as `npm start` starts it; a new partnership
 * defines a local indicator with a baseline and a percentage target (form errors first), enters figures by hand in
 * the grid (a bad cell first), uploads a CSV with one bad row (nothing written, the row named), fixes it, and sees
 * the dashboard, scorecard, charts and RAG change; overrides a RAG with a reason; and reads the same figures from
 * /api/v1 with an API token. axe-core checks every performance page on the way, error states included.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ENGINES } from '../support/db.ts';
import { expectAccessible, useChromium, startRealApp, type RunningApp } from '../support/browser.ts';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { recentPeriods } from '../../src/domain/collection.ts';
import { formatPeriodLabel } from '../../src/domain/periods.ts';
import { todayIso } from '../../src/adapters/clock.ts';

// One Chromium for the whole file, each engine's pages in their own browser context; one SMTP server catching what
// both apps send (issue 14's reminder walk).
const browser = useChromium();
let smtp: SMTPServer;
let smtpUrl = '';
const mails: ParsedMail[] = [];
before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, callback) =>
      void simpleParser(stream)
        .then((m) => (mails.push(m), callback()))
        .catch(callback),
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});
after(async () => {
  smtp?.close();
});

for (const engine of ENGINES) {
  describe(`performance in Chromium on ${engine}`, { timeout: 600_000 }, () => {
    let server: RunningApp;
    let context: BrowserContext;
    let page: Page;
    let tmp: string;
    let base = '';
    let indicatorPath = '';

    async function go(p: string, label = p): Promise<void> {
      const res = await page.goto(server.url + p);
      assert.ok(res && res.status() < 400, `${p} answered ${res?.status()}`);
      await expectAccessible(page, label);
    }
    async function submit(name: string | RegExp): Promise<void> {
      await Promise.all([
        page.waitForLoadState('load'),
        page.waitForNavigation(),
        page.getByRole('button', { name, exact: typeof name === 'string' }).click(),
      ]);
    }
    /** The dashboard row of the indicator, as text. */
    async function dashboardRow(): Promise<string> {
      await go(`${base}/performance`, 'dashboard');
      return page.locator('tr', { has: page.getByRole('link', { name: 'L1 Shed burglaries' }) }).innerText();
    }

    before(async () => {
      // Reminders run (every 2 s) and go to the SMTP server above.
      server = await startRealApp(engine, { SMTP_URL: smtpUrl, RUN_REMINDERS: 'true', DOCUMENT_POLL_SECONDS: '2' });
      // bypassCSP lets axe-core be injected; the app's own CSP is checked in the web tests.
      context = await browser().newContext({ bypassCSP: true });
      page = await context.newPage();
      page.setDefaultTimeout(45_000);
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-perf-browser-'));
    });
    after(async () => {
      await context?.close();
      await server?.stop();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('signs in and creates a new partnership', async () => {
      const [, email, password] = /Demo sign-in: (\S+) \/ (\S+)/.exec(server.output())!;
      await page.goto(server.url + '/sign-in');
      await page.getByLabel('Email address').fill(email!);
      await page.getByLabel('Password', { exact: true }).fill(password!);
      await submit('Sign in');
      await page.goto(server.url + '/admin/partnerships/new');
      await page.getByLabel('Partnership name').fill('Browser Test Community Safety Partnership');
      await page.getByLabel('Area').fill('A made-up district for the browser test.');
      await page.getByLabel('Population by year').fill('2019: 100,000\n2020: 101,000');
      await submit('Create partnership');
      base = new URL(page.url()).pathname;
      assert.match(base, /^\/partnerships\/\d+$/);
    });

    it('shows an empty dashboard, scorecard and exception list', async () => {
      await go(`${base}/performance`, 'empty dashboard');
      assert.match(await page.locator('main').innerText(), /No indicators yet/);
      await go(`${base}/performance/scorecard`, 'empty scorecard');
      await go(`${base}/performance/exceptions`, 'empty exceptions');
    });

    it('defines a local indicator with a baseline and a percentage target, with form errors first', async () => {
      await go(`${base}/indicators`, 'indicator list');
      await page.getByRole('button', { name: 'Add a local indicator' }).click();
      await page.waitForURL(/indicators\/new$/);
      await expectAccessible(page, 'new indicator');
      await page.getByLabel('Baseline value').fill('a hundred');
      await submit('Add indicator');
      await page.waitForSelector('.govuk-error-summary');
      const summary = await page.locator('.govuk-error-summary').innerText();
      assert.match(summary, /Enter the indicator title/);
      assert.match(summary, /The baseline value must be a number/);
      await expectAccessible(page, 'new indicator with errors');
      await page.locator('.govuk-error-summary a[href="#title"]').click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'title');

      await page.getByLabel('Code (optional)').fill('L1');
      await page.getByLabel('Title', { exact: true }).fill('Shed burglaries');
      await page.getByLabel('Definition (optional)').fill('Burglaries of sheds and outbuildings recorded by the police.');
      await page.getByLabel('Unit').selectOption('count');
      await page.getByLabel('Lower is better').check();
      await page.getByLabel('Quarterly').check();
      await page.getByLabel('Is anyone better off?').check();
      await page.getByLabel('Baseline value').fill('100');
      await page.getByLabel('Baseline period').fill('2018/19');
      // The first target's own fieldset (the form has a second, optional target with the same fields).
      const target = page.getByRole('group', { name: 'Target', exact: true });
      await target.getByLabel('Kind of target', { exact: true }).selectOption('percentage_change');
      await target.getByLabel('Reduce', { exact: true }).check();
      await target.getByLabel('Target value', { exact: true }).fill('10');
      await target.getByLabel('By (optional)', { exact: true }).fill('2019/20');
      await submit('Add indicator');
      indicatorPath = new URL(page.url()).pathname;
      assert.match(indicatorPath, /\/indicators\/\d+$/);
      await expectAccessible(page, 'indicator page without figures');
      const main = await page.locator('main').innerText();
      assert.match(main, /L1 Shed burglaries has been added/);
      assert.match(main, /100 in 2018\/19/);
      assert.match(main, /Reduce by 10% .*2019\/20|10%/);
      assert.match(main, /No figures have been entered yet/);

      await page.getByRole('link', { name: 'Edit this indicator' }).click();
      await page.waitForURL(/edit$/);
      await expectAccessible(page, 'edit indicator');
      assert.equal(await page.getByLabel('Baseline value').inputValue(), '100');
      await page.getByLabel('Owner (optional)').fill('Community Safety Officer');
      await submit('Save changes');
      assert.equal(new URL(page.url()).pathname, indicatorPath);
      assert.match(await page.locator('main').innerText(), /Community Safety Officer/);
      await go(`${base}/indicators`, 'indicator list with one indicator');
      assert.ok(await page.getByRole('link', { name: 'L1 Shed burglaries' }).count());
    });

    it('enters figures by hand in the grid, all or nothing', async () => {
      await go(`${base}/figures?year=2019/20`, 'entry grid');
      await page.getByLabel('Q1 2019/20').fill('20');
      await page.getByLabel('Q2 2019/20').fill('twenty');
      await submit('Save figures');
      await page.waitForSelector('.govuk-error-summary');
      assert.match(await page.locator('.govuk-error-summary').innerText(), /L1 Shed burglaries, Q2 2019\/20: "twenty" is not a number/);
      await expectAccessible(page, 'entry grid with errors');
      // Nothing was saved: the grid of the year, reloaded, is empty.
      await page.goto(`${server.url}${base}/figures?year=2019/20`);
      assert.equal(await page.getByLabel('Q1 2019/20').inputValue(), '');

      await page.getByLabel('Q1 2019/20').fill('20');
      await page.getByLabel('Q2 2019/20').fill('22');
      await submit('Save figures');
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /2 new figures/);
      assert.equal(await page.getByLabel('Q2 2019/20').inputValue(), '22');

      // 42 in half a year projects to 84 for the year, within the target of 90 (100 less 10%): green.
      const row = await dashboardRow();
      assert.match(row, /Q2 2019\/20/);
      assert.match(row, /\b22\b/);
      assert.match(row, /Green/);
    });

    it('uploads a CSV with one bad row (nothing written, the row named), then the fixed file', async () => {
      const bad = path.join(tmp, 'shed-burglaries.csv');
      fs.writeFileSync(bad, 'indicator,period,value,note\nL1,2019-20 Q3,25,\nL1,2019-20 Q5,30,year end\n');
      await go(`${base}/figures?year=2019/20`, 'entry grid before upload');
      await page.getByLabel('File of figures').setInputFiles(bad);
      await submit('Upload figures');
      await page.waitForSelector('#upload-problems');
      const problems = await page.locator('#upload-problems tbody tr').allInnerTexts();
      assert.equal(problems.length, 1, problems.join('\n'));
      const cells = await page.locator('#upload-problems tbody tr').first().locator('td').allInnerTexts();
      assert.deepEqual(cells.slice(0, 3), ['3', 'period', '2019-20 Q5']);
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Row 3, column "period"/);
      await expectAccessible(page, 'upload with errors');
      await page.goto(`${server.url}${base}/figures?year=2019/20`);
      assert.equal(await page.getByLabel('Q3 2019/20').inputValue(), '', 'the good row of the bad file was not written');

      fs.writeFileSync(bad, 'indicator,period,value,note\nL1,2019-20 Q3,25,\nL1,2019-20 Q4,30,year end\n');
      await page.getByLabel('File of figures').setInputFiles(bad);
      await submit('Upload figures');
      assert.match(new URL(page.url()).pathname, /\/performance$/);
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /shed-burglaries\.csv uploaded: 2 new figures/);
    });

    it('shows the dashboard, scorecard, exceptions, charts and RAG change', async () => {
      // 97 for the year against 90: more than 5% over the target, so red.
      const row = await dashboardRow();
      assert.match(row, /Q4 2019\/20/);
      assert.match(row, /\b30\b/);
      assert.match(row, /Red/);
      assert.doesNotMatch(row, /Green/);
      assert.match(await page.locator('#rag-counts').innerText(), /1 red, 0 amber, 0 green/);
      assert.equal(await page.locator('tr[data-indicator] svg').count(), 1, 'a sparkline');

      await go(`${base}/performance/scorecard`, 'scorecard');
      const scorecard = await page.locator('main').innerText();
      assert.match(scorecard, /Is anyone better off\?/);
      assert.match(scorecard, /L1 Shed burglaries[\s\S]*Red/);
      await go(`${base}/performance/exceptions`, 'exceptions');
      assert.match(await page.locator('main table').innerText(), /L1 Shed burglaries[\s\S]*Red/);

      await go(indicatorPath, 'indicator page with figures');
      const computed = await page.locator('#computed').innerText();
      assert.match(computed, /97 \(projected year end\) against 90/);
      assert.equal((await page.locator('figure.app-chart svg[role="img"]').count()) >= 2, true, 'line and XmR charts');
      const quarters = page.locator('#quarter-by-year');
      // Page charts are drawn twice (wide and narrow, CSS shows one): count the one shown at this width.
      assert.equal(await quarters.locator('.app-chart__wide svg rect.chart-bar').count(), 4, 'a bar for each quarter of 2019/20');
      assert.equal(await quarters.locator('.app-chart__narrow svg').isVisible(), false, 'the narrow drawing is hidden');
      await page.getByText("The quarter-by-year chart's numbers as a table").click();
      const table = await page.locator('#quarter-by-year details table').innerText();
      assert.match(table, /Q1\s+20/);
      assert.match(table, /Q4\s+30/);
      await expectAccessible(page, 'indicator page with the tables open');
    });

    it('overrides the RAG with a reason and shows it as overridden', async () => {
      await page.goto(server.url + indicatorPath);
      await page.locator('#period').selectOption({ label: 'Q4 2019/20' });
      await page.getByLabel('Amber').check();
      await submit('Override RAG status');
      await page.waitForSelector('.govuk-error-summary');
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter a reason for overriding the RAG status/);
      await expectAccessible(page, 'override with errors');
      // The override's reason (the SPC section has a Reason box too).
      await page.locator('textarea#reason').fill('Q4 includes a one-off series of burglaries on one allotment site');
      await page.getByLabel('Amber').check();
      await submit('Override RAG status');
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /overridden/);
      assert.match(await page.locator('#override-reason').innerText(), /rule gives red[\s\S]*one-off series/);
      await expectAccessible(page, 'indicator page after override');
      const row = await dashboardRow();
      assert.match(row, /Amber \(overridden\)/);
      assert.match(await page.locator('#rag-counts').innerText(), /0 red, 1 amber, 0 green/);
    });

    it('reads the same figures from /api/v1 with an API token', async () => {
      await page.goto(server.url + '/account');
      await page.getByLabel('Name of a new token').fill('Performance browser test');
      await submit(/Create/);
      const token = (await page.locator('#new-token').innerText()).trim();
      const headers = { authorization: `Bearer ${token}` };
      const pid = base.split('/').pop();
      const iid = indicatorPath.split('/').pop();

      const indicators = (await (await fetch(`${server.url}/api/v1/partnerships/${pid}/indicators`, { headers })).json()) as {
        id: number;
        code: string;
        baseline: { value: number; period: string };
        targets: { kind: string; value: number; direction: string }[];
      }[];
      assert.equal(indicators.length, 1);
      assert.deepEqual(
        {
          code: indicators[0]!.code,
          baseline: indicators[0]!.baseline.value,
          kind: indicators[0]!.targets[0]!.kind,
          value: indicators[0]!.targets[0]!.value,
        },
        { code: 'L1', baseline: 100, kind: 'percentage_change', value: 10 },
      );

      const figures = (await (await fetch(`${server.url}/api/v1/partnerships/${pid}/indicators/${iid}/figures`, { headers })).json()) as {
        period: string;
        value: number;
      }[];
      assert.deepEqual(
        figures.map((f) => [f.period, f.value]),
        [
          ['2019-20 Q1', 20],
          ['2019-20 Q2', 22],
          ['2019-20 Q3', 25],
          ['2019-20 Q4', 30],
        ],
      );

      const res = await fetch(`${server.url}/api/v1/partnerships/${pid}/indicators/${iid}/performance`, { headers });
      assert.equal(res.status, 200);
      const perf = (await res.json()) as {
        latest: {
          period: string;
          value: number;
          yearToDate: number;
          assessed: number;
          target: { threshold: number };
          ruleRag: string;
          rag: string;
          overridden: boolean;
          overrideReason: string;
        };
      };
      assert.equal(perf.latest.period, '2019-20 Q4');
      assert.equal(perf.latest.value, 30);
      assert.equal(perf.latest.yearToDate, 97);
      assert.equal(perf.latest.assessed, 97);
      assert.equal(perf.latest.target.threshold, 90);
      assert.equal(perf.latest.ruleRag, 'red');
      assert.equal(perf.latest.rag, 'amber');
      assert.equal(perf.latest.overridden, true);
      assert.match(perf.latest.overrideReason, /one-off series/);

      const dashboard = (await (await fetch(`${server.url}/api/v1/partnerships/${pid}/performance`, { headers })).json()) as {
        indicatorId: number;
        latest: { rag: string };
      }[];
      assert.deepEqual(
        dashboard.map((d) => [d.indicatorId, d.latest.rag]),
        [[Number(iid), 'amber']],
      );
    });

    it('emails the owner a chaser; its link leads to their figures; entering it clears the overdue flag and moves completeness', async () => {
      // The quarter before the last ended one is always past its due date: one overdue figure.
      const period = recentPeriods(todayIso(), 'quarterly', 2)[1]!;
      const periodText = formatPeriodLabel(period);
      const [, email] = /Demo sign-in: (\S+) \//.exec(server.output())!;
      await go(`${base}/users/invite`, 'add a user');
      await page.getByLabel('Full name').fill('Demo administrator');
      await page.getByLabel('Email address').fill(email!);
      await page.getByLabel('Editor', { exact: true }).check();
      await submit('Add user');
      await go(`${indicatorPath}/collection`, 'owner and collection');
      // The existing account keeps its own name: pick it by its email address.
      const owner = await page.locator('#ownerUserId option', { hasText: email! }).getAttribute('value');
      assert.ok(owner, 'the new member is offered as an owner');
      await page.getByLabel('Owner', { exact: true }).selectOption(owner);
      await page.getByLabel('First period collected').fill(period);
      await submit('Save');
      const statusOf = async () => {
        await go(indicatorPath, 'indicator with its collection');
        return page.locator('#collection-table tr', { hasText: periodText }).innerText();
      };
      assert.match(await statusOf(), /Overdue/);
      const completenessRow = async () => {
        await go(`${base}/completeness?from=2000-01-01`, 'completeness');
        return (await page.locator('#by-indicator tr', { hasText: 'L1 Shed burglaries' }).innerText()).split(/\s+/).slice(-6).join(' ');
      };
      // Expected, on time, late, missing, completeness (on time), received (on time or late). The last ended quarter may be past its due date too (on some
      // days of the year), so the walk counts from what is expected now: nothing in, every expected figure missing.
      const before = (await completenessRow()).split(' ');
      const expected = Number(before[0]);
      assert.ok(expected >= 1, `at least the overdue quarter is expected (${before.join(' ')})`);
      assert.deepEqual(before, [String(expected), '0', '0', String(expected), '0%', '0%']);

      const subject = `Overdue: L1 Shed burglaries for ${periodText}`;
      const deadline = Date.now() + 60_000;
      let mail: ParsedMail | undefined;
      while (!(mail = mails.find((m) => m.subject === subject && m.text?.includes(server.url))) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 250));
      assert.ok(mail, `no "${subject}" arrived at the SMTP server`);
      const link = /(http:\/\/\S+\/my-figures)\b/.exec(mail.text!)![1]!;
      await go(new URL(link).pathname, 'my figures from the email');
      await page.getByLabel(`L1 Shed burglaries, ${periodText}`).fill('27');
      await submit('Save my figures');
      assert.match(await statusOf(), /Received late/);
      assert.deepEqual(
        (await completenessRow()).split(' '),
        [String(expected), '0', '1', String(expected - 1), '0%', `${(Math.round(1000 / expected) / 10).toLocaleString('en-GB')}%`],
        'now late, not missing: the score (on time) stays, the share received moves',
      );
      // Once by this engine's app (the SMTP server hears both engines' apps; each links to its own address).
      assert.equal(mails.filter((m) => m.subject === subject && m.text?.includes(server.url)).length, 1, 'the chaser is sent once');
    });
  });
}
