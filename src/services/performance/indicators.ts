/**
 * Indicators: the national Safer catalogue (read-only, partnership_id null) and each partnership's own
 * indicators with their baseline, target and the plan priorities and objectives they serve.
 */
import type { Kysely } from 'kysely';
import {
  FREQUENCIES,
  INDICATOR_UNITS,
  OBA_CATEGORIES,
  POLARITIES,
  TARGET_KINDS,
  TRAJECTORY_PROFILES,
  type Database,
  type Frequency,
  type Indicator,
  type IndicatorBaseline,
  type IndicatorTarget,
  type IndicatorUnit,
  type ObaCategory,
  type TargetKind,
  type TargetTier,
} from '../../adapters/database/schema.ts';
import {
  allowsNegative,
  DEFAULT_SUPPRESSION_THRESHOLD,
  describeTarget,
  figureValueProblem,
  quoteValue,
  readTypedNumber,
  isValidSuppressionThreshold,
  MAX_SUPPRESSION_THRESHOLD,
  MIN_SUPPRESSION_THRESHOLD,
  readPeriodText,
  periodKey,
  parseMonthKey,
  customProfileProblem,
  type Target,
  type TrajectorySetting,
} from '../../domain/index.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { updateWithConflictCheck } from '../platform/conflictCheckedUpdate.ts';
import { nowIso } from '../../adapters/clock.ts';
import { laterTimestamp, lockRows } from '../../adapters/database/concurrency.ts';
import { NotFoundError, ValidationError, Validator } from '../../domain/errors.ts';

export const UNIT_LABELS: Record<IndicatorUnit, string> = {
  count: 'Count',
  percentage: 'Percentage',
  rate_per_1000: 'Rate per 1,000 population',
  rate_per_100000: 'Rate per 100,000 population',
  money: 'Money (£)',
  score: 'Score',
};
export const POLARITY_LABELS: Record<(typeof POLARITIES)[number], string> = {
  higher_is_better: 'Higher is better',
  lower_is_better: 'Lower is better',
  monitor: 'Monitor only (no RAG)',
};
export const FREQUENCY_LABELS: Record<Frequency, string> = {
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  annual: 'Annual (financial year)',
};
export const OBA_LABELS: Record<ObaCategory, string> = {
  how_much: 'How much did we do?',
  how_well: 'How well did we do it?',
  better_off: 'Is anyone better off?',
};
export const TARGET_KIND_LABELS: Record<TargetKind, string> = {
  absolute: 'Reach a value',
  percentage_change: 'Change by a percentage of the baseline',
  amount_change: 'Change by an amount from the baseline',
  rate: 'A rate per population',
  cumulative_limit: 'No more than a total over a span of months',
  maintain: 'Maintain (no worse than the baseline)',
  to_be_agreed: 'Target to be agreed',
};

/** What a period key looks like for each frequency, for hints and error messages. */
export const PERIOD_EXAMPLES: Record<Frequency, string> = { monthly: '2009-04', quarterly: '2009-10 Q1', annual: '2009/10' };

export interface IndicatorDetails extends Indicator {
  baseline: IndicatorBaseline | null;
  targets: IndicatorTarget[];
  priorityIds: number[];
  objectiveIds: number[];
}

export interface IndicatorInput {
  code?: unknown;
  title?: unknown;
  definition?: unknown;
  dataSource?: unknown;
  unit?: unknown;
  polarity?: unknown;
  frequency?: unknown;
  owner?: unknown;
  obaCategory?: unknown;
  catalogueIndicatorId?: unknown;
  priorityIds?: unknown;
  objectiveIds?: unknown;
  baselineValue?: unknown;
  baselinePeriod?: unknown;
  baselineSource?: unknown;
  targetKind?: unknown;
  targetValue?: unknown;
  targetDirection?: unknown;
  targetRatePer?: unknown;
  targetComparison?: unknown;
  targetBy?: unknown;
  targetFrom?: unknown;
  targetTo?: unknown;
  targetNote?: unknown;
  /** The first target's own name, like "Local stretch". */
  targetLabel?: unknown;
  /** A second target judged beside the first ('none' removes it; left out or blank keeps it as it is). */
  secondTargetKind?: unknown;
  secondTargetValue?: unknown;
  secondTargetDirection?: unknown;
  secondTargetRatePer?: unknown;
  secondTargetComparison?: unknown;
  secondTargetBy?: unknown;
  secondTargetFrom?: unknown;
  secondTargetTo?: unknown;
  secondTargetNote?: unknown;
  secondTargetLabel?: unknown;
  /** How the annual target is spread over the year: '' for none, 'even', 'custom' or 'seasonal'. */
  trajectory?: unknown;
  /** A custom trajectory's percentages, period by period: "20, 25, 30, 25" or a list of numbers. */
  trajectoryShares?: unknown;
  /** 'yes' (or true) to show the indicator's latest figure on the public summary. */
  isPublic?: unknown;
  expectedUpdatedAt?: unknown;
}

