/**
 * An indicator's page as a view: the line, XmR and quarter-by-year charts with their tables, the figures worked out
 * period by period (each figure that cannot be worked out with its reason), the stored figures and the commentary.
 */
import { comparePeriods, formatPeriodLabel, figureValueProblem, quoteValue, type PeriodPerformance } from '../../../../domain/index.ts';
import type { IndicatorSpcMark } from '../../../../adapters/database/schema.ts';
import { label } from '../../../../services/performance/indicators.ts';
import { quarterByYear, type IndicatorPerformance, type QuarterYear } from '../../../../services/performance/performance.ts';
import type { IndicatorOverview } from '../../../../services/performance/indicatorOverview.ts';
import { populationSourceText, type PeerComparison, type RatePopulation } from '../../../../services/evidence/officialData.ts';
import { FUNNEL_LEGEND, funnelChart, funnelTable } from '../../../../presentation/charts/funnelChart.ts';
import { chartTable, renderPageChart, tableForChart, type ChartSpec } from '../../../../presentation/charts/index.ts';
import {
  DIRECTION_LABELS,
  FREQUENCY_LABELS,
  OBA_LABELS,
  POLARITY_LABELS,
  RAG_LABELS,
  PERIOD_EXAMPLES,
  UNIT_LABELS,
  ragLabel,
} from '../../../../presentation/labels.ts';
import { formatNumber, periodLabelOrKey, signedNumber, signedPercent, typedPeriod, unitFormat } from '../../../../presentation/formats.ts';
import { RAGS } from '../../../../adapters/database/schema.ts';
import { bound, INTERVALS_NOTE, intervalTexts } from '../../../../presentation/intervals.ts';
import { yearToDateView } from './yearToDateView.ts';
import { currentTargetText } from './shared.ts';
import { spcReading } from '../../../../presentation/spcIcons.ts';
import { chanceText } from '../../../../presentation/documents/spcSection.ts';
import { targetJudgements } from '../../../../presentation/targetJudgements.ts';

type Format = (n: number) => string;

function lineChart(perf: IndicatorPerformance, fmtU: Format): ChartSpec {
  const i = perf.indicator;
  const periods = perf.periods;
  const threshold = perf.latest?.target && perf.latest.assessedAs === 'value' ? perf.latest.target.threshold : undefined;
  return {
    type: 'line',
    title: `${label(i)}: figures by period`,
    description: `${periods.length} figures from ${periods[0]?.label ?? 'no period'} to ${perf.latest?.label ?? 'no period'}.`,
    categories: periods.map((p) => p.label),
    // Each figure's 95% confidence interval as an error bar (issue 16), where the figure has one.
    series: [
      {
        name: label(i),
        values: periods.map((p) => p.value),
        intervals: periods.map((p) => (p.intervals.applicable ? p.intervals.ci95 : null)),
      },
    ],
    intervalLabel: '95% confidence interval',
    formatInterval: (n) => bound(n, i.unit),
    target: threshold !== undefined ? { value: threshold, label: `Target: ${fmtU(threshold)}` } : undefined,
    formatValue: fmtU,
    units: UNIT_LABELS[i.unit],
    categoryAxisLabel: 'Period',
  };
}

function xmrChartSpec(perf: IndicatorPerformance, fmtU: Format): ChartSpec | null {
  const { xmr, periods, indicator: i } = perf;
  if (!xmr) return null;
  return {
    type: 'xmr',
    title: `${label(i)}: statistical process control (XmR)`,
    description: `Mean ${fmtU(xmr.mean)}, process limits ${fmtU(xmr.lowerProcessLimit)} to ${fmtU(xmr.upperProcessLimit)}.`,
    categories: periods.map((p) => p.label),
    values: periods.map((p) => p.value),
    mean: xmr.mean,
    upperLimit: xmr.upperProcessLimit,
    lowerLimit: xmr.lowerProcessLimit,
    specialCause: xmr.points.map((p) => p.specialCause),
    ...xmrHistory(perf),
    improvement: i.polarity === 'higher_is_better' ? 'higher' : i.polarity === 'lower_is_better' ? 'lower' : undefined,
    formatValue: fmtU,
    categoryAxisLabel: 'Period',
  };
}

