/**
 * Computed performance: for each indicator and period, the value, year to date, same period last year,
 * change, rate per population, target, progress, RAG (by rule, with the partnership's tolerance, or
 * overridden with a reason), direction of travel, significance, projection and the XmR view.
 * Every number comes from the pure functions in src/domain; this module only gathers the inputs.
 */
import type { Kysely } from 'kysely';
import type { Database, Figure, RagOverrideRecord, RagStatus } from '../../adapters/database/schema.ts';
import {
  absoluteChange,
  addMonths,
  figureValueProblem,
  quoteValue,
  classifyVariation,
  financialYearKey,
  compareCounts,
  directionOfTravel,
  formatPeriodLabel,
  isLiveIn,
  isLiveInMonth,
  monthOfTimestamp,
  monthsBetween,
  monthsOfPeriod,
  parsePeriodKey,
  percentageChange,
  progressToTarget,
  projectOutturn,
  quarterKey,
  quarterOfMonth,
  ragForTarget,
  ratePer,
  resolveTarget,
  samePeriodLastYear,
  xmrChart,
  type DirectionOfTravel,
  type ResolvedTarget,
  type Variation,
  type XmrChart,
} from '../../domain/index.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { nowIso } from '../../adapters/clock.ts';
import { ValidationError, Validator } from '../../domain/errors.ts';
import {
  amberTolerance,
  getIndicator,
  label,
  listIndicatorDetails,
  normalisePeriod,
  targetText,
  toDomainTarget,
  type IndicatorDetails,
} from './indicators.ts';
import { listFigures } from './figures.ts';
import { RAGS } from '../../adapters/database/schema.ts';

export interface PeriodPerformance {
  period: string;
  label: string;
  value: number | null;
  /** Financial year to date (additive units at monthly or quarterly frequency). */
  yearToDate: number | null;
  lastYearPeriod: string;
  lastYear: number | null;
  change: number | null;
  percentChange: number | null;
  /** The period just before (the month, quarter or financial year before) and the change on it. */
  previousPeriod: string;
  previousValue: number | null;
  changeOnPrevious: number | null;
  percentChangeOnPrevious: number | null;
  direction: DirectionOfTravel | null;
  /** Per 1,000 population, for counts, using the partnership's population for the financial year. */
  ratePer1000: number | null;
  population: number | null;
  baseline: number | null;
  baselinePeriod: string | null;
  changeFromBaseline: number | null;
  percentChangeFromBaseline: number | null;
  target: { text: string; threshold: number; comparison: 'at_most' | 'at_least' } | null;
  targetText: string | null;
  /** The figure compared with the target: the value, the projected year-end figure, or a total over a span. */
  assessed: number | null;
  assessedAs: 'value' | 'projected_year_end' | 'span_total' | null;
  progress: number | null;
  ruleRag: RagStatus | null;
  rag: RagStatus | null;
  overridden: boolean;
  overrideReason: string | null;
  overrideBy: string | null;
  significance: { label: string; pValue: number; smallNumbers: boolean } | null;
  projection: {
    projected: number;
    lower: number | null;
    upper: number | null;
    probabilityOfMeetingTarget: number | null;
    method: string;
  } | null;
}

export interface IndicatorPerformance {
  indicator: IndicatorDetails;
  /** Every period with a figure, worked out in full (only the latest one for a partnership's `latestOnly` view). */
  periods: PeriodPerformance[];
  /** Every figure in period order (labels of all but the last 12 are left as keys in a `latestOnly` view). */
  series: { period: string; label: string; value: number }[];
  latest: PeriodPerformance | null;
  xmr: XmrChart | null;
  variation: Variation | null;
  /**
   * Stored figures (or the baseline) that cannot be used, each with why: written before the checks of today, or
   * by another tool. They are left out of the calculations and no rule RAG is given; the rest of the indicator,
   * and every other indicator, is worked out as usual.
   */
  problems: string[];
}

const ADDITIVE = new Set(['count', 'money']);

/** Chronological order of period keys of any kind. */
export function comparePeriods(a: string, b: string): number {
  const ma = monthsOfPeriod(a);
  const mb = monthsOfPeriod(b);
  return ma[0]!.localeCompare(mb[0]!) || ma.length - mb.length;
}

function fyStart(period: string): number {
  const p = parsePeriodKey(period);
  if (p.kind === 'financial_year') return p.startYear;
  if (p.kind === 'quarter') return p.financialYearStart;
  return p.month >= 4 ? p.year : p.year - 1;
}

