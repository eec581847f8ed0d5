/**
 * The figures of a strategic assessment, from the police.uk records in the analytical store: for a
 * partnership's area and a 12-month window against the 12 months before it, counts and rates per 1,000 by
 * crime type, change with its significance, the monthly trend, hotspots and outcomes. SQL does the grouping
 * (a few hundred rows come back); every figure is then made by the domain functions (src/domain), the single
 * source of change, rates and significance everywhere in CSP Hub.
 */
import { listValue } from '@duckdb/node-api';
import {
  addMonths,
  compareCounts,
  monthsBetween,
  parseMonthKey,
  percentageChange,
  ratePer,
  summariseChange,
  type CountComparison,
} from '../../domain/index.ts';
import { ANTI_SOCIAL_BEHAVIOUR, CRIME_TYPES } from '../../domain/policeUkLayout.ts';
import type { CrimeStore } from '../../adapters/crimeStore/store.ts';
import { ValidationError } from '../../domain/errors.ts';

/** A partnership's area: LSOA codes (from a lookup) and/or the local authority names LSOA names start with. */
export interface PartnershipArea {
  lsoaCodes?: readonly string[];
  localAuthorities?: readonly string[];
}

export interface Population {
  year: number;
  population: number;
}

export interface AssessmentRequest {
  area: PartnershipArea;
  /** Last month of the current 12-month window, 'YYYY-MM'. */
  windowEnd: string;
  /** Populations by year (partnership_populations); the year a window ends in is used for its rates. */
  populations?: readonly Population[];
  /** How many top LSOAs to list; default 10. */
  topLsoas?: number;
}

export interface Window {
  from: string;
  to: string;
  months: string[];
}

export interface ChangeFigures {
  label: string;
  previous: number;
  current: number;
  previousRate: number | null;
  currentRate: number | null;
  absoluteChange: number;
  /** Rounded to one decimal place; null when the previous count is 0. */
  percentageChange: number | null;
  /** Wording such as '10.6% decrease (18 fewer)'. */
  summary: string;
  /** Exact conditional test of the two counts (same population assumed across a year). */
  significance: CountComparison;
}

export interface MonthFigures {
  month: string;
  crime: number;
  asb: number;
  byType: Record<string, number>;
}

export interface LsoaFigures {
  code: string;
  name: string;
  count: number;
  /** Share of the area's crime (0-1). */
  share: number;
}

export interface Hotspots {
  /** LSOAs in the area (those with no crime count as zero). */
  lsoaCount: number;
  top: LsoaFigures[];
  /** Number of LSOAs in the top 10% (at least 1). */
  topDecileCount: number;
  /** Share of the area's crime (excluding ASB) in the top 10% of its LSOAs (0-1); null when there is no crime. */
  topDecileShare: number | null;
}

export interface OutcomeFigures {
  outcome: string;
  count: number;
  share: number;
}

export interface StrategicAssessment {
  current: Window;
  previous: Window;
  /** Population used for the current and previous windows' rates (null when none is recorded). */
  currentPopulation: number | null;
  previousPopulation: number | null;
  lsoaCount: number;
  /** 'All crime' (excluding ASB), then 'Anti-social behaviour', then each crime type by current volume. */
  totals: ChangeFigures[];
  byCrimeType: ChangeFigures[];
  monthly: MonthFigures[];
  hotspots: Hotspots;
  /** Last outcome of the current window's crimes (ASB has none), largest first. */
  outcomes: OutcomeFigures[];
  /** Months in either window with no records at all for the area: the comparison is incomplete. */
  missingMonths: string[];
}

export const ALL_CRIME = 'All crime (excluding anti-social behaviour)';

export function windows(windowEnd: string): { current: Window; previous: Window } {
  parseMonthKey(windowEnd);
  const currentFrom = addMonths(windowEnd, -11);
  const previousTo = addMonths(windowEnd, -12);
  const previousFrom = addMonths(windowEnd, -23);
  return {
    current: { from: currentFrom, to: windowEnd, months: monthsBetween(currentFrom, windowEnd) },
    previous: { from: previousFrom, to: previousTo, months: monthsBetween(previousFrom, previousTo) },
  };
}

