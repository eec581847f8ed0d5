/**
 * A generated document (a partnership plan, a Board pack, an annual review) described once, independent of its
 * format: a title page, then numbered sections of headings, paragraphs, lists and tables. docx.ts writes it as
 * Word, html.ts as a print page that Chromium prints (src/adapters/chromium/pdfPrinter.ts), so the DOCX and the
 * PDF always say the same.
 */
import { alreadySaid } from '../../domain/planNames.ts';

export interface TableColumn {
  header: string;
  /** Share of the table width in per cent; the columns without one share what is left. */
  width?: number;
  /** Figures, aligned right. */
  numeric?: boolean;
}

export type Block =
  | { kind: 'heading'; level: 2 | 3; text: string }
  | { kind: 'paragraph'; text: string; emphasis?: 'lead' | 'note' }
  /** Label: value, for short facts such as "Lead officer: ...". */
  | { kind: 'fact'; label: string; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; caption: string; columns: TableColumn[]; rows: string[][] }
  /** An SVG picture (the governance diagram) with its text alternative; only the print view draws it. */
  | { kind: 'figure'; svg: string; alt: string };

export interface Section {
  /** A section title, numbered in the contents and in its heading ("3. Priority: Road Safety"). */
  title: string;
  blocks: Block[];
  /** Printed on landscape pages (a table too wide for a portrait page). */
  landscape?: boolean;
}

export interface ReportDocument {
  /** "Rutland Community Safety Partnership" */
  organisation: string;
  /** "Rutland Community Safety Partnership Plan" */
  title: string;
  /** "2008-11" */
  subtitle: string;
  /** Lines under the title on the title page (status, approval). */
  titlePageLines: string[];
  /** Running header on every page after the first. */
  runningHeader: string;
  sections: Section[];
}

/** Text split into its paragraphs (blank lines and line breaks both separate them). */
export function paragraphs(text: string | null | undefined, emphasis?: 'lead' | 'note'): Block[] {
  return (text ?? '')
    .split(/\n+/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => ({ kind: 'paragraph', text: p, ...(emphasis ? { emphasis } : {}) }));
}

/** A file name made of the words of a title: "Rutland Community Safety Partnership plan 2008/11" → "Rutland-Community-Safety-Partnership-plan-2008-11". */
export function fileNameFor(...parts: string[]): string {
  return (
    parts
      .join(' ')
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 150) || 'document'
  );
}

/** A Content-Disposition header for a download, with a plain ASCII name and its UTF-8 form. */
export function attachment(fileName: string): string {
  return `attachment; filename="${fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** A run of text, bold or not. */
export interface TextRunPart {
  text: string;
  bold: boolean;
}

/**
 * Text as people type it into the app, split into runs: `**words**` is bold (as in Markdown) and the asterisks are
 * not printed; a `**` with no partner is dropped, so a document never shows literal asterisks pairs.
 */
export function inlineRuns(text: string): TextRunPart[] {
  const out: TextRunPart[] = [];
  const re = /\*\*(?=\S)([\s\S]*?\S)\*\*/g;
  let at = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > at) out.push({ text: text.slice(at, m.index).replace(/\*\*/g, ''), bold: false });
    out.push({ text: m[1]!.replace(/\*\*/g, ''), bold: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at).replace(/\*\*/g, ''), bold: false });
  return out.filter((r) => r.text !== '');
}

/** Text with the `**` of bold removed: for places that cannot show bold (titles, captions, file names). */
export function plainText(text: string): string {
  return inlineRuns(text)
    .map((r) => r.text)
    .join('');
}

export { alreadySaid, planName } from '../../domain/planNames.ts';

/** A document's title and subtitle as one line, the subtitle left out when the title already says it. */
export function fullTitle(doc: Pick<ReportDocument, 'title' | 'subtitle'>): string {
  return alreadySaid(doc.title, doc.subtitle) ? doc.title : `${doc.title} ${doc.subtitle}`;
}

/**
 * Whether a section starts on a new page: a section with a table or a picture, or more than a few blocks, does; an
 * empty one (only notes saying nothing is recorded) or a short one follows on the same page.
 */
export function startsNewPage(s: Section): boolean {
  if (s.landscape) return true;
  if (s.blocks.some((b) => b.kind === 'table' || b.kind === 'figure')) return true;
  const substantial = s.blocks.filter((b) => !(b.kind === 'paragraph' && b.emphasis === 'note') && b.kind !== 'heading');
  if (substantial.length === 0) return false;
  const words = s.blocks.reduce((n, b) => n + blockText(b).split(/\s+/).length, 0);
  return words > 120;
}

function blockText(b: Block): string {
  switch (b.kind) {
    case 'heading':
    case 'paragraph':
      return b.text;
    case 'fact':
      return `${b.label} ${b.text}`;
    case 'list':
      return b.items.join(' ');
    case 'table':
      return b.rows.flat().join(' ');
    case 'figure':
      return b.alt;
  }
}