/** The XmR chart's change dates, excluded points and notes (issue 16), as the chart's phases and annotations. */
function xmrHistory(perf: IndicatorPerformance) {
  const { xmr, periods } = perf;
  if (!xmr) return {};
  const reasons = new Map(perf.spcMarks.filter((m) => m.kind === 'phase').map((m) => [m.period, m.reason]));
  const phases = xmr.phases.map((p) => {
    const period = periods[p.start]!;
    const reason = [...reasons.entries()].reverse().find(([start]) => comparePeriods(start, period.period) <= 0 && p.start > 0)?.[1];
    return {
      start: p.start,
      end: p.end,
      mean: p.mean,
      upperLimit: p.upperProcessLimit,
      lowerLimit: p.lowerProcessLimit,
      title: `Limits recalculated from ${period.label}${reason ? `: ${reason}` : ''}${p.baselinePoints < p.end - p.start ? ` (fixed on its first ${p.baselinePoints} figures)` : ''}`,
    };
  });
  let note = 0;
  const annotations = perf.spcMarks
    .filter((m) => m.kind === 'point')
    .flatMap((m) => {
      const index = periods.findIndex((p) => p.period === m.period);
      if (index < 0) return [];
      const parts = [];
      if (m.excluded === 1 && xmr.points[index]?.excluded) parts.push({ index, text: '×', title: `Left out of the limits: ${m.reason}` });
      if (m.note) parts.push({ index, text: String(++note), title: `Note ${note}: ${m.note}` });
      return parts.length === 2 ? [{ index, text: `× ${note}`, title: `${parts[0]!.title}. ${parts[1]!.title}` }] : parts;
    });
  return { phases, annotations };
}

/** A stored change date or point as the SPC form's values, for changing it. */
export function spcMarkValues(m: IndicatorSpcMark) {
  return {
    kind: m.kind,
    period: typedPeriod(m.period),
    baselineTo: m.baseline_to ? typedPeriod(m.baseline_to) : '',
    excluded: m.excluded === 1 ? 'yes' : '',
    reason: m.reason,
    note: m.note,
    expectedUpdatedAt: m.updated_at,
  };
}

/** The indicator's change dates and points, as the SPC section's table rows. */
function spcMarkRows(perf: IndicatorPerformance) {
  return perf.spcMarks.map((m) => ({
    id: m.id,
    kindText: m.kind === 'phase' ? 'Change date' : m.excluded === 1 ? 'Point left out of the limits' : 'Note on a point',
    periodLabel: periodLabelOrKey(m.period),
    baselineText: m.baseline_to ? `Limits from the figures up to ${periodLabelOrKey(m.baseline_to)}` : '',
    reason: m.reason,
    note: m.note,
    updatedAt: m.updated_at,
    values: spcMarkValues(m),
  }));
}

/** Quarter by year (as in the Rotherham 2018-21 review): Q1 to Q4 along the axis, a bar for each financial year. */
function quarterChartSpec(perf: IndicatorPerformance, years: QuarterYear[] | null, fmtU: Format): ChartSpec | null {
  const i = perf.indicator;
  if (!years) return null;
  const additive = i.unit === 'count' || i.unit === 'money';
  const what =
    i.frequency === 'monthly'
      ? additive
        ? 'Monthly figures added up by quarter'
        : 'Mean of the monthly figures of each quarter'
      : 'Quarterly figures';
  return {
    type: 'groupedBar',
    title: `${label(i)}: quarter by year`,
    description: `${what}, one bar for each financial year from ${years[0]!.year} to ${years[years.length - 1]!.year}.`,
    categories: ['Q1', 'Q2', 'Q3', 'Q4'],
    series: years.map((y) => ({ name: y.year, values: y.quarters })),
    formatValue: fmtU,
    units: UNIT_LABELS[i.unit],
    categoryAxisLabel: 'Quarter',
  };
}