/** The population of the latest year not after the year the window ends in (else the earliest recorded). */
export function populationFor(populations: readonly Population[], windowEnd: string): number | null {
  if (populations.length === 0) return null;
  const year = parseMonthKey(windowEnd).year;
  const sorted = [...populations].sort((a, b) => a.year - b.year);
  const before = sorted.filter((p) => p.year <= year);
  return (before.at(-1) ?? sorted[0])?.population ?? null;
}

/** The LSOA codes of an area: the codes given plus those whose names start with the local authorities named. */
export async function resolveArea(store: CrimeStore, area: PartnershipArea): Promise<string[]> {
  const codes = new Set(area.lsoaCodes ?? []);
  const names = (area.localAuthorities ?? []).map((n) => n.trim()).filter((n) => n !== '');
  if (names.length > 0) {
    const rows = await store.query<{ code: string }>(`SELECT code FROM lsoas WHERE local_authority IN (SELECT unnest($names))`, {
      names: listValue(names),
    });
    for (const r of rows) codes.add(r.code);
  }
  return [...codes].sort();
}

function changeFigures(label: string, previous: number, current: number, previousPopulation: number | null, currentPopulation: number | null): ChangeFigures {
  const summary = summariseChange(previous, current);
  return {
    label,
    previous,
    current,
    previousRate: previousPopulation ? ratePer(previous, previousPopulation) : null,
    currentRate: currentPopulation ? ratePer(current, currentPopulation) : null,
    absoluteChange: summary.absoluteChange,
    percentageChange: percentageChange(previous, current),
    summary: summary.text,
    significance: compareCounts(previous, current),
  };
}

