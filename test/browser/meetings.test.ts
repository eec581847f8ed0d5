/**
 * Issue 18 in Chromium on Rutland's demo data: at the Joint Action Group meeting an exception is raised and an
 * action agreed; the exception is escalated and appears on the next Strategic Group agenda; the action is carried
 * to the next JAG, closed there, and gone from a JAG arranged after it; the meeting pack downloads as DOCX. Each
 * new page is checked with axe-core and for sideways scrolling at 320 px.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, fillDate, launchChromium, startRealApp, type RunningApp, signInAsDemoAdmin } from '../support/browser.ts';
import { docxParagraphs } from '../support/documents.ts';

async function expectNoSidewaysScroll(page: Page, label: string): Promise<void> {
  await page.setViewportSize({ width: 320, height: 800 });
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(widths.scroll <= widths.client, `${label} scrolls sideways at 320 px (${widths.scroll} > ${widths.client})`);
  await page.setViewportSize({ width: 1024, height: 800 });
}

async function check(page: Page, label: string): Promise<void> {
  await expectAccessible(page, label);
  await expectNoSidewaysScroll(page, label);
}

describe('meetings, escalation and carried actions in Chromium (demo data, SQLite)', { timeout: 240_000 }, () => {
  let server: RunningApp;
  let browser: Browser;
  let page: Page;
  let base = '';

  before(async () => {
    server = await startRealApp('sqlite');
    browser = await launchChromium();
    ({ page, base } = await signInAsDemoAdmin(browser, server, { timeout: 30_000, partnership: 'Rutland Community Safety Partnership' }));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('raises an exception and an action at the JAG, escalates the exception, carries the action until closed, downloads the pack', async () => {
    await page.getByRole('link', { name: 'Meetings', exact: true }).first().click();
    await page.waitForURL(/\/meetings$/);
    await check(page, 'meetings');
    await page.getByRole('link', { name: 'Joint Action Group' }).last().click(); // past meetings, newest first: the last is 14 May 2008
    await page.waitForURL(/\/meetings\/\d+$/);
    assert.match(await page.locator('h1').innerText(), /Joint Action Group/);
    assert.match(await page.locator('main').innerText(), /Wednesday 14 May 2008, 10:00/);
    await check(page, 'the JAG meeting');
    const jagUrl = page.url();

    // An exception raised, with an error first.
    await page.getByLabel('What it is').selectOption({ label: 'Exception raised' });
    await page.getByRole('button', { name: 'Add to agenda' }).click();
    await page.waitForSelector('.govuk-error-summary');
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the exception raised/);
    await check(page, 'the meeting with an error');
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
    await check(page, 'the Strategic Group meeting');

    // Carried to the next JAG, and closed there.
    await page.goto(`${server.url}${base}/meetings`);
    await page.getByRole('link', { name: 'Joint Action Group' }).first().click(); // 28 May 2008
    await page.waitForURL(/\/meetings\/\d+$/);
    assert.match(await page.locator('#carried-actions').innerText(), /Letter to residents near the skate park/);
    await page.locator('#carried-actions').getByRole('link', { name: 'Letter to residents near the skate park' }).click();
    await page.waitForURL(/\/actions\/\d+\?meeting=\d+$/);
    await check(page, 'the action');
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
    await check(page, 'arranging a meeting');
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

    // A paper uploaded to the first JAG is listed with its file and downloads.
    await page.goto(jagUrl);
    await page.getByLabel('File', { exact: true }).setInputFiles({
      name: 'skate-park-survey.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    await page.getByRole('button', { name: 'Upload paper' }).click();
    await page.waitForURL(/#papers$/);
    assert.match(await page.locator('#paper-list').innerText(), /skate-park-survey \(skate-park-survey\.pdf, \d+ bytes\)/);
    const [paper] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'skate-park-survey' }).click()]);
    assert.equal(paper.suggestedFilename(), 'skate-park-survey.pdf');
  });

  it('shows the statutory calendar, the action log, scrutiny and the calendar link accessibly', async () => {
    for (const [path, heading] of [
      ['statutory-calendar', 'Statutory calendar'],
      ['actions', 'Action log'],
      ['scrutiny', 'Scrutiny recommendations'],
      ['calendar-feed', 'Subscribe to the meetings'],
    ] as const) {
      await page.goto(`${server.url}${base}/${path}`);
      assert.equal(await page.locator('h1').innerText(), heading);
      await check(page, heading);
    }
    await page.getByRole('button', { name: 'Make my link' }).click();
    await page.waitForSelector('#feed-url');
    const url = await page.locator('#feed-url').innerText();
    const res = await fetch(url.replace(/^https?:\/\/[^/]+/, server.url));
    assert.equal(res.status, 200);
    assert.match(await res.text(), /SUMMARY:Community Safety Strategic Group/);
    await check(page, 'the calendar link');
  });
});
