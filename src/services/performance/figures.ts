/**
 * Figures: the value of an indicator for a period, with who entered it, when, from what source and why.
 * A revision supersedes the current figure, which is kept as history. Batches (the entry grid, a CSV or
 * XLSX upload, the API) are all or nothing: every row is checked and nothing is written unless all are good.
 */
import type { Kysely } from 'kysely';
import type { Database, Figure, Indicator } from '../../adapters/database/schema.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { MAX_FIGURE_ROWS, type TableRow } from './figureFileReader.ts';
import { ownBuffer, runOffThread } from '../platform/offThread.ts';
import { nowIso } from '../../adapters/clock.ts';
import { laterTimestamp, lockRows } from '../../adapters/database/concurrency.ts';
import { inTransaction } from '../../adapters/database/database.ts';
import { ValidationError, type FieldError } from '../../domain/errors.ts';
import { checkFraction, figureValueProblem, formatPeriodLabel, isLiveIn, quoteValue, readTypedNumber } from '../../domain/index.ts';
import { getIndicator, label, listIndicators, normalisePeriod } from './indicators.ts';
import { assertMayEnterFigures } from '../cycle/owners.ts';

export interface FigureInput {
  indicatorId?: unknown;
  period?: unknown;
  value?: unknown;
  /** A percentage's or rate's numerator and denominator (decision 0041): both or neither; the value may then be left out. */
  numerator?: unknown;
  denominator?: unknown;
  note?: unknown;
  source?: unknown;
}

/** One problem in a batch, pointing at the row, column and value at fault. */
export interface FigureProblem extends FieldError {
  row: number;
  column: string;
  value: string;
}

export interface ValidFigure {
  indicator: Indicator;
  period: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
  note: string;
  source: string;
}

export interface SaveResult {
  created: number;
  revised: number;
  unchanged: number;
}

