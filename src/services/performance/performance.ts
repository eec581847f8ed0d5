/**
 * Computed performance: gathers each indicator's figures, targets, baseline, overrides, the partnership's
 * populations and tolerance from the database and hands them to the pure calculation in
 * src/domain/indicatorPerformance.ts, which works out every figure (or says why it cannot).
 */
import type { Kysely } from 'kysely';
import type { Database, Figure, IndicatorSpcMark, RagOverrideRecord } from '../../adapters/database/schema.ts';
import {
  absoluteChange,
  calculateIndicator,
  comparePeriods,
  financialYearKey,
  formatPeriodLabel,
  isAdditive,
  isLiveIn,
  isLiveInMonth,
  monthOfTimestamp,
  parsePeriodKey,
  percentageChange,
  quarterKey,
  quarterOfMonth,
  type IndicatorCalculation,
  type IndicatorDefinition,
  type IndicatorInputs,
} from '../../domain/index.ts';
import {
  amberTolerance,
  suppressionThreshold,
  getIndicator,
  listIndicatorDetails,
  normalisePeriod,
  targetText,
  toDomainTarget,
  trajectoryOf,
  type IndicatorDetails,
} from './indicators.ts';
import { nowIso } from '../../adapters/clock.ts';
import { ValidationError } from '../../domain/errors.ts';
import { listFigures } from './figures.ts';
import { listSpcMarks, spcSettingsOf } from './spcMarks.ts';

export type { PeriodPerformance, PeriodReasons } from '../../domain/index.ts';
import type { PeriodPerformance } from '../../domain/index.ts';
import { populationsForRates } from '../evidence/officialData.ts';

export interface IndicatorPerformance extends IndicatorCalculation {
  indicator: IndicatorDetails;
  /** The indicator's XmR change dates and excluded or annotated points (issue 16). */
  spcMarks: IndicatorSpcMark[];
}

/** The plain values the domain works an indicator out from. */
function definitionOf(indicator: IndicatorDetails, spcMarks: IndicatorSpcMark[]): IndicatorDefinition {
  return {
    spc: spcSettingsOf(spcMarks),
    unit: indicator.unit,
    polarity: indicator.polarity,
    baseline: indicator.baseline,
    targets: indicator.targets.map((t) => ({
      byPeriod: t.by_period,
      target: toDomainTarget(t),
      text: targetText(t),
      tier: t.tier,
      label: t.label,
    })),
    trajectory: trajectoryOf(indicator),
  };
}

function performanceOf(
  indicator: IndicatorDetails,
  inputs: Omit<IndicatorInputs, 'definition'>,
  options: { latestOnly?: boolean } = {},
  spcMarks: IndicatorSpcMark[] = [],
): IndicatorPerformance {
  return { indicator, spcMarks, ...calculateIndicator({ definition: definitionOf(indicator, spcMarks), ...inputs }, options) };
}

/**
 * The populations rates use, by year: the ONS mid-year estimates of the partnership's area where a platform
 * administrator has imported them (its linked CSP, or its assessment area's local authorities), else those typed in.
 */
async function populations(db: Kysely<Database>, partnershipId: number) {
  return populationsForRates(db, partnershipId);
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
  return performanceOf(
    indicator,
    {
      figures: await listFigures(db, partnershipId, indicatorId),
      overrides: await overridesOf(db, partnershipId, indicatorId),
      populations: await populations(db, partnershipId),
      tolerance: await amberTolerance(db, partnershipId),
    },
    {},
    await listSpcMarks(db, partnershipId, indicatorId),
  );
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
  const [allIndicators, figures, overrides, pops, tolerance, marks] = await Promise.all([
    listIndicatorDetails(db, partnershipId),
    // Only the columns the calculations need, current figures only, in one query for every indicator.
    db
      .selectFrom('figures')
      .select(['indicator_id', 'period', 'value', 'numerator', 'denominator'])
      .where('partnership_id', '=', partnershipId)
      .where('superseded_at', 'is', null)
      .execute(),
    overridesOf(db, partnershipId),
    populations(db, partnershipId),
    amberTolerance(db, partnershipId),
    // The XmR settings matter only where the XmR view is worked out (not for latest-only views).
    options.latestOnly ? Promise.resolve([] as IndicatorSpcMark[]) : listSpcMarks(db, partnershipId),
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
  const byIndicator = new Map<number, Pick<Figure, 'period' | 'value' | 'numerator' | 'denominator'>[]>();
  for (const f of figures) {
    const list = byIndicator.get(f.indicator_id);
    if (list) list.push(f);
    else byIndicator.set(f.indicator_id, [f]);
  }
  return indicators.map((indicator) =>
    performanceOf(
      indicator,
      {
        figures: byIndicator.get(indicator.id) ?? [],
        overrides: overrides.filter((o) => o.indicator_id === indicator.id),
        populations: pops,
        tolerance,
      },
      options,
      marks.filter((m) => m.indicator_id === indicator.id),
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
  const additive = isAdditive(p.indicator.unit);
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
    rows[i]!.percentChange = before < 0 || now < 0 ? null : percentageChange(before, now);
  }
  return rows;
}

/**
 * One indicator's computed figures for the periods from `from` to `to` (each optional, typed as people write
 * periods of the indicator's frequency); a period that cannot be read is refused naming its field.
 */
export async function indicatorPerformanceBetween(
  db: Kysely<Database>,
  partnershipId: number,
  indicatorId: number,
  range: { from?: string; to?: string },
): Promise<{ performance: IndicatorPerformance; periods: PeriodPerformance[] }> {
  const p = await indicatorPerformance(db, partnershipId, indicatorId);
  const check = (v: string | undefined, field: string) => {
    if (!v) return undefined;
    const n = normalisePeriod(v, p.indicator.frequency);
    if ('error' in n) throw new ValidationError([{ field, message: n.error }]);
    return n.key;
  };
  const from = check(range.from, 'from');
  const to = check(range.to, 'to');
  const periods = p.periods.filter((x) => (!from || comparePeriods(x.period, from) >= 0) && (!to || comparePeriods(x.period, to) <= 0));
  return { performance: p, periods };
}

/** What the dashboard shows: every indicator's latest period worked out in full, and the partnership's settings. */
export async function performanceDashboard(
  db: Kysely<Database>,
  partnershipId: number,
): Promise<{ indicators: IndicatorPerformance[]; tolerance: number; suppressionThreshold: number }> {
  const [indicators, tolerance, threshold] = await Promise.all([
    partnershipPerformance(db, partnershipId, { latestOnly: true }),
    amberTolerance(db, partnershipId),
    suppressionThreshold(db, partnershipId),
  ]);
  return { indicators, tolerance, suppressionThreshold: threshold };
}
