/** Line chart: values land where they should, gaps break the line, labels do not collide. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineChart, tableForChart, type LineChartOptions } from '../../src/presentation/charts/index.ts';
import { textWidth } from '../../src/presentation/charts/text.ts';
import { allElements, byClass, numAttr, parseSvg, textOf, type XmlElement } from './xml.ts';
import { lineSpec, MONTHS } from './fixtures.ts';

const base: LineChartOptions = { title: 'Test', description: 'Test chart', categories: ['A', 'B', 'C', 'D', 'E'], series: [] };

function plotArea(root: XmlElement): { left: number; top: number; right: number; bottom: number } {
  const rect = byClass(root, 'chart-plot-area')[0];
  assert.ok(rect, 'plot area');
  const left = numAttr(rect, 'x');
  const top = numAttr(rect, 'y');
  return { left, top, right: left + numAttr(rect, 'width'), bottom: top + numAttr(rect, 'height') };
}

/** Marker centre: circles have cx/cy; squares and polygons are centred on their box. */
function centre(el: XmlElement): { x: number; y: number } {
  if (el.name === 'circle') return { x: numAttr(el, 'cx'), y: numAttr(el, 'cy') };
  if (el.name === 'rect') return { x: numAttr(el, 'x') + numAttr(el, 'width') / 2, y: numAttr(el, 'y') + numAttr(el, 'height') / 2 };
  const pts = (el.attributes.points ?? '').split(' ').map((p) => p.split(',').map(Number) as [number, number]);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return { x: (Math.min(...xs) + Math.max(...xs)) / 2, y: (Math.min(...ys) + Math.max(...ys)) / 2 };
}

function points(root: XmlElement, series = 0): Map<number, { x: number; y: number; value: number }> {
  const out = new Map<number, { x: number; y: number; value: number }>();
  for (const el of byClass(root, 'chart-point')) {
    if (el.attributes['data-series'] !== String(series)) continue;
    out.set(numAttr(el, 'data-index'), { ...centre(el), value: numAttr(el, 'data-value') });
  }
  return out;
}

test('the maximum is at the top of the plot, zero at the bottom, and y is linear in between', () => {
  const root = parseSvg(lineChart({ ...base, series: [{ name: 'S', values: [0, 25, 50, 75, 100] }] }));
  const plot = plotArea(root);
  const p = points(root);
  assert.equal(p.size, 5);
  assert.ok(Math.abs(p.get(4)!.y - plot.top) < 0.02, 'max at the top');
  assert.ok(Math.abs(p.get(0)!.y - plot.bottom) < 0.02, 'zero at the bottom');
  const mid = (plot.top + plot.bottom) / 2;
  assert.ok(Math.abs(p.get(2)!.y - mid) < 0.02, '50 in the middle');
  // Categories are evenly spaced from the left to the right edge.
  assert.ok(Math.abs(p.get(0)!.x - plot.left) < 0.02);
  assert.ok(Math.abs(p.get(4)!.x - plot.right) < 0.02);
  const gaps = [1, 2, 3, 4].map((i) => p.get(i)!.x - p.get(i - 1)!.x);
  for (const g of gaps) assert.ok(Math.abs(g - (gaps[0] ?? 0)) < 0.05);
});

test('the value axis starts at zero by default and can be told not to', () => {
  const values = [980, 1000, 1010, 1040, 1020];
  const withZero = parseSvg(lineChart({ ...base, series: [{ name: 'S', values }] }));
  const ticks = (root: XmlElement): number[] => byClass(root, 'chart-tick-label').map((el) => numAttr(el, 'data-value'));
  assert.equal(Math.min(...ticks(withZero)), 0);
  const zoomed = parseSvg(lineChart({ ...base, includeZero: false, series: [{ name: 'S', values }] }));
  assert.ok(Math.min(...ticks(zoomed)) > 0 && Math.min(...ticks(zoomed)) <= 980);
  assert.ok(Math.max(...ticks(zoomed)) >= 1040);
});