function show(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/**
 * Checks a batch of figures against the partnership's indicators. `rowOf` numbers rows as the person sees
 * them (a spreadsheet row, a grid row). Returns the valid figures or throws every problem at once.
 */
export async function validateFigures(
  db: Kysely<Database>,
  partnershipId: number,
  rows: (FigureInput & { row?: number; indicator?: unknown })[],
  options: { fieldPrefix?: string } = {},
): Promise<ValidFigure[]> {
  const indicators = await listIndicators(db, partnershipId);
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const byName = new Map<string, Indicator>();
  for (const i of indicators) {
    if (i.code) byName.set(i.code.toLowerCase().replace(/\s+/g, ''), i);
    byName.set(i.title.toLowerCase().trim(), i);
  }
  const problems: FigureProblem[] = [];
  let unlisted = 0;
  const valid: ValidFigure[] = [];
  const seen = new Map<string, number>();
  for (const [index, r] of rows.entries()) {
    // A turn for other requests every few hundred rows: checking 10,000 rows takes a few hundred milliseconds.
    if (index % 500 === 499) await turn();
    const row = r.row ?? index + 1;
    const field = (column: string) => (options.fieldPrefix ? `${options.fieldPrefix}-${row}-${column}` : 'file');
    const problem = (column: string, value: unknown, message: string) => {
      if (problems.length >= MAX_LISTED_PROBLEMS) unlisted += 1;
      else
        problems.push({
          field: field(column),
          row,
          column,
          value: quoteValue(value),
          message: `Row ${row}, column "${column}": ${message}`,
        });
    };
    const indicator = findIndicator(r, byId, byName, problem);
    let period: string | undefined;
    if (indicator) {
      const p = normalisePeriod(r.period, indicator.frequency);
      if ('error' in p) problem('period', r.period, `${p.error} for ${label(indicator)}`);
      else if (!isLiveIn(indicator.retired_after, p.key))
        problem(
          'period',
          r.period,
          `${label(indicator)} was retired after ${formatPeriodLabel(indicator.retired_after!)}: figures for later periods cannot be entered`,
        );
      else period = p.key;
    }
    const reading = readTypedNumber(r.value);
    let value: number | undefined;
    let valueOk = true;
    const numerator = readPart(r.numerator, 'numerator', problem);
    const denominator = readPart(r.denominator, 'denominator', problem);
    const withFraction = numerator !== undefined || denominator !== undefined;
    if (reading.kind === 'blank') {
      if (!withFraction) problem('value', r.value, 'enter a value');
    } else if (reading.kind === 'invalid') {
      problem('value', r.value, `"${quoteValue(r.value)}" ${reading.reason}`);
      valueOk = false;
    } else {
      const wrong = figureValueProblem(reading.value, indicator?.unit);
      if (wrong) {
        problem('value', r.value, `"${quoteValue(r.value)}" ${wrong}`);
        valueOk = false;
      } else value = reading.value;
    }
    let fraction: { numerator: number | null; denominator: number | null } = { numerator: null, denominator: null };
    if (withFraction && valueOk && !Number.isNaN(numerator) && !Number.isNaN(denominator) && indicator) {
      const checked = checkFraction(indicator.unit, value, numerator, denominator);
      if ('problems' in checked)
        for (const p of checked.problems)
          problem(p.column, p.column === 'value' ? r.value : p.column === 'numerator' ? r.numerator : r.denominator, p.message);
      else {
        value = checked.value;
        fraction = { numerator: checked.numerator, denominator: checked.denominator };
      }
    }
    const note = readText(r.note, 'note', problem);
    const source = readText(r.source, 'source', problem);
    if (indicator && period) {
      const key = `${indicator.id}|${period}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) problem('period', r.period, `${label(indicator)} already has a figure for ${period} in row ${earlier}`);
      else seen.set(key, row);
    }
    if (indicator && period && value !== undefined) valid.push({ indicator, period, value, ...fraction, note, source });
  }
  if (unlisted > 0) {
    const field = options.fieldPrefix ? 'grid' : 'file';
    throw new ValidationError([
      ...problems,
      {
        field,
        message: `... and ${unlisted.toLocaleString('en-GB')} more problem${unlisted === 1 ? '' : 's'} (the first ${MAX_LISTED_PROBLEMS} are listed). Nothing has been saved`,
      },
    ]);
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return valid;
}

/** The row's indicator, by id or else by code or title; not found is reported. */
function findIndicator(
  r: { indicatorId?: unknown; indicator?: unknown },
  byId: Map<number, Indicator>,
  byName: Map<string, Indicator>,
  problem: (column: string, value: unknown, message: string) => void,
): Indicator | undefined {
  if (r.indicatorId !== undefined && r.indicatorId !== '') {
    const indicator = byId.get(Number(r.indicatorId));
    if (!indicator) problem('indicator', r.indicatorId, `there is no indicator ${show(r.indicatorId)} in this partnership`);
    return indicator;
  }
  const name = show(r.indicator).trim();
  const indicator = byName.get(name.toLowerCase().replace(/\s+/g, '')) ?? byName.get(name.toLowerCase());
  if (name === '') problem('indicator', name, 'enter the indicator code or title');
  else if (!indicator) problem('indicator', name, `"${quoteValue(name)}" is not the code or title of one of this partnership's indicators`);
  return indicator;
}

/** A figure's note or source, trimmed; too long or holding a null character is reported. */
function readText(raw: unknown, column: 'note' | 'source', problem: (column: string, value: unknown, message: string) => void): string {
  const text = show(raw).trim();
  if (text.length > 2000) problem(column, '', `the ${column} must be 2,000 characters or fewer`);
  else if (text.includes('\u0000'))
    problem(column, text, `the ${column} contains a null character (code 0), which cannot be stored: remove it`);
  return text;
}

/** A numerator or denominator as typed: undefined when blank, NaN (with the problem reported) when not a number. */
function readPart(
  raw: unknown,
  column: 'numerator' | 'denominator',
  problem: (column: string, value: unknown, message: string) => void,
): number | undefined {
  const reading = readTypedNumber(raw);
  if (reading.kind === 'blank') return undefined;
  if (reading.kind === 'invalid' || !Number.isFinite(reading.value)) {
    problem(column, raw, `"${quoteValue(raw)}" ${reading.kind === 'invalid' ? reading.reason : 'is not a number'}`);
    return Number.NaN;
  }
  return reading.value;
}

/** Writes validated figures in one transaction, superseding (not deleting) any figure they revise. */
export async function saveFigures(db: Kysely<Database>, actor: Actor, partnershipId: number, figures: ValidFigure[]): Promise<SaveResult> {
  const result: SaveResult = { created: 0, revised: 0, unchanged: 0 };
  // The caller's transaction when there is one (a fill that audits itself with the figures), else a new one.
  await inTransaction(db, async (trx) => {
    // Figures of one indicator are revised one save at a time: a second save of the same figure waits, then
    // supersedes the first one's (both are kept as history), rather than both taking the place of the same one.
    await lockRows(
      trx,
      'indicators',
      figures.map((f) => f.indicator.id),
    );
    const now = nowIso();
    for (const f of figures) {
      const current = await trx
        .selectFrom('figures')
        .selectAll()
        .where('indicator_id', '=', f.indicator.id)
        .where('period', '=', f.period)
        .where('superseded_at', 'is', null)
        .executeTakeFirst();
      if (
        current &&
        current.value === f.value &&
        (current.numerator ?? null) === f.numerator &&
        (current.denominator ?? null) === f.denominator &&
        current.note === f.note &&
        current.source === f.source
      ) {
        result.unchanged += 1;
        continue;
      }
      // A revision is always later than the figure it supersedes, even within the same millisecond.
      const at = current && current.entered_at >= now ? laterTimestamp(current.entered_at) : now;
      if (current) await trx.updateTable('figures').set({ superseded_at: at }).where('id', '=', current.id).execute();
      const row = await trx
        .insertInto('figures')
        .values({
          indicator_id: f.indicator.id,
          partnership_id: partnershipId,
          period: f.period,
          value: f.value,
          numerator: f.numerator,
          denominator: f.denominator,
          note: f.note,
          source: f.source,
          entered_by: actor.label,
          entered_by_user_id: actor.userId,
          entered_at: at,
          superseded_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (current) result.revised += 1;
      else result.created += 1;
      await recordAudit(trx, actor, {
        partnershipId,
        action: current ? 'update' : 'create',
        entityType: 'figure',
        entityId: row.id,
        summary: `${current ? 'Revised' : 'Entered'} ${label(f.indicator)} for ${f.period}: ${f.value}${f.numerator !== null ? ` (${f.numerator} of ${f.denominator})` : ''}`,
        before: current,
        after: row,
      });
    }
  });
  return result;
}

/** At most this many problems of a batch are listed; the count of the rest is given. */
export const MAX_LISTED_PROBLEMS = 100;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Validates and saves a batch: nothing is written unless every row is good. */
export async function enterFigures(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  rows: (FigureInput & { row?: number; indicator?: unknown })[],
  options: { fieldPrefix?: string } = {},
): Promise<SaveResult> {
  if (rows.length === 0)
    throw new ValidationError([{ field: options.fieldPrefix ? 'grid' : 'file', message: 'Enter at least one figure' }]);
  if (rows.length > MAX_FIGURE_ROWS) {
    throw new ValidationError([
      {
        field: options.fieldPrefix ? 'grid' : 'file',
        message: `There are ${rows.length.toLocaleString('en-GB')} figures: enter at most ${MAX_FIGURE_ROWS.toLocaleString('en-GB')} at a time`,
      },
    ]);
  }
  const valid = await validateFigures(db, partnershipId, rows, options);
  // Contributors may be limited to the indicators they or their organisation own (decision 0022).
  await assertMayEnterFigures(
    db,
    actor,
    partnershipId,
    valid.map((f) => f.indicator),
  );
  return saveFigures(db, actor, partnershipId, valid);
}

export interface UploadRow {
  row: number;
  indicator: unknown;
  period: unknown;
  value: unknown;
  numerator: unknown;
  denominator: unknown;
  note: unknown;
  source: unknown;
}

const COLUMNS = ['indicator', 'period', 'value', 'numerator', 'denominator', 'note', 'source'] as const;

function rowsFromTable(table: TableRow[], filename: string): UploadRow[] {
  if (table.length === 0)
    throw new ValidationError([
      {
        field: 'file',
        message: 'The file is empty: it needs a header row (indicator, period, value, note, source) and one row per figure',
      },
    ]);
  // The header is the first row of the file (a blank first row is a missing header).
  const headerRow = table[0]!.row === 1 ? table[0]! : { row: 1, cells: [] };
  const header = headerRow.cells.map((h) => show(h).trim().toLowerCase());
  const index: Record<string, number> = {};
  for (const c of COLUMNS) index[c] = header.indexOf(c);
  const missing = (['indicator', 'period', 'value'] as const).filter((c) => index[c] === -1);
  if (missing.length > 0) {
    const found = header
      .filter(Boolean)
      .map((h) => quoteValue(h))
      .join(', ');
    throw new ValidationError([
      {
        field: 'file',
        message: `Row 1: the header row must name the columns indicator, period and value (missing: ${missing.join(', ')}; found: ${found || 'nothing'})`,
      },
    ]);
  }
  const rows: UploadRow[] = [];
  for (const { row, cells } of table) {
    if (row === 1 || cells.every((c) => show(c).trim() === '')) continue;
    const at = (c: string) => (index[c]! >= 0 ? cells[index[c]!] : undefined);
    rows.push({
      row,
      indicator: at('indicator'),
      period: at('period'),
      value: at('value'),
      numerator: at('numerator'),
      denominator: at('denominator'),
      note: at('note'),
      source: at('source'),
    });
  }
  if (rows.length === 0)
    throw new ValidationError([{ field: 'file', message: `${filename || 'The file'} has a header row but no figures` }]);
  return rows;
}

/**
 * Reads the rows of a CSV or XLSX file of figures (columns: indicator, period, value, and optionally numerator and
 * denominator for a percentage or a rate, note, source). The file is
 * read in the import worker (figureFileReader.ts), off the event loop, with its limits on size, rows and columns.
 */
export async function readFigureFile(filename: string, data: Buffer): Promise<UploadRow[]> {
  const name = filename.toLowerCase();
  if (!name.endsWith('.xlsx') && !name.endsWith('.csv') && !name.endsWith('.txt')) {
    throw new ValidationError([
      {
        field: 'file',
        message: filename ? `${filename} is not a CSV or Excel (.xlsx) file` : 'Choose a CSV or Excel (.xlsx) file of figures',
      },
    ]);
  }
  const payload = await ownBuffer(data);
  const table = await runOffThread('readFigureTable', { filename, data: payload }, { what: filename, transfer: [payload] });
  return rowsFromTable(table, filename);
}

/** Current figures of one indicator, in period order. */
export async function listFigures(db: Kysely<Database>, partnershipId: number, indicatorId: number): Promise<Figure[]> {
  return db
    .selectFrom('figures')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('indicator_id', '=', indicatorId)
    .where('superseded_at', 'is', null)
    .orderBy('period')
    .execute();
}

/** Every figure ever entered for one indicator, newest first (the revision history). */
export async function figureHistory(db: Kysely<Database>, partnershipId: number, indicatorId: number): Promise<Figure[]> {
  return db
    .selectFrom('figures')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('indicator_id', '=', indicatorId)
    .orderBy('id', 'desc')
    .execute();
}

/** Current figures of every indicator of the partnership. */
export async function listPartnershipFigures(db: Kysely<Database>, partnershipId: number): Promise<Figure[]> {
  return db.selectFrom('figures').selectAll().where('partnership_id', '=', partnershipId).where('superseded_at', 'is', null).execute();
}

/** An indicator's current figures, or with `history` every revision too, once the indicator is found in the partnership. */
export async function indicatorFigures(
  db: Kysely<Database>,
  partnershipId: number,
  indicatorId: number,
  options: { history?: boolean } = {},
): Promise<Figure[]> {
  await getIndicator(db, partnershipId, indicatorId);
  return options.history ? figureHistory(db, partnershipId, indicatorId) : listFigures(db, partnershipId, indicatorId);
}