/**
 * Reads a number as people type it: '1,234', '12.5%', ' 7 ' (see readTypedNumber: commas only between thousands).
 * Returns undefined for blank, NaN for nonsense or a value that is not finite.
 */
export function parseNumber(raw: unknown): number | undefined {
  const reading = readTypedNumber(raw);
  if (reading.kind === 'blank') return undefined;
  return reading.kind === 'number' && Number.isFinite(reading.value) ? reading.value : Number.NaN;
}

/**
 * Checks a figure-like value typed in a form (a baseline or a target): undefined when blank, else the number or
 * the reason it cannot be one, as the end of a sentence that starts with the quoted value.
 */
export function readFigureValue(raw: unknown, unit?: string): { value: number } | { problem: string } | undefined {
  const reading = readTypedNumber(raw);
  if (reading.kind === 'blank') return undefined;
  if (reading.kind === 'invalid') return { problem: reading.reason };
  const problem = figureValueProblem(reading.value, unit);
  return problem ? { problem } : { value: reading.value };
}

/** Canonical period key for an indicator of the given frequency, or an error message (the one reader: readPeriodText). */
export function normalisePeriod(raw: unknown, frequency: Frequency | 'any'): { key: string } | { error: string } {
  const s = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
  if (s === '') return { error: 'Enter the period' };
  const kind = frequency === 'any' ? undefined : FREQUENCY_PERIOD_KIND[frequency];
  const read = (k: typeof kind) => {
    try {
      return readPeriodText(s, k);
    } catch {
      return null;
    }
  };
  const p = read(kind);
  if (p !== null) return { key: periodKey(p) };
  if (kind !== undefined && read(undefined) !== null)
    return { error: `Enter a ${frequency} period, like ${PERIOD_EXAMPLES[frequency as Frequency]} (got "${quoteValue(s)}")` };
  const example = frequency === 'any' ? '2009/10, 2009-10 Q1 or 2009-04' : PERIOD_EXAMPLES[frequency];
  return { error: `Enter the period like ${example} (got "${quoteValue(s)}")` };
}

const FREQUENCY_PERIOD_KIND = { monthly: 'month', quarterly: 'quarter', annual: 'financial_year' } as const;

function idList(raw: unknown): number[] {
  const items = Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === '' ? [] : [raw];
  return [...new Set(items.map((x) => Number(x)).filter((n) => Number.isInteger(n) && n > 0))];
}

type TargetRow = Omit<IndicatorTarget, 'id' | 'indicator_id' | 'partnership_id' | 'created_at' | 'updated_at' | 'tier'>;

export const TRAJECTORY_FORM_LABELS: Record<(typeof TRAJECTORY_PROFILES)[number], string> = {
  even: 'Even: the same share each month or quarter',
  custom: 'Our own share for each month or quarter',
  seasonal: 'The shape of earlier years (up to three complete years of figures)',
};

interface ValidIndicator {
  /** The indicator form's fields; owner as a user and the collection schedule are set on their own page (src/services/cycle/owners.ts), retirement on its own (retirement.ts). */
  row: Omit<
    Indicator,
    | 'id'
    | 'partnership_id'
    | 'created_at'
    | 'updated_at'
    | 'owner_user_id'
    | 'owner_organisation_id'
    | 'due_working_days'
    | 'collect_from'
    | 'retired_after'
    | 'retirement_reason'
    | 'retired_at'
    | 'superseded_by_indicator_id'
  >;
  baseline: { value: number; period: string; source: string } | null;
  target: TargetRow | null;
  /** The second target; 'remove' to remove it, 'keep' to leave it as it is. */
  secondTarget: TargetRow | 'remove' | 'keep';
  priorityIds: number[];
  objectiveIds: number[];
}

/** The baseline: all or nothing (value and period, with an optional source). */
function validBaseline(v: Validator, input: IndicatorInput): ValidIndicator['baseline'] {
  let baseline: ValidIndicator['baseline'] = null;
  // A score's or an amount's baseline may be below zero, like its figures.
  const unit = typeof input.unit === 'string' ? input.unit : undefined;
  const bRead = readFigureValue(input.baselineValue, unit);
  const bPeriodRaw = typeof input.baselinePeriod === 'string' ? input.baselinePeriod.trim() : '';
  const bSource = v.text('baselineSource', input.baselineSource ?? '', 'the baseline source', { required: false, max: 2000 });
  if (bRead !== undefined || bPeriodRaw !== '') {
    if (bRead === undefined) v.add('baselineValue', 'Enter the baseline value');
    else if ('problem' in bRead)
      v.add(
        'baselineValue',
        `The baseline value must be a number${allowsNegative(unit) ? '' : ' of 0 or more'}, like 170 or 12.5: "${quoteValue(input.baselineValue)}" ${bRead.problem}`,
      );
    const p = normalisePeriod(bPeriodRaw, 'any');
    if ('error' in p) v.add('baselinePeriod', bPeriodRaw === '' ? 'Enter the period of the baseline, like 2008/09' : p.error);
    if (bRead !== undefined && 'value' in bRead && 'key' in p) baseline = { value: bRead.value, period: p.key, source: bSource };
  }

  return baseline;
}

