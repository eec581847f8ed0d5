/**
 * Importing the official tables (ADR 0028): the Home Office's police recorded crime by CSP and ONS mid-year
 * population estimates, from CSV or XLSX files on the server's disk (an upload saved there, or a file named to the
 * import script). Each import is a row in official_data_imports with its stage and rows read, so its progress can be
 * shown while it runs; the file is read twice as a stream: once to check every row (every problem kept with its
 * row, column and value, the first 100 listed) and, only when there is none, once more inside one transaction that
 * replaces the years the file holds (all or nothing; importing the same file again gives the same tables). National
 * data: the audit record has no partnership, and every partnership's cached figures are refreshed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, OfficialDataImportsTable } from '../../adapters/database/schema.ts';
import { nowIso } from '../../adapters/clock.ts';
import { readTable, tableFormat, type SheetRow } from '../../adapters/officialData/tableReader.ts';
import {
  checkCrimeRow,
  checkPopulationRow,
  crimeHeader,
  financialYearLabel,
  populationHeader,
  type CrimeRow,
  type PopulationHeader,
  type PopulationRow,
  type RowProblem,
} from '../../domain/officialData.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { bulkInsertIntegers } from '../../adapters/database/bulkInsert.ts';
import { checkDeprivationRow, deprivationHeader, type DeprivationColumn, type DeprivationRow } from '../../domain/deprivation.ts';
import { checkBoundaryFeature, checkCollection, type LsoaBoundary } from '../../domain/lsoaBoundaries.ts';
import {
  FINGERTIPS_COLUMNS,
  checkFingertipsRow,
  fingertipsHeader,
  fingertipsRowKey,
  fingertipsValues,
  type FingertipsHeader,
  type FingertipsRow,
} from '../../domain/fingertips.ts';
import { checkRoadRow, roadHeader, type RoadCollisionRow, type RoadHeader } from '../../domain/roadCasualties.ts';

export type OfficialKind = 'crime' | 'population' | 'deprivation' | 'boundaries' | 'fingertips' | 'roads';
export const OFFICIAL_KINDS: readonly OfficialKind[] = ['crime', 'population', 'deprivation', 'boundaries', 'fingertips', 'roads'];
export const KIND_TEXT: Record<OfficialKind, string> = {
  crime: 'Police recorded crime by Community Safety Partnership (Home Office)',
  population: 'Mid-year population estimates (ONS)',
  deprivation: 'English Indices of Deprivation 2019 by LSOA (File 7)',
  boundaries: 'LSOA boundaries (GeoJSON, WGS84)',
  fingertips: 'Public health indicators (OHID Fingertips download)',
  roads: 'Road casualty collisions (DfT STATS19 collision file)',
};

/**
 * The largest boundary file read (it is read whole): the generalised (BGC) LSOA boundaries of England and Wales are
 * about 60 MB; the full-resolution ones are larger and not needed for a map drawn a few hundred pixels wide.
 */
export const BOUNDARY_FILE_LIMIT_BYTES = 150 * 1024 * 1024;

/** Problems kept (and shown) of a refused file; all are counted. */
export const MAX_LISTED_PROBLEMS = 100;
/** Rows written per INSERT: 5 columns × 1,000 stays under both engines' limits on bound parameters. */
const BATCH = 1000;
/** The import row's count of rows read is written this often while checking. */
const PROGRESS_EVERY = 25_000;
/** An import still "running" after this long is taken to have died with its process. */
const STALE_MS = 60 * 60 * 1000;

export interface ImportRecord {
  id: number;
  kind: OfficialKind;
  fileName: string;
  status: 'running' | 'done' | 'failed';
  stage: string;
  rowsRead: number;
  rowsWritten: number;
  years: string;
  message: string;
  problems: RowProblem[];
  startedAt: string;
  finishedAt: string | null;
}

/** Progress of imports running in this process while their transaction is open (nothing else can be written then). */
const live = new Map<number, { stage: string; rowsWritten: number }>();
/** Imports running in this process, to wait for (tests, the import script, the benchmark). */
const running = new Map<number, Promise<void>>();

function toRecord(r: Selectable<OfficialDataImportsTable>): ImportRecord {
  const l = live.get(r.id);
  return {
    id: r.id,
    kind: r.kind,
    fileName: r.file_name,
    status: r.status,
    stage: l?.stage ?? r.stage,
    rowsRead: r.rows_read,
    rowsWritten: l?.rowsWritten ?? r.rows_written,
    years: r.years,
    message: r.message,
    problems: JSON.parse(r.errors_json) as RowProblem[],
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export async function listImports(db: Kysely<Database>, limit = 20): Promise<ImportRecord[]> {
  const rows = await db.selectFrom('official_data_imports').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toRecord);
}

export async function getImport(db: Kysely<Database>, id: number): Promise<ImportRecord> {
  const row = Number.isSafeInteger(id)
    ? await db.selectFrom('official_data_imports').selectAll().where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row) throw new NotFoundError('No such import');
  return toRecord(row);
}