/** The period just before: the month, quarter or financial year before. */
export function previousPeriodOf(period: string): string {
  const p = parsePeriodKey(period);
  if (p.kind === 'month') return addMonths(period, -1);
  if (p.kind === 'quarter')
    return p.quarter === 1 ? quarterKey(p.financialYearStart - 1, 4) : quarterKey(p.financialYearStart, p.quarter - 1);
  return financialYearKey(p.startYear - 1);
}

function populationFor(populations: { year: number; population: number }[], year: number): number | null {
  const exact = populations.find((p) => p.year === year);
  if (exact) return exact.population;
  const earlier = populations.filter((p) => p.year < year).sort((a, b) => b.year - a.year)[0];
  return (earlier ?? populations.sort((a, b) => a.year - b.year)[0])?.population ?? null;
}

function pick<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

interface Inputs {
  indicator: IndicatorDetails;
  figures: Pick<Figure, 'period' | 'value'>[];
  overrides: RagOverrideRecord[];
  populations: { year: number; population: number }[];
  tolerance: number;
}

interface PeriodMeta {
  key: string;
  /** First month, then length: the chronological order of comparePeriods without parsing again. */
  first: string;
  length: number;
  fy: number;
  kind: 'month' | 'quarter' | 'financial_year';
}

const MONTH_KEY = /^(\d{4})-(\d{2})$/;

function metaOf(key: string): PeriodMeta {
  // Most figures are monthly: read those without the general parser (they were checked when entered).
  const m = MONTH_KEY.exec(key);
  if (m) {
    const year = Number(m[1]);
    return { key, first: key, length: 1, fy: Number(m[2]) >= 4 ? year : year - 1, kind: 'month' };
  }
  const months = monthsOfPeriod(key);
  return { key, first: months[0]!, length: months.length, fy: fyStart(key), kind: parsePeriodKey(key).kind };
}

/** Why a stored figure cannot be used in the calculations, or null when it can. */
export function storedFigureProblem(f: Pick<Figure, 'period' | 'value'>): string | null {
  let period: string;
  try {
    period = formatPeriodLabel(f.period);
    metaOf(f.period);
  } catch {
    return `A figure is stored for "${quoteValue(f.period)}", which is not a period like 2019-04, 2019-20 Q1 or 2019/20: it cannot be used`;
  }
  const wrong = figureValueProblem(f.value);
  return wrong ? `The stored figure for ${period}, ${quoteValue(f.value)}, cannot be used: it ${wrong}. Enter the figure again` : null;
}

/**
 * Works out one indicator from its stored figures, leaving out (and reporting) any that cannot be used. An
 * indicator whose figures still cannot be worked out is returned with no periods and the reason, so one bad row
 * never takes down a page that shows many indicators.
 */
function computeIndicator(inputs: Inputs, options: { latestOnly?: boolean } = {}): IndicatorPerformance {
  const problems: string[] = [];
  const usable = inputs.figures.filter((f) => {
    const problem = storedFigureProblem(f);
    if (problem) problems.push(problem);
    return problem === null;
  });
  let indicator = inputs.indicator;
  const baseline = indicator.baseline;
  if (baseline) {
    let wrong: string | null;
    try {
      parsePeriodKey(baseline.period);
      wrong = figureValueProblem(baseline.value);
    } catch {
      wrong = `is for "${quoteValue(baseline.period)}", which is not a period like 2019-04, 2019-20 Q1 or 2019/20`;
    }
    if (wrong) {
      problems.push(`The stored baseline, ${quoteValue(baseline.value)}, cannot be used: it ${wrong}. Enter the baseline again`);
      indicator = { ...indicator, baseline: null };
    }
  }
  try {
    const result = computeUsable({ ...inputs, indicator, figures: usable }, options);
    if (problems.length > 0) for (const p of result.periods) Object.assign(p, { ruleRag: null, rag: p.overridden ? p.rag : null });
    return { ...result, indicator: inputs.indicator, problems };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      indicator: inputs.indicator,
      periods: [],
      series: [],
      latest: null,
      xmr: null,
      variation: null,
      problems: [...problems, `The figures of this indicator cannot be used: ${reason}`],
    };
  }
}

