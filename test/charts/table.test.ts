/** The accessible table: GOV.UK markup, exactly the chart's numbers, escaped text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartTable, renderChart, tableForChart, type ChartSpec } from '../../src/presentation/charts/index.ts';
import { allElements, byClass, byName, parseSvg, parseXml, textOf, type XmlElement } from './xml.ts';
import { ALL_SPECS, groupedBarSpec, horizontalBarSpec, lineSpec, NASTY, sparklineSpec, xmrSpec } from './fixtures.ts';

const parseNumber = (text: string): number => Number(text.replace(/,/g, '').replace(/%$/, ''));

function rows(table: XmlElement): XmlElement[] {
  return byName(byName(table, 'tbody')[0]!, 'tr');
}

test('the table uses GOV.UK classes, a caption and scoped headers', () => {
  const html = chartTable({
    caption: 'Incidents by quarter',
    categoryHeader: 'Quarter',
    categories: ['Q1', 'Q2'],
    columns: [
      { name: '2018/19', values: [1203, 1310] },
      { name: '2019/20', values: [1288, null] },
    ],
  });
  const table = parseXml(html);
  assert.equal(table.name, 'table');
  assert.equal(table.attributes.class, 'govuk-table');
  const caption = table.children[0] as XmlElement;
  assert.equal(caption.name, 'caption');
  assert.equal(caption.attributes.class, 'govuk-table__caption govuk-table__caption--m');
  assert.equal(textOf(caption), 'Incidents by quarter');
  const cols = allElements(table).filter((el) => el.name === 'th' && el.attributes.scope === 'col');
  assert.deepEqual(cols.map(textOf), ['Quarter', '2018/19', '2019/20']);
  assert.ok(cols.slice(1).every((th) => th.attributes.class === 'govuk-table__header govuk-table__header--numeric'));
  const rowHeaders = allElements(table).filter((el) => el.name === 'th' && el.attributes.scope === 'row');
  assert.deepEqual(rowHeaders.map(textOf), ['Q1', 'Q2']);
  assert.ok(rowHeaders.every((th) => th.attributes.class === 'govuk-table__header'));
  const cells = byName(table, 'td');
  assert.equal(cells.length, 4);
  assert.ok(cells.every((td) => td.attributes.class === 'govuk-table__cell govuk-table__cell--numeric'));
  assert.deepEqual(cells.map(textOf), ['1,203', '1,288', '1,310', 'No data']);
  assert.equal(byClass(table, 'govuk-table__head').length, 1);
  assert.equal(byClass(table, 'govuk-table__body').length, 1);
});

test('the table contains exactly the numbers given, in order', () => {
  const values = [0, 1, -2.5, 1234567, 0.25, 99.99, null, 42];
  const html = chartTable({
    caption: 'c',
    categoryHeader: 'k',
    categories: values.map((_, i) => `R${i}`),
    columns: [{ name: 'v', values }],
  });
  const cells = byName(parseXml(html), 'td').map(textOf);
  assert.deepEqual(cells, ['0', '1', '-2.5', '1,234,567', '0.25', '99.99', 'No data', '42']);
  assert.deepEqual(
    cells.filter((c) => c !== 'No data').map(parseNumber),
    values.filter((v) => v !== null),
  );
});

test('text columns are left-aligned text; the formatter, caption size and missing text can be set', () => {
  const html = chartTable({
    caption: 'c',
    categoryHeader: 'Month',
    categories: ['Jan', 'Feb'],
    columns: [
      { name: 'Rate', values: [12.345, 7] },
      { name: 'Note', values: ['Estimated', undefined] },
    ],
    formatValue: (v) => `${v.toFixed(1)}%`,
    missingText: '[x]',
    captionSize: 'l',
    classes: 'app-chart-table bad"class',
  });
  const table = parseXml(html);
  assert.equal(table.attributes.class, 'govuk-table app-chart-table');
  assert.equal((table.children[0] as XmlElement).attributes.class, 'govuk-table__caption govuk-table__caption--l');
  const cells = byName(table, 'td');
  assert.deepEqual(cells.map(textOf), ['12.3%', 'Estimated', '7.0%', '[x]']);
  assert.equal(cells[1]!.attributes.class, 'govuk-table__cell');
});

test('all text in the table is escaped', () => {
  const html = chartTable({ caption: NASTY, categoryHeader: NASTY, categories: [NASTY], columns: [{ name: NASTY, values: [NASTY] }] });
  assert.ok(!html.includes('<script'));
  const table = parseXml(html);
  const texts = allElements(table)
    .filter((el) => ['caption', 'th', 'td'].includes(el.name))
    .map(textOf);
  assert.deepEqual(texts, [NASTY, NASTY, NASTY, NASTY, NASTY]);
});

/** Numbers drawn in the SVG (data-value of bars and points) in table order, row by row. */
function drawnValues(spec: ChartSpec): Map<string, number> {
  const root = parseSvg(renderChart(spec));
  const out = new Map<string, number>();
  for (const el of [...byClass(root, 'chart-bar'), ...byClass(root, 'chart-point')]) {
    out.set(`${el.attributes['data-series'] ?? '0'}:${el.attributes['data-index']}`, Number(el.attributes['data-value']));
  }
  return out;
}

