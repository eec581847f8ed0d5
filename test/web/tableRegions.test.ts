/** Every GOV.UK table in its own labelled, focusable scrolling region (src/http/web/tableRegions.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withTableRegions } from '../../src/http/web/tableRegions.ts';

const table = (caption: string, attrs = '') =>
  `<table class="govuk-table"${attrs}>${caption ? `<caption class="govuk-table__caption">${caption}</caption>` : ''}<tbody><tr><td class="govuk-table__cell">1</td></tr></tbody></table>`;

describe('table regions', () => {
  it('wraps each table in a region named by its caption, or by its number', () => {
    const html = `<main>${table('Risks & issues')}<p>x</p>${table('')}</main>`;
    const out = withTableRegions(html);
    assert.equal(
      out,
      `<main><div class="app-table-scroll" role="region" aria-label="Risks &#38; issues" tabindex="0">${table('Risks & issues')}</div><p>x</p>` +
        `<div class="app-table-scroll" role="region" aria-label="Table 2" tabindex="0">${table('')}</div></main>`,
    );
  });
  it('names regions apart when captions repeat: by the heading above, then by number', () => {
    const html = `<h2>Reduce ASB</h2>${table('Indicators')}<h2>Reduce burglary</h2>${table('Indicators')}${table('Indicators')}`;
    const labels = [...withTableRegions(html).matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(labels, ['Reduce ASB: Indicators', 'Reduce burglary: Indicators (table 2)', 'Reduce burglary: Indicators (table 3)']);
  });
  it('leaves tables already in a region, tables marked data-no-region and pages without tables alone', () => {
    const wrapped = `<div class="app-table-scroll" role="region" aria-label="x" tabindex="0">${table('A')}</div>`;
    assert.equal(withTableRegions(wrapped), wrapped);
    const marked = table('B', ' data-no-region');
    assert.equal(withTableRegions(marked), marked);
    assert.equal(withTableRegions('<p>No tables</p>'), '<p>No tables</p>');
  });
});
