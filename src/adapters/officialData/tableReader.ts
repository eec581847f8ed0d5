/**
 * Streaming reader of the official tables (ADR 0028): a CSV file or an XLSX workbook (every sheet in order, as the
 * Home Office publishes one sheet per year), yielded a row at a time as text cells with the row's number in its
 * file or sheet, so a national table of a million rows is never held whole. Bytes read are reported for progress.
 */
import fs from 'node:fs';
import { Transform } from 'node:stream';
import type ExcelJS from 'exceljs';
import Papa from 'papaparse';

export interface SheetRow {
  /** Sheet name for workbooks; undefined for CSV. */
  sheet?: string;
  /** 1-based row number in the file or sheet. */
  row: number;
  cells: string[];
}

/** Columns read of each row: the Home Office table has nine, IMD File 7 fifty-seven; anything further is ignored. */
export const MAX_COLUMNS = 80;

export type TableFormat = 'csv' | 'xlsx';

/** By the file's name, or by its first bytes (a zip begins "PK"). */
export function tableFormat(fileName: string, filePath: string): TableFormat {
  if (/\.xlsx$/i.test(fileName)) return 'xlsx';
  if (/\.csv$/i.test(fileName)) return 'csv';
  const fd = fs.openSync(filePath, 'r');
  try {
    const head = Buffer.alloc(2);
    fs.readSync(fd, head, 0, 2, 0);
    return head.toString('latin1') === 'PK' ? 'xlsx' : 'csv';
  } finally {
    fs.closeSync(fd);
  }
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if (o.result !== undefined) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
  }
  return '';
}

/** Counts the bytes that pass, for progress. */
function byteCounter(onBytes: (n: number) => void): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _e, done) {
      n += chunk.length;
      onBytes(n);
      done(null, chunk);
    },
  });
}

async function* csvRows(filePath: string, onBytes: (n: number) => void): AsyncGenerator<SheetRow> {
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: false }) as unknown as NodeJS.ReadWriteStream;
  const input = fs.createReadStream(filePath);
  input.on('error', (e) => parser.emit('error', e));
  input.pipe(byteCounter(onBytes)).pipe(parser);
  let row = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    row += 1;
    const cells = record.slice(0, MAX_COLUMNS);
    if (row === 1 && cells[0]) cells[0] = cells[0].replace(/^\uFEFF/, '');
    yield { row, cells };
  }
}

async function* xlsxRows(filePath: string, onBytes: (n: number) => void): AsyncGenerator<SheetRow> {
  const input = fs.createReadStream(filePath).pipe(byteCounter(onBytes));
  const { default: Excel } = await import('exceljs'); // loaded on first use: a large package
  const reader = new Excel.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
  });
  for await (const sheet of reader) {
    const ws = sheet as unknown as AsyncIterable<ExcelJS.Row> & { name?: string; id?: number };
    const name = ws.name ?? `Sheet ${ws.id ?? ''}`.trim();
    for await (const r of ws) {
      const values = (r.values as unknown[]).slice(1, MAX_COLUMNS + 1);
      yield { sheet: name, row: r.number, cells: Array.from(values, cellText) };
    }
  }
}

/** The rows of a CSV file or of every sheet of an XLSX workbook, in order. */
export function readTable(filePath: string, format: TableFormat, onBytes: (n: number) => void = () => {}): AsyncGenerator<SheetRow> {
  return format === 'xlsx' ? xlsxRows(filePath, onBytes) : csvRows(filePath, onBytes);
}
