/**
 * The strategic assessment's charts and tables, defined once for the pages (src/http/web/features/assessment/)
 * and the document (documents/assessmentDocument.ts): each chart's spec made from the figures, the rows of each
 * table with their numbers formatted, and the few number formats they share, so a page and the document show
 * the same figures in the same words. A caller chooses only what differs by medium: the chart's id (unique on a
 * page or in a document) and, for two charts, a title, description or order of its own.
 *
 * The number formats here are the assessment's own; they move to src/presentation/formats.ts once that is shared.
 */
import { ALL_CRIME, windowLabel, type ChangeFigures, type StrategicAssessment } from '../domain/crimeAssessment.ts';
import type { CalendarMonthProfile } from '../domain/seasonality.ts';
import type { AreaComparison } from '../domain/areaComparison.ts';
import { CRITERIA, CRITERION_LABELS, type CriteriaWeights, type ScoredIssue } from '../domain/priorityMatrix.ts';
import { formatPeriodLabel, roundHalfAwayFromZero } from '../domain/index.ts';
import { formatNumber, type ChartSpec } from './charts/index.ts';
import type { DeprivationProfile } from '../domain/deprivation.ts';
import type { HexGrid } from '../domain/hexBins.ts';

type BarChart = Extract<ChartSpec, { type: 'horizontalBar' }>;
type LineChart = Extract<ChartSpec, { type: 'line' }>;

/** 12.3 (one decimal place, rounded half away from zero). */
export const oneDecimal = (n: number): string => formatNumber(roundHalfAwayFromZero(n, 1), 1);
/** A rate per 1,000 people to two decimal places; 'No population' when there is none. */
export const rateText = (n: number | null | undefined): string =>
  n === null || n === undefined ? 'No population' : formatNumber(roundHalfAwayFromZero(n, 2), 2);
/** '+12' for a rise, '-12' for a fall: `text` is the number already formatted. */
export const signed = (n: number, text: string): string => `${n > 0 ? '+' : ''}${text}`;

/** A change row as the analysis page and the document both show it. */
export interface ChangeRow {
  label: string;
  previous: string;
  current: string;
  rate: string;
  change: string;
  percentage: string;
  significance: string;
  significant: boolean;
}

export function changeRow(f: ChangeFigures): ChangeRow {
  const s = f.significance;
  return {
    label: f.label,
    previous: formatNumber(f.previous),
    current: formatNumber(f.current),
    rate: f.currentRate === null ? 'No population' : oneDecimal(f.currentRate),
    change: signed(f.absoluteChange, formatNumber(f.absoluteChange)),
    percentage: f.percentageChange === null ? 'n/a' : `${signed(f.percentageChange, oneDecimal(f.percentageChange))}%`,
    significance: s.smallNumbers ? `${s.label} (small numbers)` : s.label,
    significant: s.significant,
  };
}

/** Crimes of each type in the latest 12 months. */
export function crimeTypesChart(a: StrategicAssessment, id: string): BarChart {
  return {
    type: 'horizontalBar',
    id,
    title: 'Crime by type',
    description: `Crimes of each type, ${windowLabel(a.current.from, a.current.to)}.`,
    items: a.byCrimeType.map((f) => ({ label: f.label, value: f.current })),
    seriesName: 'Crimes',
    categoryAxisLabel: 'Crime type',
  };
}

/** The percentage change of each crime type, largest fall first. */
export function changeByTypeChart(a: StrategicAssessment, id: string): BarChart {
  return {
    type: 'horizontalBar',
    id,
    title: 'Percentage change by crime type',
    description: `The percentage change in each crime type from ${windowLabel(a.previous.from, a.previous.to)} to ${windowLabel(a.current.from, a.current.to)}; types with none in the earlier year have no percentage.`,
    items: a.byCrimeType.map((f) => ({ label: f.label, value: f.percentageChange })),
    sort: 'ascending',
    seriesName: '% change',
    categoryAxisLabel: 'Crime type',
    units: 'Percentage change',
    formatValue: (n) => `${signed(n, oneDecimal(n))}%`,
  };
}

/** Crime and ASB in each month of both windows. */
export function monthlyTrendChart(a: StrategicAssessment, id: string): LineChart {
  return {
    type: 'line',
    id,
    title: 'Crime and anti-social behaviour by month',
    description: `Records per month from ${windowLabel(a.previous.from, a.current.to)}.`,
    categories: a.monthly.map((m) => formatPeriodLabel(m.month)),
    series: [
      { name: 'All crime (excluding ASB)', values: a.monthly.map((m) => m.crime) },
      { name: 'Anti-social behaviour', values: a.monthly.map((m) => m.asb) },
    ],
    categoryAxisLabel: 'Month',
    units: 'records',
  };
}

