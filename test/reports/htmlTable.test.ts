/** The HTML-table-to-ExportTable converter: headers, colspan, hidden text, entities, and conservative column types. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { captionOf, cellText, findGovukTables, htmlTableToExport, inferCell } from '../../src/presentation/tables/htmlTable.ts';

const TABLE = `<table class="govuk-table app-x" id="t"><caption class="govuk-table__caption">Crime &amp; disorder <span class="govuk-visually-hidden">(sorted)</span></caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th class="govuk-table__header">Indicator</th><th class="govuk-table__header" colspan="2">Figures</th><th>Change</th><th>Spend</th><th>Reviewed</th><th>Code</th></tr></thead>
<tbody class="govuk-table__body">
<tr><th scope="row">NI 15 <span class="govuk-visually-hidden">Serious violence</span></th><td>1,234</td><td>12.5</td><td>-10.6%</td><td>£2,000</td><td>23 November 2026</td><td>2009/10</td></tr>
<tr><th scope="row">Burglary&nbsp;dwelling</th><td>-18</td><td></td><td>10.6%</td><td>£12.50</td><td>2026-11-23</td><td>&lt;5</td></tr>
</tbody></table>`;

describe('htmlTableToExport', () => {
  it('reads headers, expands colspan, strips hidden text and infers column types', () => {
    const t = htmlTableToExport(TABLE, 'Crime')!;
    assert.deepEqual(
      t.columns.map((c) => c.header),
      ['Indicator', 'Figures', 'Figures', 'Change', 'Spend', 'Reviewed', 'Code'],
    );
    assert.deepEqual(
      t.columns.map((c) => c.type),
      ['text', 'number', 'number', 'percent', 'money', 'date', 'text'],
    );
    assert.deepEqual(t.rows, [
      ['NI 15', 1234, 12.5, -10.6, 2000, '2026-11-23', '2009/10'],
      ['Burglary dwelling', -18, null, 10.6, 12.5, '2026-11-23', '<5'],
    ]);
    assert.equal(t.columns[3]!.decimals, 1);
    assert.equal(t.columns[4]!.decimals, 2);
  });

  it('keeps a column as text when its cells disagree, and codes, suppressed and missing values as text', () => {
    for (const text of ['NI 15', '2009/10', '<5', '[c]', '—', 'No data', '007', '1,23', 'Q2 2019/20'])
      assert.equal(inferCell(text).type, 'text', text);
    assert.deepEqual(inferCell('1,234'), { type: 'number', value: 1234, decimals: 0, grouped: true });
    assert.equal(inferCell('−3').value, -3);
    assert.equal(inferCell('31 February 2026').type, 'text');
    const t = htmlTableToExport(
      '<table class="govuk-table"><tr><td>A</td><td>B</td></tr><tr><td>x</td><td>47</td></tr><tr><td>y</td><td>&lt;5</td></tr></table>',
      'T',
    )!;
    assert.deepEqual(
      t.columns,
      [
        { header: 'A', type: 'text' },
        { header: 'B', type: 'text' },
      ],
      'first row is the header without a thead',
    );
    assert.deepEqual(t.rows, [
      ['x', '47'],
      ['y', '<5'],
    ]);
  });

  it('finds GOV.UK tables (not their parts), captions and cell text', () => {
    const html = `<p>x</p>${TABLE}<table class="other"><tr><td>1</td></tr></table><table data-no-download class="govuk-table"><tr><td>1</td></tr></table>`;
    const spans = findGovukTables(html);
    assert.equal(spans.length, 2);
    assert.equal(captionOf(html.slice(spans[0]!.start, spans[0]!.end)), 'Crime & disorder');
    assert.equal(cellText('<a href="#">Road <b>safety</b></a><svg><title>chart</title></svg>  &#163;1'), 'Road safety £1');
  });
});