/** Waits for an import started in this process to finish (at once if it has, or runs elsewhere). */
export async function importFinished(id: number): Promise<void> {
  await running.get(id);
}

export interface StartImport {
  kind: unknown;
  filePath: string;
  fileName: string;
  /** Delete the file when the import has finished (an upload). */
  deleteAfter?: boolean;
  onProgress?: (stage: string, rows: number) => void;
}

/**
 * Records the import and starts it in the background; its id is returned at once. Refused while another import
 * is running (one at a time: each replaces whole years).
 */
export async function startImport(db: Kysely<Database>, actor: Actor, request: StartImport): Promise<number> {
  const kind = request.kind as OfficialKind;
  if (!OFFICIAL_KINDS.includes(kind)) {
    if (request.deleteAfter) fs.rmSync(request.filePath, { force: true });
    throw new ValidationError([{ field: 'kind', message: `Choose what the file holds (got "${String(request.kind)}")` }]);
  }
  const fileName = request.fileName.slice(0, 300) || 'file';
  const id = await db
    .transaction()
    .execute(async (trx) => {
      const busy = await trx
        .selectFrom('official_data_imports')
        .select(['id', 'started_at'])
        .where('status', '=', 'running')
        .where('started_at', '>', new Date(Date.now() - STALE_MS).toISOString())
        .executeTakeFirst();
      if (busy) throw new ConflictError(`Another import (number ${busy.id}) is running: wait for it to finish`);
      const row = await trx
        .insertInto('official_data_imports')
        .values({
          kind,
          file_name: fileName,
          status: 'running',
          stage: 'checking',
          rows_read: 0,
          rows_written: 0,
          years: '',
          message: '',
          errors_json: '[]',
          started_by: actor.userId,
          started_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    })
    .catch((e: unknown) => {
      if (request.deleteAfter) fs.rmSync(request.filePath, { force: true });
      throw e;
    });
  const work = runImport(db, actor, id, kind, request)
    .catch(async (e: unknown) => {
      // A problem of the file is already recorded; anything else (the database, a bug) is recorded in plain words.
      console.error(`Official data import ${id} failed`, e);
      await finish(db, id, {
        status: 'failed',
        stage: 'failed',
        message: 'The import stopped because of an error in CSP Hub; nothing was changed. Try again, or ask for help.',
      }).catch(() => {});
    })
    .finally(() => {
      live.delete(id);
      running.delete(id);
      if (request.deleteAfter) fs.rmSync(request.filePath, { force: true });
    });
  running.set(id, work);
  return id;
}

/** The largest file uploaded through the page or the API (the national CSP table for ten years is about 100 MB as CSV). */
export const OFFICIAL_UPLOAD_LIMIT_BYTES = 300 * 1024 * 1024;

/** What to do with a file over the upload limit, as the page and the API say it. */
export const UPLOAD_LIMIT_TEXT = `The file is larger than ${OFFICIAL_UPLOAD_LIMIT_BYTES / 1024 / 1024} MB: import it on the server with "npx tsx scripts/import-official-data.ts <kind> <file>"`;

/** The files a kind is read from, in words and as a name's ending. */
export function fileTypeOf(kind: unknown): { text: string; name: RegExp } {
  return kind === 'boundaries'
    ? { text: 'a GeoJSON (.geojson or .json) file', name: /\.(geojson|json)$/i }
    : { text: 'a CSV or Excel (.xlsx) file', name: /\.(csv|xlsx)$/i };
}

export interface OfficialUpload {
  kind: unknown;
  /** The name the file had on the uploader's computer: its ending says how it is read. */
  fileName: string;
  data: Buffer | null;
}

/**
 * An uploaded file (the page's form or the API's body): its kind, name and contents checked (field 'kind' or
 * 'file'; nothing saved when any is wrong), then saved to a temporary file whose import starts in the background.
 * The import's id is returned; its rows' problems are on the import record when it has finished.
 */
export async function startUpload(db: Kysely<Database>, actor: Actor, upload: OfficialUpload): Promise<number> {
  const v: { field: string; message: string }[] = [];
  if (!OFFICIAL_KINDS.includes(upload.kind as OfficialKind)) v.push({ field: 'kind', message: 'Choose what the file holds' });
  const wanted = fileTypeOf(upload.kind);
  if (!upload.data || upload.data.length === 0) v.push({ field: 'file', message: `Choose ${wanted.text}` });
  else if (!wanted.name.test(upload.fileName))
    v.push({
      field: 'file',
      message: upload.fileName
        ? `${upload.fileName.slice(0, 100)} is not ${wanted.text}`
        : `Give the file's name: it must be ${wanted.text}`,
    });
  if (v.length) throw new ValidationError(v);
  const filePath = path.join(os.tmpdir(), `csphub-official-${randomUUID()}${path.extname(upload.fileName).toLowerCase()}`);
  fs.writeFileSync(filePath, upload.data!);
  return startImport(db, actor, { kind: upload.kind, filePath, fileName: upload.fileName, deleteAfter: true });
}

async function finish(
  db: Kysely<Database>,
  id: number,
  values: Partial<{
    status: 'done' | 'failed';
    stage: string;
    message: string;
    errors_json: string;
    rows_read: number;
    rows_written: number;
    years: string;
  }>,
) {
  await db
    .updateTable('official_data_imports')
    .set({ ...values, finished_at: nowIso() })
    .where('id', '=', id)
    .execute();
}

const describe = (p: RowProblem) =>
  `${p.sheet ? `Sheet ${p.sheet}, ` : ''}${p.unit === 'feature' ? (p.row === 0 ? 'the file' : `feature ${p.row}`) : `row ${p.row}`}, ${p.column}: ${p.message} (got "${p.value}")`;

interface Checked<T> {
  rows: T[];
  problems: RowProblem[];
  problemCount: number;
  rowsRead: number;
}

/**
 * Reads the file once, checking the header of each sheet and every row; the rows kept are compact, and are only
 * used when there is no problem.
 */
async function checkFile<H, R>(
  db: Kysely<Database>,
  id: number,
  rows: AsyncGenerator<SheetRow>,
  header: (cells: string[]) => H | { problems: RowProblem[] },
  check: (cells: string[], h: H, row: number, sheet?: string) => { row: R } | { problems: RowProblem[] },
  onProgress?: (stage: string, rows: number) => void,
): Promise<Checked<R>> {
  const out: Checked<R> = { rows: [], problems: [], problemCount: 0, rowsRead: 0 };
  const add = (ps: RowProblem[]) => {
    out.problemCount += ps.length;
    for (const p of ps) if (out.problems.length < MAX_LISTED_PROBLEMS) out.problems.push(p);
  };
  let current: H | null = null;
  let currentSheet: string | undefined = '\0';
  let skipSheet = false;
  for await (const r of rows) {
    if (r.sheet !== currentSheet) {
      currentSheet = r.sheet;
      current = null;
      skipSheet = false;
    }
    if (skipSheet || r.cells.every((c) => c.trim() === '')) continue;
    if (current === null) {
      const h = header(r.cells);
      if (typeof h === 'object' && h !== null && 'problems' in h) {
        // The rest of the sheet cannot be read without its header: its problems are enough.
        add(h.problems.map((p) => ({ ...p, row: r.row, ...(r.sheet ? { sheet: r.sheet } : {}) })));
        if (r.sheet === undefined) break;
        skipSheet = true;
        continue;
      }
      current = h;
      continue;
    }
    out.rowsRead += 1;
    const c = check(r.cells, current, r.row, r.sheet);
    if ('problems' in c) add(c.problems);
    else if (out.problemCount === 0) out.rows.push(c.row);
    if (out.rowsRead % PROGRESS_EVERY === 0) {
      onProgress?.('checking', out.rowsRead);
      await db.updateTable('official_data_imports').set({ rows_read: out.rowsRead }).where('id', '=', id).execute();
    }
  }
  if (out.rowsRead === 0 && out.problemCount === 0)
    add([{ row: 1, column: '', value: '', message: 'The file has no rows of data under its header' }]);
  return out;
}

async function runImport(db: Kysely<Database>, actor: Actor, id: number, kind: OfficialKind, request: StartImport): Promise<void> {
  if (kind === 'boundaries') {
    const checked = await checkBoundaryFile(db, id, request);
    if (!(await refused(db, id, checked))) await writeBoundaries(db, actor, id, request, checked);
    return;
  }
  const format = tableFormat(request.fileName, request.filePath);
  const rows = readTable(request.filePath, format);
  if (kind === 'crime') {
    const checked = await checkFile(
      db,
      id,
      rows,
      crimeHeader,
      (cells, h, row, sheet) => checkCrimeRow(cells, h.index, row, sheet),
      request.onProgress,
    );
    if (!(await refused(db, id, checked))) await writeCrime(db, actor, id, request, checked);
  } else if (kind === 'deprivation') {
    const checkOnce = refusingRepeats<Record<DeprivationColumn, number>, DeprivationRow>(
      checkDeprivationRow,
      (r) => r.lsoaCode,
      (r) => ({ column: 'LSOA code (2011)', value: r.lsoaCode, message: 'the same LSOA is given twice' }),
    );
    const checked = await checkFile<Record<DeprivationColumn, number>, DeprivationRow>(
      db,
      id,
      rows,
      deprivationHeader,
      checkOnce,
      request.onProgress,
    );
    if (!(await refused(db, id, checked))) await writeDeprivation(db, actor, id, request, checked);
  } else if (kind === 'fingertips') await importFingertips(db, actor, id, rows, request);
  else if (kind === 'roads') await importRoads(db, actor, id, rows, request);
  else {
    const checkOnce = refusingRepeats<PopulationHeader, PopulationRow>(
      checkPopulationRow,
      (r) => r.code,
      (r) => ({ column: 'Code', value: r.code, message: 'the same area is given twice' }),
    );
    const checked = await checkFile<PopulationHeader, PopulationRow>(db, id, rows, populationHeader, checkOnce, request.onProgress);
    if (!(await refused(db, id, checked))) await writePopulation(db, actor, id, request, checked);
  }
}

type RowCheck<H, R> = (cells: string[], h: H, row: number, sheet?: string) => { row: R } | { problems: RowProblem[] };

/**
 * `check`, refusing besides a row whose key an earlier row of the file already gave: the problem names that row (and
 * sheet) with the column, value and message `repeated` gives.
 */
function refusingRepeats<H, R>(
  check: RowCheck<H, R>,
  key: (r: R) => string,
  repeated: (r: R, h: H) => { column: string; value: string; message: string },
): RowCheck<H, R> {
  const seen = new Set<string>();
  return (cells, h, row, sheet) => {
    const c = check(cells, h, row, sheet);
    if ('row' in c) {
      const k = key(c.row);
      if (seen.has(k)) {
        const { column, value, message } = repeated(c.row, h);
        return { problems: [{ row, ...(sheet ? { sheet } : {}), column, value, message }] };
      }
      seen.add(k);
    }
    return c;
  };
}

async function refused(db: Kysely<Database>, id: number, checked: Checked<unknown>): Promise<boolean> {
  if (checked.problemCount === 0) return false;
  const more = checked.problemCount - checked.problems.length;
  await finish(db, id, {
    status: 'failed',
    stage: 'refused',
    rows_read: checked.rowsRead,
    errors_json: JSON.stringify(checked.problems),
    message: `Nothing was imported: the file has ${checked.problemCount.toLocaleString('en-GB')} problem${checked.problemCount === 1 ? '' : 's'}${more > 0 ? ` (the first ${checked.problems.length} are listed)` : ''}. First: ${describe(checked.problems[0]!)}`,
  });
  return true;
}

/** Every partnership's cached figures are computed again (rates may use the new populations). */
async function refreshAllPartnerships(trx: Transaction<Database>): Promise<void> {
  const ids = await trx.selectFrom('partnerships').select('id').execute();
  if (ids.length === 0) return;
  await trx
    .insertInto('partnership_versions')
    .values(ids.map((p) => ({ partnership_id: p.id, version: 1 })))
    .onConflict((oc) => oc.column('partnership_id').doUpdateSet({ version: sql<number>`partnership_versions.version + 1` }))
    .execute();
}

async function writeCrime(db: Kysely<Database>, actor: Actor, id: number, request: StartImport, checked: Checked<CrimeRow>): Promise<void> {
  const years = [...new Set(checked.rows.map((r) => r.financialYear))].sort((a, b) => a - b);
  const csps = new Map<string, string>();
  const offences = new Map<string, CrimeRow>();
  for (const r of checked.rows) {
    csps.set(r.cspName, r.forceName);
    offences.set(r.offenceCode, r);
  }
  const progress = { stage: 'replacing', rowsWritten: 0 };
  live.set(id, progress);
  request.onProgress?.('replacing', 0);
  await db.transaction().execute(async (trx) => {
    const cspIds = await upsertCsps(trx, csps);
    const offenceIds = await upsertOffences(trx, offences);
    await trx.deleteFrom('official_crime_counts').where('financial_year', 'in', years).execute();
    progress.stage = 'writing';
    await writeCrimeCounts(trx, checked.rows, cspIds, offenceIds, progress, request);
    await finishCrime(trx, actor, id, request, checked, { csps: csps.size, offences: offences.size, years });
  });
  request.onProgress?.('done', checked.rows.length);
}

/** The file's CSPs (name to force) added where new and their force corrected where changed: each name's id. */
async function upsertCsps(trx: Transaction<Database>, csps: Map<string, string>): Promise<Map<string, number>> {
  const cspIds = new Map<string, number>();
  const existing = await trx.selectFrom('official_csps').select(['id', 'name', 'force_name']).execute();
  for (const c of existing) cspIds.set(c.name, c.id);
  const newCsps = [...csps].filter(([name]) => !cspIds.has(name));
  for (let i = 0; i < newCsps.length; i += BATCH) {
    const ins = await trx
      .insertInto('official_csps')
      .values(newCsps.slice(i, i + BATCH).map(([name, force]) => ({ name, force_name: force })))
      .returning(['id', 'name'])
      .execute();
    for (const c of ins) cspIds.set(c.name, c.id);
  }
  for (const c of existing)
    if (csps.has(c.name) && csps.get(c.name) !== c.force_name)
      await trx
        .updateTable('official_csps')
        .set({ force_name: csps.get(c.name)! })
        .where('id', '=', c.id)
        .execute();
  return cspIds;
}

/** The file's offences (by code) corrected where changed and added where new: each code's id. */
async function upsertOffences(trx: Transaction<Database>, offences: Map<string, CrimeRow>): Promise<Map<string, number>> {
  const offenceIds = new Map<string, number>();
  const existingOffences = await trx.selectFrom('official_offences').selectAll().execute();
  for (const o of existingOffences) {
    offenceIds.set(o.code, o.id);
    const f = offences.get(o.code);
    if (f && (f.offenceDescription !== o.description || f.offenceGroup !== o.offence_group || f.offenceSubgroup !== o.offence_subgroup))
      await trx
        .updateTable('official_offences')
        .set({ description: f.offenceDescription, offence_group: f.offenceGroup, offence_subgroup: f.offenceSubgroup })
        .where('id', '=', o.id)
        .execute();
  }
  const newOffences = [...offences.values()].filter((o) => !offenceIds.has(o.offenceCode));
  for (let i = 0; i < newOffences.length; i += BATCH) {
    const ins = await trx
      .insertInto('official_offences')
      .values(
        newOffences.slice(i, i + BATCH).map((o) => ({
          code: o.offenceCode,
          description: o.offenceDescription,
          offence_group: o.offenceGroup,
          offence_subgroup: o.offenceSubgroup,
        })),
      )
      .returning(['id', 'code'])
      .execute();
    for (const o of ins) offenceIds.set(o.code, o.id);
  }
  return offenceIds;
}

/** The counts written in batches, the progress updated as they go. */
async function writeCrimeCounts(
  trx: Transaction<Database>,
  rows: CrimeRow[],
  cspIds: Map<string, number>,
  offenceIds: Map<string, number>,
  progress: { stage: string; rowsWritten: number },
  request: StartImport,
): Promise<void> {
  await bulkInsertIntegers(
    trx,
    'official_crime_counts',
    ['csp_id', 'offence_id', 'financial_year', 'quarter', 'count'],
    rows.map((r) => [cspIds.get(r.cspName)!, offenceIds.get(r.offenceCode)!, r.financialYear, r.quarter, r.count]),
    (written) => {
      progress.rowsWritten = written;
      request.onProgress?.('writing', written);
    },
  );
}

/** The audit record, every partnership's cached figures refreshed and the import marked done. */
async function finishCrime(
  trx: Transaction<Database>,
  actor: Actor,
  id: number,
  request: StartImport,
  checked: Checked<CrimeRow>,
  counts: { csps: number; offences: number; years: number[] },
): Promise<void> {
  const { csps, offences, years } = counts;
  const yearText = years.map(financialYearLabel).join(', ');
  const n = checked.rows.length.toLocaleString('en-GB');
  await markDone(trx, actor, id, {
    summary: `Imported police recorded crime by CSP from ${request.fileName}: ${n} rows, ${csps} CSPs, financial years ${yearText} (replacing those years)`,
    after: { file: request.fileName, rows: checked.rows.length, csps, offences, years },
    rowsRead: checked.rowsRead,
    rowsWritten: checked.rows.length,
    years: yearText,
    message: `Imported ${n} rows for ${csps} CSPs and ${offences} offences: financial years ${yearText}`,
  });
}

/** The import's audit record, every partnership's cached figures refreshed, and the import marked done. */
async function markDone(
  trx: Transaction<Database>,
  actor: Actor,
  id: number,
  done: { summary: string; after: Record<string, unknown>; rowsRead: number; rowsWritten: number; years: string; message: string },
): Promise<void> {
  await recordAudit(trx, actor, {
    partnershipId: null,
    action: 'create',
    entityType: 'official_data_import',
    entityId: id,
    summary: done.summary,
    after: done.after,
  });
  await refreshAllPartnerships(trx);
  await trx
    .updateTable('official_data_imports')
    .set({
      status: 'done',
      stage: 'done',
      rows_read: done.rowsRead,
      rows_written: done.rowsWritten,
      years: done.years,
      message: done.message,
      finished_at: nowIso(),
    })
    .where('id', '=', id)
    .execute();
}

async function writePopulation(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  request: StartImport,
  checked: Checked<PopulationRow>,
): Promise<void> {
  const years = [...new Set(checked.rows.flatMap((r) => r.populations.map((p) => p.year)))].sort((a, b) => a - b);
  const geographies = [...new Set(checked.rows.map((r) => r.geography))].sort();
  const values = checked.rows.flatMap((r) =>
    r.populations.map((p) => ({
      area_code: r.code,
      area_name: r.name,
      geography: r.geography,
      year: p.year,
      population: p.population,
      area_sq_km: r.areaSqKm,
    })),
  );
  const progress = { stage: 'replacing', rowsWritten: 0 };
  live.set(id, progress);
  await db.transaction().execute(async (trx) => {
    if (years.length)
      await trx.deleteFrom('official_populations').where('year', 'in', years).where('geography', 'in', geographies).execute();
    // An area of another geography already there for these years (a code cannot be in two geographies).
    const codes = [...new Set(checked.rows.map((r) => r.code))];
    for (let i = 0; i < codes.length; i += BATCH)
      await trx
        .deleteFrom('official_populations')
        .where('year', 'in', years)
        .where('area_code', 'in', codes.slice(i, i + BATCH))
        .execute();
    progress.stage = 'writing';
    for (let i = 0; i < values.length; i += BATCH) {
      await trx
        .insertInto('official_populations')
        .values(values.slice(i, i + BATCH))
        .execute();
      progress.rowsWritten = Math.min(values.length, i + BATCH);
    }
    const yearText = years.map((y) => `mid-${y}`).join(', ');
    await markDone(trx, actor, id, {
      summary: `Imported ONS population estimates from ${request.fileName}: ${checked.rows.length.toLocaleString('en-GB')} areas (${geographies.join(', ')}), ${yearText} (replacing those years)`,
      after: { file: request.fileName, areas: checked.rows.length, geographies, years },
      rowsRead: checked.rowsRead,
      rowsWritten: values.length,
      years: yearText,
      message: `Imported ${values.length.toLocaleString('en-GB')} population figures for ${checked.rows.length.toLocaleString('en-GB')} areas: ${yearText}`,
    });
  });
  request.onProgress?.('done', values.length);
}

/** What an import that has written its rows reports (its rows read and written are those of the file). */
type Done = { summary: string; after: Record<string, unknown>; years: string; message: string };

/**
 * The writing of the kinds whose rows go in as they are: in one transaction, `clear` removes what the file replaces,
 * the rows go in `batch` at a time (the import's progress kept), then the import is marked done and audited.
 */
async function replaceRows<T>(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  request: StartImport,
  checked: Checked<T>,
  how: {
    batch: number;
    clear: (trx: Transaction<Database>) => Promise<unknown>;
    insert: (trx: Transaction<Database>, rows: T[]) => Promise<unknown>;
    done: Done;
  },
): Promise<void> {
  const progress = { stage: 'replacing', rowsWritten: 0 };
  live.set(id, progress);
  request.onProgress?.('replacing', 0);
  await db.transaction().execute(async (trx) => {
    await how.clear(trx);
    progress.stage = 'writing';
    for (let i = 0; i < checked.rows.length; i += how.batch) {
      await how.insert(trx, checked.rows.slice(i, i + how.batch));
      progress.rowsWritten = Math.min(checked.rows.length, i + how.batch);
      request.onProgress?.('writing', progress.rowsWritten);
    }
    await markDone(trx, actor, id, { ...how.done, rowsRead: checked.rowsRead, rowsWritten: checked.rows.length });
  });
  request.onProgress?.('done', checked.rows.length);
}

/** Deprivation rows per INSERT: 11 columns × 500 stays under both engines' limits on bound parameters. */
const DEPRIVATION_BATCH = 500;

/** The indices replace the whole table (one edition at a time): the same file again gives the same table. */
async function writeDeprivation(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  request: StartImport,
  checked: Checked<DeprivationRow>,
): Promise<void> {
  const authorities = new Set(checked.rows.map((r) => r.laCode)).size;
  const n = checked.rows.length.toLocaleString('en-GB');
  await replaceRows(db, actor, id, request, checked, {
    batch: DEPRIVATION_BATCH,
    clear: (trx) => trx.deleteFrom('official_deprivation').execute(),
    insert: (trx, rows) =>
      trx
        .insertInto('official_deprivation')
        .values(
          rows.map((r) => ({
            lsoa_code: r.lsoaCode,
            lsoa_name: r.lsoaName,
            la_code: r.laCode,
            la_name: r.laName,
            imd_score: r.imdScore,
            imd_rank: r.imdRank,
            imd_decile: r.imdDecile,
            crime_score: r.crimeScore,
            crime_rank: r.crimeRank,
            crime_decile: r.crimeDecile,
            population: r.population,
          })),
        )
        .execute(),
    done: {
      summary: `Imported the English Indices of Deprivation 2019 from ${request.fileName}: ${n} LSOAs in ${authorities} local authorities (replacing the indices held)`,
      after: { file: request.fileName, lsoas: checked.rows.length, authorities },
      years: 'IoD2019',
      message: `Imported the indices for ${n} LSOAs in ${authorities} local authorities`,
    },
  });
}

/**
 * Reads a GeoJSON file of LSOA boundaries (whole: refused above {@link BOUNDARY_FILE_LIMIT_BYTES}) and checks every
 * feature, each problem with the feature (counted from 1), the property and the value.
 */
async function checkBoundaryFile(db: Kysely<Database>, id: number, request: StartImport): Promise<Checked<LsoaBoundary>> {
  const out: Checked<LsoaBoundary> = { rows: [], problems: [], problemCount: 0, rowsRead: 0 };
  const fail = (column: string, value: string, message: string) => {
    out.problems.push({ row: 0, unit: 'feature', column, value, message });
    out.problemCount = 1;
    return out;
  };
  const size = fs.statSync(request.filePath).size;
  if (size > BOUNDARY_FILE_LIMIT_BYTES)
    return fail(
      'file',
      `${Math.ceil(size / 1024 / 1024)} MB`,
      `the file is larger than ${BOUNDARY_FILE_LIMIT_BYTES / 1024 / 1024} MB: use the generalised (BGC) or super generalised (BSC) boundaries`,
    );
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(request.filePath, 'utf8')) as unknown;
  } catch (e) {
    return fail('file', '', `the file is not valid JSON (${(e as Error).message.slice(0, 200)})`);
  }
  const collection = checkCollection(doc);
  if ('problems' in collection) {
    out.problems.push(...collection.problems);
    out.problemCount = collection.problems.length;
    return out;
  }
  const seen = new Set<string>();
  for (const [i, feature] of collection.features.entries()) {
    out.rowsRead += 1;
    const c = checkBoundaryFeature(feature, i, seen);
    if ('problems' in c) {
      out.problemCount += c.problems.length;
      for (const p of c.problems) if (out.problems.length < MAX_LISTED_PROBLEMS) out.problems.push(p);
    } else if (out.problemCount === 0) out.rows.push(c.boundary);
    if (out.rowsRead % 5000 === 0) {
      request.onProgress?.('checking', out.rowsRead);
      await db.updateTable('official_data_imports').set({ rows_read: out.rowsRead }).where('id', '=', id).execute();
    }
  }
  return out;
}