const oneDecimalOrNull = (n: number | null) => (n === null ? null : roundHalfAwayFromZero(n, 1));

/** The average crime and ASB in each calendar month. */
export function seasonalityChart(profile: readonly CalendarMonthProfile[], id: string): LineChart {
  return {
    type: 'line',
    id,
    title: 'Average crime and anti-social behaviour by calendar month',
    description: 'The average number of records in each calendar month over every month of police.uk data held for the area.',
    categories: profile.map((p) => p.name),
    series: [
      { name: 'All crime (excluding ASB)', values: profile.map((p) => oneDecimalOrNull(p.crimeAverage)) },
      { name: 'Anti-social behaviour', values: profile.map((p) => oneDecimalOrNull(p.asbAverage)) },
    ],
    categoryAxisLabel: 'Calendar month',
    units: 'average records',
  };
}

/** The month-of-year profile, one row per calendar month. */
export function seasonalityRows(
  profile: readonly CalendarMonthProfile[],
): { name: string; years: string; crime: string; crimeIndex: string; asb: string; asbIndex: string }[] {
  const one = (n: number | null) => (n === null ? 'No data' : oneDecimal(n));
  return profile.map((p) => ({
    name: p.name,
    years: formatNumber(p.years),
    crime: one(p.crimeAverage),
    crimeIndex: one(p.crimeIndex),
    asb: one(p.asbAverage),
    asbIndex: one(p.asbIndex),
  }));
}

const lsoaLabel = (h: { name: string; code: string }) => `${h.name} (${h.code})`;

/** Crime in the LSOAs with the most. */
export function hotspotsChart(a: StrategicAssessment, id: string): BarChart {
  return {
    type: 'horizontalBar',
    id,
    title: 'LSOAs with the most crime',
    description: `Crime (excluding ASB) in the ${a.hotspots.top.length} LSOAs with the most, ${windowLabel(a.current.from, a.current.to)}.`,
    items: a.hotspots.top.map((h) => ({ label: lsoaLabel(h), value: h.count })),
    seriesName: 'Crimes',
    categoryAxisLabel: 'LSOA',
  };
}

/** The LSOAs with the most crime and their share of the area's crime. */
export function hotspotRows(a: StrategicAssessment): { lsoa: string; crimes: string; share: string }[] {
  return a.hotspots.top.map((h) => ({ lsoa: lsoaLabel(h), crimes: formatNumber(h.count), share: `${oneDecimal(h.share * 100)}%` }));
}

/** The top 10% of LSOAs' share of the area's crime ('56.3'); null when there was no crime. */
export function topDecileShareText(a: StrategicAssessment): string | null {
  return a.hotspots.topDecileShare === null ? null : oneDecimal(a.hotspots.topDecileShare * 100);
}

/** The latest 12 months' crimes by last outcome. */
export function outcomesChart(a: StrategicAssessment, id: string): BarChart {
  const window = windowLabel(a.current.from, a.current.to);
  return {
    type: 'horizontalBar',
    id,
    title: 'Last outcome of the latest 12 months’ crimes',
    description: `The number of crimes of ${window} by the last outcome recorded.`,
    items: a.outcomes.map((o) => ({ label: o.outcome, value: o.count })),
    seriesName: 'Crimes',
    categoryAxisLabel: 'Outcome',
  };
}

/** Each outcome with its crimes and their share ('12.3%'). */
export function outcomeRows(a: StrategicAssessment): { outcome: string; count: string; share: string }[] {
  return a.outcomes.map((o) => ({ outcome: o.outcome, count: formatNumber(o.count), share: `${oneDecimal(o.share * 100)}%` }));
}

/**
 * One type's rate per 1,000 people in the partnership (highlighted), each comparator and the group average,
 * largest first unless `sort` says otherwise.
 */
export function comparisonChart(
  c: AreaComparison,
  subjectName: string,
  type: string,
  options: { id: string; sort?: 'descending' | 'none'; description?: string },
): BarChart {
  return {
    type: 'horizontalBar',
    id: options.id,
    title: `${type}: rate per 1,000 people`,
    description:
      options.description ??
      `${type} per 1,000 people from ${windowLabel(c.window.from, c.window.to)}: ${subjectName} (highlighted), each comparator and the group average.`,
    items: [
      { label: subjectName, value: c.subject.rates[type] ?? null, highlight: true },
      ...c.comparators.map((a) => ({ label: a.name, value: a.rates[type] ?? null })),
      { label: 'Group average', value: c.groupAverage[type] ?? null },
    ].map((i) => ({ ...i, value: i.value === null ? null : roundHalfAwayFromZero(i.value, 2) })),
    ...(options.sort ? { sort: options.sort } : {}),
    seriesName: 'Rate per 1,000',
    categoryAxisLabel: 'Area',
    units: 'Rate per 1,000 people',
  };
}