/** A cumulative limit's span: two months, the last not before the first. */
function validSpan(v: Validator, input: IndicatorInput): { spanFrom: string | null; spanTo: string | null } {
  let spanFrom: string | null = null;
  let spanTo: string | null = null;
  const from = typeof input.targetFrom === 'string' ? input.targetFrom.trim() : '';
  const to = typeof input.targetTo === 'string' ? input.targetTo.trim() : '';
  try {
    parseMonthKey(from);
    spanFrom = from;
  } catch {
    v.add('targetFrom', `Enter the first month of the span, like 2008-04 (got "${from}")`);
  }
  try {
    parseMonthKey(to);
    spanTo = to;
  } catch {
    v.add('targetTo', `Enter the last month of the span, like 2011-03 (got "${to}")`);
  }
  if (spanFrom && spanTo && spanTo < spanFrom) v.add('targetTo', 'The last month must be after the first month');
  return { spanFrom, spanTo };
}

/** The target, if one is given: its kind and what that kind needs (a value, direction, baseline, rate base or span). */
function validTarget(
  v: Validator,
  input: IndicatorInput,
  baseline: ValidIndicator['baseline'],
  unit: string | undefined,
): ValidIndicator['target'] {
  const kindRaw = typeof input.targetKind === 'string' ? input.targetKind : '';
  if (kindRaw === '' || kindRaw === 'none') return null;
  const kind = v.oneOf('targetKind', kindRaw, TARGET_KINDS, 'Select the kind of target');
  // A value to reach may be below zero where the figures may (a score, money: issue 16); a percentage, an amount to
  // change by, a rate or a limit over a span never is.
  const signed = kind === 'absolute' && allowsNegative(unit);
  const tRead = readFigureValue(input.targetValue, signed ? unit : undefined);
  const value = tRead && 'value' in tRead ? tRead.value : tRead === undefined ? undefined : Number.NaN;
  const needsValue = !['maintain', 'to_be_agreed'].includes(kind);
  if (needsValue && tRead === undefined) v.add('targetValue', 'Enter the target value');
  else if (needsValue && tRead && 'problem' in tRead)
    v.add(
      'targetValue',
      `The target value must be a number${signed ? '' : ' of 0 or more'}: "${quoteValue(input.targetValue)}" ${tRead.problem}`,
    );
  if (kind === 'percentage_change' && baseline && baseline.value < 0)
    v.add(
      'targetKind',
      'A percentage change cannot be measured from a baseline below zero: set the target as an amount to change by, or a value to reach',
    );
  if (kind === 'percentage_change' && input.targetDirection === 'reduce' && (value as number) > 100)
    v.add('targetValue', 'A reduction cannot be more than 100%');
  const needsDirection = kind === 'percentage_change' || kind === 'amount_change';
  const direction = needsDirection
    ? v.oneOf(
        'targetDirection',
        input.targetDirection,
        ['reduce', 'increase'] as const,
        'Select whether the target is to reduce or increase',
      )
    : null;
  if (needsDirection || kind === 'maintain') {
    if (!baseline && !v.errors.some((e) => e.field.startsWith('baseline')))
      v.add('baselineValue', 'This kind of target is measured from a baseline: enter the baseline value and period');
  }
  const ratePer =
    kind === 'rate'
      ? v.oneOf(
          'targetRatePer',
          typeof input.targetRatePer === 'number'
            ? String(input.targetRatePer)
            : typeof input.targetRatePer === 'string'
              ? input.targetRatePer
              : '',
          ['1000', '100000'] as const,
          'Select per 1,000 or per 100,000 population',
        ) === '1000'
        ? 1000
        : 100000
      : null;
  const comparisonRaw = typeof input.targetComparison === 'string' ? input.targetComparison : '';
  const comparison = comparisonRaw === 'at_most' || comparisonRaw === 'at_least' ? comparisonRaw : null;
  let byPeriod: string | null = null;
  const byRaw = typeof input.targetBy === 'string' ? input.targetBy.trim() : '';
  if (byRaw !== '') {
    const p = normalisePeriod(byRaw, 'any');
    if ('error' in p) v.add('targetBy', p.error);
    else byPeriod = p.key;
  }
  const { spanFrom, spanTo } = kind === 'cumulative_limit' ? validSpan(v, input) : { spanFrom: null, spanTo: null };
  const note = v.text('targetNote', input.targetNote ?? '', 'a note', { required: false, max: 2000 });
  const label = v.text('targetLabel', input.targetLabel ?? '', "the target's name", { required: false, max: 100 });
  return {
    label,
    kind,
    value: needsValue && value !== undefined && !Number.isNaN(value) ? value : null,
    direction,
    rate_per: ratePer,
    comparison,
    by_period: byPeriod,
    span_from: spanFrom,
    span_to: spanTo,
    note,
  };
}

