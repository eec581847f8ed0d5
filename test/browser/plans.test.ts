/**
 * Issue 3's "done when", in Chromium, on each engine: the demo administrator builds a plan for a new partnership
 * from nothing (a priority, objective, delivery activity, risk and funding), approves and publishes it, opens the
 * public summary signed out, then starts next year's refresh and compares the two. axe-core checks every page.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { ENGINES } from '../support/db.ts';
import { expectAccessible, fillDate, useChromium, startRealApp, type RunningApp } from '../support/browser.ts';
import { docxParagraphs, openPdf } from '../support/documents.ts';
import fs from 'node:fs';

const browser = useChromium();

for (const engine of ENGINES) {
  describe(`partnership plans in Chromium on ${engine}`, { timeout: 600_000 }, () => {
    let server: RunningApp;
    let context: BrowserContext;
    let page: Page;
    let partnershipPath = '';
    let versionPath = '';

    async function check(label: string): Promise<void> {
      await expectAccessible(page, label);
    }
    async function submit(name: string | RegExp): Promise<void> {
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name }).click()]);
      await page.waitForLoadState('load');
    }

    before(async () => {
      server = await startRealApp(engine);
      context = await browser().newContext({ bypassCSP: true });
      page = await context.newPage();
      page.setDefaultTimeout(45_000);
      const [, email, password] = /Demo sign-in: (\S+) \/ (\S+)/.exec(server.output())!;
      await page.goto(server.url + '/sign-in');
      await page.getByLabel('Email address').fill(email!);
      await page.getByLabel('Password', { exact: true }).fill(password!);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    });
    after(async () => {
      await context?.close();
      await server?.stop();
    });

    it('creates a new partnership and a plan for it, with validation first', async () => {
      await page.goto(server.url + '/admin/partnerships/new');
      await page.getByLabel('Partnership name').fill('Safer Testborough Partnership');
      await submit('Create partnership');
      partnershipPath = new URL(page.url()).pathname;
      assert.match(partnershipPath, /^\/partnerships\/\d+$/);
      await page.getByRole('link', { name: 'Plans', exact: true }).click();
      await page.waitForURL(/\/plans$/);
      await check('plan list (empty)');
      await page.getByRole('button', { name: 'Create a plan' }).click();
      await page.waitForURL(/plans\/new$/);
      await check('create plan');
      await submit('Create plan');
      await page.waitForSelector('.govuk-error-summary');
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the title of the plan/);
      await check('create plan with errors');
      await page.getByLabel('Title of the plan').fill('Community Safety Plan');
      await page.getByLabel('First year').fill('2020');
      await page.getByLabel('Last year').fill('2023');
      await submit('Create plan');
      versionPath = new URL(page.url()).pathname;
      assert.match(versionPath, /plan-versions\/\d+$/);
      assert.match(await page.locator('h1').innerText(), /Community Safety Plan 2020-23/);
      await check('new version');
    });

    it('writes the vision and adds a priority, an objective, an activity with progress, and a risk', async () => {
      await page.getByRole('link', { name: 'Edit vision, foreword and introduction' }).click();
      await check('version text form');
      await page.getByLabel('Vision').fill('A borough where people are safe and feel safe.');
      await submit('Save');
      await page.goto(server.url + versionPath);
      await page.getByRole('button', { name: 'Add a priority' }).click();
      await check('add priority');
      await submit('Add priority');
      await page.waitForSelector('.govuk-error-summary');
      await check('add priority with errors');
      await page.getByLabel('Priority', { exact: true }).fill('Reducing anti-social behaviour');
      await page.getByLabel('Why it is a priority').fill('Residents told us it is their main concern.');
      await page.getByLabel('What we will do').fill('Respond within a day and work with young people.');
      await submit('Add priority');
      assert.match(await page.locator('h1').innerText(), /Reducing anti-social behaviour/);
      await check('priority page (empty)');

      await page.getByRole('button', { name: 'Add an objective' }).click();
      await page.getByLabel('Objective', { exact: true }).fill('Fewer repeat calls from the same streets');
      await check('add objective');
      await submit('Add objective');
      await page.getByRole('link', { name: /Add a delivery activity/ }).click();
      await check('add activity');
      await page.getByLabel('Activity', { exact: true }).fill('Monthly street surgeries');
      await page.getByLabel('Lead (optional)').selectOption({ label: 'Someone else (enter the name below)' });
      await page.getByLabel('Name of someone else').fill('Community Safety Team');
      await fillDate(page, 'Due date (optional)', '31', '3', '2021');
      await page.getByLabel('In progress').check();
      await page.getByLabel('Amber').check();
      await submit('Add delivery activity');
      await page.getByRole('link', { name: /Add a progress update/ }).click();
      await check('add progress update');
      await fillDate(page, 'Date of the update', '30', '6', '2020');
      await page.getByLabel('Progress').fill('Three surgeries held, well attended.');
      await submit('Add progress update');
      assert.ok(await page.getByText('Three surgeries held, well attended.').count());

      await page.getByRole('link', { name: 'Add a risk' }).click();
      await check('add risk');
      await page.getByLabel('Risk', { exact: true }).fill('Reporting line withdrawn');
      await page.getByRole('group', { name: 'Severity' }).getByLabel('High').check();
      await page.getByRole('group', { name: 'Likelihood' }).getByLabel('Medium').check();
      await submit('Add risk');
      assert.equal(await page.locator('.app-risk-matrix__cell--high-medium strong').innerText(), '1');
      await check('priority page with objective, activity and risk');
    });

    it('adds funding with an allocation that needs Board approval', async () => {
      await page.goto(server.url + versionPath + '/funding');
      await check('funding (empty)');
      await page.getByRole('button', { name: 'Add a funding stream' }).click();
      await page.getByLabel('Funding stream').fill('Community Safety Fund');
      await page.getByLabel('Amount in pounds').fill('£50,000');
      await page.getByLabel(/Board approval needed above/).fill('2000');
      await check('add funding stream');
      await submit('Add funding stream');
      await page.getByRole('link', { name: /Add an allocation/ }).click();
      await page.getByLabel('Project or purpose').fill('Street surgeries');
      // Each priority is named with its plan and version (issue 13).
      const priority = page.getByLabel('Priority (optional)');
      await priority.selectOption({ label: await priority.locator('option', { hasText: 'Reducing anti-social behaviour' }).innerText() });
      await page.getByLabel('Amount allocated in pounds').fill('5000');
      await check('add allocation');
      await submit('Add allocation');
      assert.ok(await page.getByText('Needs Board approval').count());
      assert.match(await page.locator('main').innerText(), /£50,000/);
      await check('funding with allocation');
    });

    it('shows the governance structure, approves and publishes the plan', async () => {
      await page.goto(server.url + versionPath + '/governance');
      await page.getByRole('button', { name: 'Add a governance group' }).click();
      await page.getByLabel('Group name').fill('Partnership Board');
      await submit('Add governance group');
      await page.getByRole('button', { name: 'Add a governance group' }).click();
      await page.getByLabel('Group name').fill('Joint Action Group');
      await page.getByLabel('Reports to (optional)').selectOption({ label: 'Partnership Board' });
      await check('add governance group');
      await submit('Add governance group');
      assert.equal(await page.locator('svg[role="img"] rect').count(), 2);
      await check('governance');

      await page.goto(server.url + versionPath);
      await page.getByRole('link', { name: 'Record approval' }).click();
      await check('approve');
      await page.getByLabel('Approved by').fill('Partnership Board');
      await fillDate(page, 'Date approved', '20', '3', '2020');
      await page.getByLabel('Meeting').fill('Partnership Board, 20 March 2020');
      await submit('Record approval');
      await submit('Publish this version');
      // The confirmation page shows what will become public; publishing needs the box ticked.
      assert.match(await page.locator('#becomes-public').innerText(), /priorit/);
      await check('publish confirmation');
      await page.getByLabel(/I have checked what will become public/).check();
      await submit('Publish this version');
      assert.match(await page.locator('h1').innerText(), /Published/);
      await check('published version');
    });

    it('downloads the whole plan as DOCX and PDF from the version page, and both read back', async () => {
      await page.goto(server.url + versionPath);
      const [docx] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download the whole plan as a Word document (DOCX)' }).click(),
      ]);
      assert.equal(docx.suggestedFilename(), 'Safer-Testborough-Partnership-plan-2020-23.docx');
      const paragraphs = docxParagraphs(fs.readFileSync(await docx.path()));
      assert.ok(
        paragraphs.some((x) => x.style === 'Heading1' && x.text === '3. Priority 1: Reducing anti-social behaviour'),
        'the priority is a Heading 1',
      );
      const docxText = paragraphs.map((x) => x.text).join('\n');
      for (const s of [
        'A borough where people are safe and feel safe.',
        'Reporting line withdrawn',
        'Monthly street surgeries',
        'Community Safety Fund: £50,000',
        'Projects over £2,000 must be approved by the Board',
        'Joint Action Group',
      ])
        assert.ok(docxText.includes(s), `DOCX has "${s}"`);

      const [pdf] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download the whole plan as a PDF' }).click(),
      ]);
      assert.equal(pdf.suggestedFilename(), 'Safer-Testborough-Partnership-plan-2020-23.pdf');
      const opened = openPdf(fs.readFileSync(await pdf.path()));
      assert.ok(opened.pages > 5, `${opened.pages} pages`);
      const pdfText = opened.text.replace(/\s+/g, ' ');
      for (const s of [
        'Community Safety Plan',
        'Priority 1: Reducing anti-social behaviour',
        'Reporting line withdrawn',
        '£50,000',
        'Approved by Partnership Board on 20 March 2020',
      ])
        assert.ok(pdfText.includes(s), `PDF has "${s}"`);
      assert.equal(opened.pngs.length, 2, 'the first two pages render');
    });

    it('opens the public summary signed out, printable', async () => {
      const anonymous = await browser().newContext({ bypassCSP: true });
      const p2 = await anonymous.newPage();
      await p2.goto(server.url + '/public/partnerships/safer-testborough-partnership');
      assert.match(await p2.locator('h1').innerText(), /Community Safety Plan 2020-23: summary/);
      const text = await p2.locator('main').innerText();
      assert.match(text, /A borough where people are safe and feel safe/);
      assert.match(text, /Residents told us it is their main concern/);
      assert.equal(await p2.locator('.app-partnership-bar').count(), 0, 'nobody is signed in');
      await expectAccessible(p2, 'public summary');
      const [pdf] = await Promise.all([
        p2.waitForEvent('download'),
        p2.getByRole('link', { name: 'Download the full plan as a PDF' }).click(),
      ]);
      assert.match(openPdf(fs.readFileSync(await pdf.path())).text, /Reducing anti-social behaviour/);
      await p2.emulateMedia({ media: 'print' });
      assert.equal(await p2.locator('#print-page').isVisible(), false, 'the print button is not printed');
      await anonymous.close();
    });

    it("starts next year's refresh and compares it with the published plan", async () => {
      await page.goto(server.url + versionPath);
      await page.getByRole('link', { name: 'Start next year’s refresh' }).click();
      await check('refresh');
      await submit('Start refresh');
      assert.match(await page.locator('h1').innerText(), /2021\/22 refresh/);
      await page
        .getByRole('link', { name: /Change\s*Reducing anti-social behaviour/ })
        .first()
        .click();
      await page.getByLabel('Priority', { exact: true }).fill('Anti-social behaviour and nuisance');
      await submit('Save changes');
      await page.getByRole('link', { name: 'Back to the plan' }).click();
      await page.getByRole('link', { name: 'Compare with another version' }).click();
      await page.waitForURL(/compare$/);
      const body = await page.locator('main').innerText();
      assert.match(body, /From 2020-23 to 2021\/22 refresh/);
      assert.match(body, /Reducing anti-social behaviour → Anti-social behaviour and nuisance/);
      await check('comparison');
    });

    it('has no accessibility violations on the remaining plan pages', async () => {
      const priorityLink = await page
        .goto(server.url + versionPath)
        .then(() => page.locator('.app-priority h3 a').first().getAttribute('href'));
      for (const path of [`${partnershipPath}/plans`, priorityLink!, `${versionPath}/compare`]) {
        await page.goto(server.url + path);
        await check(path);
      }
      await page.goto(server.url + priorityLink! + '/delete');
      await check('delete priority');
      await page.goto(server.url + priorityLink!);
      await page.getByRole('link', { name: 'Monthly street surgeries', exact: true }).click();
      await page.waitForURL(/activities\/\d+$/);
      assert.ok(await page.getByText('Three surgeries held, well attended.').count());
      await check('delivery activity');
    });
  });
}
