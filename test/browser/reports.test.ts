/**
 * Issue 5 in Chromium: the demo Safer Rotherham Board pack for Q4 2019/20 and the exception report, checked with
 * axe-core, with the PDF and DOCX downloaded and read back for the figures the page shows.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchChromium, startRealApp, type RunningApp } from '../support/browser.ts';

describe('reports in Chromium (demo data, SQLite)', { timeout: 180_000 }, () => {
  let server: RunningApp;
  let browser: Browser;
  let page: Page;
  let base = '';

  before(async () => {
    server = await startRealApp('sqlite');
    browser = await launchChromium();
    const context = await browser.newContext({ bypassCSP: true, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill('admin@csphub.test');
    await page.getByLabel('Password', { exact: true }).fill('demo-password-2026');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await page.goto(`${server.url}/partnerships`);
    await page.getByRole('link', { name: 'Safer Rotherham Partnership' }).click();
    await page.waitForLoadState('load');
    base = new URL(page.url()).pathname;
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
      const pdf = await page.request.get(`${server.url}${base}/reports/quarterly.pdf?quarter=${encodeURIComponent('2019/20 Q4')}`);
      assert.equal(pdf.status(), 200);
      assert.equal(pdf.headers()['content-type'], 'application/pdf');
      fs.writeFileSync(path.join(dir, 'r.pdf'), await pdf.body());
      const pdfText = execFileSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
      assert.match(pdfText, /Knife or bladed article offences/);
      assert.match(pdfText, /\b77\b/);
      const docx = await page.request.get(`${server.url}${base}/reports/quarterly.docx?quarter=${encodeURIComponent('2019/20 Q4')}`);
      assert.equal(docx.status(), 200);
      const body = await docx.body();
      assert.equal(body.subarray(0, 2).toString(), 'PK', 'a DOCX is a zip archive');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the exception report accessibly', async () => {
    await page.goto(`${server.url}${base}/reports/exceptions`);
    assert.equal(await page.locator('h1').count(), 1);
    await expectAccessible(page, 'exception report');
  });
});
