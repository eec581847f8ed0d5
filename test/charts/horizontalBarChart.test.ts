/** Horizontal bar chart: ranked, widths follow the values, every bar labelled. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { horizontalBarChart, formatPercent } from '../../src/presentation/charts/index.ts';
import { byClass, numAttr, parseSvg, textOf, type XmlElement } from './xml.ts';
import { horizontalBarSpec } from './fixtures.ts';

function labelsInOrder(root: XmlElement): string[] {
  return byClass(root, 'chart-category-label')
    .sort((a, b) => numAttr(a, 'data-index') - numAttr(b, 'data-index'))
    .map(textOf);
}

test('bars are ranked largest first, top to bottom, with missing values last', () => {
  const root = parseSvg(horizontalBarChart(horizontalBarSpec));
  assert.deepEqual(labelsInOrder(root), [
    'Violence against the person',
    'Theft offences',
    'Criminal damage and arson',
    'Drug offences',
    'Miscellaneous crimes against society',
  ]);
  const bars = byClass(root, 'chart-bar');
  const ys = bars.map((b) => numAttr(b, 'y'));
  assert.deepEqual(
    ys,
    [...ys].sort((a, b) => a - b),
    'top to bottom',
  );
  const widths = bars.map((b) => numAttr(b, 'width'));
  assert.deepEqual(
    widths,
    [...widths].sort((a, b) => b - a),
    'largest first',
  );
  const values = bars.map((b) => numAttr(b, 'data-value'));
  for (let i = 0; i < bars.length; i++) assert.ok(Math.abs(widths[i]! / widths[0]! - values[i]! / values[0]!) < 0.002);
  const missing = byClass(root, 'chart-missing');
  assert.equal(missing.length, 1);
  assert.equal(textOf(missing[0]!), 'No data');
  assert.equal(missing[0]!.attributes['data-index'], '4');
});

test('sort order can be ascending or as given', () => {
  const asc = parseSvg(horizontalBarChart({ ...horizontalBarSpec, sort: 'ascending' }));
  assert.deepEqual(labelsInOrder(asc).slice(0, 2), ['Drug offences', 'Criminal damage and arson']);
  const given = parseSvg(horizontalBarChart({ ...horizontalBarSpec, sort: 'none' }));
  assert.deepEqual(
    labelsInOrder(given),
    horizontalBarSpec.items.map((i) => i.label),
  );
});

test('every bar is labelled with its formatted value just past its end', () => {
  const root = parseSvg(horizontalBarChart(horizontalBarSpec));
  const bars = byClass(root, 'chart-bar');
  const labels = byClass(root, 'chart-value-label');
  assert.deepEqual(labels.map(textOf), ['10,432', '8,120', '3,311', '950']);
  bars.forEach((bar, i) => {
    const end = numAttr(bar, 'x') + numAttr(bar, 'width');
    const x = numAttr(labels[i]!, 'x');
    assert.ok(x > end && x - end < 10, 'label after the bar');
  });
  assert.ok(numAttr(bars[0]!, 'x') + numAttr(bars[0]!, 'width') < numAttr(root, 'width'), 'longest bar inside the chart');
});

test('negative values extend left of the zero axis', () => {
  const root = parseSvg(
    horizontalBarChart({
      title: 'Change',
      description: 'Percentage change',
      formatValue: (v) => formatPercent(v),
      items: [
        { label: 'Burglary', value: -12.5 },
        { label: 'Shoplifting', value: 25 },
      ],
    }),
  );
  const axis = byClass(root, 'chart-axis')[0]!;
  const zeroX = numAttr(axis, 'x1');
  const [up, down] = byClass(root, 'chart-bar');
  assert.ok(Math.abs(numAttr(up!, 'x') - zeroX) < 0.02);
  assert.ok(Math.abs(numAttr(down!, 'x') + numAttr(down!, 'width') - zeroX) < 0.02);
  assert.ok(Math.abs(numAttr(up!, 'width') / numAttr(down!, 'width') - 2) < 0.01);
  assert.deepEqual(byClass(root, 'chart-value-label').map(textOf), ['25%', '-12.5%']);
  assert.ok(numAttr(down!, 'x') > 0);
});

test('a highlighted bar is marked by more than colour (bold label)', () => {
  const root = parseSvg(
    horizontalBarChart({
      ...horizontalBarSpec,
      items: [
        { label: 'Us', value: 5, highlight: true },
        { label: 'Them', value: 6 },
      ],
    }),
  );
  const highlighted = byClass(root, 'chart-bar--highlight');
  assert.equal(highlighted.length, 1);
  assert.notEqual(highlighted[0]!.attributes.fill, byClass(root, 'chart-bar').find((b) => b !== highlighted[0])!.attributes.fill);
  const label = byClass(root, 'chart-category-label').find((l) => textOf(l) === 'Us')!;
  assert.equal(label.attributes['font-weight'], 'bold');
});

test('long labels wrap onto two lines or are shortened, never overlapping the bars', () => {
  const long = 'Possession of weapons offences including knives and other sharp instruments in public places';
  const root = parseSvg(
    horizontalBarChart({
      title: 't',
      description: 'd',
      width: 400,
      items: [
        { label: long, value: 1 },
        { label: 'Short', value: 2 },
      ],
    }),
  );
  const label = byClass(root, 'chart-category-label').find((l) => textOf(l).startsWith('Possession'))!;
  const barLeft = Math.min(...byClass(root, 'chart-bar').map((b) => numAttr(b, 'x')));
  assert.ok(numAttr(label, 'x') < barLeft, 'labels end before the bars start');
  assert.ok(textOf(label).endsWith('…'));
});