test('missing values break the line and leave no point', () => {
  const root = parseSvg(lineChart({ ...base, series: [{ name: 'S', values: [1, 2, null, 4, 5] }] }));
  const path = byClass(root, 'chart-line')[0];
  const d = path?.attributes.d ?? '';
  assert.equal((d.match(/M/g) ?? []).length, 2, `two subpaths: ${d}`);
  assert.equal((d.match(/L/g) ?? []).length, 2, 'one segment on each side of the gap');
  const p = points(root);
  assert.deepEqual([...p.keys()].sort(), [0, 1, 3, 4]);
});

test('an isolated point between gaps still gets a marker when markers are off', () => {
  const root = parseSvg(lineChart({ ...base, markers: false, series: [{ name: 'S', values: [1, 2, null, 4, null] }] }));
  const p = points(root);
  assert.deepEqual([...p.keys()], [3]);
});

test('series too short for the categories are padded with gaps; extra values are ignored', () => {
  const root = parseSvg(
    lineChart({
      ...base,
      series: [
        { name: 'S', values: [1, 2] },
        { name: 'T', values: [1, 2, 3, 4, 5, 6, 7] },
      ],
    }),
  );
  assert.deepEqual([...points(root, 0).keys()], [0, 1]);
  assert.deepEqual([...points(root, 1).keys()], [0, 1, 2, 3, 4]);
});

test('a target is drawn at its value and labelled', () => {
  const root = parseSvg(lineChart({ ...base, series: [{ name: 'S', values: [0, 100, 50, 50, 50] }], target: { value: 50 } }));
  const plot = plotArea(root);
  const line = byClass(root, 'chart-reference--target')[0];
  assert.ok(line);
  assert.ok(Math.abs(numAttr(line, 'y1') - (plot.top + plot.bottom) / 2) < 0.02);
  assert.ok(line.attributes['stroke-dasharray'], 'target is dashed, not only coloured');
  const label = byClass(root, 'chart-reference-label--target')[0];
  assert.equal(textOf(label!), 'Target: 50');
});

test('highlighted points get a ring and a legend entry', () => {
  const root = parseSvg(lineChart({ ...base, series: [{ name: 'S', values: [1, 2, 3, 4, 5], highlight: [3, 99] }] }));
  const rings = byClass(root, 'chart-highlight');
  assert.deepEqual(
    rings.map((r) => r.attributes['data-index']),
    ['3'],
  );
  const p = points(root).get(3)!;
  assert.ok(Math.abs(numAttr(rings[0]!, 'cx') - p.x) < 0.02 && Math.abs(numAttr(rings[0]!, 'cy') - p.y) < 0.02);
  const legend = byClass(root, 'chart-legend-item').map(textOf);
  assert.ok(legend.includes('Highlighted value'));
});

test('intervals are drawn as error bars through their points, widen the axis, have a legend entry and table columns', () => {
  const spec: LineChartOptions = {
    ...base,
    series: [
      {
        name: 'S',
        values: [20, 40, null, 60, 50],
        // The third has no value, the fifth an impossible interval: neither is drawn.
        intervals: [{ lower: 10, upper: 30 }, { lower: 30, upper: 100 }, { lower: 1, upper: 2 }, null, { lower: 60, upper: 40 }],
      },
    ],
  };
  const root = parseSvg(lineChart(spec));
  const plot = plotArea(root);
  const bars = byClass(root, 'chart-interval');
  assert.deepEqual(
    bars.map((b) => [b.attributes['data-index'], b.attributes['data-lower'], b.attributes['data-upper']]),
    [
      ['0', '10', '30'],
      ['1', '30', '100'],
    ],
  );
  // The axis runs 0 to 100, set by the upper limit (above every value): 100 at the top of the plot.
  const yOf = (v: number) => plot.bottom - ((plot.bottom - plot.top) * v) / 100;
  for (const b of bars) {
    const [x, yLower, yUpper] = /^M([\d.]+) ([\d.]+)V([\d.]+)/
      .exec(b.attributes.d ?? '')!
      .slice(1)
      .map(Number) as [number, number, number];
    const p = points(root).get(Number(b.attributes['data-index']))!;
    assert.ok(Math.abs(x - p.x) < 0.02, 'the bar goes through its point');
    assert.ok(Math.abs(yLower - yOf(Number(b.attributes['data-lower']))) < 0.05, 'lower end');
    assert.ok(Math.abs(yUpper - yOf(Number(b.attributes['data-upper']))) < 0.05, 'upper end');
  }
  assert.ok(byClass(root, 'chart-legend-item').map(textOf).includes('95% confidence interval'));
  const table = tableForChart({ type: 'line', ...spec });
  assert.deepEqual(
    table.columns.map((c) => [c.name, c.values]),
    [
      ['S', [20, 40, null, 60, 50]],
      ['Lower limit (95% confidence interval)', [10, 30, null, null, null]],
      ['Upper limit (95% confidence interval)', [30, 100, null, null, null]],
    ],
  );
  // Without intervals, no bars, no legend, no extra columns.
  const plain = parseSvg(lineChart({ ...base, series: [{ name: 'S', values: [1, 2, 3, 4, 5] }] }));
  assert.equal(byClass(plain, 'chart-interval').length, 0);
  assert.equal(byClass(plain, 'chart-legend-item').length, 0);
});

