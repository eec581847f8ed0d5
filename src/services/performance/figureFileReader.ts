/**
 * Reading an uploaded CSV or Excel file of figures into rows of cells, with every limit checked as early as it can
 * be: a workbook's zip is checked against its declared and its real unpacked sizes before anything is unpacked
 * (a zip bomb is refused, not unpacked), only rows and cells that exist are visited (one value in A1048576 is one
 * row, not a million), and at most MAX_FIGURE_ROWS rows and MAX_COLUMNS columns are read. Runs in the import
 * worker (offThread.ts), never on the event loop; what it returns is small whatever the file.
 */
import zlib from 'node:zlib';
import type ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { ValidationError } from '../../domain/errors.ts';

/** The most rows of figures one file may hold (a partnership's 50 indicators over ten years of months is 6,000). */
export const MAX_FIGURE_ROWS = 10_000;
/** Columns read: a figures file has five; anything in a column beyond this is refused. */
export const MAX_COLUMNS = 50;
/** A cell's text is cut at this length (longer text is refused by the checks anyway: a note may have 2,000). */
export const MAX_CELL_CHARACTERS = 10_000;
/** The most a workbook may unpack to; a workbook of 10,000 figures unpacks to about 2 MB. */
export const MAX_XLSX_UNPACKED_BYTES = 20 * 1024 * 1024;
/** The most parts a workbook may have (Excel writes about a dozen). */
export const MAX_XLSX_ENTRIES = 500;

/** One row of the file: its number as the person sees it (spreadsheet row, CSV record) and its cells. */
export interface TableRow {
  row: number;
  cells: unknown[];
}

const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

function refuse(message: string): never {
  throw new ValidationError([{ field: 'file', message }]);
}

function cut(v: unknown): unknown {
  return typeof v === 'string' && v.length > MAX_CELL_CHARACTERS ? `${v.slice(0, MAX_CELL_CHARACTERS)}…` : v;
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Collects rows until there are too many, and checks the columns of each. */
class Rows {
  readonly rows: TableRow[] = [];
  private filled = 0;
  constructor(private readonly filename: string) {}
  /** Adds a row (blank rows are kept for their numbers but not counted); false once the file has too many. */
  add(row: number, cells: unknown[]): boolean {
    const beyond = cells.findIndex((c, i) => i >= MAX_COLUMNS && !isBlank(c));
    if (beyond !== -1) this.beyondColumns(row, beyond + 1);
    const kept = cells.slice(0, MAX_COLUMNS).map(cut);
    if (kept.every(isBlank)) return true;
    this.filled += 1;
    // The header row and MAX_FIGURE_ROWS rows of figures.
    if (this.filled > MAX_FIGURE_ROWS + 1) {
      refuse(
        `${this.filename} has more than ${MAX_FIGURE_ROWS.toLocaleString('en-GB')} rows of figures: upload them in files of up to ${MAX_FIGURE_ROWS.toLocaleString('en-GB')} rows`,
      );
    }
    this.rows.push({ row, cells: kept });
    return true;
  }
  /** Refuses the file for something in a column beyond those read. */
  beyondColumns(row: number, column: number): never {
    refuse(
      `Row ${row}: ${this.filename} has something in column ${column}, beyond the ${MAX_COLUMNS} columns CSP Hub reads. A figures file has the columns indicator, period, value, note and source`,
    );
  }
}

/**
 * Checks a zip file's parts before any is unpacked: how many there are, what they say they unpack to, and (by
 * unpacking each with a ceiling of what it says) that none unpacks to more. Refuses with a clear message.
 */
export function checkZip(
  data: Uint8Array,
  filename: string,
  limits = { maxEntries: MAX_XLSX_ENTRIES, maxUnpackedBytes: MAX_XLSX_UNPACKED_BYTES },
): void {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const damaged = (why: string): never => refuse(`${filename} could not be read as an Excel workbook (.xlsx): ${why}`);
  // The end-of-directory record is in the last 22 bytes plus at most a 65,535-byte comment.
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) damaged('it is not a zip file, as every .xlsx workbook is');
  const count = buf.readUInt16LE(end + 10);
  const directorySize = buf.readUInt32LE(end + 12);
  const directoryStart = buf.readUInt32LE(end + 16);
  if (count === 0xffff || directoryStart === 0xffffffff)
    damaged('it uses the zip format for very large files (ZIP64), which no figures workbook needs');
  if (count > limits.maxEntries)
    refuse(
      `${filename} has ${count.toLocaleString('en-GB')} parts: a workbook of figures has about a dozen, and CSP Hub reads at most ${limits.maxEntries}`,
    );
  if (directoryStart + directorySize > end) damaged('its list of contents is cut short');
  const entries: { name: string; method: number; compressed: number; declared: number; local: number }[] = [];
  let total = 0;
  let at = directoryStart;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || buf.readUInt32LE(at) !== 0x02014b50) damaged('its list of contents is damaged');
    const nameLength = buf.readUInt16LE(at + 28);
    const entry = {
      method: buf.readUInt16LE(at + 10),
      compressed: buf.readUInt32LE(at + 20),
      declared: buf.readUInt32LE(at + 24),
      name: buf.toString('utf8', at + 46, Math.min(at + 46 + nameLength, end)),
      local: buf.readUInt32LE(at + 42),
    };
    entries.push(entry);
    total += entry.declared;
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  if (total > limits.maxUnpackedBytes) {
    refuse(
      `${filename} would unpack to ${megabytes(total)}: the largest workbook CSP Hub reads unpacks to ${limits.maxUnpackedBytes / 1024 / 1024} MB. A workbook of ${MAX_FIGURE_ROWS.toLocaleString('en-GB')} figures unpacks to about 2 MB`,
    );
  }
  // The sizes above are only what the file says: unpack each part with a ceiling of what it says.
  for (const e of entries) {
    if (e.local + 30 > buf.length || buf.readUInt32LE(e.local) !== 0x04034b50) damaged(`the part ${e.name} is missing`);
    const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
    if (start + e.compressed > buf.length) damaged(`the part ${e.name} is cut short`);
    const packed = buf.subarray(start, start + e.compressed);
    if (e.method === 0) {
      if (e.compressed !== e.declared) damaged(`the part ${e.name} is not the size the file says`);
      continue;
    }
    if (e.method !== 8) damaged(`the part ${e.name} is packed in a way Excel does not use (method ${e.method})`);
    let size = -1;
    try {
      size = zlib.inflateRawSync(packed, { maxOutputLength: Math.max(1, e.declared) }).length;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        refuse(`${filename} is damaged: ${e.name} unpacks to more than the ${e.declared.toLocaleString('en-GB')} bytes the file says`);
      damaged(`the part ${e.name} cannot be unpacked`);
    }
    if (size !== e.declared) damaged(`the part ${e.name} is not the size the file says`);
  }
}

