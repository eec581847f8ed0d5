/** Sparkline: fixed size, named by an aria-label with the first and last values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sparkline, sparklineLabel } from '../../src/presentation/charts/index.ts';
import { byClass, numAttr, parseSvg, textOf } from './xml.ts';
import { sparklineSpec } from './fixtures.ts';

test('a sparkline is a small role="img" whose aria-label summarises the first and last values', () => {
  const root = parseSvg(sparkline(sparklineSpec));
  assert.equal(root.attributes.role, 'img');
  assert.equal(root.attributes['aria-label'], 'ASB incidents: 412 in Apr 2023 to 325 in Mar 2024');
  assert.equal(numAttr(root, 'width'), 120);
  assert.equal(numAttr(root, 'height'), 32);
  assert.equal(textOf(byClass(root, 'chart-line')[0]!), '');
  assert.equal(root.children.filter((c) => typeof c !== 'string' && c.name === 'title').length, 1);
});

test('the label skips missing ends, mentions a target, and works without categories', () => {
  assert.equal(sparklineLabel({ title: 'X', values: [null, 5, 6, null] }), 'X: 5 to 6');
  assert.equal(sparklineLabel({ title: 'X', values: [7] }), 'X: 7');
  assert.equal(sparklineLabel({ title: 'X', values: [1, 2.345], target: 2 }), 'X: 1 to 2.35; target 2');
  assert.equal(sparklineLabel({ title: 'X', values: [] }), 'X: no data to show');
});

test('the line breaks at gaps and the last point is marked at the highest or lowest edge', () => {
  const root = parseSvg(sparkline({ title: 'X', values: [1, 2, null, 3, 10], width: 100, height: 20 }));
  const d = byClass(root, 'chart-line')[0]!.attributes.d ?? '';
  assert.equal((d.match(/M/g) ?? []).length, 2);
  const last = byClass(root, 'chart-point--last')[0]!;
  assert.equal(last.attributes['data-index'], '4');
  // 10 is the maximum: the last point sits at the top (inset by its radius).
  const r = numAttr(last, 'r');
  assert.ok(numAttr(last, 'cy') - r >= 0 && numAttr(last, 'cy') - r < 3, 'at the top, not clipped');
  assert.ok(numAttr(last, 'cx') + r <= 100, 'not clipped on the right');
});

test('text in the aria-label is escaped', () => {
  const svg = sparkline({ title: 'A & B <"c">', values: [1, 2] });
  assert.ok(svg.includes('aria-label="A &amp; B &lt;&quot;c&quot;&gt;: 1 to 2"'));
  assert.equal(parseSvg(svg).attributes['aria-label'], 'A & B <"c">: 1 to 2');
});
