/**
 * Imports police.uk street-level files into the analytical store (store.ts).
 *
 * DuckDB's own CSV reader does the reading (in batches of files, so a progress bar can move), every row is
 * checked in SQL, and rows that fail are reported with their file, row number (the line in the file; the
 * header is line 1), column and value. Good rows of a file are kept even when some of its rows are rejected.
 * Each (month, force) is replaced as a whole, so importing a file again changes nothing; the replacement
 * happens in one transaction, so a failed or cancelled import leaves the store as it was.
 *
 * Files are untrusted (decision 0018). The rows of each file are also counted here, and every one must be
 * accepted or reported; otherwise (a quote that runs over rows, a carriage return inside a row, a row too long
 * for the reader), or when a file has no row that can be imported, or more than MAX_UNREADABLE_ROWS rows that
 * cannot be read at all, the whole import is refused with a ValidationError in plain words and nothing is
 * written. Messages name files by their base name only, never a server folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listValue } from './duckdb.ts';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { ValidationError, type FieldError } from '../../domain/errors.ts';
import { ACCEPTED_CRIME_TYPES, STREET_COLUMNS, STORE_COLUMNS, parseStreetFileName } from '../../domain/policeUkLayout.ts';
import { ensureMonthPartitions, openCrimeStore, type CrimeStore, type DuckCrimeStore, type PgCrimeStore } from './store.ts';
import { extractStreetFilesFromZip, type ExtractOptions } from './zip.ts';

export interface RejectedRow {
  /** File name as given (base name). */
  file: string;
  /** Line in the file, counting the header as line 1. */
  row: number;
  /** Column heading as in the file, or 'row' when the row itself is malformed. */
  column: string;
  /** The offending value (the whole line for a malformed row); null when empty. */
  value: string | null;
  reason: string;
}

export interface ImportedFile {
  file: string;
  month: string;
  force: string;
  rowsAccepted: number;
  rowsRejected: number;
  /** True when this month and force were already in the store and have been replaced. */
  replaced: boolean;
}

export interface ImportSummary {
  files: ImportedFile[];
  rowsAccepted: number;
  rowsRejected: number;
  /** The first rejections (see ImportOptions.maxRejections), in file and row order. */
  rejections: RejectedRow[];
  /** More rows were rejected than are listed. */
  rejectionsTruncated: boolean;
  /** Files in the folder or archive that are not street-level files (outcomes, stop and search, others). */
  skippedFiles: string[];
}

export interface ImportProgress {
  /** 'committing' is reported inside the transaction, after the old rows are replaced and before they are committed. */
  stage: 'reading' | 'checking' | 'replacing' | 'committing' | 'done';
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Rows read so far (before checks). */
  rowsRead: number;
}

export interface ImportOptions {
  /** Called as the import moves on; throwing from it cancels the import (nothing is changed). */
  onProgress?: (progress: ImportProgress) => void;
  /** Cancels the import; the store is left as it was. */
  signal?: AbortSignal;
  /** Most rejections to list (all are counted); default 1000. */
  maxRejections?: number;
  /** Files are read in batches of about this many bytes; default 64 MB. */
  batchBytes?: number;
  /** Clock for imported_at; default now. */
  now?: () => Date;
  /** Where a zip archive is unpacked (a temporary folder made inside it); default the system's temporary folder. */
  tempDir?: string;
  /** Limits on what a zip archive may unpack to (see zip.ts). */
  zipLimits?: ExtractOptions['limits'];
  /**
   * How accepted rows reach the PostgreSQL store (decision 0047): 'copy' (default), DuckDB writes them to a CSV file
   * in the temporary folder that is streamed to `COPY … FROM STDIN`; 'insert', batches of `INSERT … SELECT unnest(…)`
   * (decision 0038, kept for the benchmark's comparison).
   */
  pgLoad?: 'copy' | 'insert';
}

export interface StreetFile {
  path: string;
  name: string;
  month: string;
  force: string;
  bytes: number;
}

export interface ResolvedSource {
  files: StreetFile[];
  skipped: string[];
  /** Removes anything extracted to a temporary folder. */
  cleanup: () => Promise<void>;
}

const EXPECTED_HEADER = STREET_COLUMNS.join(',');

function listFolder(folder: string): string[] {
  return (fs.readdirSync(folder, { recursive: true }) as string[])
    .map((rel) => path.join(folder, rel))
    .filter((p) => fs.statSync(p).isFile())
    .sort();
}

async function readHeader(file: string): Promise<string> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const end = text.search(/\r?\n/);
    return end === -1 ? text : text.slice(0, end);
  } finally {
    await handle.close();
  }
}

