/**
 * The strategic assessment document's peer comparison (issue 17): the funnel plot with its alternative text and the
 * same figures as a table, written into the DOCX. Counts and populations are those of three CSPs of the Home Office
 * fixture (test/fixtures/official: Rotherham 268,000, Barnsley 246,000, Doncaster 308,000 people, mid-2022) with
 * made-up counts; the average is the group's offences over its people: 7,500 / 822,000 × 1,000 = 9.12.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { funnel } from '../../src/domain/peerGroups.ts';
import { peerComparisonSection } from '../../src/presentation/documents/assessmentDocument.ts';
import { packDocx } from '../../src/presentation/documents/docx.ts';
import type { PeerComparison } from '../../src/services/evidence/officialData.ts';
import { docxParagraphs, unzipEntry } from '../support/documents.ts';

const f = funnel([
  { name: 'Rotherham', count: 3000, population: 268_000, isSubject: true },
  { name: 'Barnsley', count: 2000, population: 246_000, isSubject: false },
  { name: 'Doncaster', count: 2500, population: 308_000, isSubject: false },
])!;

const cmp: PeerComparison = {
  cspName: 'Rotherham',
  method: 'computed',
  features: ['population', 'density'],
  peers: [
    { name: 'Barnsley', distance: 0.2 },
    { name: 'Doncaster', distance: 0.4 },
  ],
  missing: [],
  groups: ['All offences'],
  group: 'All offences',
  years: [2022],
  year: 2022,
  yearLabel: '2022/23',
  populationYears: [2022],
  funnel: f,
};

describe('the peer comparison in the strategic assessment document', () => {
  it('is left out without a CSP or figures', () => {
    assert.equal(peerComparisonSection(null), null);
    assert.equal(peerComparisonSection({ ...cmp, funnel: null }), null);
  });

  it('gives the funnel with its alternative text, the summary and the table of every area, ranked', async () => {
    const section = peerComparisonSection(cmp)!;
    assert.equal(section.landscape, true, 'the eight-column table on a landscape page');
    const figure = section.blocks.find((b) => b.kind === 'figure');
    assert.ok(figure && figure.kind === 'figure');
    assert.match(figure.svg, /^<svg[^>]+role="img"/);
    assert.match(
      figure.alt,
      /^All offences, 2022\/23: rate per 1,000 people against population\. A funnel plot of 3 partnerships: .*99\.8% limits/,
    );
    const table = section.blocks.find((b) => b.kind === 'table');
    assert.ok(table && table.kind === 'table');
    // Rotherham 3,000 / 268,000 × 1,000 = 11.19 (rank 1), Barnsley 8.13, Doncaster 8.12.
    assert.deepEqual(
      table.rows.map((r) => [r[0], r[1], r[4]]),
      [
        ['1', 'Rotherham (this partnership)', '11.19'],
        ['2', 'Barnsley', '8.13'],
        ['3', 'Doncaster', '8.12'],
      ],
    );
    const docx = await packDocx({
      doc: {
        organisation: 'Safer Rotherham',
        title: 'Strategic assessment',
        subtitle: 'January 2024 to December 2024',
        titlePageLines: [],
        runningHeader: 'Strategic assessment',
        sections: [section],
      },
      pictures: [undefined],
    });
    const text = docxParagraphs(docx)
      .map((p) => p.text)
      .join('\n');
    assert.match(text, /Rotherham: 11\.19 per 1,000 against a group average of 9\.12; .+; ranked 1 of 3 \(1 = highest rate\)\./);
    assert.match(text, /All offences, 2022\/23: the peer group's rates, limits and ranks/);
    const xml = unzipEntry(docx, 'word/document.xml').toString('utf8');
    assert.match(xml, /<w:t[^>]*>Rotherham \(this partnership\)<\/w:t>/);
    assert.match(xml, /w:orient="landscape"/);
  });
});