const SECOND_FIELDS = ['Kind', 'Value', 'Direction', 'RatePer', 'Comparison', 'By', 'From', 'To', 'Note', 'Label'] as const;

/**
 * The second target, checked as the first is; its messages name its own fields (secondTargetValue...). 'none'
 * removes it; left out or blank keeps it as it is.
 */
function validSecondTarget(
  v: Validator,
  input: IndicatorInput,
  baseline: ValidIndicator['baseline'],
  unit: string | undefined,
): ValidIndicator['secondTarget'] {
  const kind = typeof input.secondTargetKind === 'string' ? input.secondTargetKind : '';
  if (kind === '') return 'keep';
  if (kind === 'none') return 'remove';
  const view: Record<string, unknown> = {};
  for (const f of SECOND_FIELDS) view[`target${f}`] = input[`secondTarget${f}`];
  const inner = new Validator();
  const row = validTarget(inner, view, baseline, unit);
  for (const e of inner.errors) {
    const field = e.field.startsWith('target') ? `secondT${e.field.slice(1)}` : e.field;
    if (!v.errors.some((x) => x.field === field && x.message === e.message)) v.add(field, `Second target: ${e.message}`);
  }
  return row ?? 'keep';
}

/** The trajectory: none, even, custom (with one percentage per month or quarter adding to 100) or seasonal. */
function validTrajectory(
  v: Validator,
  input: IndicatorInput,
  frequency: string,
  unit: string,
): { trajectory: (typeof TRAJECTORY_PROFILES)[number] | null; trajectory_shares: string | null } {
  const raw = typeof input.trajectory === 'string' ? input.trajectory : '';
  if (raw === '' || raw === 'none') return { trajectory: null, trajectory_shares: null };
  const profile = v.oneOf('trajectory', raw, TRAJECTORY_PROFILES, 'Select how the annual target is spread over the year');
  if (frequency === 'annual') v.add('trajectory', 'A trajectory spreads the year over months or quarters: an annual indicator has none');
  else if (unit !== 'count' && unit !== 'money')
    v.add('trajectory', 'A trajectory spreads an annual total over the year: only a count or an amount of money has one');
  if (profile !== 'custom') return { trajectory: profile, trajectory_shares: null };
  const perYear = frequency === 'monthly' ? 12 : 4;
  const items = Array.isArray(input.trajectoryShares)
    ? (input.trajectoryShares as unknown[])
    : typeof input.trajectoryShares === 'string'
      ? input.trajectoryShares.split(/[,\s]+/).filter((x) => x !== '')
      : [];
  const shares = items.map((x) => parseNumber(typeof x === 'number' ? String(x) : x) ?? Number.NaN);
  const problem = items.length === 0 ? 'is empty' : customProfileProblem(shares, perYear);
  if (problem)
    v.add(
      'trajectoryShares',
      `Enter ${perYear} percentages of the year, one for each ${perYear === 12 ? 'month from April' : 'quarter from Q1'}, adding up to 100, like ${perYear === 12 ? '8, 8, 9, 9, 8, 8, 8, 9, 8, 8, 8, 9' : '20, 25, 30, 25'}: the list ${problem}`,
    );
  return { trajectory: profile, trajectory_shares: shares.join(',') };
}

/** An indicator's trajectory for the performance calculation, or null for none (or a stored one that cannot be read). */
export function trajectoryOf(i: Pick<Indicator, 'trajectory' | 'trajectory_shares'>): TrajectorySetting | null {
  if (i.trajectory === null) return null;
  if (i.trajectory !== 'custom') return { profile: i.trajectory };
  return {
    profile: 'custom',
    custom: (i.trajectory_shares ?? '')
      .split(',')
      .filter((x) => x !== '')
      .map(Number),
  };
}

