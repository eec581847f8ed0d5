/**
 * The "How we are doing" section of a partnership's public plan page (decision 0021): the latest figure of each
 * indicator the partnership has marked public and that belongs to the published plan (it serves one of the plan's
 * priorities, or no priority of any plan: a partnership-wide measure), still reported now. Each count goes through
 * small-number suppression on its own (src/domain/suppression.ts, the partnership's threshold). There is no total:
 * different indicators measure different things (anti-social behaviour, violence, firearms) and are never added up.
 * A figure from before the plan's first year says so. Only display strings leave this module, so a suppressed
 * count cannot reach the page.
 */
import type { Kysely } from 'kysely';
import type { Database, IndicatorUnit } from '../../adapters/database/schema.ts';
import { financialYearKey, suppressCount, type SuppressedFigure } from '../../domain/index.ts';
import { label, suppressionThreshold, UNIT_LABELS } from './indicators.ts';
import { partnershipPerformance, type IndicatorPerformance } from './performance.ts';
import { servingIndicators } from '../plans/planTargets.ts';
import type { PlanDocument } from '../plans/plans.ts';

export interface PublicIndicatorRow {
  title: string;
  /** The period the figure is for, named ("Q2 2019/20"); empty when there is no usable figure. */
  period: string;
  unit: string;
  figure: SuppressedFigure;
  /** True when the figure is for a period before the plan's first year. */
  beforePlan: boolean;
}

export interface PublicPerformance {
  threshold: number;
  rows: PublicIndicatorRow[];
  /** The first financial year of the plan version ("2016/17"): figures before it are marked. */
  planFrom: string;
  anyBeforePlan: boolean;
}

/** A figure as the public sees it: counts suppressed below the threshold, other units with their sign. */
export function publicFigure(value: number, unit: IndicatorUnit, threshold: number): SuppressedFigure {
  if (unit === 'count') return suppressCount(Math.max(0, Math.round(value)), { threshold });
  const n = value.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  switch (unit) {
    case 'percentage':
      return { display: `${n}%`, suppressed: null };
    case 'money':
      return { display: `£${n}`, suppressed: null };
    case 'rate_per_1000':
      return { display: `${n} per 1,000 population`, suppressed: null };
    case 'rate_per_100000':
      return { display: `${n} per 100,000 population`, suppressed: null };
    default:
      return { display: n, suppressed: null };
  }
}

/** What the public page shows for a measure whose stored figures cannot be used (the partnership's pages say why). */
const NOT_AVAILABLE: SuppressedFigure = { display: 'Not available', suppressed: null };

/** The ids of the public indicators of a published plan version: serving its priorities, or no priority at all. */
export async function publicIndicatorIds(
  db: Kysely<Database>,
  partnershipId: number,
  doc: PlanDocument,
  all: Pick<IndicatorPerformance, 'indicator'>[],
): Promise<Set<number>> {
  const serving = new Set([...(await servingIndicators(db, partnershipId, doc)).values()].flatMap((s) => [...s]));
  return new Set(
    all
      .filter(
        (p) =>
          p.indicator.is_public === 1 &&
          (serving.has(p.indicator.id) || (p.indicator.priorityIds.length === 0 && p.indicator.objectiveIds.length === 0)),
      )
      .map((p) => p.indicator.id),
  );
}

export async function publicPerformance(db: Kysely<Database>, partnershipId: number, doc: PlanDocument): Promise<PublicPerformance> {
  const [all, threshold] = await Promise.all([
    // latestOnly: indicators still reported now (retired ones leave), each worked out for its latest period only.
    partnershipPerformance(db, partnershipId, { latestOnly: true }),
    suppressionThreshold(db, partnershipId),
  ]);
  const ids = await publicIndicatorIds(db, partnershipId, doc, all);
  const usable = (p: IndicatorPerformance) => p.problems.length === 0;
  const shown = all.filter((p) => ids.has(p.indicator.id) && ((p.latest !== null && p.latest.value !== null) || !usable(p)));
  const planYear = doc.version.year;
  const rows = shown.map((p): PublicIndicatorRow => {
    const unit = UNIT_LABELS[p.indicator.unit];
    if (!usable(p)) return { title: label(p.indicator), period: '', unit, figure: NOT_AVAILABLE, beforePlan: false };
    const latest = p.latest!;
    const first = latest.period.slice(0, 4);
    const fy = /^\d{4}-\d{2}$/.test(latest.period) && Number(latest.period.slice(5)) < 4 ? Number(first) - 1 : Number(first);
    return {
      title: label(p.indicator),
      period: latest.label,
      unit,
      figure: publicFigure(latest.value!, p.indicator.unit, threshold),
      beforePlan: fy < planYear,
    };
  });
  return { threshold, rows, planFrom: financialYearKey(planYear), anyBeforePlan: rows.some((r) => r.beforePlan) };
}