/** Boundaries per INSERT: a few hundred outlines of a few kilobytes each. */
const BOUNDARY_BATCH = 200;

/** The boundaries replace the whole table (one edition at a time): the same file again gives the same table. */
async function writeBoundaries(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  request: StartImport,
  checked: Checked<LsoaBoundary>,
): Promise<void> {
  const editions = [...new Set(checked.rows.map((r) => r.codeYear))].sort();
  const n = checked.rows.length.toLocaleString('en-GB');
  const codes = editions.map((y) => `${y} codes`).join(' and ');
  await replaceRows(db, actor, id, request, checked, {
    batch: BOUNDARY_BATCH,
    clear: (trx) => trx.deleteFrom('official_lsoa_boundaries').execute(),
    insert: (trx, rows) =>
      trx
        .insertInto('official_lsoa_boundaries')
        .values(
          rows.map((r) => ({
            lsoa_code: r.code,
            lsoa_name: r.name,
            code_year: r.codeYear,
            coordinates_json: JSON.stringify(r.polygons),
            min_longitude: r.bbox.minLongitude,
            min_latitude: r.bbox.minLatitude,
            max_longitude: r.bbox.maxLongitude,
            max_latitude: r.bbox.maxLatitude,
          })),
        )
        .execute(),
    done: {
      summary: `Imported LSOA boundaries from ${request.fileName}: ${n} LSOAs (${codes}), replacing the boundaries held`,
      after: { file: request.fileName, lsoas: checked.rows.length, editions },
      years: codes,
      message: `Imported the boundaries of ${n} LSOAs (${codes})`,
    },
  });
}