function validate(input: IndicatorInput): ValidIndicator {
  const v = new Validator();
  const code = v.text('code', input.code ?? '', 'a code', { required: false, max: 40 });
  const title = v.text('title', input.title, 'the indicator title', { max: 300 });
  const definition = v.text('definition', input.definition ?? '', 'a definition', { required: false, max: 5000 });
  const dataSource = v.text('dataSource', input.dataSource ?? '', 'the data source', { required: false, max: 2000 });
  const unit = v.oneOf('unit', input.unit, INDICATOR_UNITS, 'Select the unit the indicator is measured in');
  const polarity = v.oneOf('polarity', input.polarity, POLARITIES, 'Select whether higher or lower is better, or monitor only');
  const frequency = v.oneOf('frequency', input.frequency, FREQUENCIES, 'Select how often figures are reported');
  const owner = v.text('owner', input.owner ?? '', 'the owner', { required: false, max: 200 });
  const obaCategory = v.oneOf(
    'obaCategory',
    input.obaCategory,
    OBA_CATEGORIES,
    'Select which outcome-based accountability question the indicator answers',
  );
  const isPublicRaw: unknown = Array.isArray(input.isPublic) ? (input.isPublic as unknown[])[input.isPublic.length - 1] : input.isPublic;
  if (
    isPublicRaw !== undefined &&
    isPublicRaw !== null &&
    isPublicRaw !== '' &&
    ![true, false, 'yes', 'no'].includes(isPublicRaw as string | boolean)
  )
    v.add('isPublic', 'Select whether the indicator is shown on the public summary');
  const isPublic = isPublicRaw === true || isPublicRaw === 'yes';
  const catalogueId =
    input.catalogueIndicatorId === undefined || input.catalogueIndicatorId === '' || input.catalogueIndicatorId === null
      ? null
      : Number(input.catalogueIndicatorId);
  if (catalogueId !== null && !(Number.isInteger(catalogueId) && catalogueId > 0))
    v.add('catalogueIndicatorId', 'Select a national indicator from the catalogue');

  const baseline = validBaseline(v, input);
  const target = validTarget(v, input, baseline, unit);
  const secondTarget = validSecondTarget(v, input, baseline, unit);
  const trajectory = validTrajectory(v, input, frequency, unit);
  v.throwIfAny();
  return {
    row: {
      catalogue_indicator_id: catalogueId,
      code,
      title,
      definition,
      data_source: dataSource,
      unit,
      polarity,
      frequency,
      owner,
      oba_category: obaCategory,
      is_public: isPublic ? 1 : 0,
      ...trajectory,
    },
    baseline,
    target,
    secondTarget,
    priorityIds: idList(input.priorityIds),
    objectiveIds: idList(input.objectiveIds),
  };
}

/** The domain's Target for a stored target row. */
export function toDomainTarget(t: IndicatorTarget): Target {
  const by = t.by_period ?? undefined;
  const comparison = t.comparison ?? undefined;
  switch (t.kind) {
    case 'absolute':
      return { kind: 'absolute', value: t.value ?? 0, by, comparison };
    case 'percentage_change':
      return { kind: 'percentage_change', direction: t.direction ?? 'reduce', percent: t.value ?? 0, by };
    case 'amount_change':
      return { kind: 'amount_change', direction: t.direction ?? 'reduce', amount: t.value ?? 0, by };
    case 'rate':
      return { kind: 'rate', rate: t.value ?? 0, per: t.rate_per === 100000 ? 100000 : 1000, by, comparison };
    case 'cumulative_limit':
      return { kind: 'cumulative_limit', maximum: t.value ?? 0, from: t.span_from ?? '', to: t.span_to ?? '' };
    case 'maintain':
      return { kind: 'maintain', by, comparison };
    case 'to_be_agreed':
      return { kind: 'to_be_agreed', note: t.note };
  }
}

export function targetText(t: IndicatorTarget): string {
  return describeTarget(toDomainTarget(t));
}

async function details(db: Kysely<Database>, indicator: Indicator): Promise<IndicatorDetails> {
  const baseline =
    (await db.selectFrom('indicator_baselines').selectAll().where('indicator_id', '=', indicator.id).executeTakeFirst()) ?? null;
  const targets = await db.selectFrom('indicator_targets').selectAll().where('indicator_id', '=', indicator.id).orderBy('id').execute();
  const links = await db.selectFrom('indicator_links').selectAll().where('indicator_id', '=', indicator.id).execute();
  return {
    ...indicator,
    baseline,
    targets,
    priorityIds: links.flatMap((l) => (l.priority_id ? [l.priority_id] : [])),
    objectiveIds: links.flatMap((l) => (l.objective_id ? [l.objective_id] : [])),
  };
}

/** The national catalogue (NI 15 to NI 49 and NI 111). */
export async function listCatalogue(db: Kysely<Database>): Promise<Indicator[]> {
  const rows = await db.selectFrom('indicators').selectAll().where('partnership_id', 'is', null).execute();
  return rows.sort((a, b) => Number(a.code.replace(/\D/g, '')) - Number(b.code.replace(/\D/g, '')));
}

export async function getCatalogueIndicator(db: Kysely<Database>, id: number): Promise<Indicator> {
  const row = await db.selectFrom('indicators').selectAll().where('partnership_id', 'is', null).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('National indicator');
  return row;
}

/** The partnership's own indicators, by code then title. */
export async function listIndicators(db: Kysely<Database>, partnershipId: number): Promise<Indicator[]> {
  return db.selectFrom('indicators').selectAll().where('partnership_id', '=', partnershipId).orderBy('code').orderBy('title').execute();
}