/** A value from a file as shown in a message: control characters made visible, and cut short. */
export function shownValue(value: string, max = 500): string {
  const clean = value.replace(/[\p{Cc}\p{Cf}]/gu, (c) => (c === '\t' ? c : '\uFFFD'));
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** What is wrong with a file's header row, in words, or null when it is the police.uk one. */
async function headerProblem(name: string, file: string, bytes: number): Promise<string | null> {
  if (bytes === 0) return `${name} is empty: a street-level file starts with the police.uk header row (${STREET_COLUMNS.join(', ')})`;
  const header = await readHeader(file);
  if (header === EXPECTED_HEADER) return null;
  const start = `${name} does not start with the police.uk header row: `;
  // Binary data (a zip archive or a spreadsheet renamed .csv) decodes to control or replacement characters.
  if (/(?![\t\r])[\p{Cc}\ufffd]/u.test(header))
    return `${start}it is not text. Check that it is a police.uk street-level CSV file, not a zip archive or a spreadsheet.`;
  const found = header.split(',');
  if (found.length !== STREET_COLUMNS.length)
    return `${start}it has ${found.length} columns, street-level files have ${STREET_COLUMNS.length} (${STREET_COLUMNS.join(', ')}). Check that it is a street-level file, not an outcomes or stop and search file.`;
  const i = found.findIndex((c, j) => c !== STREET_COLUMNS[j]);
  return `${start}column ${i + 1} is "${shownValue(found[i] ?? '', 60)}" where street-level files have "${STREET_COLUMNS[i]}". Use the file as police.uk publishes it.`;
}

/** Most bytes DuckDB's CSV reader takes in one row (its default max_line_size). */
const MAX_LINE_BYTES = 2_000_000;

/**
 * Most rows of one file that may be unreadable (wrong number of columns, not UTF-8, quotes not closed) for the
 * file to be imported with each reported; a file with more is refused whole (it is hardly a police.uk file), and
 * DuckDB's record of its rejected rows, which takes memory row by row, is never asked for.
 */
export const MAX_UNREADABLE_ROWS = 1000;

interface LineScan {
  /** Data rows: the lines after the header that are not blank (empty, or only a carriage return). */
  lines: number;
  /** The first line (the header is line 1) longer than the limit asked for, if any. */
  longLine: number | null;
  /** The first line with a carriage return not followed by a line feed, if asked for. */
  carriageReturn: number | null;
}

/**
 * Counts a file's data rows by reading it in 1 MB pieces (so the event loop is never held for long), and on
 * request finds the first over-long line and the first stray carriage return. DuckDB's reader skips some rows
 * it cannot read without reporting them (a row far over its line limit at the end of a file, for one); this
 * count lets the importer notice that every row was either accepted or reported.
 */
async function scanLines(file: string, find: { longerThan?: number; carriageReturn?: boolean } = {}): Promise<LineScan> {
  let line = 1;
  let lineBytes = 0;
  let lastByte = -1;
  let lines = 0;
  let longLine: number | null = null;
  let carriageReturn: number | null = null;
  let pendingCr = false;
  const endLine = () => {
    const blank = lineBytes === 0 || (lineBytes === 1 && lastByte === 13);
    if (line > 1 && !blank) lines++;
    line++;
    lineBytes = 0;
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    let pos = 0;
    if (pendingCr && chunk.length > 0) {
      if (chunk[0] !== 10 && carriageReturn === null) carriageReturn = line;
      pendingCr = false;
    }
    while (pos < chunk.length) {
      const nl = chunk.indexOf(10, pos);
      const end = nl === -1 ? chunk.length : nl;
      if (end > pos) {
        lineBytes += end - pos;
        lastByte = chunk[end - 1] as number;
        if (find.carriageReturn && carriageReturn === null) {
          for (let cr = chunk.indexOf(13, pos); cr !== -1 && cr < end; cr = chunk.indexOf(13, cr + 1)) {
            if (cr === end - 1 && nl !== -1) break;
            if (cr === chunk.length - 1) pendingCr = true;
            else carriageReturn = line;
            break;
          }
        }
      }
      if (find.longerThan !== undefined && longLine === null && lineBytes > find.longerThan) longLine = line;
      if (nl === -1) break;
      endLine();
      pos = nl + 1;
    }
  }
  if (lineBytes > 0) endLine();
  return { lines, longLine, carriageReturn };
}

/**
 * The street-level files in a folder (searched recursively), a zip archive, a single file or a list of files.
 * Other files in a folder or archive are skipped and listed; a listed file that is not a street file, a
 * missing file, a wrong header or the same month and force twice is an error (nothing is imported).
 */
export async function resolveStreetFiles(
  source: string | readonly string[],
  options: Pick<ImportOptions, 'tempDir' | 'zipLimits'> = {},
): Promise<ResolvedSource> {
  const errors: FieldError[] = [];
  let candidates: string[];
  let skipped: string[] = [];
  let cleanup = async () => {};
  if (typeof source === 'string' && source.toLowerCase().endsWith('.zip') && fs.existsSync(source)) {
    const extracted = await extractStreetFilesFromZip(source, {
      ...(options.tempDir !== undefined ? { tempDir: options.tempDir } : {}),
      ...(options.zipLimits !== undefined ? { limits: options.zipLimits } : {}),
    });
    candidates = extracted.files;
    skipped = extracted.skipped;
    cleanup = extracted.cleanup;
  } else if (typeof source === 'string' && fs.existsSync(source) && fs.statSync(source).isDirectory()) {
    const all = listFolder(source);
    candidates = all.filter((p) => parseStreetFileName(path.basename(p)) !== null);
    skipped = all.filter((p) => parseStreetFileName(path.basename(p)) === null).map((p) => path.relative(source, p));
  } else {
    candidates = typeof source === 'string' ? [source] : [...source];
  }

  const files: StreetFile[] = [];
  const seen = new Map<string, string>();
  for (const file of candidates) {
    const name = path.basename(file);
    const parsed = parseStreetFileName(name);
    if (!parsed) {
      errors.push({ field: 'files', message: `${name} is not a police.uk street-level file name (YYYY-MM-<force>-street.csv)` });
      continue;
    }
    // Asynchronous file system calls: an archive of thousands of files must not hold up other requests.
    const stat = await fs.promises.stat(file).catch(() => null);
    if (!stat?.isFile()) {
      errors.push({ field: 'files', message: `${name} was not found` });
      continue;
    }
    const bytes = stat.size;
    const problem = await headerProblem(name, file, bytes);
    if (problem) {
      errors.push({ field: 'files', message: problem });
      continue;
    }
    const key = `${parsed.month}/${parsed.force}`;
    const previous = seen.get(key);
    if (previous !== undefined) {
      errors.push({ field: 'files', message: `${name} and ${previous} are both for ${parsed.force} in ${parsed.month}` });
      continue;
    }
    seen.set(key, name);
    files.push({ path: path.resolve(file), name, month: parsed.month, force: parsed.force, bytes });
  }
  if (files.length === 0 && errors.length === 0)
    errors.push({ field: 'files', message: 'Choose at least one police.uk street-level file' });
  if (errors.length > 0) {
    await cleanup();
    throw new ValidationError(errors);
  }
  return { files, skipped, cleanup };
}

// ---------------------------------------------------------------------------------------------------------

const CSV_COLUMNS = `{${STORE_COLUMNS.map((c) => `'${c}': 'VARCHAR'`).join(', ')}}`;
/** How DuckDB reads a street-level file: the layout given, nothing sniffed, every value as text. */
const READ_CSV_OPTIONS = `header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${CSV_COLUMNS}, max_line_size = ${MAX_LINE_BYTES}`;
const HEADING: Record<string, string> = Object.fromEntries(STORE_COLUMNS.map((c, i) => [c, STREET_COLUMNS[i] as string]));
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const CRIME_TYPE_LIST = `(${ACCEPTED_CRIME_TYPES.map(sqlString).join(', ')})`;

/** Every value of a staged row, joined: for the checks on the whole row. */
const WHOLE_ROW = `concat_ws(',', ${STORE_COLUMNS.map((c) => `s.${c}`).join(', ')})`;

/**
 * Every check on a staged row: column ('row' for the row as a whole), SQL condition that makes the row invalid,
 * SQL reason, and the value shown (default the column's).
 */
const CHECKS: { column: (typeof STORE_COLUMNS)[number] | 'row'; invalid: string; reason: string; value?: string }[] = [
  {
    // A line break inside a value means a quote ran over several lines (checked again by the line count); NUL and
    // other control characters are never in police.uk files and would travel on into pages and exports.
    column: 'row',
    invalid: `regexp_matches(${WHOLE_ROW}, '[\\x00-\\x08\\x0A-\\x1F\\x7F]')`,
    reason: `'A value contains a control character (such as a line break or a NUL byte); police.uk files have none'`,
    value: WHOLE_ROW,
  },
  {
    column: 'month',
    invalid: 's.month IS DISTINCT FROM f.month',
    reason: `CASE WHEN s.month IS NULL THEN 'Month is empty'
                  WHEN NOT regexp_full_match(s.month, '[0-9]{4}-(0[1-9]|1[0-2])') THEN 'Month must be YYYY-MM'
                  ELSE 'Month does not match the file name (' || f.month || ')' END`,
  },
  { column: 'reported_by', invalid: 's.reported_by IS NULL', reason: `'Reported by is empty'` },
  {
    column: 'longitude',
    invalid: 's.longitude IS NOT NULL AND coalesce(TRY_CAST(s.longitude AS DOUBLE) NOT BETWEEN -180 AND 180, true)',
    reason: `'Longitude must be a number from -180 to 180, or empty'`,
  },
  {
    column: 'latitude',
    invalid: 's.latitude IS NOT NULL AND coalesce(TRY_CAST(s.latitude AS DOUBLE) NOT BETWEEN -90 AND 90, true)',
    reason: `'Latitude must be a number from -90 to 90, or empty'`,
  },
  {
    column: 'latitude',
    invalid: '(s.longitude IS NULL) <> (s.latitude IS NULL)',
    reason: `'Longitude and Latitude must both be given or both be empty'`,
  },
  {
    column: 'lsoa_code',
    invalid: `s.lsoa_code IS NOT NULL AND NOT regexp_full_match(s.lsoa_code, '[EW]01[0-9]{6}')`,
    reason: `'LSOA code must be E01 or W01 followed by six digits, or empty'`,
  },
  {
    column: 'crime_type',
    invalid: `s.crime_type IS NULL OR s.crime_type NOT IN ${CRIME_TYPE_LIST}`,
    reason: `CASE WHEN s.crime_type IS NULL THEN 'Crime type is empty' ELSE 'Not a police.uk crime type' END`,
  },
];

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Import cancelled');
}