/** Rates per 1,000 people by type (rows) for each area and the group average (columns). */
export function comparisonRatesTable(c: AreaComparison): {
  categoryHeader: string;
  categories: string[];
  columns: { name: string; values: string[] }[];
} {
  return {
    categoryHeader: 'Type',
    categories: c.types,
    columns: [
      ...[c.subject, ...c.comparators].map((a) => ({ name: a.name, values: c.types.map((t) => rateText(a.rates[t])) })),
      { name: 'Group average', values: c.types.map((t) => rateText(c.groupAverage[t])) },
    ],
  };
}

/** The areas compared: population, LSOAs and crimes (excluding ASB). */
export function areasComparedRows(c: AreaComparison): { name: string; population: string; lsoas: string; crimes: string }[] {
  return [c.subject, ...c.comparators].map((a) => ({
    name: a.name,
    population: a.population === null ? 'Not recorded' : formatNumber(a.population),
    lsoas: formatNumber(a.lsoaCount),
    crimes: formatNumber(a.counts[ALL_CRIME] ?? 0),
  }));
}

/** Each criterion's label and weight. */
export function matrixWeights(weights: CriteriaWeights): { label: string; weight: string }[] {
  return CRITERIA.map((c) => ({ label: CRITERION_LABELS[c], weight: formatNumber(weights[c]) }));
}

/** The heading of the volume column: volume is scored on counts or on rates. */
export const volumeHeader = (rateBasis: boolean): string => (rateBasis ? 'Rate per 1,000' : 'Count');

export interface MatrixRow {
  rank: string;
  name: string;
  volume: string;
  /** '12.3%'; 'n/a' without a previous count; 'No data' for an issue without police.uk figures. */
  change: string;
  significant: string;
  harm: string;
  concern: string;
  /** One per criterion, in CRITERIA's order. */
  scores: string[];
  score: string;
}

/** A ranked issue of the priority-setting matrix, its figures formatted. */
export function matrixRow(r: ScoredIssue, rateBasis: boolean): MatrixRow {
  const noData = r.count === null;
  return {
    rank: String(r.rank),
    name: r.name,
    volume: noData ? 'No data' : rateBasis ? rateText(r.rate) : formatNumber(r.count ?? 0),
    change: noData ? 'No data' : r.percentageChange === null ? 'n/a' : `${oneDecimal(r.percentageChange)}%`,
    significant: noData ? '' : r.significant ? 'Significant' : 'Not significant',
    harm: formatNumber(r.harmWeight),
    concern: r.concern === null ? 'Not entered' : `${formatNumber(r.concern)}%`,
    scores: CRITERIA.map((c) => oneDecimal(r.scores[c])),
    score: oneDecimal(r.score),
  };
}

/** The weighted score of each ranked issue, in rank order. */
export function matrixScoresChart(ranked: readonly ScoredIssue[], options: { id: string; title: string }): BarChart {
  return {
    type: 'horizontalBar',
    id: options.id,
    title: options.title,
    description: 'The weighted score (0 to 100) of each issue in the priority-setting matrix, highest first.',
    items: ranked.map((r) => ({ label: `${r.rank}. ${r.name}`, value: roundHalfAwayFromZero(r.score, 1) })),
    sort: 'none',
    seriesName: 'Weighted score',
    categoryAxisLabel: 'Issue',
  };
}

type GroupedBarChart = Extract<ChartSpec, { type: 'groupedBar' }>;

/** 'Decile 1 (most deprived)' … 'Decile 10 (least deprived)'. */
export const decileLabel = (d: number): string => `Decile ${d}${d === 1 ? ' (most deprived)' : d === 10 ? ' (least deprived)' : ''}`;

/** Crime and ASB per 1,000 residents in each IMD decile of the area's LSOAs. */
export function deprivationChart(p: DeprivationProfile, window: string, id: string): GroupedBarChart {
  return {
    type: 'groupedBar',
    id,
    title: 'Crime and anti-social behaviour by deprivation decile',
    description: `Crime (excluding ASB) and anti-social behaviour per 1,000 residents in the area's LSOAs of each Index of Multiple Deprivation 2019 decile (1 = the most deprived 10% in England), ${window}. Deciles with no LSOA of the area have no bar.`,
    categories: p.deciles.map((d) => String(d.decile)),
    series: [
      { name: 'Crime per 1,000', values: p.deciles.map((d) => d.crimeRate) },
      { name: 'ASB per 1,000', values: p.deciles.map((d) => d.asbRate) },
    ],
    categoryAxisLabel: 'IMD decile (1 = most deprived)',
    units: 'Per 1,000 residents',
    formatValue: (v: number) => formatNumber(roundHalfAwayFromZero(v, 1), 1),
  };
}

