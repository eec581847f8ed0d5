/**
 * The further official sources on the strategic assessment (issue 17 item 6, ADR 0046): a Fingertips series of the
 * area with England and the 95% interval as a line chart and a table, and killed or seriously injured road
 * collisions by year as a bar chart and a table. Each chart's figures are the table's.
 */
import { formatNumber, type ChartSpec } from './charts/index.ts';
import type { FingertipsSeries } from '../domain/fingertips.ts';
import type { KsiYear } from '../domain/roadCasualties.ts';

/** A chart with a title and description (every kind but the sparkline). */
type TitledChart = Exclude<ChartSpec, { type: 'sparkline' }>;

const one = (v: number | null) => (v === null ? '' : formatNumber(v, 1));
const whole = (v: number | null) => (v === null ? '' : formatNumber(v, 0));

export function fingertipsChart(s: FingertipsSeries, id: string): TitledChart {
  const p = s.points;
  return {
    type: 'line',
    id,
    title: `${s.indicatorName}: ${s.areaName} and England`,
    description: `${s.indicatorName} (OHID Fingertips indicator ${s.indicatorId}, ${s.sex}, ${s.age}) in ${s.areaName} by time period, with the lower and upper limits of its 95% confidence interval and England's value.`,
    categories: p.map((x) => x.timePeriod),
    series: [
      { name: s.areaName, values: p.map((x) => x.value) },
      { name: 'Lower 95% limit', values: p.map((x) => x.lower95) },
      { name: 'Upper 95% limit', values: p.map((x) => x.upper95) },
      { name: 'England', values: p.map((x) => x.england) },
    ],
    categoryAxisLabel: 'Time period',
    units: 'Value',
    formatValue: (v: number) => formatNumber(v, 1),
  };
}

export interface FingertipsRowView {
  timePeriod: string;
  value: string;
  interval95: string;
  interval998: string;
  count: string;
  denominator: string;
  england: string;
  compared: string;
}

/** The table beside the chart: each period's value and intervals, count and denominator, England, and the comparison. */
export function fingertipsRows(s: FingertipsSeries): FingertipsRowView[] {
  return s.points.map((x) => ({
    timePeriod: x.timePeriod,
    value: x.value === null ? x.valueNote || 'No value' : one(x.value),
    interval95: x.lower95 === null || x.upper95 === null ? '' : `${one(x.lower95)} to ${one(x.upper95)}`,
    interval998: x.lower998 === null || x.upper998 === null ? '' : `${one(x.lower998)} to ${one(x.upper998)}`,
    count: whole(x.count),
    denominator: whole(x.denominator),
    england: one(x.england),
    compared: x.comparedToEngland,
  }));
}

export function roadsChart(years: readonly KsiYear[], id: string): TitledChart {
  return {
    type: 'groupedBar',
    id,
    title: 'Killed or seriously injured road collisions by year',
    description:
      'Reported road collisions in the area where someone was killed or seriously injured, and the casualties in those collisions, each year (DfT STATS19).',
    categories: years.map((y) => String(y.year)),
    series: [
      { name: 'KSI collisions', values: years.map((y) => y.ksiCollisions) },
      { name: 'Casualties in KSI collisions', values: years.map((y) => y.ksiCollisionCasualties) },
    ],
    categoryAxisLabel: 'Year',
    units: 'Number',
    formatValue: (v: number) => formatNumber(v, 0),
  };
}
