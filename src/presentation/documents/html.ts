/** A ReportDocument as one self-contained HTML page with print CSS (print.njk), for Chromium to print as PDF. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { alreadySaid, fullTitle, inlineRuns, startsNewPage, type ReportDocument } from './document.ts';
import { documentFontCss, DOCUMENT_FONT_FAMILY } from './fonts.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(here), { autoescape: true, trimBlocks: true, lstripBlocks: true });
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
// Typed text with **bold** as <strong>, never literal asterisks; everything escaped.
env.addFilter(
  'inline',
  (text: string | number | null | undefined) =>
    new nunjucks.runtime.SafeString(
      inlineRuns(String(text ?? ''))
        .map((r) => (r.bold ? `<strong>${escapeHtml(r.text)}</strong>` : escapeHtml(r.text)))
        .join(''),
    ),
);

export function toPrintHtml(doc: ReportDocument): string {
  return env.render('print.njk', {
    doc,
    documentTitle: fullTitle(doc),
    showSubtitle: !alreadySaid(doc.title, doc.subtitle),
    sections: doc.sections.map((s, i) => ({ ...s, newPage: i === 0 || startsNewPage(s) })),
    fontCss: documentFontCss(),
    fontFamily: DOCUMENT_FONT_FAMILY,
  });
}
