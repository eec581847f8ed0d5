/**
 * The charts in a real browser (Debian's Chromium through playwright-core):
 * axe-core finds no violations on a page of charts and tables, every chart
 * loads as a standalone image, and no text is clipped by the chart's edges.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser } from 'playwright-core';
import { chartTable, renderChart, tableForChart, type ChartSpec } from '../../src/presentation/charts/index.ts';
import { escapeXml } from '../../src/presentation/charts/escape.ts';
import { ALL_SPECS, groupedBarSpec, lineSpec, NASTY, sparklineSpec } from './fixtures.ts';

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = fs.existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}`;

const EXTRA: readonly ChartSpec[] = [
  { ...lineSpec, title: NASTY, width: 320, height: 240, target: { value: 350, label: 'Target for 2023/24: 350 incidents' } },
  { ...groupedBarSpec, width: 360, categories: ['April to June', 'July to September', 'October to December', 'January to March'] },
  { type: 'line', title: 'Empty', description: 'Nothing to plot', categories: [], series: [] },
];
const SPECS = [...ALL_SPECS, ...EXTRA, ...ALL_SPECS];

function page(): string {
  const cssFile = path.resolve(import.meta.dirname, '../../public/build/app.css');
  const css = fs.existsSync(cssFile) ? fs.readFileSync(cssFile, 'utf8') : '';
  const sections = SPECS.map((spec, i) => {
    const table = chartTable(tableForChart(spec));
    return `<h2 class="govuk-heading-m">Chart ${i + 1}: ${escapeXml(spec.title)}</h2><div class="chart">${renderChart(spec)}</div>${table}`;
  });
  const dashboard =
    `<table class="govuk-table"><caption class="govuk-table__caption">Dashboard</caption><thead class="govuk-table__head"><tr class="govuk-table__row">` +
    `<th scope="col" class="govuk-table__header">Measure</th><th scope="col" class="govuk-table__header">Trend</th></tr></thead>` +
    `<tbody class="govuk-table__body"><tr class="govuk-table__row"><th scope="row" class="govuk-table__header">ASB</th>` +
    `<td class="govuk-table__cell">${renderChart(sparklineSpec)}</td></tr></tbody></table>`;
  return (
    `<!DOCTYPE html><html lang="en" class="govuk-template"><head><meta charset="utf-8"><title>Charts</title><style>${css}</style></head>` +
    `<body class="govuk-template__body"><div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">` +
    `<h1 class="govuk-heading-l">Charts</h1>${sections.join('')}${dashboard}</main></div></body></html>`
  );
}

async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

test('charts in a browser: accessible, standalone, nothing clipped', { skip, timeout: 60_000 }, async (t) => {
  await withBrowser(async (browser) => {
    const tab = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await tab.setContent(page());

    await t.test('axe-core finds no violations on a page of charts and tables', async () => {
      await tab.addScriptTag({ content: fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
      const violations = await tab.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }>;
            };
          }
        ).axe;
        const result = await axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
        });
        return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      });
      assert.deepEqual(violations, []);
    });

    await t.test('each chart has an accessible name from its title (and a sparkline from its aria-label)', async () => {
      const names = await tab.evaluate(() =>
        [...document.querySelectorAll('svg[role="img"]')].map((svg) => {
          const ids = (svg.getAttribute('aria-labelledby') ?? '').split(' ').filter(Boolean);
          return ids.length > 0
            ? ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ')
            : (svg.getAttribute('aria-label') ?? '');
        }),
      );
      assert.equal(names.length, SPECS.length + 1);
      assert.ok(names.every((n) => n.trim().length > 0));
      assert.ok(names.some((n) => n.startsWith(NASTY)));
    });

    await t.test('no text runs outside its chart', async () => {
      const overflow = await tab.evaluate(() => {
        const problems: string[] = [];
        for (const svg of document.querySelectorAll('svg')) {
          const width = Number(svg.getAttribute('width'));
          const height = Number(svg.getAttribute('height'));
          for (const text of svg.querySelectorAll('text')) {
            const box = text.getBBox();
            if (box.x < -0.5 || box.y < -0.5 || box.x + box.width > width + 0.5 || box.y + box.height > height + 0.5) {
              problems.push(
                `"${text.textContent}" at ${box.x.toFixed(1)},${box.y.toFixed(1)} ${box.width.toFixed(1)}x${box.height.toFixed(1)} in ${width}x${height}`,
              );
            }
          }
        }
        return problems;
      });
      assert.deepEqual(overflow, []);
    });

    await t.test('category and value labels do not overlap one another', async () => {
      const overlaps = await tab.evaluate(() => {
        const problems: string[] = [];
        for (const svg of document.querySelectorAll('svg')) {
          for (const cls of [
            'chart-category-label',
            'chart-value-label',
            'chart-reference-label',
            'chart-tick-label',
            'chart-legend-item',
          ]) {
            const boxes = [...svg.querySelectorAll(`.${cls}`)].map((el) => ({ text: el.textContent, box: el.getBoundingClientRect() }));
            for (let i = 0; i < boxes.length; i++) {
              for (let j = i + 1; j < boxes.length; j++) {
                const a = boxes[i]!.box;
                const b = boxes[j]!.box;
                const ix = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                const iy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                if (ix > 0.5 && iy > 0.5) problems.push(`${cls}: "${boxes[i]!.text}" overlaps "${boxes[j]!.text}"`);
              }
            }
          }
        }
        return problems;
      });
      assert.deepEqual(overlaps, []);
    });

    await t.test('every chart loads on its own as an SVG image at its stated size', async () => {
      const svgs = SPECS.map((spec) => renderChart(spec));
      const sizes = await tab.evaluate(async (sources: string[]) => {
        return Promise.all(
          sources.map(
            (svg) =>
              new Promise<[number, number]>((resolve) => {
                const img = new Image();
                img.onload = () => resolve([img.naturalWidth, img.naturalHeight]);
                img.onerror = () => resolve([0, 0]);
                img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
              }),
          ),
        );
      }, svgs);
      sizes.forEach(([w, h], i) => {
        const m = /width="([\d.]+)" height="([\d.]+)"/.exec(svgs[i]!);
        assert.deepEqual([w, h], [Number(m?.[1]), Number(m?.[2])], `chart ${i} (${SPECS[i]!.type})`);
      });
    });
  });
});
