/**
 * Chart labels never overlap (issue 15): the pure placement function on its own, and the XmR chart's mean and limit
 * labels and point marks on awkward data (limits almost equal, marks on neighbouring points and at the last point,
 * a narrow chart whose labels wrap inside the plot).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boxesIntersect, placeLabels, type LabelBox } from '../../src/presentation/charts/labelLayout.ts';
import { NARROW_FONT_SIZE, NARROW_WIDTH, renderPageChart, xmrChart, type XmrChartOptions } from '../../src/presentation/charts/index.ts';
import { textWidth } from '../../src/presentation/charts/text.ts';
import { byClass, byName, numAttr, parseSvg, textOf, type XmlElement } from './xml.ts';
import { sparklineSpec, xmrSpec } from './fixtures.ts';

function assertNoOverlap(boxes: readonly LabelBox[], what: string): void {
  for (let a = 0; a < boxes.length; a++)
    for (let b = a + 1; b < boxes.length; b++)
      assert.ok(
        !boxesIntersect(boxes[a]!, boxes[b]!),
        `${what}: box ${a} ${JSON.stringify(boxes[a])} overlaps box ${b} ${JSON.stringify(boxes[b])}`,
      );
}

test('boxesIntersect: overlapping boxes do, boxes that only touch do not', () => {
  const a = { x: 0, y: 0, width: 10, height: 10 };
  assert.equal(boxesIntersect(a, { x: 5, y: 5, width: 10, height: 10 }), true);
  assert.equal(boxesIntersect(a, { x: 10, y: 0, width: 10, height: 10 }), false);
  assert.equal(boxesIntersect(a, { x: 0, y: 10, width: 10, height: 10 }), false);
});

test('placeLabels keeps a free label where it asks to be and moves a clashing one the least distance', () => {
  const [first, second, far] = placeLabels(
    [
      { x: 0, y: 100, width: 50, height: 16 },
      { x: 10, y: 104, width: 50, height: 16 },
      { x: 200, y: 104, width: 50, height: 16 },
    ],
    { top: 0, bottom: 300 },
  );
  assert.equal(first!.y, 100);
  assert.equal(second!.y, 118, 'just below the first (100 + 16 + a gap of 2), nearer than above it (82)');
  assert.equal(far!.y, 104, 'a label in another column stays put');
});

test('placeLabels: no two boxes overlap on awkward data, even when the bounds are too small for them all', () => {
  // Twelve labels all asking for the same place; a pile of them in a band too short to hold them; obstacles.
  const same = Array.from({ length: 12 }, (_, i) => ({ x: (i % 3) * 5, y: 50, width: 40, height: 15 }));
  assertNoOverlap(placeLabels(same, { top: 0, bottom: 400 }), 'same place');
  const cramped = placeLabels(same, { top: 40, bottom: 80 });
  assertNoOverlap(cramped, 'cramped');
  const obstacles = [
    { x: 0, y: 45, width: 100, height: 10 },
    { x: 0, y: 0, width: 100, height: 30 },
  ];
  const around = placeLabels(same.slice(0, 4), { top: 0, bottom: 200 }, obstacles);
  assertNoOverlap([...around, ...obstacles], 'with obstacles');
  // Pseudo-random sizes and places (a fixed linear congruential sequence, so the test is repeatable).
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const random = Array.from({ length: 40 }, () => ({
    x: next() * 300,
    y: next() * 200,
    width: 10 + next() * 80,
    height: 10 + next() * 20,
  }));
  assertNoOverlap(placeLabels(random, { top: 0, bottom: 200 }), 'random');
});

/** Every label's box as drawn: reference labels (each line) and point marks, from their text, anchor and font size. */
function drawnLabelBoxes(root: XmlElement): { text: string; box: LabelBox }[] {
  const fontSize = numAttr(root, 'font-size');
  const boxOf = (text: string, x: number, baseline: number, anchor: string | undefined, scale: number) => {
    const width = textWidth(text, fontSize) * scale;
    const left = anchor === 'end' ? x - width : anchor === 'middle' ? x - width / 2 : x;
    return { text, box: { x: left, y: baseline - fontSize * 0.8, width, height: fontSize } };
  };
  const references = byClass(root, 'chart-reference-label').flatMap((el) => {
    const spans = byName(el, 'tspan');
    const lines = spans.length ? spans : [el];
    return lines.map((line) => boxOf(textOf(line), numAttr(line, 'x'), numAttr(line, 'y'), el.attributes['text-anchor'], 1));
  });
  const marks = byClass(root, 'chart-annotation').map((g) => {
    const text = byName(g, 'text')[0]!;
    return boxOf(textOf(text), numAttr(text, 'x'), numAttr(text, 'y'), text.attributes['text-anchor'], 1.1);
  });
  return [...references, ...marks];
}