/** Fingertips rows per INSERT: 19 columns × 250 stays under both engines' limits on bound parameters. */
const FINGERTIPS_BATCH = 250;

/** A Fingertips file replaces every value held of the indicators it holds: the same file again gives the same table. */
async function writeFingertips(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  request: StartImport,
  checked: Checked<FingertipsRow>,
): Promise<void> {
  const indicators = [...new Set(checked.rows.map((r) => r.indicatorId))].sort((a, b) => a - b);
  const areas = new Set(checked.rows.map((r) => r.areaCode)).size;
  const n = checked.rows.length.toLocaleString('en-GB');
  const list = indicators.join(', ');
  await replaceRows(db, actor, id, request, checked, {
    batch: FINGERTIPS_BATCH,
    clear: (trx) => trx.deleteFrom('official_fingertips').where('indicator_id', 'in', indicators).execute(),
    insert: (trx, rows) =>
      trx
        .insertInto('official_fingertips')
        .values(
          rows.map((r) => ({
            indicator_id: r.indicatorId,
            indicator_name: r.indicatorName,
            area_code: r.areaCode,
            area_name: r.areaName,
            area_type: r.areaType,
            sex: r.sex,
            age: r.age,
            category_type: r.categoryType,
            category: r.category,
            time_period: r.timePeriod,
            ...fingertipsValues(r),
            value_note: r.valueNote,
            compared_to_england: r.comparedToEngland,
          })),
        )
        .execute(),
    done: {
      summary: `Imported OHID Fingertips indicator${indicators.length === 1 ? '' : 's'} ${list} from ${request.fileName}: ${n} values for ${areas} areas (replacing those indicators)`,
      after: { file: request.fileName, rows: checked.rows.length, indicators, areas },
      years: `Indicator${indicators.length === 1 ? '' : 's'} ${list}`,
      message: `Imported ${n} values of indicator${indicators.length === 1 ? '' : 's'} ${list} for ${areas} areas`,
    },
  });
}

