/**
 * Issue 18 in Chromium on Rutland's demo data: at the Joint Action Group meeting an exception is raised and an
 * action agreed; the exception is escalated and appears on the next Strategic Group agenda; the action is carried
 * to the next JAG, closed there, and gone from a JAG arranged after it; the meeting pack downloads as DOCX; the
 * iCalendar feed is fetched through its secret link and parsed back with ical.js. On each engine (SQLite and, with
 * CSPHUB_TEST_PG_URL, PostgreSQL). Each new page is checked with axe-core. Form errors, paper uploads and the feed's
 * fields are covered by test/web/meetings.test.ts, and every page at 320 px by narrowScreens.test.ts, so not here.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { expectAccessible, fillDate, useChromium, startRealApp, type RunningApp, signInAsDemoAdmin } from '../support/browser.ts';
import { docxParagraphs } from '../support/documents.ts';
import { ENGINES } from '../support/db.ts';
import ICAL from 'ical.js';

const browser = useChromium();

for (const engine of ENGINES) {
  describe(`meetings, escalation and carried actions in Chromium on ${engine} (demo data)`, { timeout: 600_000 }, () => {
    let server: RunningApp;
    let page: Page;
    let base = '';

    before(async () => {
      server = await startRealApp(engine);
      ({ page, base } = await signInAsDemoAdmin(browser(), server, {
        timeout: 45_000,
        partnership: 'Rutland Community Safety Partnership',
      }));
    });
    after(async () => {
      await page?.context().close();
      await server?.stop();
    });

    it('raises an exception and an action at the JAG, escalates the exception, carries the action until closed, downloads the pack', async () => {
      await page.getByRole('link', { name: 'Meetings', exact: true }).first().click();
      await page.waitForURL(/\/meetings$/);
      await expectAccessible(page, 'meetings');
      await page.getByRole('link', { name: 'Joint Action Group' }).last().click(); // past meetings, newest first: the last is 14 May 2008
      await page.waitForURL(/\/meetings\/\d+$/);
      assert.match(await page.locator('h1').innerText(), /Joint Action Group/);
      assert.match(await page.locator('main').innerText(), /Wednesday 14 May 2008, 10:00/);
      await expectAccessible(page, 'the JAG meeting');
      const jagUrl = page.url();

      // An exception raised.
      await page.getByLabel('What it is').selectOption({ label: 'Exception raised' });
      await page.locator('#agenda-items-title').fill('Repeat calls about the Oakham skate park');
      await page.getByRole('button', { name: 'Add to agenda' }).click();
      await page.waitForURL(/#agenda$/);

      // Escalated to the Strategic Group's next meeting.
      await page.getByLabel('Item to escalate').selectOption({ label: '4. Repeat calls about the Oakham skate park' });
      await page.getByLabel('Escalate to').selectOption({ label: 'Community Safety Strategic Group' });
      await page.getByRole('button', { name: 'Escalate' }).click();
      await page.waitForURL(/#agenda$/);
      assert.match(
        await page.locator('.govuk-notification-banner').innerText(),
        /Community Safety Strategic Group on Tuesday 10 June 2008, 14:00/,
      );

      // An action agreed.
      await page.getByLabel('Action', { exact: true }).fill('Letter to residents near the skate park');
      await page.getByLabel("Owner's name (if not a member)").fill('Community Safety Officer');
      await fillDate(page, 'Due date (optional)', '1', '6', '2008');
      await page.getByRole('button', { name: 'Raise action' }).click();
      await page.waitForURL(/#actions$/);
      assert.match(await page.locator('#raised-actions').innerText(), /Letter to residents near the skate park/);

      // The exception is on the Strategic Group's agenda.
      await page.goto(`${server.url}${base}/meetings`);
      await page.getByRole('link', { name: 'Community Safety Strategic Group' }).click();
      await page.waitForURL(/\/meetings\/\d+$/);
      const agenda = await page.locator('#agenda-list').innerText();
      assert.match(agenda, /Repeat calls about the Oakham skate park/);
      assert.match(agenda, /Escalated from Joint Action Group, Wednesday 14 May 2008, 10:00/);
      await expectAccessible(page, 'the Strategic Group meeting');

      // Carried to the next JAG, and closed there.
      await page.goto(`${server.url}${base}/meetings`);
      await page.getByRole('link', { name: 'Joint Action Group' }).first().click(); // 28 May 2008
      await page.waitForURL(/\/meetings\/\d+$/);
      assert.match(await page.locator('#carried-actions').innerText(), /Letter to residents near the skate park/);
      await page.locator('#carried-actions').getByRole('link', { name: 'Letter to residents near the skate park' }).click();
      await page.waitForURL(/\/actions\/\d+\?meeting=\d+$/);
      await expectAccessible(page, 'the action');
      await page.getByLabel('Update').fill('Letters delivered to 120 homes');
      await page.getByLabel('Status').selectOption({ label: 'Closed' });
      await fillDate(page, 'Date (optional)', '28', '5', '2008');
      await page.getByRole('button', { name: 'Save update' }).click();
      await page.waitForURL(/\/meetings\/\d+#actions$/);
      assert.match(
        await page.locator('#carried-actions').innerText(),
        /Letter to residents near the skate park\s+Community Safety Officer\s+1 June 2008\s+Closed/,
      );

      // Gone from a JAG arranged after it.
      await page.goto(`${server.url}${base}/meetings/new`);
      await expectAccessible(page, 'arranging a meeting');
      await page.getByLabel('Group').selectOption({ label: 'Joint Action Group' });
      await fillDate(page, 'Date', '11', '6', '2008');
      await page.getByLabel('Start time').fill('10am');
      await page.getByRole('button', { name: 'Arrange meeting' }).click();
      await page.waitForURL(/\/meetings\/\d+$/);
      assert.match(await page.locator('main').innerText(), /Wednesday 11 June 2008, 10:00/);
      assert.doesNotMatch(await page.locator('main').innerText(), /Letter to residents near the skate park/);

      // The first JAG's pack downloads.
      await page.goto(jagUrl);
      await page.getByRole('button', { name: 'Generate the pack as Word (DOCX)' }).click();
      await page.waitForURL(/\/documents\/\d+/);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page
          .getByRole('link', { name: /Download/ })
          .first()
          .click({ timeout: 60_000 }),
      ]);
      assert.match(download.suggestedFilename(), /^Joint-Action-Group-meeting-pack-2008-05-14\.docx$/);
      const file = await download.path();
      assert.ok(file, 'the download finished');
      const text = docxParagraphs(fs.readFileSync(file))
        .map((p) => p.text)
        .join('\n');
      assert.match(text, /Repeat calls about the Oakham skate park/);
      assert.match(text, /Letter to residents near the skate park/);
    });

    it('shows the statutory calendar, the action log, scrutiny and the calendar link accessibly; the feed parses', async () => {
      // The pages do not differ by engine, so axe checks the first three once (on the first engine).
      const pages = [
        ['statutory-calendar', 'Statutory calendar'],
        ['actions', 'Action log'],
        ['scrutiny', 'Scrutiny recommendations'],
        ['calendar-feed', 'Subscribe to the meetings'],
      ] as const;
      for (const [path, heading] of engine === ENGINES[0] ? pages : pages.slice(3)) {
        await page.goto(`${server.url}${base}/${path}`);
        assert.equal(await page.locator('h1').innerText(), heading);
        await expectAccessible(page, heading);
      }
      await page.getByRole('button', { name: 'Make my link' }).click();
      await page.waitForSelector('#feed-url');
      const url = await page.locator('#feed-url').innerText();
      const res = await fetch(url.replace(/^https?:\/\/[^/]+/, server.url));
      assert.equal(res.status, 200);
      const events = ICAL.Component.fromString(await res.text())
        .getAllSubcomponents('vevent')
        .map((v) => new ICAL.Event(v));
      const escalatedTo = events.find(
        (e) => e.summary === 'Community Safety Strategic Group' && e.startDate.toString().startsWith('2008-06-10'),
      );
      assert.ok(escalatedTo, 'the Strategic Group meeting of 10 June 2008 is in the feed');
      assert.match(String(escalatedTo.description), /\/meetings\/\d+/);
      assert.ok(
        events.some((e) => e.summary === 'Joint Action Group' && e.startDate.toString().startsWith('2008-06-11')),
        'the JAG arranged in the walk is in the feed',
      );
      await expectAccessible(page, 'the calendar link');
    });
  });
}
