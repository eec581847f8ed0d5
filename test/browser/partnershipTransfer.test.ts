/**
 * Whole-partnership export and import in Chromium, on the app as `npm start` runs it with the demo data:
 * download Rochford's export from its settings page, import it as a new partnership (first refused for its
 * taken name, then with a new one; a damaged file refused with its problems listed), then open the new
 * partnership's result page, dashboard and plan. axe-core checks every page.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchChromium, startRealApp, type RunningApp, signInAsDemoAdmin } from '../support/browser.ts';

describe('whole-partnership export and import in Chromium (demo data, SQLite)', { timeout: 600_000 }, () => {
  let server: RunningApp;
  let browser: Browser;
  let page: Page;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-transfer-'));
  let exportFile = '';

  before(async () => {
    server = await startRealApp('sqlite');
    browser = await launchChromium();
    ({ page } = await signInAsDemoAdmin(browser, server, { timeout: 45_000 }));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("downloads Rochford's export from its settings page", async () => {
    await page.goto(`${server.url}/partnerships`);
    await page.getByRole('link', { name: 'Rochford Community Safety Partnership' }).click();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForLoadState('load');
    await expectAccessible(page, 'settings with the export');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export this partnership (JSON)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^rochford-community-safety-partnership-export-\d{4}-\d{2}-\d{2}\.json$/);
    exportFile = path.join(dir, download.suggestedFilename());
    await download.saveAs(exportFile);
    const file = JSON.parse(fs.readFileSync(exportFile, 'utf8')) as { formatVersion: number; tables: Record<string, unknown[]> };
    assert.equal(file.formatVersion, 1);
    assert.ok(file.tables.figures!.length > 0 && file.tables.priorities!.length > 0);
  });

  it('refuses a damaged file and a taken name, with the problems listed, accessibly', async () => {
    await page.goto(`${server.url}/admin/partnerships`);
    await page.getByRole('button', { name: 'Import a partnership' }).click();
    await page.waitForLoadState('load');
    await expectAccessible(page, 'import form');

    const damaged = path.join(dir, 'damaged.json');
    const file = JSON.parse(fs.readFileSync(exportFile, 'utf8')) as { tables: Record<string, Record<string, unknown>[]> };
    file.tables.figures![0]!.value = 'twelve';
    fs.writeFileSync(damaged, JSON.stringify(file));
    await page.getByLabel('Partnership export file').setInputFiles(damaged);
    await page.getByRole('button', { name: 'Import partnership' }).click();
    await page.waitForSelector('.govuk-error-summary');
    assert.match(
      await page.locator('.govuk-error-summary').innerText(),
      /tables\.figures\[0\]\.value: expected a number of 0 or more and at most 1,000,000,000,000, got "twelve" \(text\)/,
    );
    assert.match(await page.locator('#import-problems').innerText(), /tables\.figures\[0\]\.value/);
    await expectAccessible(page, 'import form with problems in the file');

    await page.getByLabel('Partnership export file').setInputFiles(exportFile);
    await page.getByRole('button', { name: 'Import partnership' }).click();
    await page.waitForSelector('.govuk-error-summary');
    assert.match(
      await page.locator('.govuk-error-summary').innerText(),
      /A partnership called "Rochford Community Safety Partnership" already exists here/,
    );
    await expectAccessible(page, 'import form with a taken name');
    // The error summary takes keyboard users to the field at fault.
    await page.locator('.govuk-error-summary a').first().click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'name');
  });

  it('imports it as a new partnership and opens its result page, dashboard and plan', async () => {
    await page.getByLabel('Partnership export file').setInputFiles(exportFile);
    await page.getByLabel('Name for the new partnership (optional)').fill('Rochford (imported)');
    await page.getByRole('button', { name: 'Import partnership' }).click();
    await page.waitForURL(/\/partnerships\/\d+\/import-result$/);
    const main = await page.locator('main').innerText();
    assert.match(main, /Rochford \(imported\) has been imported/);
    assert.match(main, /Rochford \(imported\) was imported/);
    assert.match(main, /Figures\s+\d+/);
    await expectAccessible(page, 'import result');

    await page.getByRole('link', { name: 'Performance dashboard' }).click();
    await page.waitForLoadState('load');
    const file = JSON.parse(fs.readFileSync(exportFile, 'utf8')) as { tables: Record<string, { title: string }[]> };
    const dashboard = await page.locator('main').innerText();
    assert.match(dashboard, new RegExp(file.tables.indicators![0]!.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').slice(0, 40)));
    await expectAccessible(page, 'dashboard of the imported partnership');

    await page.getByRole('link', { name: 'Plans', exact: true }).first().click();
    await page.waitForLoadState('load');
    await page.locator('main a.govuk-link').filter({ hasText: /\d{4}/ }).first().click();
    await page.waitForLoadState('load');
    assert.match(
      await page.locator('main').innerText(),
      new RegExp(file.tables.priorities![0]!.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').slice(0, 30)),
    );
    await expectAccessible(page, 'plan of the imported partnership');
  });
});