function computeUsable(
  { indicator, figures, overrides, populations, tolerance }: Inputs,
  options: { latestOnly?: boolean } = {},
): Omit<IndicatorPerformance, 'problems'> {
  const values = new Map(figures.map((f) => [f.period, f.value]));
  // Each period is parsed once; sorting, year-to-date and earlier years then work on the parsed form.
  const metas = [...values.keys()].map(metaOf).sort((a, b) => a.first.localeCompare(b.first) || a.length - b.length);
  const ordered = metas.map((m) => m.key);
  const metaByKey = new Map(metas.map((m) => [m.key, m]));
  const additive = ADDITIVE.has(indicator.unit);
  const baseline = indicator.baseline;
  const annualScale = baseline ? parsePeriodKey(baseline.period).kind === 'financial_year' : true;
  /** Periods of each financial year and kind, in order: `${fy}|${kind}`. */
  const byYearKind = new Map<string, string[]>();
  /** Periods of each financial year, in order. */
  const byYear = new Map<number, string[]>();
  for (const m of metas) {
    const yk = `${m.fy}|${m.kind}`;
    const a = byYearKind.get(yk);
    if (a) a.push(m.key);
    else byYearKind.set(yk, [m.key]);
    const b = byYear.get(m.fy);
    if (b) b.push(m.key);
    else byYear.set(m.fy, [m.key]);
  }
  const compute = (period: string): PeriodPerformance => {
    const meta = metaByKey.get(period)!;
    const value = values.get(period) ?? null;
    const fy = meta.fy;
    const kind = meta.kind;
    // Year to date: this period and the earlier ones of the same financial year.
    const yearPeriods = byYear.get(fy)!;
    const sameYear = yearPeriods.slice(0, yearPeriods.indexOf(period) + 1);
    const yearToDate = additive && kind !== 'financial_year' ? sameYear.reduce((s, p) => s + (values.get(p) ?? 0), 0) : null;
    const lastYearPeriod = samePeriodLastYear(period);
    const lastYear = values.get(lastYearPeriod) ?? null;
    const population = populationFor(populations, fy);
    const change = value !== null && lastYear !== null ? absoluteChange(lastYear, value) : null;
    const percentChange = value !== null && lastYear !== null ? pick(() => percentageChange(lastYear, value)) : null;
    const previousPeriod = previousPeriodOf(period);
    const previousValue = values.get(previousPeriod) ?? null;
    const changeOnPrevious = value !== null && previousValue !== null ? absoluteChange(previousValue, value) : null;
    const percentChangeOnPrevious = value !== null && previousValue !== null ? pick(() => percentageChange(previousValue, value)) : null;
    const direction = value !== null && lastYear !== null ? directionOfTravel(lastYear, value, indicator.polarity) : null;

    // The target for this period: the one for its financial year, else the latest one set.
    const fyKey = `${fy}/${String((fy + 1) % 100).padStart(2, '0')}`;
    const targetRow =
      indicator.targets.find((t) => t.by_period === fyKey || t.by_period === period) ??
      indicator.targets[indicator.targets.length - 1] ??
      null;
    const domainTarget = targetRow ? toDomainTarget(targetRow) : null;
    const resolved: ResolvedTarget | null =
      domainTarget && indicator.polarity !== 'monitor'
        ? pick(() =>
            resolveTarget(domainTarget, { polarity: indicator.polarity, baseline: baseline?.value, population: population ?? undefined }),
          )
        : null;

    // What is compared with the target.
    let assessed: number | null = value;
    let assessedAs: PeriodPerformance['assessedAs'] = value === null ? null : 'value';
    let projection: PeriodPerformance['projection'] = null;
    if (domainTarget?.kind === 'cumulative_limit') {
      const span = new Set(pick(() => monthsBetween(domainTarget.from, domainTarget.to)) ?? []);
      assessed = ordered
        .slice(0, ordered.indexOf(period) + 1)
        .filter((p) => monthsOfPeriod(p).every((m) => span.has(m)))
        .reduce((s, p) => s + (values.get(p) ?? 0), 0);
      assessedAs = 'span_total';
    } else if (additive && kind !== 'financial_year' && annualScale) {
      const perYear = kind === 'month' ? 12 : 4;
      const ytdValues = sameYear.map((p) => values.get(p) ?? 0);
      const earlierYears: number[][] = [];
      for (let y = fy - 3; y < fy; y++) {
        const year = (byYearKind.get(`${y}|${kind}`) ?? []).map((p) => values.get(p) ?? 0);
        if (year.length === perYear) earlierYears.push(year);
      }
      const p = pick(() =>
        projectOutturn(ytdValues, {
          periodsPerYear: perYear,
          earlierYears,
          target: resolved,
          counts: indicator.unit === 'count' ? undefined : false,
        }),
      );
      if (p) {
        projection = {
          projected: p.projected,
          lower: p.interval?.lower ?? null,
          upper: p.interval?.upper ?? null,
          probabilityOfMeetingTarget: p.probabilityOfMeetingTarget,
          method: p.method,
        };
        assessed = p.projected;
        assessedAs = 'projected_year_end';
      }
    }
    const ruleRag = assessed !== null && resolved ? pick(() => ragForTarget(assessed, resolved, { tolerancePercent: tolerance })) : null;
    const override = overrides.find((o) => o.period === period && o.removed_at === null) ?? null;
    const progress =
      resolved && baseline && assessed !== null && assessedAs !== 'span_total'
        ? pick(() => progressToTarget(baseline.value, assessed, resolved))
        : null;
    const significance =
      indicator.unit === 'count' && value !== null && lastYear !== null && Number.isInteger(value) && Number.isInteger(lastYear)
        ? pick(() => {
            const c = compareCounts(lastYear, value);
            return { label: c.label, pValue: c.pValue, smallNumbers: c.smallNumbers };
          })
        : null;
    return {
      period,
      label: formatPeriodLabel(period),
      value,
      yearToDate,
      lastYearPeriod,
      lastYear,
      change,
      percentChange,
      previousPeriod,
      previousValue,
      changeOnPrevious,
      percentChangeOnPrevious,
      direction,
      ratePer1000: indicator.unit === 'count' && value !== null && population ? ratePer(value, population, 1000) : null,
      population,
      baseline: baseline?.value ?? null,
      baselinePeriod: baseline?.period ?? null,
      changeFromBaseline: baseline && value !== null ? absoluteChange(baseline.value, value) : null,
      percentChangeFromBaseline: baseline && value !== null ? pick(() => percentageChange(baseline.value, value)) : null,
      target:
        resolved && targetRow ? { text: targetText(targetRow), threshold: resolved.threshold, comparison: resolved.comparison } : null,
      targetText: targetRow ? targetText(targetRow) : null,
      assessed,
      assessedAs,
      progress,
      ruleRag,
      rag: override ? override.rag : ruleRag,
      overridden: override !== null,
      overrideReason: override?.reason ?? null,
      overrideBy: override?.created_by ?? null,
      significance,
      projection,
    };
  };
  // The dashboard, scorecard and exception list need only the latest period worked out in full.
  const periods = options.latestOnly ? (ordered.length ? [compute(ordered[ordered.length - 1]!)] : []) : ordered.map(compute);
  const values_ = ordered.map((p) => values.get(p) as number);
  const xmr = !options.latestOnly && values_.length >= 2 ? pick(() => xmrChart(values_)) : null;
  return {
    indicator,
    periods,
    series: ordered.map((p, i) => ({
      period: p,
      label: options.latestOnly && i < ordered.length - 12 ? p : formatPeriodLabel(p),
      value: values_[i]!,
    })),
    latest: periods[periods.length - 1] ?? null,
    xmr,
    variation: xmr ? classifyVariation(xmr, indicator.polarity) : null,
  };
}

