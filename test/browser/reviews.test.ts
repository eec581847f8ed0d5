/**
 * Issue 5 in Chromium: the demo administrator opens Safer Rotherham's 2018-21 annual review, generates it as a
 * PDF, watches the job page until it finishes (its status updates itself by script; a link checks again without), finds it in the generated
 * documents with their name, and downloads it; the figures of the page are in the file. Every page is checked
 * with axe-core.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchChromium, startRealApp, type RunningApp, signInAsDemoAdmin } from '../support/browser.ts';

describe('annual review and generated documents in Chromium (demo data, SQLite)', { timeout: 600_000 }, () => {
  let server: RunningApp;
  let browser: Browser;
  let page: Page;
  let base = '';

  before(async () => {
    server = await startRealApp('sqlite');
    browser = await launchChromium();
    ({ page, base } = await signInAsDemoAdmin(browser, server, { timeout: 45_000, partnership: 'Safer Rotherham Partnership' }));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens the 2018-21 review from the reports, and its forms, accessibly', async () => {
    await page.goto(`${server.url}${base}/reports`);
    await page.locator('#main-content').getByRole('link', { name: 'Annual reviews' }).click();
    await page.waitForURL(/\/reviews$/);
    await expectAccessible(page, 'annual reviews');
    await page.getByRole('link', { name: 'Review of the Safer Rotherham Partnership Plan' }).click();
    await page.waitForURL(/\/reviews\/\d+$/);
    const text = await page.locator('main').innerText();
    assert.match(text, /Protecting vulnerable children/);
    assert.match(text, /2,913/);
    await expectAccessible(page, 'the annual review');

    // An editor's form, with an error shown the GOV.UK way.
    await page.getByRole('link', { name: /Edit Serious and organised crime: what was done and key outputs/ }).click();
    await page.getByLabel('Priority', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForSelector('.govuk-error-summary');
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the priority/);
    await expectAccessible(page, 'priority form with an error');
    await page.goBack();
    await page.goBack();
    await page.waitForURL(/\/reviews\/\d+$/);
    const area = page.getByRole('link', { name: 'Edit Violent crime', exact: true });
    await area.click();
    await page.waitForURL(/review-areas\/\d+\/edit$/);
    assert.equal(await page.getByLabel('SRP R3 Knife or bladed article offences').isChecked(), true);
    await expectAccessible(page, 'objective area form');
    await page.goBack();
    await page.waitForURL(/\/reviews\/\d+$/);
  });

  it('generates the review as a PDF, watches it finish, finds it in the list with my name, and downloads it', async () => {
    const reviewUrl = page.url();
    const figure = (await page.locator('tr[data-indicator]', { hasText: 'SRP 17' }).locator('td').first().innerText()).trim();
    assert.equal(figure, '6,621');
    await page.getByRole('button', { name: 'Generate PDF' }).click();
    await page.waitForURL(/\/documents\/\d+$/);
    const jobUrl = page.url();

    // Watch: the status updates itself (a small script asks for the page again) and the page reloads when done.
    const seen = new Set<string>();
    let checkedRunning = false;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const status = await page
        .locator('[data-status]')
        .getAttribute('data-status', { timeout: 5_000 })
        .catch(() => null);
      if (status) seen.add(status);
      if (status === 'done' || status === 'failed') break;
      if ((status === 'running' || status === 'queued') && !checkedRunning) {
        checkedRunning = true;
        assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0, 'no timed page refresh');
        assert.equal(await page.getByRole('link', { name: 'Check progress again' }).count(), 1);
        await expectAccessible(page, 'job page while the document is being generated').catch((e: unknown) => {
          // The page may reload to "done" while axe runs; only a finished page is then checked below.
          if (!/Execution context was destroyed|navigation/i.test(String(e))) throw e;
        });
        continue;
      }
      assert.ok(Date.now() < deadline, `the document did not finish; seen ${[...seen].join(', ')}`);
      await page.waitForTimeout(500);
    }
    assert.equal(await page.locator('[data-status]').getAttribute('data-status'), 'done', await page.locator('main').innerText());
    assert.equal(page.url(), jobUrl, 'the update stays on the job page');
    assert.match(await page.locator('main').innerText(), /Your document is ready/);
    assert.equal(await page.locator('[data-check-progress]').count(), 0, 'nothing left to check once done');
    await expectAccessible(page, 'job page when done');

    await page.getByRole('link', { name: 'All generated documents' }).click();
    await page.waitForURL(/\/documents$/);
    const row = page.locator('tr[data-document]').first();
    const rowText = await row.innerText();
    assert.match(rowText, /Review of the Safer Rotherham Partnership Plan 2018-21/);
    assert.match(rowText, /PDF/);
    assert.match(rowText, /Ready/);
    assert.match(rowText, /Demo Administrator/);
    await expectAccessible(page, 'generated documents');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-review-'));
    try {
      const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: /Download/ }).click()]);
      assert.match(
        download.suggestedFilename(),
        /^Safer-Rotherham-Partnership-Review-of-the-Safer-Rotherham-Partnership-Plan-2018-21\.pdf$/,
      );
      const file = path.join(dir, 'review.pdf');
      await download.saveAs(file);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      for (const expected of ['Review of the Safer Rotherham Partnership Plan', '6,621', '5,740', '2,913', '2,696', '352', '112'])
        assert.ok(text.includes(expected), `${expected} in the downloaded PDF`);
      execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '4', '-l', '4', file, path.join(dir, 'page')]);
      assert.ok(
        fs.readdirSync(dir).some((f) => f.endsWith('.png')),
        'page 4 rendered to PNG',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await page.goto(reviewUrl);
  });
});