export async function listIndicatorDetails(db: Kysely<Database>, partnershipId: number): Promise<IndicatorDetails[]> {
  const indicators = await listIndicators(db, partnershipId);
  const ids = indicators.map((i) => i.id);
  if (ids.length === 0) return [];
  const baselines = await db.selectFrom('indicator_baselines').selectAll().where('partnership_id', '=', partnershipId).execute();
  const targets = await db.selectFrom('indicator_targets').selectAll().where('partnership_id', '=', partnershipId).orderBy('id').execute();
  const links = await db.selectFrom('indicator_links').selectAll().where('partnership_id', '=', partnershipId).execute();
  return indicators.map((i) => ({
    ...i,
    baseline: baselines.find((b) => b.indicator_id === i.id) ?? null,
    targets: targets.filter((t) => t.indicator_id === i.id),
    priorityIds: links.flatMap((l) => (l.indicator_id === i.id && l.priority_id ? [l.priority_id] : [])),
    objectiveIds: links.flatMap((l) => (l.indicator_id === i.id && l.objective_id ? [l.objective_id] : [])),
  }));
}

/** Loads one of the partnership's indicators: the tenant boundary for every indicator route. */
export async function getIndicator(db: Kysely<Database>, partnershipId: number, id: number): Promise<IndicatorDetails> {
  const row = await db
    .selectFrom('indicators')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Indicator');
  return details(db, row);
}

async function checkLinks(db: Kysely<Database>, partnershipId: number, data: ValidIndicator): Promise<void> {
  const v = new Validator();
  if (data.row.catalogue_indicator_id !== null) {
    const c = await db
      .selectFrom('indicators')
      .select('id')
      .where('partnership_id', 'is', null)
      .where('id', '=', data.row.catalogue_indicator_id)
      .executeTakeFirst();
    if (!c) v.add('catalogueIndicatorId', 'Select a national indicator from the catalogue');
  }
  if (data.priorityIds.length > 0) {
    const found = await db
      .selectFrom('priorities')
      .select('id')
      .where('partnership_id', '=', partnershipId)
      .where('id', 'in', data.priorityIds)
      .execute();
    if (found.length !== data.priorityIds.length) v.add('priorityIds', 'Select priorities of this partnership');
  }
  if (data.objectiveIds.length > 0) {
    const found = await db
      .selectFrom('objectives')
      .select('id')
      .where('partnership_id', '=', partnershipId)
      .where('id', 'in', data.objectiveIds)
      .execute();
    if (found.length !== data.objectiveIds.length) v.add('objectiveIds', 'Select objectives of this partnership');
  }
  v.throwIfAny();
}

async function assertCodeFree(db: Kysely<Database>, partnershipId: number, code: string, exceptId?: number) {
  if (code === '') return;
  let q = db.selectFrom('indicators').select('id').where('partnership_id', '=', partnershipId).where('code', '=', code);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst())
    throw new ValidationError([{ field: 'code', message: `The partnership already has an indicator with the code ${code}` }]);
}

/** The form edits one target of each tier: the one for the same "by" period, or the only one. */
async function writeTarget(
  trx: Kysely<Database>,
  partnershipId: number,
  indicatorId: number,
  tier: TargetTier,
  target: TargetRow,
  now: string,
) {
  const existing = await trx
    .selectFrom('indicator_targets')
    .selectAll()
    .where('indicator_id', '=', indicatorId)
    .where('tier', '=', tier)
    .orderBy('id')
    .execute();
  const same = existing.find((t) => t.by_period === target.by_period) ?? (existing.length === 1 ? existing[0] : undefined);
  if (same)
    await trx
      .updateTable('indicator_targets')
      .set({ ...target, updated_at: now })
      .where('id', '=', same.id)
      .execute();
  else
    await trx
      .insertInto('indicator_targets')
      .values({ indicator_id: indicatorId, partnership_id: partnershipId, ...target, tier, created_at: now, updated_at: now })
      .execute();
}

async function writeParts(
  trx: Kysely<Database>,
  partnershipId: number,
  indicatorId: number,
  data: ValidIndicator,
  now: string,
): Promise<void> {
  await trx.deleteFrom('indicator_baselines').where('indicator_id', '=', indicatorId).execute();
  if (data.baseline) {
    await trx
      .insertInto('indicator_baselines')
      .values({ indicator_id: indicatorId, partnership_id: partnershipId, ...data.baseline, created_at: now, updated_at: now })
      .execute();
  }
  if (data.target) await writeTarget(trx, partnershipId, indicatorId, 'first', data.target, now);
  if (data.secondTarget === 'remove')
    await trx.deleteFrom('indicator_targets').where('indicator_id', '=', indicatorId).where('tier', '=', 'second').execute();
  else if (data.secondTarget !== 'keep') await writeTarget(trx, partnershipId, indicatorId, 'second', data.secondTarget, now);
  await trx.deleteFrom('indicator_links').where('indicator_id', '=', indicatorId).execute();
  const links = [
    ...data.priorityIds.map((id) => ({ priority_id: id, objective_id: null })),
    ...data.objectiveIds.map((id) => ({ priority_id: null, objective_id: id })),
  ];
  if (links.length > 0)
    await trx
      .insertInto('indicator_links')
      .values(links.map((l) => ({ ...l, indicator_id: indicatorId, partnership_id: partnershipId, created_at: now })))
      .execute();
}