test('tableForChart gives every chart a table with the same numbers the chart draws', () => {
  for (const spec of ALL_SPECS) {
    const options = tableForChart(spec);
    assert.equal(options.caption, spec.title);
    const table = parseXml(chartTable(options));
    const drawn = drawnValues(spec);
    // The first column of the table holds the plotted series (for multi-series charts, one column each).
    const seriesColumns = spec.type === 'line' || spec.type === 'groupedBar' ? spec.series.length : 1;
    rows(table).forEach((row, r) => {
      const cells = byName(row, 'td');
      for (let s = 0; s < seriesColumns; s++) {
        const text = textOf(cells[s]!);
        const value = drawn.get(`${s}:${r}`);
        if (value === undefined) {
          // Sparklines only mark some points; other charts draw every value.
          if (text !== 'No data') assert.equal(spec.type, 'sparkline', `${spec.type}: ${text} at ${s}:${r} is drawn`);
        } else {
          assert.equal(parseNumber(text), value, `${spec.type}: row ${r}, column ${s}`);
        }
      }
    });
  }
});

test('the line table adds the target; the grouped bar table has a column per year', () => {
  const line = parseXml(chartTable(tableForChart(lineSpec)));
  const headers = allElements(line)
    .filter((el) => el.attributes.scope === 'col')
    .map(textOf);
  assert.deepEqual(headers, ['Period', 'Northshire CSP', 'Similar group average', 'Target']);
  assert.ok(rows(line).every((row) => textOf(byName(row, 'td')[2]!) === '350'));
  assert.equal(textOf(byName(rows(line)[3]!, 'td')[0]!), 'No data');

  const bars = parseXml(chartTable(tableForChart(groupedBarSpec)));
  assert.deepEqual(
    allElements(bars)
      .filter((el) => el.attributes.scope === 'col')
      .map(textOf),
    ['Quarter', '2018/19', '2019/20', '2020/21'],
  );
  assert.deepEqual(
    rows(bars).map((row) => byName(row, 'td').map(textOf)),
    [
      ['1,203', '1,288', '1,532'],
      ['1,310', '1,402', '1,489'],
      ['1,189', '1,250', '1,377'],
      ['1,250', 'No data', '1,420'],
    ],
  );
});

test('the horizontal bar table lists items in the chart order', () => {
  const table = parseXml(chartTable(tableForChart(horizontalBarSpec)));
  const chart = parseSvg(renderChart(horizontalBarSpec));
  const chartOrder = byClass(chart, 'chart-category-label').map(textOf);
  const tableOrder = allElements(table)
    .filter((el) => el.attributes.scope === 'row')
    .map(textOf);
  assert.deepEqual(tableOrder, chartOrder);
  assert.deepEqual(
    allElements(table)
      .filter((el) => el.attributes.scope === 'col')
      .map(textOf),
    ['Crime type', 'Number of crimes'],
  );
});

test('the XmR table gives the mean, limits and the variation of each point', () => {
  const table = parseXml(chartTable(tableForChart(xmrSpec)));
  const headers = allElements(table)
    .filter((el) => el.attributes.scope === 'col')
    .map(textOf);
  assert.deepEqual(headers, ['Period', 'Value', 'Mean', 'Lower process limit', 'Upper process limit', 'Variation']);
  const body = rows(table).map((row) => byName(row, 'td').map(textOf));
  assert.deepEqual(body[0], ['120', '116.8', '73.4', '160.2', 'Common cause']);
  assert.deepEqual(body[5], ['171', '116.8', '73.4', '160.2', 'Special cause: concern (high)']);
  assert.deepEqual(body[11], ['95', '116.8', '73.4', '160.2', 'Special cause: improvement (low)']);
});

test('the sparkline table labels rows by period', () => {
  const table = parseXml(chartTable(tableForChart(sparklineSpec)));
  assert.equal(rows(table).length, 12);
  assert.equal(textOf(allElements(table).find((el) => el.attributes.scope === 'row')!), 'Apr 2023');
  const bare = parseXml(chartTable(tableForChart({ type: 'sparkline', title: 't', values: [3, 4] })));
  assert.deepEqual(
    allElements(bare)
      .filter((el) => el.attributes.scope === 'row')
      .map(textOf),
    ['Value 1', 'Value 2'],
  );
});
