/**
 * Every page of the demo on a 320 px wide screen (the narrowest the WCAG reflow criterion asks for): signed out,
 * and signed in as the demo administrator, an editor's lower roles (contributor, viewer), the test follows the
 * links of each page it reaches (one page of each shape of address, e.g. one indicator page) and fails when any
 * page is wider than the screen (`document.documentElement.scrollWidth > 320`), naming the page, its width and
 * the widest element, or when a chart's text is shown smaller than 12 px (issue 15). Layout does not depend on the database engine, so this runs on SQLite only.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../../src/adapters/database/database.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { approveVersion, startRefresh } from '../../src/services/plans/plans.ts';
import { memberOf, PASSWORD } from '../support/app.ts';
import { launchChromium, signInAsDemoAdmin, startRealApp, type RunningApp } from '../support/browser.ts';

const WIDTH = 320;
/** Addresses never followed: sign-out, files and downloads, the API. */
const SKIP = /sign-out|[?&]download=|\.(pdf|docx|csv|xlsx|json|ics|zip)(\?|$)|\/file$|^\/api\/|^\/health/;

interface TooWide {
  path: string;
  width: number;
  widest: string;
}

/** Visits pages breadth-first from `start`, one per shape of address, and returns the pages wider than the screen. */
async function crawl(page: Page, base: string, start: string[], limit: number): Promise<{ visited: number; tooWide: TooWide[] }> {
  await page.setViewportSize({ width: WIDTH, height: 800 });
  const queue = [...start];
  const seen = new Set<string>();
  const shapes = new Set<string>();
  const tooWide: TooWide[] = [];
  let visited = 0;
  while (queue.length && visited < limit) {
    const path = queue.shift()!;
    const shape = path.replace(/\d+/g, 'N').replace(/\?.*$/, '');
    if (seen.has(path) || shapes.has(shape)) continue;
    seen.add(path);
    shapes.add(shape);
    const res = await page.goto(base + path);
    if (!res || !(res.headers()['content-type'] ?? '').startsWith('text/html')) continue;
    visited++;
    const measured = await page.evaluate((width) => {
      const scrollWidth = document.documentElement.scrollWidth;
      let widest = '';
      let right = width;
      if (scrollWidth > width) {
        for (const el of document.querySelectorAll('body *')) {
          const r = el.getBoundingClientRect().right;
          if (r > right) {
            right = r;
            widest = `<${el.tagName.toLowerCase()} class="${el.className}"> ${(el.textContent ?? '').trim().slice(0, 40)}`;
          }
        }
      }
      // Same-site links, relative ones (the dashboard's rows) resolved against the page.
      const links = [...document.querySelectorAll('a[href]')].map((a) => {
        const u = new URL((a as HTMLAnchorElement).href);
        return u.origin === location.origin ? u.pathname + u.search : '';
      });
      // Chart text as shown: its font size in the chart's units times the chart's scale (sparklines have none).
      const smallText: string[] = [];
      for (const t of document.querySelectorAll('svg.app-chart[viewBox] text, .app-chart svg[viewBox] text')) {
        const svg = (t as SVGTextElement).ownerSVGElement!;
        const shown = svg.getBoundingClientRect().width;
        if (shown === 0 || svg.closest('.app-chart--sparkline')) continue;
        const px = (parseFloat(getComputedStyle(t).fontSize) * shown) / svg.viewBox.baseVal.width;
        if (px < 11.95) smallText.push(`${px.toFixed(1)} px "${(t.textContent ?? '').slice(0, 30)}"`);
      }
      return { scrollWidth, widest, links, smallText: smallText.slice(0, 3) };
    }, WIDTH);
    if (measured.scrollWidth > WIDTH) tooWide.push({ path, width: measured.scrollWidth, widest: measured.widest });
    if (measured.smallText.length) tooWide.push({ path, width: 0, widest: `chart text below 12 px: ${measured.smallText.join(', ')}` });
    for (const href of measured.links) {
      if (!href.startsWith('/') || href.startsWith('//') || SKIP.test(href)) continue;
      queue.push(href.split('#')[0]!);
    }
  }
  return { visited, tooWide };
}

describe('every page at 320 px', { timeout: 600_000 }, () => {
  let server: RunningApp;
  let browser: Browser;
  const members: Record<string, string> = {};
  /** Where the administrator's crawl starts: a draft's and an approved version's forms first (the demo's are all published). */
  const adminStart = ['/', '/partnerships', '/account'];

  before(async () => {
    server = await startRealApp('sqlite');
    browser = await launchChromium();
    // A contributor and a viewer of the first demo partnership, added straight into the app's database.
    const db = openDatabase(server.database);
    try {
      const first = await db.kysely.selectFrom('partnerships').select('id').orderBy('id').executeTakeFirstOrThrow();
      for (const role of ['contributor', 'viewer'] as const) members[role] = (await memberOf(db.kysely, first.id, role)).email;
      // The forms only a draft (edit, add parts, approve) or an approved version (publish) shows: one of each.
      const published = await db.kysely
        .selectFrom('plan_versions')
        .innerJoin('plans', 'plans.id', 'plan_versions.plan_id')
        .select(['plan_versions.id', 'plan_versions.partnership_id as pid', 'plan_versions.year', 'plans.end_year'])
        .where('plan_versions.status', '=', 'published')
        .orderBy('plan_versions.id', 'desc')
        .execute();
      const [d, a] = published.filter((v) => v.year + 1 < v.end_year);
      const draft = await startRefresh(db.kysely, SYSTEM_ACTOR, d!.pid, d!.id, { label: 'Narrow refresh', year: String(d!.year + 1) });
      const approved = await startRefresh(db.kysely, SYSTEM_ACTOR, a!.pid, a!.id, { label: 'Narrow approved', year: String(a!.year + 1) });
      await approveVersion(db.kysely, SYSTEM_ACTOR, a!.pid, approved.id, {
        approvedBy: 'Board',
        approvedOn: '2020-04-01',
        meeting: 'Board',
      });
      const draftUrl = `/partnerships/${d!.pid}/plan-versions/${draft.id}`;
      adminStart.unshift(
        draftUrl,
        `${draftUrl}/edit`,
        `${draftUrl}/approve`,
        `/partnerships/${a!.pid}/plan-versions/${approved.id}/publish`,
      );
    } finally {
      await db.close();
    }
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  function report(tooWide: TooWide[]): string {
    return tooWide.map((t) => `${t.path}: ${t.width} px wide, widest: ${t.widest}`).join('\n');
  }

  it('signed out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const { visited, tooWide } = await crawl(page, server.url, ['/', '/sign-in'], 40);
    await context.close();
    assert.ok(visited >= 2, `visited ${visited} pages`);
    assert.deepEqual(tooWide, [], report(tooWide));
  });

  it('as the demo administrator', async () => {
    const { page } = await signInAsDemoAdmin(browser, server, { timeout: 45_000 });
    const { visited, tooWide } = await crawl(page, server.url, adminStart, 400);
    await page.context().close();
    assert.ok(visited >= 40, `visited ${visited} pages`);
    assert.deepEqual(tooWide, [], report(tooWide));
  });

  for (const role of ['contributor', 'viewer'] as const) {
    it(`as a ${role}`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('Email address').fill(members[role]!);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
      const { visited, tooWide } = await crawl(page, server.url, ['/', '/partnerships', '/account'], 150);
      await context.close();
      assert.ok(visited >= 15, `visited ${visited} pages`);
      assert.deepEqual(tooWide, [], report(tooWide));
    });
  }
});
