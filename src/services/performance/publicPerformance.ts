/**
 * The "How we are doing" section of a partnership's public summary: the latest figure of each indicator the
 * partnership has marked public, with small-number suppression applied to counts (src/domain/suppression.ts).
 * Only display strings leave this module, so a suppressed count cannot reach the page.
 */
import type { Kysely } from 'kysely';
import type { Database, IndicatorUnit } from '../../adapters/database/schema.ts';
import { formatPeriodLabel, suppressGroup, type SuppressedFigure } from '../../domain/index.ts';
import { label, suppressionThreshold, UNIT_LABELS } from './indicators.ts';
import { partnershipPerformance } from './performance.ts';

export interface PublicIndicatorRow {
  title: string;
  period: string;
  unit: string;
  figure: SuppressedFigure;
}

export interface PublicPerformance {
  threshold: number;
  /** Count indicators, suppressed as one group. */
  counts: PublicIndicatorRow[];
  /** The total of the counts, when they are all for the same period and there are two or more; null otherwise. */
  countsTotal: { period: string; figure: SuppressedFigure } | null;
  /** Rates, percentages, scores and money, shown as they are. */
  others: PublicIndicatorRow[];
}

function shown(value: number, unit: IndicatorUnit): string {
  const n = value.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  switch (unit) {
    case 'percentage':
      return `${n}%`;
    case 'money':
      return `£${n}`;
    case 'rate_per_1000':
      return `${n} per 1,000 population`;
    case 'rate_per_100000':
      return `${n} per 100,000 population`;
    default:
      return n;
  }
}

/** What the public page shows for a measure whose stored figures cannot be used (the partnership's pages say why). */
const NOT_AVAILABLE: SuppressedFigure = { display: 'Not available', suppressed: null };

export async function publicPerformance(db: Kysely<Database>, partnershipId: number): Promise<PublicPerformance> {
  const [all, threshold] = await Promise.all([
    partnershipPerformance(db, partnershipId, { latestOnly: true }),
    suppressionThreshold(db, partnershipId),
  ]);
  // A measure with a stored figure that cannot be used is shown as not available: its latest usable figure may not
  // be its latest figure, and it stays out of the suppression group and its total.
  const usable = (p: (typeof all)[number]) => p.problems.length === 0;
  const latest = all.filter((p) => p.indicator.is_public === 1 && ((p.latest !== null && p.latest.value !== null) || !usable(p)));
  const counts = latest.filter((p) => p.indicator.unit === 'count');
  const grouped = counts.filter(usable);
  const group = suppressGroup(
    grouped.map((p) => Math.max(0, Math.round(p.latest!.value!))),
    { threshold },
  );
  const periods = new Set(grouped.map((p) => p.latest!.period));
  return {
    threshold,
    counts: counts.map((p) =>
      usable(p)
        ? { title: label(p.indicator), period: p.latest!.label, unit: UNIT_LABELS.count, figure: group.cells[grouped.indexOf(p)]! }
        : { title: label(p.indicator), period: '', unit: UNIT_LABELS.count, figure: NOT_AVAILABLE },
    ),
    countsTotal:
      grouped.length >= 2 && grouped.length === counts.length && periods.size === 1
        ? { period: formatPeriodLabel([...periods][0]!), figure: group.total }
        : null,
    others: latest
      .filter((p) => p.indicator.unit !== 'count')
      .map((p) =>
        usable(p)
          ? {
              title: label(p.indicator),
              period: p.latest!.label,
              unit: UNIT_LABELS[p.indicator.unit],
              figure: { display: shown(p.latest!.value!, p.indicator.unit), suppressed: null },
            }
          : { title: label(p.indicator), period: '', unit: UNIT_LABELS[p.indicator.unit], figure: NOT_AVAILABLE },
      ),
  };
}