/** Builds the strategic assessment figures for an area and window. */
export async function strategicAssessment(store: CrimeStore, request: AssessmentRequest): Promise<StrategicAssessment> {
  let w: ReturnType<typeof windows>;
  try {
    w = windows(request.windowEnd);
  } catch {
    throw new ValidationError([{ field: 'windowEnd', message: 'Enter the last month of the assessment year as YYYY-MM' }]);
  }
  const codes = await resolveArea(store, request.area);
  if (codes.length === 0) {
    throw new ValidationError([{ field: 'area', message: 'The area has no LSOAs: give LSOA codes or a local authority name found in the imported data' }]);
  }
  // Only the forces that report in these LSOAs: rows are stored file by file, so DuckDB skips the row groups of
  // every other force without reading them (a partnership's area is in one or two of the 44 forces).
  const forces = (
    await store.query<{ force: string }>(`SELECT DISTINCT force FROM lsoa_forces WHERE code IN (SELECT unnest($codes)) ORDER BY force`, {
      codes: listValue(codes),
    })
  ).map((r) => r.force);
  const forceList = forces.length ? forces.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ') : 'NULL';
  const area = { codes: listValue(codes), from: w.previous.from, to: w.current.to };
  const inArea = `force IN (${forceList}) AND month BETWEEN $from AND $to AND lsoa_code IN (SELECT unnest($codes))`;

  // One pass over the area's records (a materialised CTE), grouped three ways: by month and type, by LSOA and by
  // outcome (the latter two for the current window's crime, ASB excluded).
  const grouped = await store.query<{ kind: 'month' | 'lsoa' | 'outcome'; k1: string | null; k2: string | null; n: number }>(
    `WITH area AS MATERIALIZED (SELECT month, crime_type, lsoa_code, lsoa_name, outcome FROM street_records WHERE ${inArea})
     SELECT 'month' AS kind, month AS k1, crime_type AS k2, count(*) AS n FROM area GROUP BY month, crime_type
     UNION ALL
     SELECT 'lsoa', lsoa_code, max(lsoa_name), count(*) FROM area WHERE month >= $currentFrom AND crime_type <> '${ANTI_SOCIAL_BEHAVIOUR}' GROUP BY lsoa_code
     UNION ALL
     SELECT 'outcome', outcome, NULL, count(*) FROM area WHERE month >= $currentFrom AND crime_type <> '${ANTI_SOCIAL_BEHAVIOUR}' GROUP BY outcome`,
    { ...area, currentFrom: w.current.from },
  );
  const byMonthType = grouped.filter((r) => r.kind === 'month').map((r) => ({ month: r.k1 as string, crime_type: r.k2 as string, n: r.n }));
  const lsoaCounts = grouped
    .filter((r) => r.kind === 'lsoa')
    .map((r) => ({ code: r.k1 as string, name: r.k2 as string, n: r.n }))
    .sort((a, b) => b.n - a.n || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const outcomeCounts = grouped
    .filter((r) => r.kind === 'outcome')
    .map((r) => ({ outcome: r.k1, n: r.n }))
    .sort((a, b) => b.n - a.n || ((a.outcome ?? '\uffff') < (b.outcome ?? '\uffff') ? -1 : (a.outcome ?? '\uffff') > (b.outcome ?? '\uffff') ? 1 : 0));

  const currentMonths = new Set(w.current.months);
  const count = (type: string | null, inCurrent: boolean) =>
    byMonthType
      .filter((r) => currentMonths.has(r.month) === inCurrent && (type === null ? r.crime_type !== ANTI_SOCIAL_BEHAVIOUR : r.crime_type === type))
      .reduce((s, r) => s + r.n, 0);
  const currentPopulation = populationFor(request.populations ?? [], w.current.to);
  const previousPopulation = populationFor(request.populations ?? [], w.previous.to);
  const figures = (label: string, type: string | null) =>
    changeFigures(label, count(type, false), count(type, true), previousPopulation, currentPopulation);

  const byCrimeType = CRIME_TYPES.filter((t) => t !== ANTI_SOCIAL_BEHAVIOUR)
    .map((t) => figures(t, t))
    .sort((a, b) => b.current - a.current || a.label.localeCompare(b.label));
  const totals = [figures(ALL_CRIME, null), figures(ANTI_SOCIAL_BEHAVIOUR, ANTI_SOCIAL_BEHAVIOUR)];

  const monthly: MonthFigures[] = [...w.previous.months, ...w.current.months].map((month) => {
    const rows = byMonthType.filter((r) => r.month === month);
    const byType: Record<string, number> = {};
    for (const r of rows) byType[r.crime_type] = r.n;
    const asb = byType[ANTI_SOCIAL_BEHAVIOUR] ?? 0;
    return { month, crime: rows.reduce((s, r) => s + r.n, 0) - asb, asb, byType };
  });

  const crimeTotal = lsoaCounts.reduce((s, r) => s + r.n, 0);
  const topDecileCount = Math.max(1, Math.ceil(codes.length / 10));
  const topDecile = lsoaCounts.slice(0, topDecileCount).reduce((s, r) => s + r.n, 0);
  const hotspots: Hotspots = {
    lsoaCount: codes.length,
    top: lsoaCounts.slice(0, request.topLsoas ?? 10).map((r) => ({ code: r.code, name: r.name, count: r.n, share: crimeTotal ? r.n / crimeTotal : 0 })),
    topDecileCount,
    topDecileShare: crimeTotal ? topDecile / crimeTotal : null,
  };

  const outcomeTotal = outcomeCounts.reduce((s, r) => s + r.n, 0);
  const outcomes = outcomeCounts.map((r) => ({ outcome: r.outcome ?? 'No outcome recorded', count: r.n, share: r.n / outcomeTotal }));

  return {
    current: w.current,
    previous: w.previous,
    currentPopulation,
    previousPopulation,
    lsoaCount: codes.length,
    totals,
    byCrimeType,
    monthly,
    hotspots,
    outcomes,
    missingMonths: monthly.filter((m) => m.crime + m.asb === 0).map((m) => m.month),
  };
}