function yearRows(years: QuarterYear[] | null, fmtU: Format) {
  return (years ?? []).map((y) => ({
    year: y.year,
    summaryText:
      y.total !== null
        ? fmtU(y.total)
        : y.mean !== null
          ? `${fmtU(y.mean)} (mean of ${y.complete} quarter${y.complete === 1 ? '' : 's'})`
          : `Incomplete (${y.complete} of 4 quarters)`,
    changeText: y.change === null ? '' : signedNumber(y.change),
    percentText: signedPercent(y.percentChange),
  }));
}

const ASSESSED_AS: Record<string, string> = { projected_year_end: ' (projected year end)', span_total: ' (total over span)' };

/**
 * One period's row of the computed table, newest first. A blank figure carries its reason (`reasons`), and
 * `…Reason` texts are the ones shown in the table: the % change's only when it says more than last year's.
 */
function periodRow(
  p: PeriodPerformance,
  fmtU: Format,
  unit: IndicatorOverview['performance']['indicator']['unit'],
  populations: RatePopulation[],
) {
  const population = p.ratePer1000 === null ? undefined : populations.find((x) => x.year === p.populationYear);
  const r = p.reasons;
  return {
    ...p,
    intervalTexts: intervalTexts(p.intervals, unit),
    valueText: p.value === null ? '' : fmtU(p.value),
    lastYearText: p.lastYear === null ? '' : fmtU(p.lastYear),
    changeText: p.change === null ? '' : signedNumber(p.change),
    percentText: signedPercent(p.percentChange),
    ytdText: p.yearToDate === null ? '' : fmtU(p.yearToDate),
    rateText: p.ratePer1000 === null ? '' : formatNumber(p.ratePer1000, 2),
    thresholdText: p.target ? fmtU(p.target.threshold) : '',
    assessedText: p.assessed === null ? '' : `${fmtU(p.assessed)}${ASSESSED_AS[p.assessedAs ?? ''] ?? ''}`,
    ragText: p.rag ? ragLabel(p.rag, p.overridden) : '',
    directionText: p.direction ? DIRECTION_LABELS[p.direction] : '',
    lastYearReason: r.lastYear ?? '',
    percentReason: r.percentChange && r.percentChange !== r.lastYear ? r.percentChange : '',
    rateReason: r.ratePer1000 ?? '',
    // Which population the rate used, and where it comes from: "ONS mid-2022 estimate" or "population entered for 2022".
    rateSource: population ? `${populationSourceText(population)}, ${formatNumber(population.population, 0)}` : '',
    ragReason: p.rag ? '' : (r.rag ?? ''),
    projectionReason: r.projection ?? '',
  };
}

/** The page's charts, tables and texts for one indicator. */
/** The indicator's offence group against its peer partnerships: a funnel plot, its legend, the same figures as a table. */
function peerView(cmp: PeerComparison | null) {
  const f = cmp?.funnel;
  if (!cmp || !f) return null;
  const subject = f.points.find((p) => p.isSubject);
  const what = `${cmp.group}, ${cmp.yearLabel}`;
  return {
    heading: `${cmp.group} compared with peer partnerships, ${cmp.yearLabel}`,
    summary: subject
      ? `${cmp.cspName}: ${formatNumber(subject.rate, 2)} per 1,000 against a group average of ${formatNumber(f.average, 2)}; ${subject.significance}; ranked ${subject.rank} of ${f.points.length} (1 = highest rate).`
      : '',
    source: `Home Office police recorded crime by Community Safety Partnership; populations: ONS mid-${cmp.populationYears.join(', mid-')} estimates.`,
    svg: funnelChart({
      funnel: f,
      title: `${what}: rate per 1,000 people against population`,
      yLabel: 'Per 1,000 people',
      id: 'peer-funnel',
    }),
    legend: FUNNEL_LEGEND,
    table: funnelTable(f, `${what}: the peer group's rates, limits and ranks`, 'peer-funnel-table'),
  };
}

/**
 * Each period's targets judged, newest first, when the indicator has a second target or a trajectory (otherwise the
 * figures table already says all there is): one row per period and target.
 */