async function populations(db: Kysely<Database>, partnershipId: number) {
  return db.selectFrom('partnership_populations').select(['year', 'population']).where('partnership_id', '=', partnershipId).execute();
}

async function overridesOf(db: Kysely<Database>, partnershipId: number, indicatorId?: number): Promise<RagOverrideRecord[]> {
  let q = db.selectFrom('rag_overrides').selectAll().where('partnership_id', '=', partnershipId).where('removed_at', 'is', null);
  if (indicatorId !== undefined) q = q.where('indicator_id', '=', indicatorId);
  return q.orderBy('id', 'desc').execute();
}

/** Everything computed for one indicator, every period it has a figure for. */
export async function indicatorPerformance(
  db: Kysely<Database>,
  partnershipId: number,
  indicatorId: number,
): Promise<IndicatorPerformance> {
  const indicator = await getIndicator(db, partnershipId, indicatorId);
  return computeIndicator({
    indicator,
    figures: await listFigures(db, partnershipId, indicatorId),
    overrides: await overridesOf(db, partnershipId, indicatorId),
    populations: await populations(db, partnershipId),
    tolerance: await amberTolerance(db, partnershipId),
  });
}

/**
 * Every indicator of the partnership with its computed figures (dashboard, scorecard, exceptions, API), from five
 * queries whatever the number of indicators. `latestOnly` works out only each indicator's latest period in full
 * (and no XmR view): what the dashboard, scorecard and exception list show.
 */
