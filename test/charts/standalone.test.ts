/** Every chart is well-formed, standalone and accessible SVG, with unique ids and escaped text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  groupedBarChart,
  horizontalBarChart,
  lineChart,
  renderChart,
  sparkline,
  xmrChart,
  type ChartSpec,
} from '../../src/presentation/charts/index.ts';
import { allElements, byClass, byName, numAttr, parseSvg, parseXml, textOf, type XmlElement } from './xml.ts';
import { ALL_SPECS, groupedBarSpec, lineSpec, NASTY, xmrSpec } from './fixtures.ts';

function checkStandalone(svg: string, label: string): XmlElement {
  const root = parseSvg(svg);
  const a = root.attributes;
  assert.equal(a.xmlns, 'http://www.w3.org/2000/svg', `${label}: xmlns`);
  const width = numAttr(root, 'width');
  const height = numAttr(root, 'height');
  assert.equal(a.viewBox, `0 0 ${width} ${height}`, `${label}: viewBox matches width and height`);
  assert.equal(a.role, 'img', `${label}: role`);
  const family = (a['font-family'] ?? '').toLowerCase();
  for (const font of ['arial', 'helvetica', 'sans-serif']) assert.ok(family.includes(font), `${label}: font-family has ${font}`);
  const names = new Set(allElements(root).map((el) => el.name));
  for (const banned of ['script', 'style', 'foreignObject', 'image', 'a', 'use']) {
    assert.ok(!names.has(banned), `${label}: no <${banned}>`);
  }
  for (const el of allElements(root)) {
    assert.equal(el.attributes.style, undefined, `${label}: no style attribute on <${el.name}>`);
    assert.ok(!Object.keys(el.attributes).some((k) => /^on/i.test(k)), `${label}: no event handlers`);
    for (const [k, v] of Object.entries(el.attributes)) {
      if (k === 'xmlns') continue;
      assert.ok(!/https?:|javascript:/i.test(v), `${label}: no external reference in ${k}="${v}"`);
    }
  }
  return root;
}

test('every chart is well-formed, standalone SVG', () => {
  for (const spec of ALL_SPECS) checkStandalone(renderChart(spec), spec.type);
});

test('full-size charts are named by their <title> and described by their <desc>', () => {
  for (const spec of ALL_SPECS.filter((s) => s.type !== 'sparkline')) {
    const root = checkStandalone(renderChart(spec), spec.type);
    const ids = (root.attributes['aria-labelledby'] ?? '').split(' ');
    assert.equal(ids.length, 2, spec.type);
    const [titleId, descId] = ids;
    const title = allElements(root).find((el) => el.attributes.id === titleId);
    const desc = allElements(root).find((el) => el.attributes.id === descId);
    assert.equal(title?.name, 'title');
    assert.equal(desc?.name, 'desc');
    assert.equal(textOf(title), spec.title);
    assert.equal(textOf(desc), 'description' in spec ? spec.description : '');
    // The <title> is the first child, as the SVG accessibility mapping expects.
    assert.equal((root.children[0] as XmlElement).name, 'title');
  }
});

test('ids are unique across charts on one page, even the same chart twice', () => {
  const page = `<div>${[...ALL_SPECS, ...ALL_SPECS].map((spec) => renderChart(spec)).join('')}</div>`;
  const root = parseXml(page);
  const ids = allElements(root).flatMap((el) => (el.attributes.id ? [el.attributes.id] : []));
  assert.ok(ids.length >= 16, 'charts declare ids');
  assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.filter((id, i) => ids.indexOf(id) !== i).join(', ')}`);
  // Every aria-labelledby and url(#...) reference resolves inside its own chart.
  for (const svg of byName(root, 'svg')) {
    const local = new Set(allElements(svg).flatMap((el) => (el.attributes.id ? [el.attributes.id] : [])));
    for (const el of allElements(svg)) {
      for (const ref of (el.attributes['aria-labelledby'] ?? '').split(' ').filter(Boolean)) assert.ok(local.has(ref), ref);
      const url = /url\(#([^)]+)\)/.exec(el.attributes.fill ?? '');
      if (url) assert.ok(local.has(url[1] as string), `pattern ${url[1]} is defined in the same chart`);
    }
  }
});

test('a caller-supplied id is used and sanitised', () => {
  const svg = lineChart({ ...lineSpec, id: 'asb chart"1' });
  const root = parseSvg(svg);
  assert.equal(root.attributes['aria-labelledby'], 'asb-chart-1-title asb-chart-1-desc');
});

test('text in titles, descriptions, names and labels is escaped', () => {
  const charts: [string, string][] = [
    [
      'line',
      lineChart({
        ...lineSpec,
        title: NASTY,
        description: NASTY,
        units: NASTY,
        categoryAxisLabel: NASTY,
        categories: [NASTY, 'b', 'c'],
        series: [
          { name: NASTY, values: [1, 2, 3] },
          { name: 'b', values: [3, 2, 1] },
        ],
        target: { value: 2, label: NASTY },
      }),
    ],
    [
      'groupedBar',
      groupedBarChart({
        ...groupedBarSpec,
        title: NASTY,
        description: NASTY,
        categories: [NASTY],
        series: [
          { name: NASTY, values: [1] },
          { name: 'x', values: [2] },
        ],
      }),
    ],
    ['horizontalBar', horizontalBarChart({ title: NASTY, description: NASTY, items: [{ label: NASTY, value: 5 }] })],
    ['xmr', xmrChart({ ...xmrSpec, title: NASTY, seriesName: NASTY })],
    ['sparkline', sparkline({ title: NASTY, values: [1, 2], categories: [NASTY, NASTY] })],
  ];
  for (const [kind, svg] of charts) {
    assert.ok(!svg.includes('<script'), `${kind}: no raw <script`);
    assert.ok(!svg.includes('"x")'), `${kind}: quotes escaped`);
    const root = checkStandalone(svg, kind);
    // The original text survives a round trip somewhere in the chart (legend, labels or aria-label).
    const texts = allElements(root).flatMap((el) => [textOf(el), ...Object.values(el.attributes)]);
    assert.ok(
      texts.some((t) => t === NASTY || t.includes(NASTY)),
      `${kind}: text round-trips`,
    );
  }
});

test('characters that XML forbids are dropped rather than breaking the document', () => {
  const svg = lineChart({
    title: 'Bad \u0001 char \uD800',
    description: 'd',
    categories: ['a\u0007'],
    series: [{ name: 's', values: [1] }],
  });
  checkStandalone(svg, 'control characters');
});

test('empty data gives a small chart saying "No data to show"', () => {
  const empties: [string, string][] = [
    ['line without categories', lineChart({ title: 't', description: 'd', categories: [], series: [] })],
    [
      'line with only missing values',
      lineChart({ title: 't', description: 'd', categories: ['a', 'b'], series: [{ name: 's', values: [null, Number.NaN] }] }),
    ],
    ['grouped bar', groupedBarChart({ title: 't', description: 'd', categories: ['Q1'], series: [] })],
    ['horizontal bar', horizontalBarChart({ title: 't', description: 'd', items: [] })],
    ['xmr', xmrChart({ title: 't', description: 'd', categories: ['a'], values: [null], mean: 1, upperLimit: 2, lowerLimit: 0 })],
    ['sparkline', sparkline({ title: 't', values: [] })],
  ];
  for (const [label, svg] of empties) {
    const root = checkStandalone(svg, label);
    assert.ok(
      byClass(root, 'chart-empty').some((el) => textOf(el) === 'No data to show'),
      label,
    );
    assert.ok(numAttr(root, 'height') <= 60, `${label}: small`);
    assert.equal(byClass(root, 'chart-line').length + byClass(root, 'chart-bar').length, 0, label);
  }
  const custom = lineChart({ title: 't', description: 'd', categories: [], series: [], emptyMessage: 'Nothing yet' });
  assert.match(custom, />Nothing yet</);
});

test('width, height and font size options are honoured', () => {
  const specs: ChartSpec[] = [
    { ...lineSpec, width: 480, height: 300, fontSize: 12 },
    { ...groupedBarSpec, width: 480, height: 300, fontSize: 12 },
    { ...xmrSpec, width: 480, height: 300, fontSize: 12 },
  ];
  for (const spec of specs) {
    const root = parseSvg(renderChart(spec));
    assert.equal(numAttr(root, 'width'), 480, spec.type);
    assert.equal(numAttr(root, 'height'), 300, spec.type);
    assert.equal(numAttr(root, 'font-size'), 12, spec.type);
  }
});

test('the chart modules do not depend on the domain code or on any package', () => {
  const dir = path.resolve(import.meta.dirname, '../../src/presentation/charts');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(path.join(dir, file), 'utf8');
    for (const match of source.matchAll(/from '([^']+)'/g)) {
      const specifier = match[1] as string;
      assert.ok(specifier.startsWith('./'), `${file} imports ${specifier}`);
    }
  }
});
