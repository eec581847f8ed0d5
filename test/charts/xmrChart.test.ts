/** XmR chart: mean and limits where they belong, special causes drawn with their own markers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SPC_COLOURS, tableForChart, xmrChart } from '../../src/presentation/charts/index.ts';
import { byClass, numAttr, parseSvg, textOf, type XmlElement } from './xml.ts';
import { xmrSpec } from './fixtures.ts';

function refY(root: XmlElement, value: number): number {
  const line = byClass(root, 'chart-reference').find((el) => numAttr(el, 'data-value') === value);
  assert.ok(line, `reference line at ${value}`);
  return numAttr(line, 'y1');
}

test('mean and process limits are drawn at their values, in order, and labelled', () => {
  const root = parseSvg(xmrChart(xmrSpec));
  const upper = refY(root, 160.2);
  const mean = refY(root, 116.8);
  const lower = refY(root, 73.4);
  assert.ok(upper < mean && mean < lower, 'upper above mean above lower');
  assert.ok(Math.abs(mean - upper - (lower - mean)) < 0.05, 'limits equidistant from the mean');
  const labels = byClass(root, 'chart-reference-label').map(textOf);
  assert.deepEqual(labels.sort(), ['Lower limit: 73.4', 'Mean: 116.8', 'Upper limit: 160.2']);
  // Mean and limits look different without colour: solid versus dotted.
  const mline = byClass(root, 'chart-reference--mean')[0]!;
  const lline = byClass(root, 'chart-reference--limit')[0]!;
  assert.equal(mline.attributes['stroke-dasharray'], undefined);
  assert.ok(lline.attributes['stroke-dasharray']);
});

test('special-cause points use the highlight marker; common-cause points do not', () => {
  const root = parseSvg(xmrChart(xmrSpec));
  const signals = byClass(root, 'chart-signal');
  assert.deepEqual(
    signals.map((s) => s.attributes['data-index']),
    ['5', '9', '10', '11'],
  );
  const points = byClass(root, 'chart-point');
  assert.equal(points.length, 12);
  const common = points.filter((p) => !signals.includes(p));
  assert.ok(
    common.every((p) => p.name === 'circle'),
    'common cause: small circles',
  );
  assert.ok(
    signals.every((p) => p.name === 'polygon'),
    'special cause: triangles',
  );
  // A high special cause points up, a low one points down (shape, not only colour).
  const apex = (el: XmlElement): number => Number((el.attributes.points ?? '').split(' ')[0]!.split(',')[1]);
  const box = (el: XmlElement): number[] => (el.attributes.points ?? '').split(' ').map((p) => Number(p.split(',')[1]));
  const high = signals.find((s) => s.attributes['data-special-cause'] === 'high')!;
  const low = signals.find((s) => s.attributes['data-special-cause'] === 'low')!;
  assert.equal(apex(high), Math.min(...box(high)));
  assert.equal(apex(low), Math.max(...box(low)));
  // Special-cause markers are bigger than common-cause ones.
  const size = (el: XmlElement): number => Math.max(...box(el)) - Math.min(...box(el));
  assert.ok(size(high) > 2 * numAttr(common[0]!, 'r'));
});

test('improvement and concern are coloured as in Making Data Count and explained in the legend', () => {
  const root = parseSvg(xmrChart(xmrSpec));
  const high = byClass(root, 'chart-signal').find((s) => s.attributes['data-special-cause'] === 'high')!;
  const low = byClass(root, 'chart-signal').find((s) => s.attributes['data-special-cause'] === 'low')!;
  assert.equal(high.attributes.fill, SPC_COLOURS.concern, 'lower is better, so high is a concern');
  assert.equal(low.attributes.fill, SPC_COLOURS.improvement);
  const legend = byClass(root, 'chart-legend-item').map(textOf);
  assert.deepEqual(legend, ['Value', 'Special cause: concern (high)', 'Special cause: improvement (low)']);

  const neutral = parseSvg(xmrChart({ ...xmrSpec, improvement: undefined }));
  assert.ok(byClass(neutral, 'chart-signal').every((s) => s.attributes.fill === SPC_COLOURS.neutral));
  assert.deepEqual(byClass(neutral, 'chart-legend-item').map(textOf).slice(1), ['Special cause (high)', 'Special cause (low)']);
});

test('boolean flags work out their side from the mean; flags on missing values are ignored', () => {
  const root = parseSvg(
    xmrChart({ ...xmrSpec, values: [120, null, 50, 180], categories: ['a', 'b', 'c', 'd'], specialCause: [false, true, true, true] }),
  );
  const signals = byClass(root, 'chart-signal');
  assert.deepEqual(
    signals.map((s) => `${s.attributes['data-index']}:${s.attributes['data-special-cause']}`),
    ['2:low', '3:high'],
  );
  const d = byClass(root, 'chart-line')[0]!.attributes.d ?? '';
  assert.equal((d.match(/M/g) ?? []).length, 2, 'the missing value breaks the line');
});

test('the value axis covers the limits and a target, without forcing zero', () => {
  const root = parseSvg(xmrChart({ ...xmrSpec, target: { value: 60 } }));
  const ticks = byClass(root, 'chart-tick-label').map((el) => numAttr(el, 'data-value'));
  assert.ok(Math.min(...ticks) <= 60 && Math.min(...ticks) > 0);
  assert.ok(Math.max(...ticks) >= 171);
  assert.ok(byClass(root, 'chart-reference-label').map(textOf).includes('Target: 60'));
});

test('phases: earlier limits over their own points, a dashed break at the change, marks above points (issue 16)', () => {
  const spec = {
    ...xmrSpec,
    phases: [
      { start: 0, end: 6, mean: 130, upperLimit: 170, lowerLimit: 90, title: 'First phase' },
      { start: 6, end: 12, mean: 107, upperLimit: 140, lowerLimit: 74, title: 'Limits recalculated from July: new scheme' },
    ],
    annotations: [{ index: 5, text: '×', title: 'Left out of the limits: data error' }],
  };
  const root = parseSvg(xmrChart(spec));
  const phaseLines = byClass(root, 'chart-reference--phase');
  assert.deepEqual(phaseLines.map((l) => numAttr(l, 'data-value')).sort(), [130, 170, 90].sort());
  // The latest limits start at the change, not at the left edge where the earlier phase's lines start.
  const latest = byClass(root, 'chart-reference--limit').find((l) => numAttr(l, 'data-value') === 160.2)!;
  assert.ok(numAttr(latest, 'x1') > numAttr(phaseLines[0]!, 'x1'));
  assert.equal(byClass(root, 'chart-phase-break').length, 1);
  assert.equal(byClass(root, 'chart-annotation').length, 1);
  const table = tableForChart(spec);
  const notes = table.columns.find((c) => c.name === 'Change dates, exclusions and notes')!;
  assert.equal(notes.values[5], 'Left out of the limits: data error');
  assert.equal(notes.values[6], 'Limits recalculated from July: new scheme');
  assert.deepEqual(table.columns.find((c) => c.name === 'Mean')!.values.slice(5, 7), [130, 107]);
});