export async function partnershipPerformance(
  db: Kysely<Database>,
  partnershipId: number,
  options: { latestOnly?: boolean; liveIn?: string; includeRetired?: boolean } = {},
): Promise<IndicatorPerformance[]> {
  const [allIndicators, figures, overrides, pops, tolerance] = await Promise.all([
    listIndicatorDetails(db, partnershipId),
    // Only the columns the calculations need, current figures only, in one query for every indicator.
    db
      .selectFrom('figures')
      .select(['indicator_id', 'period', 'value'])
      .where('partnership_id', '=', partnershipId)
      .where('superseded_at', 'is', null)
      .execute(),
    overridesOf(db, partnershipId),
    populations(db, partnershipId),
    amberTolerance(db, partnershipId),
  ]);
  // Retired indicators (decision 0021): the latest-only views (dashboard, scorecard, exceptions, public figures) are
  // about now, so they show only indicators still reported now; `liveIn` keeps those reported for a given period
  // (a Board pack's quarter); the full history (API, annual review) keeps them all.
  const now = monthOfTimestamp(nowIso());
  const indicators = options.includeRetired
    ? allIndicators
    : options.liveIn !== undefined
      ? allIndicators.filter((i) => isLiveIn(i.retired_after, options.liveIn!))
      : options.latestOnly
        ? allIndicators.filter((i) => isLiveInMonth(i.retired_after, now))
        : allIndicators;
  const byIndicator = new Map<number, Pick<Figure, 'period' | 'value'>[]>();
  for (const f of figures) {
    const list = byIndicator.get(f.indicator_id);
    if (list) list.push(f);
    else byIndicator.set(f.indicator_id, [f]);
  }
  return indicators.map((indicator) =>
    computeIndicator(
      {
        indicator,
        figures: byIndicator.get(indicator.id) ?? [],
        overrides: overrides.filter((o) => o.indicator_id === indicator.id),
        populations: pops,
        tolerance,
      },
      options,
    ),
  );
}

export interface Exception {
  performance: IndicatorPerformance;
  reasons: string[];
}

/**
 * Indicators needing attention: red, worsening, or missing figures (no figure at all, or none for the
 * latest period the partnership has reported for indicators of the same frequency).
 */
export function exceptions(all: IndicatorPerformance[]): Exception[] {
  const latestByFrequency = new Map<string, string>();
  for (const p of all) {
    const latest = p.latest?.period;
    if (!latest) continue;
    const current = latestByFrequency.get(p.indicator.frequency);
    if (!current || comparePeriods(latest, current) > 0) latestByFrequency.set(p.indicator.frequency, latest);
  }
  const result: Exception[] = [];
  for (const p of all) {
    const reasons: string[] = [];
    reasons.push(...p.problems);
    if (!p.latest) reasons.push(p.problems.length > 0 ? 'No usable figures' : 'No figures entered');
    else {
      const expected = latestByFrequency.get(p.indicator.frequency);
      if (expected && p.latest.period !== expected) reasons.push(`Missing the figure for ${formatPeriodLabel(expected)}`);
      if (p.latest.rag === 'red') reasons.push('Red');
      if (p.latest.direction === 'worsening') reasons.push('Worsening on the same period last year');
    }
    if (reasons.length > 0) result.push({ performance: p, reasons });
  }
  return result;
}

/** Overrides the RAG of an indicator for a period; the reason is required and the rule's RAG is kept. */
export async function overrideRag(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  indicatorId: number,
  input: { period?: unknown; rag?: unknown; reason?: unknown },
): Promise<RagOverrideRecord> {
  const perf = await indicatorPerformance(db, partnershipId, indicatorId);
  const v = new Validator();
  const p = normalisePeriod(input.period, perf.indicator.frequency);
  if ('error' in p) v.add('period', p.error);
  const rag = v.oneOf('rag', input.rag, RAGS, 'Select red, amber or green');
  const reason = v.text('reason', input.reason, 'a reason for overriding the RAG status', { max: 2000 });
  v.throwIfAny();
  const period = (p as { key: string }).key;
  const at = perf.periods.find((x) => x.period === period);
  if (!at) throw new ValidationError([{ field: 'period', message: `There is no figure for ${period} to give a RAG status to` }]);
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const previous = await trx
      .selectFrom('rag_overrides')
      .selectAll()
      .where('indicator_id', '=', indicatorId)
      .where('period', '=', period)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (previous) await trx.updateTable('rag_overrides').set({ removed_at: now }).where('id', '=', previous.id).execute();
    const row = await trx
      .insertInto('rag_overrides')
      .values({
        indicator_id: indicatorId,
        partnership_id: partnershipId,
        period,
        rag,
        rule_rag: at.ruleRag,
        reason,
        created_by: actor.label,
        created_at: now,
        removed_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'rag_override',
      entityId: row.id,
      summary: `Overrode the RAG of ${label(perf.indicator)} for ${period} to ${rag}: ${reason}`,
      before: previous,
      after: row,
    });
    return row;
  });
}