/** Collision rows per INSERT: 10 columns × 500 stays under both engines' limits on bound parameters. */
const ROADS_BATCH = 500;

/** A collision file replaces the years it holds: the same file again gives the same table. */
async function writeRoads(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  request: StartImport,
  checked: Checked<RoadCollisionRow>,
): Promise<void> {
  const years = [...new Set(checked.rows.map((r) => r.year))].sort((a, b) => a - b);
  const n = checked.rows.length.toLocaleString('en-GB');
  const yearText = years.join(', ');
  const ksi = checked.rows.filter((r) => r.severity <= 2).length.toLocaleString('en-GB');
  await replaceRows(db, actor, id, request, checked, {
    batch: ROADS_BATCH,
    clear: async (trx) => {
      await trx.deleteFrom('official_road_collisions').where('year', 'in', years).execute();
      // A collision of the file held under another year (its year corrected) goes too: an index is one collision.
      const indexes = checked.rows.map((r) => r.index);
      for (let i = 0; i < indexes.length; i += BATCH)
        await trx
          .deleteFrom('official_road_collisions')
          .where('collision_index', 'in', indexes.slice(i, i + BATCH))
          .execute();
    },
    insert: (trx, rows) =>
      trx
        .insertInto('official_road_collisions')
        .values(
          rows.map((r) => ({
            collision_index: r.index,
            year: r.year,
            collision_date: r.date,
            severity: r.severity,
            casualties: r.casualties,
            la_code: r.laCode,
            lsoa_code: r.lsoaCode,
            police_force: r.policeForce,
            longitude: r.longitude,
            latitude: r.latitude,
          })),
        )
        .execute(),
    done: {
      summary: `Imported DfT road casualty collisions from ${request.fileName}: ${n} collisions (${ksi} fatal or serious), ${yearText} (replacing those years)`,
      after: { file: request.fileName, collisions: checked.rows.length, years },
      years: yearText,
      message: `Imported ${n} collisions, ${ksi} of them fatal or serious: ${yearText}`,
    },
  });
}

