/**
 * Imports police.uk street-level files into the analytical store (store.ts).
 *
 * DuckDB's own CSV reader does the reading (in batches of files, so a progress bar can move), every row is
 * checked in SQL, and rows that fail are reported with their file, row number (the line in the file; the
 * header is line 1), column and value. Good rows of a file are kept even when some of its rows are rejected.
 * Each (month, force) is replaced as a whole, so importing a file again changes nothing; the replacement
 * happens in one transaction, so a failed or cancelled import leaves the store as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { listValue } from '@duckdb/node-api';
import { ValidationError, type FieldError } from '../../services/errors.ts';
import { ACCEPTED_CRIME_TYPES, STREET_COLUMNS, STORE_COLUMNS, parseStreetFileName } from './layout.ts';
import type { CrimeStore } from './store.ts';
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
  cleanup: () => void;
}

const EXPECTED_HEADER = STREET_COLUMNS.join(',');

function listFolder(folder: string): string[] {
  return (fs.readdirSync(folder, { recursive: true }) as string[])
    .map((rel) => path.join(folder, rel))
    .filter((p) => fs.statSync(p).isFile())
    .sort();
}

function readHeader(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
    const end = text.search(/\r?\n/);
    return end === -1 ? text : text.slice(0, end);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The street-level files in a folder (searched recursively), a zip archive, a single file or a list of files.
 * Other files in a folder or archive are skipped and listed; a listed file that is not a street file, a
 * missing file, a wrong header or the same month and force twice is an error (nothing is imported).
 */
export async function resolveStreetFiles(source: string | readonly string[], options: Pick<ImportOptions, 'tempDir' | 'zipLimits'> = {}): Promise<ResolvedSource> {
  const errors: FieldError[] = [];
  let candidates: string[];
  let skipped: string[] = [];
  let cleanup = () => {};
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
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      errors.push({ field: 'files', message: `${name} was not found` });
      continue;
    }
    const bytes = fs.statSync(file).size;
    const header = readHeader(file);
    if (header !== EXPECTED_HEADER) {
      errors.push({ field: 'files', message: `${name} does not start with the police.uk header row (${EXPECTED_HEADER})` });
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
  if (files.length === 0 && errors.length === 0) errors.push({ field: 'files', message: 'Choose at least one police.uk street-level file' });
  if (errors.length > 0) {
    cleanup();
    throw new ValidationError(errors);
  }
  return { files, skipped, cleanup };
}

// ---------------------------------------------------------------------------------------------------------

const CSV_COLUMNS = `{${STORE_COLUMNS.map((c) => `'${c}': 'VARCHAR'`).join(', ')}}`;
const HEADING: Record<string, string> = Object.fromEntries(STORE_COLUMNS.map((c, i) => [c, STREET_COLUMNS[i] as string]));
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const CRIME_TYPE_LIST = `(${ACCEPTED_CRIME_TYPES.map(sqlString).join(', ')})`;