/** Removes an override so the rule's RAG shows again. */
export async function removeRagOverride(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  indicatorId: number,
  periodRaw: unknown,
): Promise<void> {
  const indicator = await getIndicator(db, partnershipId, indicatorId);
  const p = normalisePeriod(periodRaw, indicator.frequency);
  if ('error' in p) throw new ValidationError([{ field: 'period', message: p.error }]);
  await db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom('rag_overrides')
      .selectAll()
      .where('indicator_id', '=', indicatorId)
      .where('period', '=', p.key)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (!previous) return;
    await trx.updateTable('rag_overrides').set({ removed_at: nowIso() }).where('id', '=', previous.id).execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'delete',
      entityType: 'rag_override',
      entityId: previous.id,
      summary: `Removed the RAG override of ${label(indicator)} for ${p.key}`,
      before: previous,
    });
  });
}

/** One financial year of an indicator's figures by quarter, with its total (or mean) and the change on the year before. */
export interface QuarterYear {
  year: string;
  /** Q1 to Q4: the quarter's figure, or for monthly figures the sum of its three months (the mean, for a percentage, rate or score). */
  quarters: (number | null)[];
  /** Quarters with a figure (for monthly figures, quarters with all three months, or any month for a mean). */
  complete: number;
  /** Sum of the four quarters (counts and money, when all four are in), else null. */
  total: number | null;
  /** Mean of the quarters that have a figure (percentages, rates and scores), else null. */
  mean: number | null;
  /** Change of the total (or mean) on the year before, and as a percentage to one decimal place. */
  change: number | null;
  percentChange: number | null;
}

/**
 * The quarter-by-year view of the Rotherham 2018-21 review: one row per financial year, one column per quarter.
 * Null for annual indicators.
 */
export function quarterByYear(p: IndicatorPerformance): QuarterYear[] | null {
  if (p.indicator.frequency === 'annual') return null;
  const additive = ADDITIVE.has(p.indicator.unit);
  const byQuarter = new Map<string, number[]>();
  for (const x of p.periods) {
    if (x.value === null) continue;
    const kind = parsePeriodKey(x.period).kind;
    if (kind === 'financial_year') continue;
    const q = kind === 'quarter' ? x.period : quarterOfMonth(x.period);
    byQuarter.set(q, [...(byQuarter.get(q) ?? []), x.value]);
  }
  if (byQuarter.size === 0) return null;
  const monthly = p.indicator.frequency === 'monthly';
  const years = [
    ...new Set([...byQuarter.keys()].map((q) => (parsePeriodKey(q) as { financialYearStart: number }).financialYearStart)),
  ].sort((a, b) => a - b);
  const rows: QuarterYear[] = [];
  for (let y = years[0]!; y <= years[years.length - 1]!; y++) {
    const quarters = [1, 2, 3, 4].map((n) => {
      const v = byQuarter.get(quarterKey(y, n));
      if (!v || v.length === 0) return null;
      if (!additive) return v.reduce((s, x) => s + x, 0) / v.length;
      if (monthly && v.length < 3) return null;
      return v.reduce((s, x) => s + x, 0);
    });
    const present = quarters.filter((q): q is number => q !== null);
    const total = additive && present.length === 4 ? present.reduce((s, x) => s + x, 0) : null;
    const mean = !additive && present.length > 0 ? present.reduce((s, x) => s + x, 0) / present.length : null;
    rows.push({ year: financialYearKey(y), quarters, complete: present.length, total, mean, change: null, percentChange: null });
  }
  for (let i = 1; i < rows.length; i++) {
    const before = rows[i - 1]!.total ?? rows[i - 1]!.mean;
    const now = rows[i]!.total ?? rows[i]!.mean;
    if (before === null || now === null) continue;
    rows[i]!.change = absoluteChange(before, now);
    rows[i]!.percentChange = pick(() => percentageChange(before, now));
  }
  return rows;
}
