/**
 * Issue 6's first slices, in Chromium, as a new user would try them: the demo administrator uploads two years
 * of generated police.uk files for two forces and watches the import's progress, imports a file with malformed
 * rows from the server's folder and sees each one reported, defines the partnership's area and opens the strategic
 * assessment. axe-core checks every page on the way.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ENGINES } from '../support/db.ts';
import { expectAccessible, launchChromium, startRealApp, type RunningApp } from '../support/browser.ts';
import { DEFAULT_FORCES, writeStreetFiles } from '../../src/import/policeUk/generator.ts';
import { MALFORMED_FIXTURE, csvFiles, readStreetRows, tempDir } from '../support/policeUk.ts';

for (const engine of ENGINES) {
  describe(`strategic assessment in Chromium on ${engine}`, { timeout: 180_000 }, () => {
    let server: RunningApp;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let dir: string;
    let generatedRows: ReturnType<typeof readStreetRows>;
    let generated: string;

    before(async () => {
      dir = tempDir();
      const police = path.join(dir, 'police-uk');
      const forces = DEFAULT_FORCES.filter((f) => f.slug === 'south-yorkshire' || f.slug === 'essex');
      generated = path.join(dir, 'generated');
      await writeStreetFiles(generated, { seed: 5, firstMonth: '2023-01', months: 24, rowsPerMonth: 1500, forces });
      generatedRows = readStreetRows(generated);
      fs.mkdirSync(path.join(police, 'april-2024-malformed'), { recursive: true });
      fs.copyFileSync(MALFORMED_FIXTURE, path.join(police, 'april-2024-malformed', path.basename(MALFORMED_FIXTURE)));
      server = await startRealApp(engine, { POLICE_DATA_DIR: police });
      browser = await launchChromium();
      context = await browser.newContext({ bypassCSP: true });
      page = await context.newPage();
      page.setDefaultTimeout(30_000);
    });
    after(async () => {
      await context?.close();
      await browser?.close();
      await server?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('imports, reports malformed rows, defines the area and shows the assessment', async () => {
      const [, email, password] = /Demo sign-in: (\S+) \/ (\S+)/.exec(server.output())!;
      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('Email address').fill(email!);
      await page.getByLabel('Password', { exact: true }).fill(password!);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
      await page.goto(`${server.url}/partnerships`);
      await page.getByRole('link', { name: 'Safer Rotherham Partnership' }).click();
      await page.getByRole('link', { name: 'Strategic assessment' }).first().click();
      await expectAccessible(page, 'assessment before data');

      await page.getByRole('link', { name: 'Import police.uk data' }).click();
      await expectAccessible(page, 'import page');
      // Two years of files for two forces, uploaded from the computer.
      await page.locator('#upload-files').setInputFiles(csvFiles(generated));
      await page.getByRole('button', { name: 'Upload and import' }).click();
      // The progress page refreshes itself until the summary appears.
      await page.waitForSelector('text=Rows accepted', { timeout: 60_000 });
      await expectAccessible(page, 'import summary');
      const summary = await page.locator('.govuk-summary-list').innerText();
      assert.match(summary.replace(/\s+/g, ' '), new RegExp(`Rows accepted ${generatedRows.length.toLocaleString('en-GB')} Rows rejected 0`));

      await page.getByLabel('april-2024-malformed').check();
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.waitForSelector('#rejections', { timeout: 60_000 });
      const rejected = await page.locator('#rejections').innerText();
      assert.match(rejected, /2024-04-essex-street\.csv\s+7\s+Longitude\s+east/);
      assert.match(rejected, /2024-04-essex-street\.csv\s+9\s+row/);
      await expectAccessible(page, 'import with rejections');

      await page.getByRole('link', { name: 'See the strategic assessment' }).click();
      await page.getByRole('link', { name: /Change/ }).first().click();
      await expectAccessible(page, 'area form');
      await page.getByLabel('Local authorities').fill('Rotherham');
      await page.getByRole('button', { name: 'Save the area' }).click();
      await page.waitForSelector('#totals');
      await page.getByLabel('Latest 12 months ending').selectOption('2024-12');
      await page.getByRole('button', { name: 'Show the assessment' }).click();
      await page.waitForSelector('#by-type');
      await expectAccessible(page, 'assessment');
      const rotherham = generatedRows.filter((r) => r.lsoaName.startsWith('Rotherham ') && r.month >= '2024-01' && r.crimeType !== 'Anti-social behaviour');
      const totals = (await page.locator('#totals').innerText()).replace(/\s+/g, ' ');
      assert.match(totals, new RegExp(`All crime \\(excluding anti-social behaviour\\) [\\d,]+ ${rotherham.length.toLocaleString('en-GB')} `));
      assert.ok(await page.locator('svg[role="img"]').count() >= 3);
    });
  });
}
