/**
 * A GOV.UK table of a rendered page read back as an ExportTable, so any page's table can be downloaded as CSV or
 * XLSX with what the page shows: the header from the thead's cells (or the first row), the body rows from the
 * tbody (th and td cells), colspan expanded, tags stripped, visually hidden text and SVG pictures left out,
 * entities decoded, whitespace collapsed. Pure; the HTML is the app's own (well-formed, no nested tables in cells).
 *
 * Column types are inferred conservatively: a column is a number, percentage, money or date column only when every
 * non-empty cell of it reads as one ("1,234", "-18", "12.5"; "10.6%"; "£2,000"; "23 November 2026" or
 * "2026-11-23"); anything else — "NI 15", "2009/10", "<5", "[c]", "—", or a mixture — keeps the column as text.
 */
import type { ExportCell, ExportColumn, ExportColumnType, ExportTable } from './tableExport.ts';

/** The opening tag of a GOV.UK table (class govuk-table, not one of its govuk-table__ parts). */
export const GOVUK_TABLE_OPEN = /<table\b[^>]*\bclass="(?:[^"]*\s)?govuk-table(?:\s[^"]*)?"[^>]*>/gi;

export interface HtmlTableSpan {
  /** Offset of "<table". */
  start: number;
  /** Offset just after "</table>". */
  end: number;
  /** The opening tag. */
  openTag: string;
}

/** The GOV.UK tables of a page, in page order. */
export function findGovukTables(html: string): HtmlTableSpan[] {
  const spans: HtmlTableSpan[] = [];
  const open = new RegExp(GOVUK_TABLE_OPEN.source, 'gi');
  let m: RegExpExecArray | null;
  while ((m = open.exec(html))) {
    const end = tableEnd(html, m.index + m[0].length);
    if (end < 0) break;
    spans.push({ start: m.index, end, openTag: m[0] });
    open.lastIndex = end;
  }
  return spans;
}

/** The offset after the "</table>" that closes a table whose content starts at `from` (nested tables counted). */
function tableEnd(html: string, from: number): number {
  const tags = /<(\/?)table\b[^>]*>/gi;
  tags.lastIndex = from;
  let depth = 1;
  let m: RegExpExecArray | null;
  while ((m = tags.exec(html))) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return m.index + m[0].length;
  }
  return -1;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  pound: '£',
  ndash: '–',
  mdash: '—',
  middot: '·',
  hellip: '…',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  minus: '−',
  times: '×',
  euro: '€',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const HIDDEN = /<(span|div|p)\b[^>]*\bclass="(?:[^"]*\s)?govuk-visually-hidden(?:\s[^"]*)?"[^>]*>[\s\S]*?<\/\1>/gi;

/** What a piece of a page reads as: no tags, no visually hidden text, no pictures, entities decoded, spaces collapsed. */
export function cellText(html: string): string {
  const text = html
    .replace(/<(svg|script|style|template)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(HIDDEN, '')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(text)
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

interface RawCell {
  text: string;
  span: number;
}

function rowsOf(html: string): RawCell[][] {
  const rows: RawCell[][] = [];
  for (const tr of html.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/gi)) {
    const cells: RawCell[] = [];
    for (const c of tr[1]!.matchAll(/<(th|td)\b([^>]*)>([\s\S]*?)<\/\1>/gi)) {
      const span = /\bcolspan="?(\d+)/i.exec(c[2]!);
      cells.push({ text: cellText(c[3]!), span: Math.min(100, Math.max(1, span ? Number(span[1]) : 1)) });
    }
    rows.push(cells);
  }
  return rows;
}

function expand(row: RawCell[]): string[] {
  const out: string[] = [];
  // A spanning cell's text goes in its first column; the columns it also covers are left empty.
  for (const cell of row) out.push(cell.text, ...Array<string>(cell.span - 1).fill(''));
  return out;
}

function expandHeader(row: RawCell[]): string[] {
  const out: string[] = [];
  for (const cell of row) out.push(...Array<string>(cell.span).fill(cell.text));
  return out;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function isoDate(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const NUMBER = '([+\\-\\u2212]?)((?:0|[1-9]\\d{0,2}(?:,\\d{3})+|[1-9]\\d*)(?:\\.(\\d+))?|0?\\.(\\d+))';
const RE_NUMBER = new RegExp(`^${NUMBER}$`);
const RE_PERCENT = new RegExp(`^${NUMBER} ?%$`);
const RE_MONEY = /^([-\u2212]?)£((?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.(\d{2}))?)$/;

export interface TypedCell {
  type: ExportColumnType;
  value: ExportCell;
  /** Decimal places written; for numbers also whether thousands were grouped. */
  decimals: number;
  grouped: boolean;
}

function numeric(sign: string, digits: string): number {
  const n = Number(digits.replace(/,/g, ''));
  return sign === '-' || sign === '\u2212' ? -n : n;
}

/** What one cell's text is: a number, percentage (points), money (pounds), date (ISO) or text. */
export function inferCell(text: string): TypedCell {
  let m = RE_NUMBER.exec(text);
  if (m) return { type: 'number', value: numeric(m[1]!, m[2]!), decimals: (m[3] ?? m[4] ?? '').length, grouped: m[2]!.includes(',') };
  m = RE_PERCENT.exec(text);
  if (m) return { type: 'percent', value: numeric(m[1]!, m[2]!), decimals: (m[3] ?? m[4] ?? '').length, grouped: false };
  m = RE_MONEY.exec(text);
  if (m) return { type: 'money', value: numeric(m[1]!, m[2]!), decimals: (m[3] ?? '').length, grouped: false };
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) {
    const iso = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    if (iso) return { type: 'date', value: iso, decimals: 0, grouped: false };
  }
  m = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(text);
  if (m) {
    const name = m[2]!.toLowerCase();
    const month = MONTHS.findIndex((full) => full === name || (name.length >= 3 && full.startsWith(name) && name.length <= 4));
    const iso = month >= 0 ? isoDate(Number(m[3]), month + 1, Number(m[1])) : null;
    if (iso) return { type: 'date', value: iso, decimals: 0, grouped: false };
  }
  return { type: 'text', value: text, decimals: 0, grouped: false };
}

/** The table as an ExportTable titled `title`, or null when it has no rows or columns at all. */
export function htmlTableToExport(tableHtml: string, title: string): ExportTable | null {
  const head = /<thead\b[^>]*>([\s\S]*?)<\/thead>/i.exec(tableHtml);
  const withoutHead = head ? tableHtml.replace(head[0], '') : tableHtml;
  const bodies = [...withoutHead.matchAll(/<tbody\b[^>]*>([\s\S]*?)<\/tbody>/gi)].map((b) => b[1]!);
  const foot = [...withoutHead.matchAll(/<tfoot\b[^>]*>([\s\S]*?)<\/tfoot>/gi)].map((b) => b[1]!);
  let headerRows = head ? rowsOf(head[1]!) : [];
  let bodyRows = bodies.length ? bodies.flatMap(rowsOf) : rowsOf(withoutHead.replace(/<caption\b[\s\S]*?<\/caption>/i, ''));
  bodyRows = bodyRows.concat(foot.flatMap(rowsOf));
  if (!headerRows.length && bodyRows.length) {
    headerRows = [bodyRows[0]!];
    bodyRows = bodyRows.slice(1);
  }
  const headerCells = headerRows.map(expandHeader);
  const body = bodyRows.map(expand).filter((r) => r.length > 0);
  const width = Math.max(0, ...headerCells.map((r) => r.length), ...body.map((r) => r.length));
  if (width === 0) return null;
  const headers = Array.from({ length: width }, (_, i) => {
    const parts: string[] = [];
    for (const row of headerCells) {
      const text = row[i] ?? '';
      if (text && parts[parts.length - 1] !== text) parts.push(text);
    }
    return parts.join(' ') || `Column ${i + 1}`;
  });
  const typed = body.map((row) => Array.from({ length: width }, (_, i) => ((row[i] ?? '') === '' ? null : inferCell(row[i]!))));
  const columns: ExportColumn[] = headers.map((header, i) => {
    const cells = typed.map((r) => r[i]).filter((c): c is TypedCell => c !== null && c !== undefined);
    const type = cells.length && cells.every((c) => c.type === cells[0]!.type) ? cells[0]!.type : 'text';
    const decimals = Math.max(0, ...cells.map((c) => c.decimals));
    if (type === 'number') return cells.some((c) => c.grouped || c.decimals > 0) ? { header, type, decimals } : { header, type };
    if (type === 'percent' || type === 'money') return { header, type, decimals };
    return { header, type };
  });
  const rows = body.map((row, r) =>
    columns.map((column, i) => {
      const cell = typed[r]![i];
      if (!cell) return null;
      return column.type === 'text' ? row[i]! : cell.value;
    }),
  );
  return { title, columns, rows };
}

/** The caption's text of a table, or ''. */
export function captionOf(tableHtml: string): string {
  const m = /<caption\b[^>]*>([\s\S]*?)<\/caption>/i.exec(tableHtml);
  return m ? cellText(m[1]!) : '';
}
