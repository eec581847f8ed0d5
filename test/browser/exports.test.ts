/**
 * Issue 5's exports in Chromium (demo data, SQLite): the demo administrator asks Rochford's Reports page for the
 * 2009/10 year-end table, downloads it as XLSX through the form (a real download) and reads it back with exceljs:
 * domestic burglary 170 to 152, -10.6% as a number, Green. Then, signed out, Safer Rotherham's public summary
 * shows the illustrative small count as "<5" and never its real value. axe-core checks every page visited.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchChromium, startRealApp, type RunningApp, signInAsDemoAdmin } from '../support/browser.ts';

describe('table exports and small-number suppression in Chromium (demo data, SQLite)', { timeout: 600_000 }, () => {
  let server: RunningApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startRealApp('sqlite');
    browser = await launchChromium();
    ({ page } = await signInAsDemoAdmin(browser, server, { timeout: 45_000 }));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("downloads Rochford's 2009/10 year-end table as XLSX from the Reports page", async () => {
    await page.goto(`${server.url}/partnerships`);
    await page.getByRole('link', { name: 'Rochford Community Safety Partnership' }).click();
    await page.waitForLoadState('load');
    const base = new URL(page.url()).pathname;
    await page.goto(`${server.url}${base}/reports`);
    await expectAccessible(page, 'Rochford reports index');
    await page.getByLabel('Financial year').fill('2009/10');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Excel (XLSX)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^Rochford-[A-Za-z-]*year-end-performance-2009-10\.xlsx$/);
    const file = await download.path();
    assert.ok(file, 'the download finished');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    assert.equal((ws.views[0] as { state?: string }).state, 'frozen', 'a frozen header row');
    assert.deepEqual((ws.getRow(1).values as unknown[]).slice(1), [
      'Indicator',
      '2008/09',
      '2009/10',
      'Change',
      '% change',
      'Target',
      'RAG',
    ]);
    let burglary: ExcelJS.Row | undefined;
    ws.eachRow((row) => {
      if (row.getCell(1).value === 'RCH 1 Domestic burglary') burglary = row;
    });
    assert.ok(burglary, 'a row for domestic burglary');
    assert.equal(burglary.getCell(2).value, 170);
    assert.equal(burglary.getCell(3).value, 152);
    assert.equal(burglary.getCell(4).value, -18);
    const pct = burglary.getCell(5);
    assert.equal(pct.type, ExcelJS.ValueType.Number, '% change is a number, not text');
    assert.ok(Math.abs((pct.value as number) + 0.106) < 1e-9, `${JSON.stringify(pct.value)} is -10.6%`);
    assert.equal(pct.numFmt, '0.0%');
    assert.equal(burglary.getCell(7).value, 'Green');
  });

  it("shows Safer Rotherham's illustrative small count as <5 to the public, never the real value", async () => {
    const anonymous = await browser.newContext({ bypassCSP: true });
    try {
      const pub = await anonymous.newPage();
      pub.setDefaultTimeout(45_000);
      const res = await pub.goto(`${server.url}/public/partnerships/safer-rotherham-partnership`);
      assert.equal(res?.status(), 200);
      const row = pub.locator('#public-indicators tr', { hasText: 'Firearms discharges (illustrative demo figures)' });
      assert.equal(await row.count(), 1);
      const cells = await row.locator('td').allInnerTexts();
      assert.equal(cells[0], 'Q1 2020/21');
      assert.equal(cells[cells.length - 1], '<5');
      // The illustrative count is 3: not in the row, in the table's markup or anywhere in the page's text as a figure.
      assert.doesNotMatch(await row.innerText(), /(^|\s)3(\s|$)/);
      assert.doesNotMatch(await pub.locator('#public-indicators').innerHTML(), />\s*3\s*</);
      await expectAccessible(pub, 'Safer Rotherham public summary');
    } finally {
      await anonymous.close();
    }
  });
});
