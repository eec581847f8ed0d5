/** A ReportDocument as one self-contained HTML page with print CSS (print.njk), for Chromium to print as PDF. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import type { ReportDocument } from './document.ts';
import { documentFontCss, DOCUMENT_FONT_FAMILY } from './fonts.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(here), { autoescape: true, trimBlocks: true, lstripBlocks: true });

export function toPrintHtml(doc: ReportDocument): string {
  return env.render('print.njk', { doc, fontCss: documentFontCss(), fontFamily: DOCUMENT_FONT_FAMILY });
}