function targetRows(perf: IndicatorPerformance, fmtU: Format) {
  const i = perf.indicator;
  if (i.trajectory === null && !i.targets.some((t) => t.tier === 'second')) return [];
  return [...perf.periods]
    .reverse()
    .flatMap((p) => targetJudgements(p, fmtU).map((j, n) => ({ ...j, period: p.period, label: p.label, first: n === 0 })));
}

export function indicatorView({ performance: perf, history, commentary, populations, peers }: IndicatorOverview) {
  const i = perf.indicator;
  const fmtU = unitFormat(i.unit);
  const periods = perf.periods;
  const line = lineChart(perf, fmtU);
  const xmr = xmrChartSpec(perf, fmtU);
  const years = quarterByYear(perf);
  const quarterChart = quarterChartSpec(perf, years, fmtU);
  const rows = [...periods].reverse().map((p) => periodRow(p, fmtU, i.unit, populations));
  return {
    title: label(i),
    indicator: {
      ...i,
      unitLabel: UNIT_LABELS[i.unit],
      polarityLabel: POLARITY_LABELS[i.polarity],
      frequencyLabel: FREQUENCY_LABELS[i.frequency],
      obaLabel: OBA_LABELS[i.oba_category],
    },
    baselineText: i.baseline
      ? `${fmtU(i.baseline.value)} in ${formatPeriodLabel(i.baseline.period)}${i.baseline.source ? ` (${i.baseline.source})` : ''}`
      : 'No baseline',
    targetText: perf.latest?.targetText ?? currentTargetText(i),
    targetRows: targetRows(perf, fmtU),
    latest: rows[0] ?? null,
    rows,
    intervalsShown: rows.some((r) => r.intervals.applicable),
    intervalsNote: INTERVALS_NOTE,
    yearToDate: yearToDateView(perf.latest, fmtU),
    lineSvg: periods.length > 0 ? renderPageChart(line) : '',
    lineTable: periods.length > 0 ? chartTable(tableForChart(line)) : '',
    xmrSvg: xmr ? renderPageChart(xmr) : '',
    xmrReason: periods.length > 0 ? (perf.xmrReason ?? '') : '',
    quarterSvg: quarterChart ? renderPageChart(quarterChart) : '',
    quarterTable: quarterChart ? chartTable({ ...tableForChart(quarterChart), captionSize: 's' }) : '',
    yearSummaryHeading: i.unit === 'count' || i.unit === 'money' ? 'Year total' : 'Year mean',
    yearRows: yearRows(years, fmtU),
    xmrTable: xmr ? chartTable(tableForChart(xmr)) : '',
    spc: spcReading(perf, perf.latest, i.polarity, fmtU),
    spcNotes: perf.spcNotes,
    // The chance that the projected year end meets the target (counts judged on the year's total), as in the Board pack.
    outlookText:
      perf.latest?.projection?.probabilityOfMeetingTarget != null ? chanceText(perf.latest.projection.probabilityOfMeetingTarget) : '',
    spcMarkRows: spcMarkRows(perf),
    spcKindItems: [
      { value: 'phase', text: 'A change date: recalculate the limits from this period' },
      { value: 'point', text: 'A point: leave it out of the limits, or add a note' },
    ],
    history: history.map((f) => ({
      ...f,
      periodLabel: periodLabelOrKey(f.period),
      valueText: figureValueProblem(f.value, i.unit) === null ? fmtU(f.value) : `${quoteValue(f.value)} (cannot be used)`,
    })),
    problems: perf.problems,
    periodItems: rows.map((r) => ({ value: r.period, text: r.label })),
    commentary: commentary.map((c) => ({ ...c, periodLabel: formatPeriodLabel(c.period) })),
    commentaryPeriodValue: perf.latest ? typedPeriod(perf.latest.period) : '',
    commentaryHint: `A ${i.frequency === 'annual' ? 'financial year' : i.frequency === 'quarterly' ? 'quarter' : 'month'}, like ${typedPeriod(PERIOD_EXAMPLES[i.frequency])}`,
    ragItems: RAGS.map((r) => ({ value: r, text: RAG_LABELS[r] })),
    peers: peerView(peers),
  };
}