/**
 * Most files DuckDB reads in one read_csv call: it keeps buffers for each file of a call, so thousands of small
 * files in one call ran out of memory (5,000 files of 1 KB each passed 512 MB).
 */
const MAX_FILES_PER_BATCH = 100;

function batches(files: StreetFile[], batchBytes: number): StreetFile[][] {
  const out: StreetFile[][] = [];
  let current: StreetFile[] = [];
  let size = 0;
  for (const f of files) {
    if (current.length > 0 && (size + f.bytes > batchBytes || current.length >= MAX_FILES_PER_BATCH)) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(f);
    size += f.bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

interface ParseReject {
  path: string;
  line: number;
  errorType: string;
  csvLine: string | null;
  /** The row as read runs over more than one line of the file (a quote opened and not closed on its line). */
  multiline: boolean;
  /** For a wrong number of columns: how many the row has. */
  found: number | null;
}

/** A refusal of the whole import: nothing is written. `cause` keeps DuckDB's own error, if any, for the log. */
function refuse(messages: string[], cause?: unknown): ValidationError {
  const error = new ValidationError(messages.map((message) => ({ field: 'files', message })));
  if (cause !== undefined) Object.assign(error, { cause });
  return error;
}

/** DuckDB's reader error types, in the order of preference when one row has several, with the reason shown. */
function parseReason(r: ParseReject): string {
  switch (r.errorType) {
    case 'MISSING COLUMNS':
    case 'TOO MANY COLUMNS':
      return `Expected ${STREET_COLUMNS.length} columns, found ${r.found ?? 'a different number'}`;
    case 'LINE SIZE OVER MAXIMUM':
      return `The row is longer than ${MAX_LINE_BYTES.toLocaleString('en-GB')} characters (police.uk rows are a few hundred)`;
    case 'INVALID ENCODING':
    case 'INVALID UNICODE':
      return 'The row is not UTF-8 text: it may hold binary data, or the file was saved in another encoding (save it as CSV UTF-8)';
    case 'UNQUOTED VALUE':
      return 'A quote (") in the row is not closed, or other text follows the closing quote';
    default:
      return 'The row cannot be read as CSV';
  }
}
/**
 * SQL for the line (the header is line 1) of each row of `rowsSql` (with columns path, rid): DuckDB keeps
 * insertion order, so a file's rows are consecutive in import_staging, and the k-th row read (k from 0) sits after
 * the rejected lines with at most k rows read before them (`import_reject_gaps`, found by an ASOF join). Blank
 * lines, which DuckDB skips and police.uk files do not have, would make the line an under-estimate.
 */
const WITH_LINES = (rowsSql: string) =>
  `SELECT x.*, x.k + 2 + coalesce(g.seq, 0) AS line
     FROM (SELECT q.*, q.rid - p.first AS k FROM (${rowsSql}) q JOIN import_first_rows p ON p.path = q.path) x
     ASOF LEFT JOIN import_reject_gaps g ON g.path = x.path AND g.gap <= x.k`;

const REJECT_PREFERENCE = `CASE error_type WHEN 'LINE SIZE OVER MAXIMUM' THEN 0 WHEN 'INVALID ENCODING' THEN 1 WHEN 'INVALID UNICODE' THEN 1
  WHEN 'UNQUOTED VALUE' THEN 2 WHEN 'TOO MANY COLUMNS' THEN 3 WHEN 'MISSING COLUMNS' THEN 4 ELSE 5 END`;

/** The data rows of each file (see scanLines), one file after another. */
async function countRows(files: StreetFile[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const f of files) out.set(f.path, (await scanLines(f.path)).lines);
  return out;
}

const REFUSED = 'was not imported:';
const FIX_AND_RETRY = 'Nothing was imported. Correct the file, or download it again from police.uk, and import again.';

/**
 * DuckDB's reader stopped on a file (a carriage return inside a row makes it give up on the whole file): the
 * import is refused with the row when it can be found, and DuckDB's message kept as the cause for the log.
 */
async function unreadable(error: unknown, batch: StreetFile[]): Promise<unknown> {
  const message = error instanceof Error ? error.message : String(error);
  if (!/^Invalid Input Error|state machine/i.test(message)) return error;
  const file = batch.find((f) => message.includes(`file = ${f.path}`)) ?? (batch.length === 1 ? batch[0] : undefined);
  if (!file) return error;
  const scan = await scanLines(file.path, { carriageReturn: true, longerThan: MAX_LINE_BYTES });
  if (scan.carriageReturn !== null)
    return refuse(
      [
        `${file.name} ${REFUSED} row ${scan.carriageReturn} has a carriage return (a line break of another kind) inside it, so the rows cannot be told apart. ${FIX_AND_RETRY}`,
      ],
      error,
    );
  if (scan.longLine !== null)
    return refuse(
      [
        `${file.name} ${REFUSED} row ${scan.longLine} is longer than ${MAX_LINE_BYTES.toLocaleString('en-GB')} characters (police.uk rows are a few hundred). ${FIX_AND_RETRY}`,
      ],
      error,
    );
  return refuse(
    [`${file.name} ${REFUSED} it cannot be read as a CSV file. Check that it is a police.uk street-level file. ${FIX_AND_RETRY}`],
    error,
  );
}

/** Why some rows of a file were neither accepted nor reported, as precisely as can be found. */
async function unaccounted(
  store: DuckCrimeStore,
  f: StreetFile,
  rows: number,
  read: number,
  multilineReject: number | null,
): Promise<string> {
  // A quote opened on one row and closed on a later one (or never) makes DuckDB read several lines as one row.
  const [staged] = await store.query<{ line: number | null }>(
    WITH_LINES(`SELECT filename AS path, min(rid) AS rid FROM import_invalid WHERE filename = $path AND multiline GROUP BY filename`),
    { path: f.path },
  );
  const candidates = [multilineReject, staged?.line ?? null].filter((n): n is number => n !== null);
  if (candidates.length > 0)
    return `${f.name} ${REFUSED} row ${Math.min(...candidates)} opens a quote (") that is not closed on that row, so the rows after it run together. ${FIX_AND_RETRY}`;
  const scan = await scanLines(f.path, { longerThan: MAX_LINE_BYTES, carriageReturn: true });
  if (scan.longLine !== null)
    return `${f.name} ${REFUSED} row ${scan.longLine} is longer than ${MAX_LINE_BYTES.toLocaleString('en-GB')} characters (police.uk rows are a few hundred). ${FIX_AND_RETRY}`;
  if (scan.carriageReturn !== null)
    return `${f.name} ${REFUSED} row ${scan.carriageReturn} has a carriage return (a line break of another kind) inside it, so the rows cannot be told apart. ${FIX_AND_RETRY}`;
  return `${f.name} ${REFUSED} it has ${rows.toLocaleString('en-GB')} rows but only ${read.toLocaleString('en-GB')} could be read; the file may be damaged. ${FIX_AND_RETRY}`;
}

/** A file none of whose rows passes: refused, so that importing it does not empty its month and force. */
function noneAccepted(f: StreetFile, rows: number, rejections: RejectedRow[]): string {
  const first = rejections.find((r) => r.file === f.name);
  const example = first ? ` (row ${first.row}: ${first.reason})` : '';
  return `${f.name} ${REFUSED} none of its ${rows.toLocaleString('en-GB')} rows can be imported${example}. ${FIX_AND_RETRY}`;
}

/** Imports street-level files (a folder, a zip archive, one file or a list) into the store. */
export async function importStreetFiles(
  store: CrimeStore,
  source: string | readonly string[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const resolved = await resolveStreetFiles(source, options);
  try {
    return await importResolvedFiles(store, resolved, options);
  } finally {
    await resolved.cleanup();
  }
}

/**
 * Imports files already resolved (resolveStreetFiles; the caller cleans up). On a DuckDB store the files are read,
 * checked and written by the store itself. On the PostgreSQL store (decision 0038) an in-memory DuckDB reads and
 * checks them exactly as on the embedded store, and the accepted rows are then written to PostgreSQL in one
 * transaction.
 */
export async function importResolvedFiles(
  store: CrimeStore,
  resolved: ResolvedSource,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  if (store.engine === 'duckdb') return importResolved(store, store, resolved, options);
  const parser = await openCrimeStore(':memory:', { ...(options.tempDir !== undefined ? { tempDirectory: options.tempDir } : {}) });
  try {
    return await importResolved(parser, store, resolved, options);
  } finally {
    parser.close();
  }
}

/**
 * One import as it runs: the DuckDB store that reads and checks (the target itself, or an in-memory one for
 * PostgreSQL), the store written, the files, the options, the progress reported and the most rejections to list.
 */
interface ImportRun {
  store: DuckCrimeStore;
  target: CrimeStore;
  files: StreetFile[];
  options: ImportOptions;
  progress: ImportProgress;
  /** Reports the stage (and checks for cancelling). */
  report: (stage: ImportProgress['stage']) => void;
  limit: number;
}

const IMPORT_TABLES = [
  'import_staging',
  'import_invalid',
  'import_failing',
  'import_parse_rejects',
  'import_files',
  'import_rejects',
  'import_scans',
  'import_reject_lines',
  'import_reject_gaps',
  'import_first_rows',
];

async function importResolved(
  store: DuckCrimeStore,
  target: CrimeStore,
  resolved: ResolvedSource,
  options: ImportOptions,
): Promise<ImportSummary> {
  const { files } = resolved;
  const progress: ImportProgress = {
    stage: 'reading',
    filesDone: 0,
    filesTotal: files.length,
    bytesDone: 0,
    bytesTotal: files.reduce((s, f) => s + f.bytes, 0),
    rowsRead: 0,
  };
  const report = (stage: ImportProgress['stage']) => {
    progress.stage = stage;
    checkCancelled(options.signal);
    options.onProgress?.({ ...progress });
  };
  const run: ImportRun = { store, target, files, options, progress, report, limit: Math.max(0, Math.floor(options.maxRejections ?? 1000)) };
  try {
    // 1. Read; meanwhile count every file's rows independently, to check afterwards that each was accepted or reported.
    const { counting } = await readFiles(run);
    // 2. Find the rows that could not be read, and check every row read.
    report('checking');
    const counted = await counting;
    await recordUnreadableRows(run, counted);
    await checkRows(store);
    const found = await listRejections(run);
    const summaryFiles = await fileSummaries(run, found);
    await refuseIncomplete(run, counted, summaryFiles, found);
    // 3. Replace each (month, force) in one transaction.
    report('replacing');
    if (target.engine === 'postgres') await replaceMonthsInPostgres(run, target, summaryFiles);
    else await replaceMonths(run, summaryFiles);
    progress.stage = 'done';
    options.onProgress?.({ ...progress });
    return {
      files: summaryFiles,
      rowsAccepted: summaryFiles.reduce((s, f) => s + f.rowsAccepted, 0),
      rowsRejected: summaryFiles.reduce((s, f) => s + f.rowsRejected, 0),
      rejections: found.rejections,
      rejectionsTruncated: found.parseTotal + found.invalidEntries > run.limit,
      skippedFiles: resolved.skipped,
    };
  } finally {
    await store.connection.run(IMPORT_TABLES.map((t) => `DROP TABLE IF EXISTS ${t}`).join('; '));
  }
}

/**
 * Reads the files, batch by batch, with DuckDB's CSV reader into the staging table; rows of the wrong shape are
 * skipped. Returns the count of every file's rows, made independently of the reader while it reads.
 */
async function readFiles({ store, files, options, progress, report }: ImportRun): Promise<{ counting: Promise<Map<string, number>> }> {
  const c = store.connection;
  await c.run(`CREATE OR REPLACE TEMP TABLE import_files (path VARCHAR, name VARCHAR, month VARCHAR, force VARCHAR)`);
  await c.run(
    `CREATE OR REPLACE TEMP TABLE import_staging AS SELECT ${STORE_COLUMNS.map((col) => `NULL::VARCHAR AS ${col}`).join(', ')}, NULL::VARCHAR AS filename LIMIT 0`,
  );
  await c.run(
    `CREATE OR REPLACE TEMP TABLE import_parse_rejects (path VARCHAR, line BIGINT, error_type VARCHAR, csv_line VARCHAR, multiline BOOLEAN, message VARCHAR)`,
  );
  // One statement for all the files (one each took 5 s for 5,000 files).
  await c.run(`INSERT INTO import_files SELECT unnest($paths), unnest($names), unnest($months), unnest($forces)`, {
    paths: listValue(files.map((f) => f.path)),
    names: listValue(files.map((f) => f.name)),
    months: listValue(files.map((f) => f.month)),
    forces: listValue(files.map((f) => f.force)),
  });
  report('reading');

  // Force by force (then month), so that a bulk import stores each force's records together: an analysis of
  // one partnership then reads the few row groups of its force instead of one in every month (DuckDB skips
  // row groups by their min/max force).
  const byForce = [...files].sort((a, b) =>
    a.force < b.force ? -1 : a.force > b.force ? 1 : a.month < b.month ? -1 : a.month > b.month ? 1 : 0,
  );
  // Rows DuckDB cannot read are skipped here (ignore_errors): its record of each one (store_rejects) costs about
  // 1 ms and 10 KB a row, so it is asked for later, and only for files with a few such rows.
  const counting = countRows(files);
  counting.catch(() => undefined);
  for (const batch of batches(byForce, options.batchBytes ?? 64 * 1024 * 1024)) {
    try {
      await c.run(
        `INSERT INTO import_staging
           SELECT * FROM read_csv($files, ${READ_CSV_OPTIONS}, filename = true, ignore_errors = true)`,
        { files: listValue(batch.map((f) => f.path)) },
      );
    } catch (error) {
      throw await unreadable(error, batch);
    }
    const [{ n }] = (await store.query<{ n: number }>(`SELECT count(*) AS n FROM import_staging`)) as [{ n: number }];
    progress.rowsRead = n;
    progress.filesDone += batch.length;
    progress.bytesDone += batch.reduce((s, f) => s + f.bytes, 0);
    report('reading');
  }
  return { counting };
}

/**
 * The rows the reader skipped: a file with too many is refused; for a file with a few, the same reader runs again
 * on it alone, recording each row it skips.
 */
async function recordUnreadableRows({ store, files, options }: ImportRun, counted: Map<string, number>): Promise<void> {
  const c = store.connection;
  const staged = new Map(
    (await store.query<{ path: string; n: number }>(`SELECT filename AS path, count(*) AS n FROM import_staging GROUP BY filename`)).map(
      (r) => [r.path, r.n],
    ),
  );
  const unreadableRows: string[] = [];
  for (const f of files) {
    const missing = (counted.get(f.path) ?? 0) - (staged.get(f.path) ?? 0);
    if (missing > MAX_UNREADABLE_ROWS) {
      unreadableRows.push(
        `${f.name} ${REFUSED} ${missing.toLocaleString('en-GB')} of its ${(counted.get(f.path) ?? 0).toLocaleString('en-GB')} rows cannot be read as police.uk rows (they have the wrong number of columns, are not UTF-8 text, or have quotes that are not closed). Check that it is a police.uk street-level file. ${FIX_AND_RETRY}`,
      );
    } else if (missing > 0) {
      try {
        await c.run(
          `SELECT count(*) FROM read_csv($file, ${READ_CSV_OPTIONS}, store_rejects = true, rejects_table = 'import_rejects', rejects_scan = 'import_scans')`,
          { file: f.path },
        );
      } catch (error) {
        throw await unreadable(error, [f]);
      }
      await c.run(
        `INSERT INTO import_parse_rejects
           SELECT s.file_path, e.line, e.error_type, left(e.csv_line, 501), strpos(e.csv_line, chr(10)) > 0, e.error_message
             FROM import_rejects e JOIN import_scans s ON s.scan_id = e.scan_id AND s.file_id = e.file_id`,
      );
      await c.run(`DROP TABLE IF EXISTS import_rejects; DROP TABLE IF EXISTS import_scans`);
      checkCancelled(options.signal);
    }
  }
  if (unreadableRows.length > 0) throw refuse(unreadableRows);
}

/** Checks every row read (each failing check of each row in import_invalid) and places the rejected lines. */
async function checkRows(store: DuckCrimeStore): Promise<void> {
  const c = store.connection;
  // One scan finds the rows that fail any check; the checks are then listed one by one on those few rows.
  await c.run(
    `CREATE OR REPLACE TEMP TABLE import_failing AS
       SELECT s.rowid AS rid, s.*, f.month AS file_month
         FROM import_staging s JOIN import_files f ON f.path = s.filename
        WHERE ${CHECKS.map((check) => `(${check.invalid})`).join(' OR ')}`,
  );
  await c.run(
    `CREATE OR REPLACE TEMP TABLE import_invalid AS
     ${CHECKS.map(
       (check, i) => `SELECT s.rid, s.filename, ${i} AS check_no, ${sqlString(check.column)} AS col,
                left(${check.value ?? `s.${check.column}`}, 501) AS value, strpos(${check.value ?? `s.${check.column}`}, chr(10)) > 0 AS multiline,
                ${check.reason} AS reason
         FROM import_failing s, (SELECT s.file_month AS month) f WHERE ${check.invalid}`,
     ).join('\nUNION ALL\n')}`,
  );
  // DuckDB reports some rows several times (a short row once per missing column): one per row, the most telling.
  // `gap` is the number of rows read before this rejected line, which places the rows read on their lines.
  await c.run(
    `CREATE OR REPLACE TEMP TABLE import_reject_lines AS
       SELECT *, line - seq - 1 AS gap
         FROM (SELECT *, row_number() OVER (PARTITION BY path ORDER BY line) AS seq FROM (SELECT path, line, arg_min(error_type, ${REJECT_PREFERENCE}) AS "errorType", arg_min(csv_line, ${REJECT_PREFERENCE}) AS "csvLine",
                      bool_or(multiline) AS multiline,
                      coalesce(min(TRY_CAST(regexp_extract(message, 'Found: ([0-9]+)', 1) AS BIGINT)) FILTER (error_type = 'MISSING COLUMNS'),
                               max(TRY_CAST(regexp_extract(message, 'Found: ([0-9]+)', 1) AS BIGINT)) FILTER (error_type = 'TOO MANY COLUMNS')) AS found
                 FROM import_parse_rejects GROUP BY path, line))`,
  );
  await c.run(
    `CREATE OR REPLACE TEMP TABLE import_reject_gaps AS SELECT path, gap, max(seq) AS seq FROM import_reject_lines GROUP BY path, gap`,
  );
  await c.run(
    `CREATE OR REPLACE TEMP TABLE import_first_rows AS SELECT filename AS path, min(rowid) AS first FROM import_staging GROUP BY filename`,
  );
}

/** What the checks found: rows read and rejected per file, and the first rejections in file and row order. */
interface Found {
  perFile: { path: string; staged: number; invalid: number }[];
  parseCounts: Map<string, { path: string; n: number; multiline: number | null }>;
  parseTotal: number;
  invalidEntries: number;
  rejections: RejectedRow[];
}

async function listRejections({ store, files, limit }: ImportRun): Promise<Found> {
  const perFile = await store.query<{ path: string; staged: number; invalid: number }>(
    `SELECT s.filename AS path, count(*) AS staged,
            (SELECT count(DISTINCT rid) FROM import_invalid i WHERE i.filename = s.filename) AS invalid
       FROM import_staging s GROUP BY s.filename`,
  );
  const parseCounts = new Map(
    (
      await store.query<{ path: string; n: number; multiline: number | null }>(
        `SELECT path, count(*) AS n, min(line) FILTER (multiline) AS multiline FROM import_reject_lines GROUP BY path`,
      )
    ).map((r) => [r.path, r]),
  );
  // Only the rejections listed come to JavaScript (a junk file can have millions), each in file name and row order.
  const parseRejects = await store.query<ParseReject>(
    `SELECT r.path, r.line, r."errorType", r."csvLine", r.multiline, r.found FROM import_reject_lines r JOIN import_files f ON f.path = r.path
      ORDER BY f.name, r.line LIMIT ${limit}`,
  );
  const parseTotal = [...parseCounts.values()].reduce((sum, r) => sum + r.n, 0);
  const [{ n: invalidEntries }] = (await store.query<{ n: number }>(`SELECT count(*) AS n FROM import_invalid`)) as [{ n: number }];
  const invalidRows = await store.query<{ rid: number; path: string; col: string; value: string | null; reason: string; line: number }>(
    `${WITH_LINES(`SELECT i.rid, i.check_no, i.filename AS path, i.col, i.value, i.reason FROM import_invalid i JOIN import_files f ON f.path = i.filename
                    ORDER BY f.name, i.rid, i.check_no LIMIT ${limit}`)} ORDER BY x.path, x.rid, x.check_no`,
  );

  const byPath = new Map(files.map((f) => [f.path, f]));
  const rejections: RejectedRow[] = [
    ...parseRejects.map((r) => ({
      file: byPath.get(r.path)?.name ?? path.basename(r.path),
      row: r.line,
      column: 'row',
      value: r.csvLine === null ? null : shownValue(r.csvLine),
      reason: parseReason(r),
    })),
    ...invalidRows.map((r) => ({
      file: byPath.get(r.path)?.name ?? path.basename(r.path),
      row: r.line,
      column: HEADING[r.col] ?? r.col,
      value: r.value === null ? null : shownValue(r.value),
      reason: r.reason,
    })),
  ]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.row - b.row))
    .slice(0, limit);
  return { perFile, parseCounts, parseTotal, invalidEntries, rejections };
}

/** Each file's rows accepted and rejected, and whether its month and force were already held. */
async function fileSummaries({ target, files }: ImportRun, found: Found): Promise<ImportedFile[]> {
  const existing = new Set(
    (await target.query<{ key: string }>(`SELECT month || '/' || force AS key FROM street_files`)).map((r) => r.key),
  );
  const stats = new Map(found.perFile.map((p) => [p.path, p]));
  return files.map((f) => {
    const s = stats.get(f.path);
    const parseRejected = found.parseCounts.get(f.path)?.n ?? 0;
    const invalid = s?.invalid ?? 0;
    return {
      file: f.name,
      month: f.month,
      force: f.force,
      rowsAccepted: (s?.staged ?? 0) - invalid,
      rowsRejected: invalid + parseRejected,
      replaced: existing.has(`${f.month}/${f.force}`),
    };
  });
}

/**
 * Every row of every file must have been accepted or reported, and every file must keep at least one row:
 * otherwise the whole import is refused and nothing is written.
 */
async function refuseIncomplete(
  { store, files }: ImportRun,
  counted: Map<string, number>,
  summaryFiles: ImportedFile[],
  found: Found,
): Promise<void> {
  const problems: string[] = [];
  for (const [i, f] of files.entries()) {
    const summary = summaryFiles[i] as ImportedFile;
    const rows = counted.get(f.path) ?? 0;
    const problem =
      summary.rowsAccepted + summary.rowsRejected !== rows
        ? await unaccounted(store, f, rows, summary.rowsAccepted + summary.rowsRejected, found.parseCounts.get(f.path)?.multiline ?? null)
        : rows > 0 && summary.rowsAccepted === 0
          ? noneAccepted(f, rows, found.rejections)
          : null;
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) throw refuse(problems);
}

/** Replaces each (month, force) imported, its LSOAs and the files' record, in one transaction. */
async function replaceMonths({ store, options, report }: ImportRun, summaryFiles: ImportedFile[]): Promise<void> {
  const c = store.connection;
  const importedAt = (options.now?.() ?? new Date()).toISOString();
  await c.run('BEGIN TRANSACTION');
  try {
    await c.run(`DELETE FROM street_records r WHERE EXISTS (SELECT 1 FROM import_files f WHERE f.month = r.month AND f.force = r.force)`);
    await c.run(
      `INSERT INTO street_records
         SELECT f.month, f.force, s.crime_id, s.reported_by, s.falls_within, CAST(s.longitude AS DOUBLE), CAST(s.latitude AS DOUBLE),
                s.location, s.lsoa_code, s.lsoa_name, s.crime_type, s.outcome, s.context
           FROM import_staging s JOIN import_files f ON f.path = s.filename
           ANTI JOIN import_invalid i ON i.rid = s.rowid`,
    );
    // The LSOAs seen, with the local authority their name starts with, so that an area can be chosen by name.
    await c.run(
      `INSERT OR REPLACE INTO lsoas
         SELECT lsoa_code, name, regexp_extract(name, '^(.*) [0-9]{3}[A-Z]$', 1)
           FROM (SELECT s.lsoa_code, max(s.lsoa_name) AS name FROM import_staging s ANTI JOIN import_invalid i ON i.rid = s.rowid
                  WHERE s.lsoa_code IS NOT NULL AND s.lsoa_name IS NOT NULL GROUP BY s.lsoa_code)
          WHERE regexp_full_match(name, '.* [0-9]{3}[A-Z]')`,
    );
    // Which forces report in each LSOA (more than one near a border, and British Transport Police everywhere),
    // so that an assessment reads only those forces' rows.
    await c.run(
      `INSERT OR IGNORE INTO lsoa_forces
         SELECT DISTINCT s.lsoa_code, f.force FROM import_staging s JOIN import_files f ON f.path = s.filename
          ANTI JOIN import_invalid i ON i.rid = s.rowid WHERE s.lsoa_code IS NOT NULL`,
    );
    await c.run(`DELETE FROM street_files r WHERE EXISTS (SELECT 1 FROM import_files f WHERE f.month = r.month AND f.force = r.force)`);
    await c.run(
      `INSERT INTO street_files SELECT unnest($months), unnest($forces), unnest($files), unnest($accepted), unnest($rejected), $at`,
      {
        months: listValue(summaryFiles.map((f) => f.month)),
        forces: listValue(summaryFiles.map((f) => f.force)),
        files: listValue(summaryFiles.map((f) => f.file)),
        accepted: listValue(summaryFiles.map((f) => f.rowsAccepted)),
        rejected: listValue(summaryFiles.map((f) => f.rowsRejected)),
        at: importedAt,
      },
    );
    report('committing');
    await c.run('COMMIT');
  } catch (error) {
    await c.run('ROLLBACK');
    throw error;
  }
}

/** Rows written to PostgreSQL in one statement (13 arrays of this length, bound as parameters). */
const PG_BATCH_ROWS = 20_000;

/** The street_records columns and their PostgreSQL array types, in table order. */
const PG_RECORD_COLUMNS: [string, string][] = [
  ['month', 'text'],
  ['force', 'text'],
  ['crime_id', 'text'],
  ['reported_by', 'text'],
  ['falls_within', 'text'],
  ['longitude', 'float8'],
  ['latitude', 'float8'],
  ['location', 'text'],
  ['lsoa_code', 'text'],
  ['lsoa_name', 'text'],
  ['crime_type', 'text'],
  ['outcome', 'text'],
  ['context', 'text'],
];
const PG_INSERT_RECORDS = `INSERT INTO street_records (${PG_RECORD_COLUMNS.map(([c]) => c).join(', ')})
  SELECT * FROM unnest(${PG_RECORD_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`;

/**
 * The PostgreSQL store's replacement of each (month, force) imported (decision 0038): the rows DuckDB accepted
 * are streamed out of the in-memory DuckDB, sorted by force, month and LSOA (an area's rows then sit together on
 * disk), and inserted in batches, with the LSOAs, the forces reporting in them and the files' record, all in one
 * PostgreSQL transaction: a failure or a cancel leaves the store as it was, and other instances see the new months
 * only once committed. Writing imports one at a time (an advisory lock held by the transaction), so two instances
 * importing different months never deadlock on the shared LSOA rows; reading and checking still run side by side.
 */
async function replaceMonthsInPostgres(
  { store, options, report }: ImportRun,
  target: PgCrimeStore,
  summaryFiles: ImportedFile[],
): Promise<void> {
  const importedAt = (options.now?.() ?? new Date()).toISOString();
  const accepted = `FROM import_staging s JOIN import_files f ON f.path = s.filename ANTI JOIN import_invalid i ON i.rid = s.rowid`;
  const lsoas = await store.query<{ code: string; name: string; la: string }>(
    `SELECT lsoa_code AS code, name, regexp_extract(name, '^(.*) [0-9]{3}[A-Z]$', 1) AS la
       FROM (SELECT s.lsoa_code, max(s.lsoa_name) AS name FROM import_staging s ANTI JOIN import_invalid i ON i.rid = s.rowid
              WHERE s.lsoa_code IS NOT NULL AND s.lsoa_name IS NOT NULL GROUP BY s.lsoa_code)
      WHERE regexp_full_match(name, '.* [0-9]{3}[A-Z]') ORDER BY code`,
  );
  const lsoaForces = await store.query<{ code: string; force: string }>(
    `SELECT DISTINCT s.lsoa_code AS code, f.force ${accepted} WHERE s.lsoa_code IS NOT NULL ORDER BY code, force`,
  );
  const months = [...new Set(summaryFiles.map((f) => f.month))].sort();
  await ensureMonthPartitions(target, months);
  // With 'copy', DuckDB writes the accepted rows (sorted) to a CSV file first, before the transaction starts.
  const copyDir = options.pgLoad === 'insert' ? undefined : fs.mkdtempSync(path.join(options.tempDir ?? os.tmpdir(), 'csphub-pg-copy-'));
  const client = await target.pool.connect();
  try {
    const rowsSql = `SELECT f.month, f.force, s.crime_id, s.reported_by, s.falls_within, CAST(s.longitude AS DOUBLE), CAST(s.latitude AS DOUBLE),
              s.location, s.lsoa_code, s.lsoa_name, s.crime_type, s.outcome, s.context
         ${accepted} ORDER BY f.force, f.month, s.lsoa_code`;
    const copyFile = copyDir ? path.join(copyDir, 'records.csv') : undefined;
    // NULL is written as nothing and an empty string as "" (PostgreSQL's CSV format reads them back the same).
    if (copyFile) await store.connection.run(`COPY (${rowsSql}) TO '${copyFile.replaceAll("'", "''")}' (FORMAT csv, HEADER false)`);
    checkCancelled(options.signal);
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('csphub:crime-store:write'))`);
    // One month at a time, so that each DELETE reads only its month's partition.
    for (const month of months)
      await client.query(`DELETE FROM street_records WHERE month = $1 AND force = ANY($2::text[])`, [
        month,
        summaryFiles.filter((f) => f.month === month).map((f) => f.force),
      ]);
    if (copyFile) {
      const columns = PG_RECORD_COLUMNS.map(([c]) => c).join(', ');
      const sink = client.query(copyFrom(`COPY street_records (${columns}) FROM STDIN WITH (FORMAT csv)`));
      const source = fs.createReadStream(copyFile, { highWaterMark: 1 << 20 });
      await (options.signal ? pipeline(source, sink, { signal: options.signal }) : pipeline(source, sink));
      checkCancelled(options.signal);
    } else {
      const result = await store.connection.stream(rowsSql);
      let columns: unknown[][] = PG_RECORD_COLUMNS.map(() => []);
      let rows = 0;
      const flush = async () => {
        if (rows === 0) return;
        const values = columns;
        columns = PG_RECORD_COLUMNS.map(() => []);
        rows = 0;
        await client.query(PG_INSERT_RECORDS, values);
        checkCancelled(options.signal);
      };
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const chunkColumns = chunk.getColumns();
        for (let c = 0; c < columns.length; c++) (columns[c] as unknown[]).push(...(chunkColumns[c] as unknown[]));
        rows += chunk.rowCount;
        if (rows >= PG_BATCH_ROWS) await flush();
      }
      await flush();
    }
    await client.query(
      `INSERT INTO lsoas (code, name, local_authority) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, local_authority = excluded.local_authority`,
      [lsoas.map((l) => l.code), lsoas.map((l) => l.name), lsoas.map((l) => l.la)],
    );
    await client.query(`INSERT INTO lsoa_forces (code, force) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`, [
      lsoaForces.map((l) => l.code),
      lsoaForces.map((l) => l.force),
    ]);
    await client.query(`DELETE FROM street_files WHERE (month, force) IN (SELECT * FROM unnest($1::text[], $2::text[]))`, [
      summaryFiles.map((f) => f.month),
      summaryFiles.map((f) => f.force),
    ]);
    await client.query(
      `INSERT INTO street_files (month, force, file_name, rows_accepted, rows_rejected, imported_at)
         SELECT m, fo, fi, a, r, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[]) AS u(m, fo, fi, a, r)`,
      [
        summaryFiles.map((f) => f.month),
        summaryFiles.map((f) => f.force),
        summaryFiles.map((f) => f.file),
        summaryFiles.map((f) => f.rowsAccepted),
        summaryFiles.map((f) => f.rowsRejected),
        importedAt,
      ],
    );
    report('committing');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
    if (copyDir) fs.rmSync(copyDir, { recursive: true, force: true });
  }
}
