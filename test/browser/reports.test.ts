/**
 * Issue 5 in Chromium: the demo Safer Rotherham Board pack for Q4 2019/20 and the exception report, checked with
 * axe-core, with the PDF and DOCX downloaded and read back for the figures the page shows; then the lead's
 * commentary and a monthly highlight report written through their forms (each with a validation error first) and
 * seen in the Board pack.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchChromium, startRealApp, type RunningApp, signInAsDemoAdmin } from '../support/browser.ts';

describe('reports in Chromium (demo data, SQLite)', { timeout: 600_000 }, () => {
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

  it('shows the Q4 2019/20 Board pack with the review figures, accessibly', async () => {
    await page.goto(`${server.url}${base}/reports`);
    await expectAccessible(page, 'reports index');
    await page.goto(`${server.url}${base}/reports/quarterly`);
    await page.getByLabel('Quarter').fill('2019/20 Q5');
    await page.getByRole('button', { name: 'Show the report' }).click();
    await page.waitForSelector('.govuk-error-summary');
    await expectAccessible(page, 'quarterly report with an error');
    await page.getByLabel('Quarter').fill('2019/20 Q4');
    await page.getByRole('button', { name: 'Show the report' }).click();
    await page.waitForLoadState('load');
    const text = await page.locator('main').innerText();
    assert.match(text, /2019\/20/);
    assert.match(text, /Knife or bladed article offences/);
    await expectAccessible(page, 'quarterly report');
  });

  it('downloads the same report as PDF and DOCX', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-report-'));
    try {
      const pdf = await page.request.get(`${server.url}${base}/reports/quarterly.pdf?quarter=${encodeURIComponent('2019/20 Q4')}`, {
        timeout: 120_000,
      });
      assert.equal(pdf.status(), 200);
      assert.equal(pdf.headers()['content-type'], 'application/pdf');
      fs.writeFileSync(path.join(dir, 'r.pdf'), await pdf.body());
      const pdfText = execFileSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
      assert.match(pdfText, /Knife or bladed article offences/);
      assert.match(pdfText, /\b77\b/);
      const docx = await page.request.get(`${server.url}${base}/reports/quarterly.docx?quarter=${encodeURIComponent('2019/20 Q4')}`, {
        timeout: 120_000,
      });
      assert.equal(docx.status(), 200);
      const body = await docx.body();
      assert.equal(body.subarray(0, 2).toString(), 'PK', 'a DOCX is a zip archive');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes commentary and a highlight report, each after a validation error, and shows both in the Board pack, accessibly', async () => {
    await page.goto(`${server.url}${base}/indicators`);
    await page
      .getByRole('link', { name: /Child criminal exploitation intelligence reports/ })
      .first()
      .click();
    await page.waitForLoadState('load');
    assert.match(await page.locator('#commentary').innerText(), /No commentary has been written on this indicator yet/);
    await expectAccessible(page, 'indicator page with its commentary section');
    assert.equal(await page.getByLabel('Write the commentary on a period').inputValue(), '2019/20 Q4');
    await page.getByRole('button', { name: 'Write commentary' }).click();
    await page.waitForLoadState('load');
    assert.match(await page.locator('h1').innerText(), /Lead's commentary: Q4 2019\/20/);
    await page.getByRole('button', { name: 'Save commentary' }).click();
    await page.waitForSelector('.govuk-error-summary');
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the commentary/);
    await expectAccessible(page, 'commentary form with an error');
    await page
      .getByLabel('Commentary', { exact: true })
      .fill('Intelligence reports fell to 62 in the quarter; partners are being reminded how to submit them.');
    await page.getByRole('button', { name: 'Save commentary' }).click();
    await page.waitForSelector('#commentary .govuk-summary-list');
    assert.match(await page.locator('#commentary').innerText(), /Q4 2019\/20\s+Intelligence reports fell to 62 in the quarter/);
    await expectAccessible(page, 'indicator page with commentary');

    await page.goto(`${server.url}${base}/highlight-reports`);
    await expectAccessible(page, 'highlight reports');
    await page.getByRole('link', { name: 'Write a report for Building Confident and Cohesive Communities' }).click();
    await page.waitForLoadState('load');
    await page.getByLabel('Month', { exact: true }).fill('March 2020');
    await page.getByRole('button', { name: 'Save highlight report' }).click();
    await page.waitForSelector('.govuk-error-summary');
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the progress made this month/);
    await expectAccessible(page, 'highlight report form with an error');
    await page
      .getByLabel('Progress this month', { exact: true })
      .fill('The joint police and council tension monitoring process is sharing information faster.');
    await page
      .getByLabel('Requests and decisions for the Board (optional)')
      .fill('Endorse widening tension monitoring to community and voluntary partners.');
    await page.getByLabel('Amber', { exact: true }).check();
    await page.getByRole('button', { name: 'Save highlight report' }).click();
    await page.waitForLoadState('load');
    assert.equal(await page.locator('h1').innerText(), 'Highlight report: March 2020');
    await expectAccessible(page, 'highlight report');
    await page.getByRole('link', { name: /All highlight reports for/ }).click();
    await page.waitForLoadState('load');
    assert.match(await page.locator('#highlight-history').innerText(), /March 2020/);
    await expectAccessible(page, 'highlight report history');

    await page.goto(`${server.url}${base}/reports/quarterly?quarter=${encodeURIComponent('2019/20 Q4')}`);
    const text = await page.locator('main').innerText();
    assert.match(text, /Intelligence reports fell to 62 in the quarter/);
    assert.match(text, /The joint police and council tension monitoring process is sharing information faster\./);
    assert.match(text, /Endorse widening tension monitoring to community and voluntary partners\./);
    assert.match(text, /881 \(13%\) fewer/, 'the demo commentary on anti-social behaviour');
    await expectAccessible(page, 'Board pack with commentary and highlight reports');
  });

  it('shows the exception report accessibly', async () => {
    await page.goto(`${server.url}${base}/reports/exceptions`);
    assert.equal(await page.locator('h1').count(), 1);
    await expectAccessible(page, 'exception report');
  });
});
