/** The building blocks: escaping, number formatting, nice scales, label fitting, colours. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml, sanitiseId } from '../../src/presentation/charts/escape.ts';
import { formatNumber, formatPercent, num } from '../../src/presentation/charts/format.ts';
import { GOVUK_COLOURS, SERIES_COLOURS, SPC_COLOURS, DASH_STYLES, MARKER_SHAPES } from '../../src/presentation/charts/palette.ts';
import { linearScale, niceTicks } from '../../src/presentation/charts/scale.ts';
import { TEXT_COLOUR, SECONDARY_TEXT_COLOUR } from '../../src/presentation/charts/svg.ts';
import { fitCategoryLabels, textWidth, truncateText, wrapText } from '../../src/presentation/charts/text.ts';
import { parseXml } from './xml.ts';

test('escapeXml escapes markup characters and drops characters XML forbids', () => {
  assert.equal(escapeXml(`<a href="x">Tom & Jerry's</a>`), '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
  assert.equal(escapeXml('a\u0000b\u001Fc\td'), 'abc\td');
  assert.equal(escapeXml('x\uD800y'), 'x\uFFFDy');
  assert.equal(escapeXml('emoji 🙂 ok'), 'emoji 🙂 ok');
  assert.equal(sanitiseId('my chart #1'), 'my-chart--1');
  assert.equal(sanitiseId('1st'), 'chart-1st');
});

test('numbers are formatted the en-GB way', () => {
  assert.equal(formatNumber(12345.678), '12,345.68');
  assert.equal(formatNumber(-0), '0');
  assert.equal(formatNumber(-0.001), '0');
  assert.equal(formatNumber(1.5, 0), '2');
  assert.equal(formatPercent(12.345), '12.3%');
  assert.equal(num(1.006), '1.01');
  assert.equal(num(-0.001), '0');
});

test('niceTicks covers the range with 1, 2, 2.5 or 5 x 10^n steps', () => {
  assert.deepEqual(niceTicks(0, 173).ticks, [0, 50, 100, 150, 200]);
  assert.deepEqual(niceTicks(0, 1).ticks, [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(niceTicks(0, 1, { integer: true }).ticks, [0, 1]);
  assert.deepEqual(niceTicks(0, 0, { integer: true }).ticks, [0, 1]);
  const negative = niceTicks(-37, 12);
  assert.ok(negative.min <= -37 && negative.max >= 12 && negative.ticks.includes(0));
  const flat = niceTicks(50, 50);
  assert.ok(flat.min < 50 && flat.max > 50 && flat.min >= 0, 'a flat positive series stays positive');
  const tiny = niceTicks(0.001, 0.0042);
  assert.ok(
    tiny.ticks.every((t) => Number(t.toFixed(tiny.decimals)) === t),
    'no floating point noise',
  );
  assert.equal(linearScale([0, 10], [100, 0])(2.5), 75);
  assert.equal(linearScale([5, 5], [0, 10])(5), 5);
});

test('text is measured on the wide side, wrapped and truncated', () => {
  assert.ok(textWidth('Mar 2024', 14) > 50 && textWidth('Mar 2024', 14) < 70);
  assert.deepEqual(wrapText('Violence against the person', 120, 14, 2), ['Violence against', 'the person']);
  assert.equal(wrapText('Supercalifragilistic', 40, 14, 2), null);
  const short = truncateText('A very long label indeed', 80, 14);
  assert.ok(short.endsWith('…') && textWidth(short, 14) <= 80);
});

test('category labels: every label when there is room, every n-th otherwise, always the anchor', () => {
  const months = Array.from({ length: 24 }, (_, i) => `M${i}`);
  const roomy = fitCategoryLabels(months.slice(0, 6), 100, 14);
  assert.equal(roomy.step, 1);
  const crowded = fitCategoryLabels(months, 12, 14, { anchor: 'end' });
  assert.ok(crowded.step > 1);
  assert.ok((crowded.lines[23] ?? []).length > 0, 'the last label is kept');
  const kept = fitCategoryLabels(['April to June', 'July to September'], 70, 14, { allowSkip: false, maxLines: 3 });
  assert.equal(kept.step, 1);
  assert.ok(kept.lines.every((l) => l.length > 0));
  // Consistent wrapping: once one label needs two lines, "Apr 2023" goes on two lines too.
  const mixed = fitCategoryLabels(['Apr 2023', 'September 2023'], 90, 14, { maxLines: 2 });
  assert.deepEqual(mixed.lines, [
    ['Apr', '2023'],
    ['September', '2023'],
  ]);
});

/** WCAG relative luminance contrast ratio. */
function contrast(a: string, b: string): number {
  const lum = (hex: string): number => {
    const [r, g, bl] = [1, 3, 5]
      .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

test('data colours have at least 3:1 contrast with white and text at least 4.5:1', () => {
  for (const colour of [...SERIES_COLOURS, ...Object.values(SPC_COLOURS)]) {
    assert.ok(contrast(colour, GOVUK_COLOURS.white) >= 3, `${colour} is ${contrast(colour, '#ffffff').toFixed(2)}:1`);
  }
  for (const colour of [TEXT_COLOUR, SECONDARY_TEXT_COLOUR]) {
    assert.ok(contrast(colour, GOVUK_COLOURS.white) >= 4.5);
    assert.ok(contrast(colour, GOVUK_COLOURS.lightGrey) >= 4.5, 'also on the empty-state background');
  }
  // Enough non-colour cues for every series colour.
  assert.ok(new Set(DASH_STYLES).size >= SERIES_COLOURS.length);
  assert.ok(new Set(MARKER_SHAPES).size >= SERIES_COLOURS.length);
});

test('the XML checker used by these tests rejects malformed markup', () => {
  const bad = [
    '<svg><g></svg>',
    '<svg a="1" a="2"/>',
    '<svg>&nbsp;</svg>',
    '<svg>a & b</svg>',
    '<svg x=1/>',
    '<svg/><svg/>',
    '<svg a="<"/>',
    'text',
  ];
  for (const doc of bad) assert.throws(() => parseXml(doc), Error, doc);
  assert.doesNotThrow(() => parseXml('<?xml version="1.0"?><!-- c --><svg a=\'1\'><t>&amp;&#39;&#x41;</t></svg>'));
});
