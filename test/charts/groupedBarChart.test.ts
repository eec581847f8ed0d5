/** Grouped bar chart: bar heights follow the values, groups and series are in order, gaps are shown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupedBarChart } from '../../src/presentation/charts/index.ts';
import { allElements, byClass, numAttr, parseSvg, textOf, type XmlElement } from './xml.ts';
import { groupedBarSpec } from './fixtures.ts';

interface Bar {
  series: number;
  index: number;
  value: number;
  x: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
  fill: string;
}

function bars(root: XmlElement): Bar[] {
  return byClass(root, 'chart-bar').map((el) => ({
    series: numAttr(el, 'data-series'),
    index: numAttr(el, 'data-index'),
    value: numAttr(el, 'data-value'),
    x: numAttr(el, 'x'),
    top: numAttr(el, 'y'),
    bottom: numAttr(el, 'y') + numAttr(el, 'height'),
    width: numAttr(el, 'width'),
    height: numAttr(el, 'height'),
    fill: el.attributes.fill ?? '',
  }));
}

test('one bar per value; the highest value is the tallest bar; heights are proportional', () => {
  const root = parseSvg(groupedBarChart(groupedBarSpec));
  const all = bars(root);
  assert.equal(all.length, 11, '12 values, one missing');
  const tallest = all.reduce((a, b) => (b.height > a.height ? b : a));
  assert.equal(tallest.value, 1532);
  assert.deepEqual([tallest.series, tallest.index], [2, 0]);
  const ref = all[0]!;
  for (const b of all) assert.ok(Math.abs(b.height / ref.height - b.value / ref.value) < 0.002, `bar ${b.series}/${b.index}`);
  // Every bar stands on the same baseline (the axis at zero).
  const plot = byClass(root, 'chart-plot-area')[0]!;
  const baseline = numAttr(plot, 'y') + numAttr(plot, 'height');
  for (const b of all) assert.ok(Math.abs(b.bottom - baseline) < 0.02);
});

test('bars run Q1..Q4 left to right, with the years in order inside each group', () => {
  const all = bars(parseSvg(groupedBarChart(groupedBarSpec)));
  const sorted = [...all].sort((a, b) => a.x - b.x);
  const order = sorted.map((b) => `${b.index}:${b.series}`);
  assert.deepEqual(order, ['0:0', '0:1', '0:2', '1:0', '1:1', '1:2', '2:0', '2:1', '2:2', '3:0', '3:2']);
  for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i]!.x >= sorted[i - 1]!.x + sorted[i - 1]!.width, 'bars do not overlap');
});

test('category labels sit under their groups', () => {
  const root = parseSvg(groupedBarChart(groupedBarSpec));
  const all = bars(root);
  const labels = byClass(root, 'chart-category-label');
  assert.deepEqual(labels.map(textOf), ['Q1', 'Q2', 'Q3', 'Q4']);
  for (const label of labels) {
    const index = numAttr(label, 'data-index');
    const group = all.filter((b) => b.index === index);
    const left = Math.min(...group.map((b) => b.x));
    const right = Math.max(...group.map((b) => b.x + b.width));
    const x = numAttr(label, 'x');
    assert.ok(x > left && x < right, `label ${index} under its group`);
  }
});

test('series are told apart by fill pattern as well as colour, with a legend', () => {
  const root = parseSvg(groupedBarChart(groupedBarSpec));
  const all = bars(root);
  const fills = [0, 1, 2].map((s) => all.find((b) => b.series === s)!.fill);
  assert.equal(new Set(fills).size, 3);
  assert.ok(fills[1]!.startsWith('url(#') && fills[2]!.startsWith('url(#'), 'later series use patterns');
  const patterns = allElements(root).filter((el) => el.name === 'pattern');
  assert.equal(patterns.length, 2);
  assert.deepEqual(byClass(root, 'chart-legend-item').map(textOf), ['2018/19', '2019/20', '2020/21']);
  const plain = parseSvg(groupedBarChart({ ...groupedBarSpec, patterns: false }));
  assert.equal(allElements(plain).filter((el) => el.name === 'pattern').length, 0);
});

test('a missing value says "No data" and a zero still shows a stub', () => {
  const root = parseSvg(groupedBarChart({ ...groupedBarSpec, series: [{ name: 'A', values: [5, 0, null, 2] }] }));
  const all = bars(root);
  assert.deepEqual(
    all.map((b) => b.index),
    [0, 1, 3],
  );
  const zero = all.find((b) => b.value === 0)!;
  assert.ok(zero.height > 0, 'zero bar visible');
  const missing = byClass(root, 'chart-missing');
  assert.equal(missing.length, 1);
  assert.equal(missing[0]!.attributes['data-index'], '2');
  assert.equal(textOf(missing[0]!), 'No data');
});

test('value labels are printed above bars when they fit, and left out when they do not', () => {
  const wide = parseSvg(groupedBarChart(groupedBarSpec));
  const labels = byClass(wide, 'chart-value-label');
  assert.equal(labels.length, 11);
  const all = bars(wide);
  for (const label of labels) {
    const bar = all.find(
      (b) => String(b.series) === label.attributes['data-series'] && String(b.index) === label.attributes['data-index'],
    )!;
    assert.ok(numAttr(label, 'y') < bar.top, 'label above its bar');
    assert.ok(Math.abs(numAttr(label, 'x') - (bar.x + bar.width / 2)) < 0.02, 'label centred on its bar');
  }
  assert.ok(labels.map(textOf).includes('1,532'));
  const narrow = parseSvg(groupedBarChart({ ...groupedBarSpec, width: 240 }));
  assert.equal(byClass(narrow, 'chart-value-label').length, 0);
  const forced = parseSvg(groupedBarChart({ ...groupedBarSpec, valueLabels: false }));
  assert.equal(byClass(forced, 'chart-value-label').length, 0);
});

test('negative values hang below the zero line', () => {
  const root = parseSvg(
    groupedBarChart({ title: 't', description: 'd', categories: ['A', 'B'], series: [{ name: 'Change', values: [10, -5] }] }),
  );
  const [up, down] = bars(root);
  const zero = byClass(root, 'chart-zero-line')[0]!;
  const zeroY = numAttr(zero, 'y1');
  assert.ok(Math.abs(up!.bottom - zeroY) < 0.02);
  assert.ok(Math.abs(down!.top - zeroY) < 0.02);
  assert.ok(Math.abs(up!.height / down!.height - 2) < 0.01);
});

test('every group keeps its label on a narrow chart with long labels', () => {
  const root = parseSvg(
    groupedBarChart({
      ...groupedBarSpec,
      width: 360,
      categories: ['April to June', 'July to September', 'October to December', 'January to March'],
    }),
  );
  const labels = byClass(root, 'chart-category-label');
  assert.equal(labels.length, 4);
  assert.ok(
    labels.every((l) => !textOf(l).includes('…')),
    'wrapped, not truncated',
  );
});