export interface DecileRow {
  decile: string;
  lsoas: string;
  lsoaShare: string;
  population: string;
  crime: string;
  crimeRate: string;
  crimeShare: string;
  asb: string;
  asbRate: string;
  asbShare: string;
}

const shareText = (s: number | null) => (s === null ? 'n/a' : `${oneDecimal(s * 100)}%`);
const perThousand = (r: number | null) => (r === null ? 'No residents' : oneDecimal(r));

/** The figures of each decile as the page and the document show them. */
export function decileRows(p: DeprivationProfile): DecileRow[] {
  return p.deciles.map((d) => ({
    decile: decileLabel(d.decile),
    lsoas: formatNumber(d.lsoas),
    lsoaShare: shareText(d.lsoaShare),
    population: formatNumber(d.population),
    crime: formatNumber(d.crime),
    crimeRate: perThousand(d.crimeRate),
    crimeShare: shareText(d.crimeShare),
    asb: formatNumber(d.asb),
    asbRate: perThousand(d.asbRate),
    asbShare: shareText(d.asbShare),
  }));
}

/** What the deprivation figures say in a sentence or two. */
export function deprivationSummary(p: DeprivationProfile): string {
  const top = p.deciles[0]!.lsoas + p.deciles[1]!.lsoas;
  const parts = [
    `${formatNumber(p.lsoasWithDecile)} of the area's LSOAs are in the indices; ${formatNumber(top)} of them (${shareText(p.lsoasWithDecile ? top / p.lsoasWithDecile : null)}) are among the 20% most deprived in England.`,
  ];
  if (p.mostDeprivedCrimeRatio !== null)
    parts.push(
      `Those two most deprived deciles had ${oneDecimal(p.mostDeprivedCrimeRatio)} times their share of residents' crime (1 would be their fair share).`,
    );
  if (p.lsoasWithout.length)
    parts.push(
      `${formatNumber(p.lsoasWithout.length)} LSOA${p.lsoasWithout.length === 1 ? ' is' : 's are'} not in the indices (${p.lsoasWithout.slice(0, 5).join(', ')}${p.lsoasWithout.length > 5 ? '…' : ''}); their ${formatNumber(p.crimeWithout)} crimes and ${formatNumber(p.asbWithout)} ASB incidents are left out of the deciles.`,
    );
  return parts.join(' ');
}

/** 'crime' → 'Crime (excluding anti-social behaviour)'. */
export const MAP_KIND_LABELS: Record<'crime' | 'asb', string> = {
  crime: 'Crime (excluding anti-social behaviour)',
  asb: 'Anti-social behaviour',
};

const sideText = (m: number) => (m >= 1000 ? `${formatNumber(m / 1000, m % 1000 ? 1 : 0)} km` : `${formatNumber(m)} m`);

/** The map's title and its text alternative: what is drawn, the size of the hexagons, the busiest places. */
export function hexMapText(grid: HexGrid, kind: 'crime' | 'asb', window: string): { title: string; description: string } {
  const what = MAP_KIND_LABELS[kind];
  const title = `${what}: density map, ${window}`;
  if (grid.hexagons.length === 0)
    return {
      title,
      description: `No ${kind === 'asb' ? 'anti-social behaviour' : 'crime'} with a map point was recorded in the area from ${window}.`,
    };
  const top = grid.hexagons[0]!;
  return {
    title,
    description: `${formatNumber(grid.total)} records with a map point in ${formatNumber(grid.hexagons.length)} hexagons ${sideText(grid.radius * Math.sqrt(3))} across, north at the top; darker hexagons hold more. The busiest hexagon, centred at latitude ${top.latitude}, longitude ${top.longitude}, holds ${formatNumber(top.count)} (${oneDecimal((top.count / grid.total) * 100)}% of the records). The table gives the busiest hexagons.`,
  };
}

/** The busiest hexagons with their centres, counts and shares, for the table beside the map. */
export function hexRows(grid: HexGrid, limit = 15): { rank: string; centre: string; count: string; share: string }[] {
  return grid.hexagons.slice(0, limit).map((h, i) => ({
    rank: String(i + 1),
    centre: `${h.latitude.toFixed(5)}, ${h.longitude.toFixed(5)}`,
    count: formatNumber(h.count),
    share: grid.total ? `${oneDecimal((h.count / grid.total) * 100)}%` : 'n/a',
  }));
}
