/**
 * A table described once (title, typed columns, rows) and written as CSV or as an Excel workbook, so every table
 * the app shows can be downloaded with the same figures. CSV follows RFC 4180 (CRLF, quotes doubled) with a UTF-8
 * byte-order mark so Excel reads it as UTF-8. Every piece of text either file holds — headers, text cells, the
 * sheet's name and the workbook's title — goes through `spreadsheetText` (sheet names through `sheetName`), the one
 * formula-injection guard: text that a spreadsheet could take for a formula (starting with = + - @, a tab or a line
 * break, also after spaces) gets an apostrophe in front, unless it is a plain number such as "-18" or "+4.5%". This
 * module is the only writer of CSV and XLSX files in the app. The workbook is a real
 * spreadsheet: numbers, percentages and money as numbers with number formats, dates as dates, a bold frozen
 * header row with an autofilter, and columns wide enough for their contents.
 */
import type ExcelJS from 'exceljs';

export type ExportColumnType = 'text' | 'number' | 'percent' | 'date' | 'money';

export interface ExportColumn {
  header: string;
  type: ExportColumnType;
  /**
   * Decimal places shown (and written to CSV) for number, percent and money columns. Without it a number column
   * shows what the figure has; percent defaults to 1 and money to 2.
   */
  decimals?: number;
}

/**
 * A cell: text for text columns; a number for number and money (pounds) columns; a number of percentage points
 * for percent columns (-10.6 for -10.6%); an ISO date ('2020-03-31') for date columns. Null for an empty cell.
 */
export type ExportCell = string | number | null;

export interface ExportTable {
  /** The sheet's name (cut to Excel's 31 characters) and the workbook's title. */
  title: string;
  columns: ExportColumn[];
  rows: ExportCell[][];
}

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Text a spreadsheet may run as a formula: = + - @ first (spaces before them too), or a tab or line break first. */
const FORMULA_START = /^(?:\s*[=+\-@]|[\t\r\n])/;
/** A plain number ("-18", "+4.5", "1,234", "-10.6%"): harmless, and kept as it is so it stays a number. */
const PLAIN_NUMBER = /^[+-]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)%?$/;

/**
 * The formula-injection guard for every piece of text written to a CSV or XLSX file: an apostrophe in front of
 * text that could start a formula, so spreadsheets show it as text (OWASP's advice for CSV injection).
 */
export function spreadsheetText(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

function decimalsOf(column: ExportColumn): number | undefined {
  if (column.decimals !== undefined) return column.decimals;
  if (column.type === 'percent') return 1;
  if (column.type === 'money') return 2;
  return undefined;
}

function round(n: number, decimals: number | undefined): number {
  if (decimals === undefined) return n;
  const f = 10 ** decimals;
  return Math.round(n * f) / f;
}

function assertCell(table: ExportTable, column: ExportColumn, cell: ExportCell): void {
  if (cell === null) return;
  const ok =
    column.type === 'text'
      ? typeof cell === 'string'
      : column.type === 'date'
        ? typeof cell === 'string' && ISO_DATE.test(cell)
        : typeof cell === 'number' && Number.isFinite(cell);
  if (!ok)
    throw new TypeError(`${table.title}, column "${column.header}" (${column.type}): ${JSON.stringify(cell)} is not a ${column.type} cell`);
}

function csvText(column: ExportColumn, cell: ExportCell): string {
  if (cell === null) return '';
  switch (column.type) {
    case 'text':
      return spreadsheetText(String(cell));
    case 'date':
      return ISO_DATE.exec(String(cell))![0];
    case 'percent': {
      const d = decimalsOf(column)!;
      return `${round(cell as number, d).toFixed(d)}%`;
    }
    case 'money':
      return round(cell as number, decimalsOf(column)).toFixed(decimalsOf(column));
    case 'number': {
      const d = decimalsOf(column);
      return d === undefined ? String(cell) : round(cell as number, d).toFixed(d);
    }
  }
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as CSV (RFC 4180) with a UTF-8 byte-order mark. */
export function toCsv(table: ExportTable): string {
  const lines = [table.columns.map((c) => csvField(spreadsheetText(c.header))).join(',')];
  for (const row of table.rows) {
    lines.push(
      table.columns
        .map((column, i) => {
          const cell = row[i] ?? null;
          assertCell(table, column, cell);
          return csvField(csvText(column, cell));
        })
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function numberFormat(column: ExportColumn): string | undefined {
  const d = decimalsOf(column);
  const fraction = d ? `.${'0'.repeat(d)}` : '';
  switch (column.type) {
    case 'number':
      return d === undefined ? undefined : `#,##0${fraction}`;
    case 'percent':
      return `0${fraction}%`;
    case 'money':
      return `"£"#,##0${fraction};-"£"#,##0${fraction}`;
    case 'date':
      return 'd mmm yyyy';
    case 'text':
      return '@';
  }
}

function xlsxValue(column: ExportColumn, cell: ExportCell): ExcelJS.CellValue {
  if (cell === null) return null;
  switch (column.type) {
    case 'text':
      return spreadsheetText(String(cell));
    case 'date': {
      const [, y, m, d] = ISO_DATE.exec(String(cell))!;
      return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    }
    case 'percent':
      // Excel's percentages are fractions: -10.6% is -0.106 shown with the 0.0% format.
      return round(round(cell as number, decimalsOf(column)) / 100, (decimalsOf(column) ?? 0) + 2);
    default:
      return round(cell as number, decimalsOf(column));
  }
}

/** What a cell shows, roughly, for the column's width. */
function shownLength(column: ExportColumn, cell: ExportCell): number {
  if (cell === null) return 0;
  if (column.type === 'date') return 11;
  if (column.type === 'text') return String(cell).length;
  const text = csvText(column, cell);
  return text.length + Math.floor(text.replace(/^-/, '').split('.')[0]!.length / 3) + (column.type === 'money' ? 1 : 0);
}

/**
 * Excel's rules for sheet names (at most 31 characters, none of []:*?/\ , no apostrophe first or last) and the
 * formula guard: a name cannot carry the guard's apostrophe, so characters that could start a formula are dropped
 * from its start instead.
 */
export function sheetName(title: string): string {
  let name = title
    .replace(/[[\]:*?/\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  while (name && (FORMULA_START.test(name) || name.startsWith("'"))) name = name.replace(/^\s*./s, '').trim();
  return name.slice(0, 31).replace(/'+$/, '').trim() || 'Table';
}

/** The table as an Excel workbook of one sheet. */
export async function toXlsx(table: ExportTable): Promise<Buffer> {
  // Loaded on first use: exceljs is a large package, and most requests and processes never write a workbook.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  workbook.creator = 'CSP Hub';
  workbook.title = spreadsheetText(table.title);
  const sheet = workbook.addWorksheet(sheetName(table.title), { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  sheet.columns = table.columns.map((column, i) => {
    const widest = Math.max(column.header.length, ...table.rows.map((row) => shownLength(column, row[i] ?? null)));
    const numFmt = numberFormat(column);
    return {
      header: spreadsheetText(column.header),
      key: `c${i}`,
      width: Math.min(60, Math.max(8, widest + 2)),
      style: numFmt ? { numFmt } : {},
    };
  });
  for (const row of table.rows) {
    sheet.addRow(
      table.columns.map((column, i) => {
        const cell = row[i] ?? null;
        assertCell(table, column, cell);
        return xlsxValue(column, cell);
      }),
    );
  }
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'top', wrapText: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, table.columns.length) } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