test('series differ by dash pattern and marker shape, not only colour', () => {
  const root = parseSvg(lineChart(lineSpec));
  const lines = byClass(root, 'chart-line');
  assert.equal(lines.length, 2);
  assert.notEqual(lines[0]!.attributes.stroke, lines[1]!.attributes.stroke);
  assert.notEqual(lines[0]!.attributes['stroke-dasharray'] ?? '', lines[1]!.attributes['stroke-dasharray'] ?? '');
  const shape = (s: number): string => byClass(root, 'chart-point').find((el) => el.attributes['data-series'] === String(s))!.name;
  assert.notEqual(shape(0), shape(1));
  const legend = byClass(root, 'chart-legend-item').map(textOf);
  assert.deepEqual(legend.slice(0, 2), ['Northshire CSP', 'Similar group average']);
});

test('category labels never overlap, even with 36 months on a narrow chart', () => {
  for (const width of [320, 640]) {
    const categories = Array.from({ length: 36 }, (_, i) => `${MONTHS[i % 12]}`);
    const root = parseSvg(lineChart({ ...base, width, categories, series: [{ name: 'S', values: categories.map((_, i) => i) }] }));
    const fontSize = numAttr(root, 'font-size');
    const labels = byClass(root, 'chart-category-label').map((el) => {
      const lines = el.children.filter((c): c is XmlElement => typeof c !== 'string');
      const texts = lines.length > 0 ? lines.map(textOf) : [textOf(el)];
      const w = Math.max(...texts.map((t) => textWidth(t, fontSize)));
      const x = numAttr(el, 'x');
      return { left: x - w / 2, right: x + w / 2 };
    });
    assert.ok(labels.length >= 3 && labels.length < 36, `${width}: some labels are left out (${labels.length})`);
    for (let i = 1; i < labels.length; i++)
      assert.ok(labels[i]!.left >= labels[i - 1]!.right, `${width}: labels ${i - 1} and ${i} overlap`);
    // The latest period is always labelled, and nothing spills off the chart.
    const last = byClass(root, 'chart-category-label').at(-1)!;
    assert.equal(last.attributes['data-index'], '35');
    assert.ok(
      labels.every((l) => l.left >= 0 && l.right <= width),
      `${width}: labels inside the chart`,
    );
  }
});

test('tick labels use the formatter and all text stays inside the chart', () => {
  const root = parseSvg(
    lineChart({
      ...base,
      width: 400,
      formatValue: (v) => `${v}%`,
      series: [{ name: 'S', values: [10, 20, 30, 40, 45] }],
      target: { value: 35, label: 'Target for 2024/25: 35%' },
    }),
  );
  const ticks = byClass(root, 'chart-tick-label').map(textOf);
  assert.ok(
    ticks.every((t) => t.endsWith('%')),
    ticks.join(' '),
  );
  const width = numAttr(root, 'width');
  const fontSize = numAttr(root, 'font-size');
  for (const el of allElements(root).filter((e) => e.name === 'text')) {
    const x = numAttr(el, 'x');
    const w = textWidth(textOf(el), fontSize);
    const anchor = el.attributes['text-anchor'] ?? 'start';
    const left = anchor === 'end' ? x - w : anchor === 'middle' ? x - w / 2 : x;
    assert.ok(left >= 0 && left + w <= width + 0.5, `"${textOf(el)}" fits (${left}..${left + w} of ${width})`);
  }
});
