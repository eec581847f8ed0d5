/**
 * The Word documents' worker thread is replaced after a number of documents and after a quiet spell, so its heap is
 * given back instead of kept for the life of the process (issue 19's soak), and no document is lost on the way:
 * each comes back whole, with its own text, whether asked for one after another or several at once.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { docxThreadLimits, docxThreadsStarted, toDocx } from '../../src/presentation/documents/docx.ts';
import type { ReportDocument } from '../../src/presentation/documents/document.ts';
import { docxParagraphs } from '../support/documents.ts';

const doc = (n: number): ReportDocument => ({
  organisation: 'Rutland Community Safety Partnership',
  title: `Document ${n}`,
  subtitle: '2026-27',
  titlePageLines: [],
  runningHeader: `Document ${n}`,
  sections: [{ title: 'Summary', blocks: [{ kind: 'paragraph', text: `This is document number ${n}.` }] }],
});

const textOf = async (n: number) => docxParagraphs(await toDocx(doc(n))).map((p) => p.text);
const saved = { ...docxThreadLimits };
after(() => Object.assign(docxThreadLimits, saved));

describe('the Word document worker thread', () => {
  it('is replaced after its number of documents, and after a quiet spell, each document whole', async () => {
    Object.assign(docxThreadLimits, { documents: 2, idleMs: 300 });
    const before = docxThreadsStarted.length;
    for (const n of [1, 2, 3]) assert.ok((await textOf(n)).includes(`This is document number ${n}.`));
    // Documents 1 and 2 on the first thread, which then ends; document 3 on a second.
    assert.equal(docxThreadsStarted.length - before, 2);
    assert.notEqual(docxThreadsStarted.at(-1), docxThreadsStarted.at(-2));
    await new Promise((resolve) => setTimeout(resolve, 900));
    assert.ok((await textOf(4)).includes('This is document number 4.'));
    assert.equal(docxThreadsStarted.length - before, 3, 'a thread left idle is ended; the next document starts another');
  });

  it('builds several documents asked for at once on one thread, and ends it only when none is waiting', async () => {
    Object.assign(docxThreadLimits, { documents: 2, idleMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 400)); // the previous test's thread ends when idle
    const before = docxThreadsStarted.length;
    const texts = await Promise.all([5, 6, 7, 8].map(textOf));
    texts.forEach((t, i) => assert.ok(t.includes(`This is document number ${i + 5}.`)));
    assert.equal(docxThreadsStarted.length - before, 1, 'all four were sent to one thread before any came back');
    assert.ok((await textOf(9)).includes('This is document number 9.'));
    assert.equal(docxThreadsStarted.length - before, 2, 'that thread was ended after the four, so the ninth started another');
  });
});