export async function createIndicator(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  input: IndicatorInput,
): Promise<IndicatorDetails> {
  const data = validate(input);
  return db.transaction().execute(async (trx) => {
    await checkLinks(trx, partnershipId, data);
    await assertCodeFree(trx, partnershipId, data.row.code);
    const now = nowIso();
    const row = await trx
      .insertInto('indicators')
      .values({ partnership_id: partnershipId, ...data.row, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeParts(trx, partnershipId, row.id, data, now);
    const after = await details(trx, row);
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'indicator',
      entityId: row.id,
      summary: `Added indicator ${label(row)}`,
      after,
    });
    return after;
  });
}

export async function updateIndicator(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  id: number,
  input: IndicatorInput,
): Promise<IndicatorDetails> {
  await getIndicator(db, partnershipId, id);
  const data = validate(input);
  return updateWithConflictCheck(db, actor, {
    table: 'indicators',
    id,
    read: (trx) => getIndicator(trx, partnershipId, id),
    expectedUpdatedAt: input.expectedUpdatedAt,
    conflictMessage: (before) =>
      `${label(before)} was changed by someone else after you opened it. Their version is shown below; make your changes again.`,
    update: async (trx, before) => {
      await checkLinks(trx, partnershipId, data);
      await assertCodeFree(trx, partnershipId, data.row.code, id);
      const now = laterTimestamp(before.updated_at);
      const row = await trx
        .updateTable('indicators')
        .set({ ...data.row, updated_at: now })
        .where('id', '=', id)
        .where('partnership_id', '=', partnershipId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await writeParts(trx, partnershipId, id, data, now);
      return details(trx, row);
    },
    // `after` is the updated row with its parts: its code and title are the row's.
    audit: (before, after) => ({
      partnershipId,
      action: 'update',
      entityType: 'indicator',
      entityId: id,
      summary: `Updated indicator ${label(after)}`,
      before,
      after,
    }),
  });
}

export async function deleteIndicator(db: Kysely<Database>, actor: Actor, partnershipId: number, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await getIndicator(trx, partnershipId, id);
    await trx.deleteFrom('indicators').where('id', '=', id).where('partnership_id', '=', partnershipId).execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'delete',
      entityType: 'indicator',
      entityId: id,
      summary: `Removed indicator ${label(before)} and its figures`,
      before,
    });
  });
}

/** Form/API values that start a partnership indicator from a national catalogue entry. */
export function inputFromCatalogue(c: Indicator): IndicatorInput {
  return {
    catalogueIndicatorId: String(c.id),
    code: c.code,
    title: c.title,
    definition: c.definition,
    dataSource: c.data_source,
    unit: c.unit,
    polarity: c.polarity,
    frequency: c.frequency,
    obaCategory: c.oba_category,
  };
}

/**
 * A target's form fields under a prefix ('target' for the first, 'secondTarget' for the second: targetValue,
 * secondTargetValue...), blank when there is none; `none` is the kind shown when there is no target.
 */
function targetFields(t: IndicatorTarget | undefined, prefix: 'target' | 'secondTarget', none: string): Record<string, string> {
  const values: Record<string, string> = {
    Kind: t?.kind ?? none,
    Value: t?.value === null || t?.value === undefined ? '' : String(t.value),
    Direction: t?.direction ?? '',
    RatePer: t?.rate_per ? String(t.rate_per) : '',
    Comparison: t?.comparison ?? '',
    By: t?.by_period ?? '',
    From: t?.span_from ?? '',
    To: t?.span_to ?? '',
    Note: t?.note ?? '',
    Label: t?.label ?? '',
  };
  return Object.fromEntries(Object.entries(values).map(([field, value]) => [`${prefix}${field}`, value]));
}

/** Form values for editing an indicator: the latest target of each tier. */
export function inputFromIndicator(i: IndicatorDetails): Record<string, unknown> {
  const latestOf = (tier: TargetTier) => i.targets.filter((x) => x.tier === tier).at(-1);
  return {
    catalogueIndicatorId: i.catalogue_indicator_id === null ? '' : String(i.catalogue_indicator_id),
    code: i.code,
    title: i.title,
    definition: i.definition,
    dataSource: i.data_source,
    unit: i.unit,
    polarity: i.polarity,
    frequency: i.frequency,
    owner: i.owner,
    obaCategory: i.oba_category,
    priorityIds: i.priorityIds.map(String),
    objectiveIds: i.objectiveIds.map(String),
    baselineValue: i.baseline ? String(i.baseline.value) : '',
    baselinePeriod: i.baseline?.period ?? '',
    baselineSource: i.baseline?.source ?? '',
    ...targetFields(latestOf('first'), 'target', ''),
    ...targetFields(latestOf('second'), 'secondTarget', 'none'),
    trajectory: i.trajectory ?? '',
    trajectoryShares: i.trajectory_shares?.split(',').join(', ') ?? '',
    isPublic: i.is_public ? ['yes'] : [],
    expectedUpdatedAt: i.updated_at,
  };
}

