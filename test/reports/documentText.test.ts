/** Typed text in documents: `**bold**` as bold runs (never literal asterisks), plan names said once, empty sections kept short. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fullTitle, inlineRuns, planName, plainText, startsNewPage } from '../../src/presentation/documents/document.ts';
import { toPrintHtml } from '../../src/presentation/documents/html.ts';

describe('document text', () => {
  it('shows **bold** as bold and never prints the asterisks', () => {
    assert.deepEqual(inlineRuns('We will **reduce burglary** by 5%'), [
      { text: 'We will ', bold: false },
      { text: 'reduce burglary', bold: true },
      { text: ' by 5%', bold: false },
    ]);
    assert.equal(plainText('A lone ** pair of **stars'), 'A lone  pair of stars');
    const html = toPrintHtml({
      organisation: 'Rochford CSP',
      title: 'Plan 2027-30',
      subtitle: '2027-30',
      titlePageLines: [],
      runningHeader: 'Plan 2027-30',
      sections: [{ title: 'Foreword', blocks: [{ kind: 'paragraph', text: 'Our **first** priority <script>' }] }],
    });
    assert.match(html, /Our <strong>first<\/strong> priority &lt;script&gt;/);
    assert.ok(!html.includes('**'));
    assert.match(html, /<title>Plan 2027-30<\/title>/);
  });

  it('says a plan name once', () => {
    assert.equal(planName('Plan 2027-30', '2027-30', '2027-30'), 'Plan 2027-30');
    assert.equal(planName('Community Safety Plan', '2019-22', '2019-22'), 'Community Safety Plan 2019-22');
    assert.equal(planName('Partnership Plan', '2016-19', '2017/18 refresh'), 'Partnership Plan 2016-19, 2017/18 refresh');
    assert.equal(planName('Partnership Plan', '2010/11', '2010/11 refresh'), 'Partnership Plan 2010/11 refresh');
    assert.equal(fullTitle({ title: 'Plan 2027/30', subtitle: '2027-30' }), 'Plan 2027/30');
    assert.equal(fullTitle({ title: 'Quarterly performance report', subtitle: 'Q4 2019/20' }), 'Quarterly performance report Q4 2019/20');
  });

  it('lets an empty section follow on the same page', () => {
    assert.equal(startsNewPage({ title: 'Links', blocks: [{ kind: 'paragraph', text: 'No links recorded.', emphasis: 'note' }] }), false);
    assert.equal(
      startsNewPage({ title: 'Risks', blocks: [{ kind: 'table', caption: 'Risks', columns: [{ header: 'Risk' }], rows: [['x']] }] }),
      true,
    );
  });
});