function cellValue(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if (v instanceof Date) return v.toISOString().slice(0, 7);
    if ('result' in v) return v.result;
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return (v as { text: string }).text;
    if ('error' in v) return String(v.error);
  }
  return v;
}

async function readWorkbook(filename: string, data: Uint8Array): Promise<TableRow[]> {
  checkZip(data, filename);
  const { default: Excel } = await import('exceljs'); // loaded on first use: a large package
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(data.buffer, data.byteOffset, data.byteLength) as unknown as ArrayBuffer);
  } catch {
    refuse(`${filename} could not be read as an Excel workbook (.xlsx)`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) refuse(`${filename} has no worksheets`);
  const rows = new Rows(filename);
  // Only the rows and cells that exist: a value in A1048576 is one row, not a million.
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: unknown[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      const value = cellValue(cell.value);
      if (column <= MAX_COLUMNS) cells[column - 1] = value;
      else if (!isBlank(value)) rows.beyondColumns(rowNumber, column);
    });
    for (let i = 0; i < cells.length; i++) if (!(i in cells)) cells[i] = '';
    rows.add(rowNumber, cells);
  });
  return rows.rows;
}

function readCsv(filename: string, data: Uint8Array): TableRow[] {
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const rows = new Rows(filename);
  let index = 0;
  Papa.parse<string[]>(text, {
    skipEmptyLines: false,
    step: (result) => {
      index += 1;
      rows.add(index, result.data);
    },
  });
  return rows.rows;
}

/** Reads the rows of a CSV or XLSX file of figures (in the import worker: see readFigureFile in figures.ts). */
export async function readFigureTable(filename: string, data: Uint8Array): Promise<TableRow[]> {
  const name = filename.toLowerCase();
  if (name.endsWith('.xlsx')) return readWorkbook(filename, data);
  if (name.endsWith('.csv') || name.endsWith('.txt')) return readCsv(filename, data);
  return refuse(filename ? `${filename} is not a CSV or Excel (.xlsx) file` : 'Choose a CSV or Excel (.xlsx) file of figures');
}