export function label(i: Pick<Indicator, 'code' | 'title'>): string {
  return i.code ? `${i.code} ${i.title}` : i.title;
}

/** The partnership's amber tolerance (percentage of the target figure), 5 unless set. */
export async function amberTolerance(db: Kysely<Database>, partnershipId: number): Promise<number> {
  const row = await db
    .selectFrom('performance_settings')
    .select('amber_tolerance_percent')
    .where('partnership_id', '=', partnershipId)
    .executeTakeFirst();
  return row ? Number(row.amber_tolerance_percent) : 5;
}

export async function setAmberTolerance(db: Kysely<Database>, actor: Actor, partnershipId: number, raw: unknown): Promise<number> {
  const value = parseNumber(raw);
  if (value === undefined || Number.isNaN(value) || value < 0 || value > 100) {
    throw new ValidationError([
      { field: 'amberTolerancePercent', message: 'Enter the amber tolerance as a percentage from 0 to 100, like 5' },
    ]);
  }
  return setPerformanceSetting(db, actor, partnershipId, {
    column: 'amber_tolerance_percent',
    key: 'amberTolerancePercent',
    value,
    current: amberTolerance,
    summary: `Set the amber tolerance to ${value}%`,
  });
}

/** The partnership's small-number suppression threshold for public outputs, 5 unless set. */
export async function suppressionThreshold(db: Kysely<Database>, partnershipId: number): Promise<number> {
  const row = await db
    .selectFrom('performance_settings')
    .select('suppression_threshold')
    .where('partnership_id', '=', partnershipId)
    .executeTakeFirst();
  return row ? Number(row.suppression_threshold) : DEFAULT_SUPPRESSION_THRESHOLD;
}

export async function setSuppressionThreshold(db: Kysely<Database>, actor: Actor, partnershipId: number, raw: unknown): Promise<number> {
  const value = parseNumber(raw);
  if (value === undefined || Number.isNaN(value) || !isValidSuppressionThreshold(value)) {
    throw new ValidationError([
      {
        field: 'suppressionThreshold',
        message: `Enter the suppression threshold as a whole number from ${MIN_SUPPRESSION_THRESHOLD} to ${MAX_SUPPRESSION_THRESHOLD}, like 5`,
      },
    ]);
  }
  return setPerformanceSetting(db, actor, partnershipId, {
    column: 'suppression_threshold',
    key: 'suppressionThreshold',
    value,
    current: suppressionThreshold,
    summary: `Set the small-number suppression threshold to ${value}`,
  });
}

/**
 * Sets one of the partnership's performance settings (kept in one row per partnership, made on its first save with
 * the amber tolerance at its default of 5), audited with the setting's value before and after.
 */
async function setPerformanceSetting(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  setting: {
    column: 'amber_tolerance_percent' | 'suppression_threshold';
    key: string;
    value: number;
    current: (db: Kysely<Database>, partnershipId: number) => Promise<number>;
    summary: string;
  },
): Promise<number> {
  const { column, key, value } = setting;
  return db.transaction().execute(async (trx) => {
    await lockRows(trx, 'partnerships', partnershipId); // one settings row per partnership, perhaps not made yet
    const before = await setting.current(trx, partnershipId);
    const now = nowIso();
    const existing = await trx
      .selectFrom('performance_settings')
      .select('partnership_id')
      .where('partnership_id', '=', partnershipId)
      .executeTakeFirst();
    if (existing)
      await trx
        .updateTable('performance_settings')
        .set({ [column]: value, updated_at: now })
        .where('partnership_id', '=', partnershipId)
        .execute();
    else
      await trx
        .insertInto('performance_settings')
        .values({ partnership_id: partnershipId, amber_tolerance_percent: 5, [column]: value, updated_at: now })
        .execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'update',
      entityType: 'performance_settings',
      entityId: partnershipId,
      summary: setting.summary,
      before: { [key]: before },
      after: { [key]: value },
    });
    return value;
  });
}

/** The partnership's indicators and the national catalogue, each entry marked when the partnership has adopted it. */
export async function indicatorsAndCatalogue(db: Kysely<Database>, partnershipId: number) {
  const [indicators, catalogue] = await Promise.all([listIndicators(db, partnershipId), listCatalogue(db)]);
  return {
    indicators,
    catalogue: catalogue.map((c) => ({ ...c, adopted: indicators.some((i) => i.catalogue_indicator_id === c.id) })),
  };
}