/** Every check on a staged row: column, SQL condition that makes the row invalid, SQL reason. */
const CHECKS: { column: (typeof STORE_COLUMNS)[number]; invalid: string; reason: string }[] = [
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

function batches(files: StreetFile[], batchBytes: number): StreetFile[][] {
  const out: StreetFile[][] = [];
  let current: StreetFile[] = [];
  let size = 0;
  for (const f of files) {
    if (current.length > 0 && size + f.bytes > batchBytes) {
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
  message: string;
}

/** Imports street-level files (a folder, a zip archive, one file or a list) into the store. */
export async function importStreetFiles(store: CrimeStore, source: string | readonly string[], options: ImportOptions = {}): Promise<ImportSummary> {
  const resolved = await resolveStreetFiles(source, options);
  try {
    return await importResolved(store, resolved, options);
  } finally {
    resolved.cleanup();
  }
}

async function importResolved(store: CrimeStore, resolved: ResolvedSource, options: ImportOptions): Promise<ImportSummary> {
  const { files } = resolved;
  const c = store.connection;
  const maxRejections = options.maxRejections ?? 1000;
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

  await c.run(`CREATE OR REPLACE TEMP TABLE import_files (path VARCHAR, name VARCHAR, month VARCHAR, force VARCHAR)`);
  await c.run(`CREATE OR REPLACE TEMP TABLE import_staging AS SELECT ${STORE_COLUMNS.map((col) => `NULL::VARCHAR AS ${col}`).join(', ')}, NULL::VARCHAR AS filename LIMIT 0`);
  await c.run(`CREATE OR REPLACE TEMP TABLE import_parse_rejects (path VARCHAR, line BIGINT, error_type VARCHAR, csv_line VARCHAR, message VARCHAR)`);
  try {
    for (const f of files) {
      await c.run(`INSERT INTO import_files VALUES ($path, $name, $month, $force)`, { path: f.path, name: f.name, month: f.month, force: f.force });
    }
    report('reading');

    // 1. Read, batch by batch, with DuckDB's CSV reader; rows of the wrong shape go to its rejects tables.
    // Force by force (then month), so that a bulk import stores each force's records together: an analysis of
    // one partnership then reads the few row groups of its force instead of one in every month (DuckDB skips
    // row groups by their min/max force).
    const byForce = [...files].sort((a, b) => (a.force < b.force ? -1 : a.force > b.force ? 1 : a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
    for (const batch of batches(byForce, options.batchBytes ?? 64 * 1024 * 1024)) {
      await c.run(
        `INSERT INTO import_staging
           SELECT * FROM read_csv($files, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
                                  columns = ${CSV_COLUMNS}, filename = true,
                                  store_rejects = true, rejects_table = 'import_rejects', rejects_scan = 'import_scans')`,
        { files: listValue(batch.map((f) => f.path)) },
      );
      await c.run(
        `INSERT INTO import_parse_rejects
           SELECT s.file_path, e.line, e.error_type, e.csv_line, e.error_message
             FROM import_rejects e JOIN import_scans s ON s.scan_id = e.scan_id AND s.file_id = e.file_id`,
      );
      await c.run(`DROP TABLE IF EXISTS import_rejects; DROP TABLE IF EXISTS import_scans`);
      const [{ n }] = (await store.query<{ n: number }>(`SELECT count(*) AS n FROM import_staging`)) as [{ n: number }];
      progress.rowsRead = n;
      progress.filesDone += batch.length;
      progress.bytesDone += batch.reduce((s, f) => s + f.bytes, 0);
      report('reading');
    }

    // 2. Check every row.
    report('checking');
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
         (check, i) => `SELECT s.rid, s.filename, ${i} AS check_no, ${sqlString(check.column)} AS col, s.${check.column} AS value, ${check.reason} AS reason
           FROM import_failing s, (SELECT s.file_month AS month) f WHERE ${check.invalid}`,
       ).join('\nUNION ALL\n')}`,
    );
    const perFile = await store.query<{ path: string; first: number; staged: number; invalid: number }>(
      `SELECT s.filename AS path, min(s.rowid) AS first, count(*) AS staged,
              (SELECT count(DISTINCT rid) FROM import_invalid i WHERE i.filename = s.filename) AS invalid
         FROM import_staging s GROUP BY s.filename`,
    );
    const parseRejects = (
      await store.query<{ path: string; line: number; errorType: string; csvLine: string | null; message: string }>(
        `SELECT path, line, arg_min(error_type, line) AS "errorType", arg_min(csv_line, line) AS "csvLine", arg_min(message, line) AS message
           FROM import_parse_rejects GROUP BY path, line ORDER BY path, line`,
      )
    ).map((r): ParseReject => r);
    const [{ n: invalidEntries }] = (await store.query<{ n: number }>(`SELECT count(*) AS n FROM import_invalid`)) as [{ n: number }];
    const invalidRows = await store.query<{ rid: number; path: string; col: string; value: string | null; reason: string }>(
      `SELECT rid, filename AS path, col, value, reason FROM import_invalid ORDER BY filename, rid, check_no LIMIT ${Math.max(0, Math.floor(maxRejections))}`,
    );

    const byPath = new Map(files.map((f) => [f.path, f]));
    const rejectLines = new Map<string, number[]>();
    for (const r of parseRejects) {
      const list = rejectLines.get(r.path) ?? [];
      list.push(r.line);
      rejectLines.set(r.path, list);
    }
    const firstRow = new Map(perFile.map((p) => [p.path, p.first]));
    /**
     * The line of a staged row: its position in the file after the header, skipping lines DuckDB rejected. DuckDB
     * keeps insertion order, so a file's rows are consecutive in import_staging. (A quoted field spanning lines,
     * which police.uk files do not have, would make the reported line an under-estimate.)
     */
    const lineOf = (filePath: string, rid: number): number => {
      let line = rid - (firstRow.get(filePath) ?? rid) + 2;
      for (const r of rejectLines.get(filePath) ?? []) if (r <= line) line++;
      return line;
    };

    const rejections: RejectedRow[] = [
      ...parseRejects.map((r) => {
        const found = /Found: (\d+)/.exec(r.message)?.[1];
        const reason =
          r.errorType === 'MISSING COLUMNS' || r.errorType === 'TOO MANY COLUMNS'
            ? `Expected ${STREET_COLUMNS.length} columns, found ${found ?? 'a different number'}`
            : r.message;
        return { file: byPath.get(r.path)?.name ?? path.basename(r.path), row: r.line, column: 'row', value: r.csvLine, reason };
      }),
      ...invalidRows.map((r) => ({
        file: byPath.get(r.path)?.name ?? path.basename(r.path),
        row: lineOf(r.path, r.rid),
        column: HEADING[r.col] ?? r.col,
        value: r.value,
        reason: r.reason,
      })),
    ].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.row - b.row));

    const existing = new Set(
      (await store.query<{ key: string }>(`SELECT month || '/' || force AS key FROM street_files`)).map((r) => r.key),
    );
    const stats = new Map(perFile.map((p) => [p.path, p]));
    const summaryFiles: ImportedFile[] = files.map((f) => {
      const s = stats.get(f.path);
      const parseRejected = rejectLines.get(f.path)?.length ?? 0;
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

    // 3. Replace each (month, force) in one transaction.
    report('replacing');
    const importedAt = (options.now?.() ?? new Date()).toISOString();
    await c.run('BEGIN TRANSACTION');
    try {
      await c.run(
        `DELETE FROM street_records r WHERE EXISTS (SELECT 1 FROM import_files f WHERE f.month = r.month AND f.force = r.force)`,
      );
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
      for (const f of summaryFiles) {
        await c.run(`INSERT INTO street_files VALUES ($month, $force, $file, $accepted, $rejected, $at)`, {
          month: f.month,
          force: f.force,
          file: f.file,
          accepted: f.rowsAccepted,
          rejected: f.rowsRejected,
          at: importedAt,
        });
      }
      report('committing');
      await c.run('COMMIT');
    } catch (error) {
      await c.run('ROLLBACK');
      throw error;
    }

    const rowsRejected = summaryFiles.reduce((s, f) => s + f.rowsRejected, 0);
    progress.stage = 'done';
    options.onProgress?.({ ...progress });
    return {
      files: summaryFiles,
      rowsAccepted: summaryFiles.reduce((s, f) => s + f.rowsAccepted, 0),
      rowsRejected,
      rejections: rejections.slice(0, maxRejections),
      rejectionsTruncated: parseRejects.length + invalidEntries > maxRejections,
      skippedFiles: resolved.skipped,
    };
  } finally {
    await c.run(`DROP TABLE IF EXISTS import_staging; DROP TABLE IF EXISTS import_invalid; DROP TABLE IF EXISTS import_failing; DROP TABLE IF EXISTS import_parse_rejects; DROP TABLE IF EXISTS import_files; DROP TABLE IF EXISTS import_rejects; DROP TABLE IF EXISTS import_scans`);
  }
}