async function importFingertips(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  rows: AsyncGenerator<SheetRow>,
  request: StartImport,
): Promise<void> {
  const checkOnce = refusingRepeats<FingertipsHeader, FingertipsRow>(checkFingertipsRow, fingertipsRowKey, (r) => ({
    column: FINGERTIPS_COLUMNS.timePeriod,
    value: r.timePeriod,
    message: `the same indicator, area, sex, age, category and time period are given twice`,
  }));
  const checked = await checkFile<FingertipsHeader, FingertipsRow>(db, id, rows, fingertipsHeader, checkOnce, request.onProgress);
  if (!(await refused(db, id, checked))) await writeFingertips(db, actor, id, request, checked);
}

async function importRoads(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  rows: AsyncGenerator<SheetRow>,
  request: StartImport,
): Promise<void> {
  const checkOnce = refusingRepeats<RoadHeader, RoadCollisionRow>(
    checkRoadRow,
    (r) => r.index,
    (r, h) => ({ column: h.names.index ?? 'accident_index', value: r.index, message: 'the same collision is given twice' }),
  );
  const checked = await checkFile<RoadHeader, RoadCollisionRow>(db, id, rows, roadHeader, checkOnce, request.onProgress);
  if (!(await refused(db, id, checked))) await writeRoads(db, actor, id, request, checked);
}
