/**
 * A generated document (a partnership plan, a Board pack, an annual review) described once, independent of its
 * format: a title page, then numbered sections of headings, paragraphs, lists and tables. docx.ts writes it as
 * Word, html.ts as a print page that Chromium prints (src/adapters/chromium/pdfPrinter.ts), so the DOCX and the
 * PDF always say the same.
 */

export interface TableColumn {
  header: string;
  /** Share of the table width in per cent; the columns without one share what is left. */
  width?: number;
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