test('the XmR chart: limit, mean and target labels and point marks never overlap on awkward data', () => {
  const months = Array.from({ length: 12 }, (_, i) => `M${i + 1}`);
  const cases: { name: string; spec: XmrChartOptions }[] = [
    { name: 'the fixture', spec: xmrSpec },
    {
      name: 'limits and target almost equal, marks on neighbouring points and the last point',
      spec: {
        ...xmrSpec,
        categories: months,
        values: [50, 50.2, 50.1, 49.9, 50, 50, 50.1, 50, 49.8, 50, 50.3, 50.2],
        mean: 50,
        upperLimit: 50.4,
        lowerLimit: 49.6,
        target: { value: 50.1 },
        annotations: [9, 10, 11].flatMap((index) => [
          { index, text: '×', title: 'Left out' },
          { index, text: String(index), title: `Note ${index}` },
        ]),
      },
    },
    {
      name: 'a narrow chart whose long labels wrap inside the plot',
      spec: {
        ...xmrSpec,
        width: 300,
        height: 200,
        labels: { mean: 'Mean of the figures since the change: 116.8', upperLimit: 'Upper process limit since the change: 160.2' },
        target: { value: 150, label: 'Target for the year ending March 2026: 150' },
        annotations: [
          { index: 10, text: '× 1', title: 'Left out; note 1' },
          { index: 11, text: '2', title: 'Note 2' },
        ],
        phases: [
          { start: 0, end: 6, mean: 130, upperLimit: 170, lowerLimit: 90, title: 'First' },
          { start: 6, end: 12, mean: 116.8, upperLimit: 160.2, lowerLimit: 73.4, title: 'Limits recalculated' },
        ],
      },
    },
  ];
  for (const { name, spec } of cases) {
    const labels = drawnLabelBoxes(parseSvg(xmrChart(spec)));
    assert.ok(labels.length >= 3, `${name}: labels drawn`);
    assertNoOverlap(
      labels.map((l) => l.box),
      `${name} (${labels.map((l) => l.text).join(' | ')})`,
    );
  }
});

test('a page chart is drawn twice: body-size text from tablets up, and at least 12 px text in a 290 px phone column', () => {
  const html = renderPageChart({ ...xmrSpec, id: 'spc' });
  const [wide, narrow] = [...html.matchAll(/<svg[^>]*>/g)].map((m) => m[0]);
  assert.match(html, /^<span class="app-chart__wide"><svg[\s\S]*<\/span><span class="app-chart__narrow"><svg[\s\S]*<\/span>$/);
  assert.match(wide!, /width="640"[^>]*aria-labelledby="spc-title spc-desc"[^>]*font-size="19"/);
  assert.match(narrow!, /width="288"[^>]*aria-labelledby="spc-narrow-title spc-narrow-desc"[^>]*font-size="15"/);
  // A 320 px viewport less GOV.UK's 15 px page margins is 290 px: the narrow drawing fits unscaled, and even labels
  // squeezed to 80% (grouped bars) stay at 12 px.
  assert.ok(NARROW_WIDTH <= 290 && NARROW_FONT_SIZE * 0.8 >= 12);
  assert.equal(renderPageChart(sparklineSpec).match(/<svg/g)?.length, 1, 'a sparkline is drawn once');
});
