/**
 * The strategic assessment document: the 'facts and figures' of a partnership's crime and anti-social behaviour
 * for a chosen 12-month window, in the manner of the findings pages of a partnership plan (the Safer Rotherham
 * 2010/11 plan's "Facts and Figures" from its joint strategic assessment): the review period and its key
 * findings in words, the headline counts and rates with their change and whether it is real, each crime type, the
 * monthly trend and the seasonal pattern, hotspots, outcomes, the comparison with similar partnerships and the
 * ranked priority-setting matrix. Every chart comes with a table of the same numbers. One ReportDocument feeds
 * the page, the PDF and the DOCX; the formatting of a change row is shared with the analysis page, so the
 * document shows exactly the figures the page does.
 */
import { CRITERIA, CRITERION_LABELS, type ScoredIssue } from '../../domain/priorityMatrix.ts';
import { ALL_CRIME, type ChangeFigures, type StrategicAssessment } from '../../domain/crimeAssessment.ts';
import type { CalendarMonthProfile } from '../../domain/seasonality.ts';
import type { AreaComparison } from '../../domain/areaComparison.ts';
import type { MatrixSettings } from '../../services/assessment/assessmentMatrix.ts';
import type { AssessmentArea } from '../../services/assessment/assessmentAreas.ts';
import { ANTI_SOCIAL_BEHAVIOUR } from '../../domain/policeUkLayout.ts';
import { formatPeriodLabel, roundHalfAwayFromZero } from '../../domain/index.ts';
import { formatNumber, renderChart, tableForChart, type ChartSpec } from '../charts/index.ts';
import { fileNameFor, type Block, type ReportDocument, type Section, type TableColumn } from './document.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import type { CrimeData } from '../../services/assessment/crimeData.ts';
import type { PartnershipDetails } from '../../services/partnerships/partnerships.ts';
import { loadComparison, loadMatrix, loadSeasonality, type ComparatorChoice, type LoadedComparison } from '../../services/assessment/assessmentAnalysis.ts';
import { ConflictError, ValidationError } from '../../domain/errors.ts';

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

const signed = (n: number, text: string) => `${n > 0 ? '+' : ''}${text}`;
const oneDecimal = (n: number) => formatNumber(roundHalfAwayFromZero(n, 1), 1);
const twoDecimals = (n: number | null | undefined) => (n === null || n === undefined ? 'No population' : formatNumber(roundHalfAwayFromZero(n, 2), 2));

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

export interface AssessmentReportInput {
  partnershipName: string;
  area: AssessmentArea;
  assessment: StrategicAssessment;
  seasonality: CalendarMonthProfile[];
  matrix: { ranked: ScoredIssue[]; settings: MatrixSettings; rateBasis: boolean };
  /** Null when no comparators were chosen. */
  comparison: AreaComparison | null;
}

export interface AssessmentReport extends AssessmentReportInput {
  /** 'April 2023 to March 2024' */
  window: string;
  previousWindow: string;
  fileName: string;
  document: ReportDocument;
}

const CHANGE_COLUMNS: TableColumn[] = [
  { header: 'Type', width: 27 },
  { header: 'Previous 12 months', width: 11 },
  { header: 'Latest 12 months', width: 11 },
  { header: 'Per 1,000 people', width: 10 },
  { header: 'Change', width: 10 },
  { header: '% change', width: 10 },
  { header: 'Is the change real?' },
];

function changeTable(caption: string, rows: ChangeRow[]): Block {
  return { kind: 'table', caption, columns: CHANGE_COLUMNS, rows: rows.map((r) => [r.label, r.previous, r.current, r.rate, r.change, r.percentage, r.significance]) };
}

/** A chart and the table of its numbers, as document blocks. */
export function chartBlocks(spec: Exclude<ChartSpec, { type: 'sparkline' }>): Block[] {
  const t = tableForChart(spec);
  const format = t.formatValue ?? ((n: number) => formatNumber(n));
  return [
    { kind: 'figure', svg: renderChart(spec), alt: `${spec.title}. ${spec.description}` },
    {
      kind: 'table',
      caption: spec.title,
      columns: [{ header: t.categoryHeader, width: 34 }, ...t.columns.map((c) => ({ header: c.name }))],
      rows: t.categories.map((category, i) => [
        category,
        ...t.columns.map((c) => {
          const v = c.values[i];
          return typeof v === 'number' && Number.isFinite(v) ? format(v) : typeof v === 'string' ? v : (t.missingText ?? 'No data');
        }),
      ]),
    },
  ];
}

const SHORT_CRITERION: Record<(typeof CRITERIA)[number], string> = { volume: 'Volume', trend: 'Trend', harm: 'Harm', concern: 'Concern' };

const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/** How a change reads in a sentence: '512 fewer than the previous 12 months (a 4.0% decrease), a statistically significant change'. */
function changeInWords(f: ChangeFigures): string {
  if (f.absoluteChange === 0) return 'the same number as the previous 12 months';
  const more = f.absoluteChange > 0;
  const pct = f.percentageChange === null ? '' : ` (a ${oneDecimal(Math.abs(f.percentageChange))}% ${more ? 'increase' : 'decrease'})`;
  const real = f.significance.significant ? 'a statistically significant change' : 'not a statistically significant change';
  return `${formatNumber(Math.abs(f.absoluteChange))} ${more ? 'more' : 'fewer'} than the previous 12 months${pct}, ${real}`;
}

/** The findings in words, computed from the figures (the 'key findings' of a strategic assessment). */
export function keyFindings(input: AssessmentReportInput): string[] {
  const a = input.assessment;
  const out: string[] = [];
  const crime = a.totals.find((t) => t.label === ALL_CRIME)!;
  const asb = a.totals.find((t) => t.label === ANTI_SOCIAL_BEHAVIOUR)!;
  const rate = (f: ChangeFigures) => (f.currentRate === null ? '' : ` (${oneDecimal(f.currentRate)} per 1,000 people)`);
  out.push(`${plural(crime.current, 'crime was', 'crimes were')} recorded in the area${rate(crime)}: ${changeInWords(crime)}.`);
  out.push(`${plural(asb.current, 'incident', 'incidents')} of anti-social behaviour${rate(asb)}: ${changeInWords(asb)}.`);
  const withBase = a.byCrimeType.filter((f) => f.percentageChange !== null && f.previous >= 10);
  const falls = withBase.filter((f) => f.absoluteChange < 0).sort((x, y) => x.percentageChange! - y.percentageChange!);
  if (falls.length) out.push(`The largest percentage reductions were in ${falls.slice(0, 2).map((f) => `${f.label.toLowerCase()} (${oneDecimal(f.percentageChange!)}%)`).join(' and ')}.`);
  const byNumber = a.byCrimeType.filter((f) => f.absoluteChange < 0).sort((x, y) => x.absoluteChange - y.absoluteChange);
  if (byNumber.length) out.push(`In numbers, the largest ${byNumber.length > 1 ? 'falls were' : 'fall was'} in ${byNumber.slice(0, 2).map((f) => `${f.label.toLowerCase()} (${formatNumber(-f.absoluteChange)} fewer)`).join(' and ')}.`);
  const rises = a.byCrimeType.filter((f) => f.absoluteChange > 0).sort((x, y) => y.absoluteChange - x.absoluteChange);
  if (rises.length) {
    const real = rises.filter((f) => f.significance.significant);
    out.push(`${rises.length === 1 ? 'One type rose' : `${rises.length} types rose`}: ${rises.map((f) => f.label.toLowerCase()).join(', ')}${real.length ? `; the rise was statistically significant for ${real.map((f) => f.label.toLowerCase()).join(', ')}` : '; none of the rises was statistically significant'}.`);
  }
  if (a.hotspots.topDecileShare !== null) {
    out.push(`Crime is concentrated: the ${plural(a.hotspots.topDecileCount, 'LSOA', 'LSOAs')} with the most crime (the top 10% of ${formatNumber(a.hotspots.lsoaCount)}) had ${oneDecimal(a.hotspots.topDecileShare * 100)}% of it.`);
  }
  const peak = [...input.seasonality].filter((p) => p.crimeIndex !== null).sort((x, y) => y.crimeIndex! - x.crimeIndex!)[0];
  if (peak && peak.crimeIndex! > 100) out.push(`Crime is usually highest in ${peak.name}, ${oneDecimal(peak.crimeIndex! - 100)}% above an average month.`);
  if (input.comparison) {
    const own = input.comparison.subject.rates[ALL_CRIME];
    const group = input.comparison.groupAverage[ALL_CRIME];
    if (own !== null && own !== undefined && group !== null && group !== undefined) {
      out.push(`The area's crime rate, ${twoDecimals(own)} per 1,000 people, was ${own > group ? 'above' : own < group ? 'below' : 'the same as'} the average of the ${plural(input.comparison.comparators.length, 'area', 'areas')} it was compared with (${twoDecimals(group)}).`);
    }
  }
  const top = input.matrix.ranked.slice(0, 3);
  if (top.length) out.push(`The priority-setting matrix ranks ${top.map((r) => r.name.toLowerCase()).join(', ')} highest.`);
  if (a.missingMonths.length) out.push(`No records were held for ${a.missingMonths.map(formatPeriodLabel).join(', ')}: the comparison between the two years is incomplete.`);
  return out;
}

/** The strategic assessment document for a partnership and window. */
export function assessmentReport(input: AssessmentReportInput): AssessmentReport {
  const a = input.assessment;
  const window = `${formatPeriodLabel(a.current.from)} to ${formatPeriodLabel(a.current.to)}`;
  const previousWindow = `${formatPeriodLabel(a.previous.from)} to ${formatPeriodLabel(a.previous.to)}`;
  const sections: Section[] = [];

  const areaText = [input.area.localAuthorities.length ? input.area.localAuthorities.join(', ') : '', input.area.lsoaCodes.length ? plural(input.area.lsoaCodes.length, 'LSOA code', 'LSOA codes') : '']
    .filter((x) => x !== '')
    .join('; ');
  sections.push({
    title: 'Key findings',
    blocks: [
      { kind: 'paragraph', text: `This assessment looks at crime and anti-social behaviour recorded by the police in ${input.partnershipName}'s area from ${window}, and compares it with the 12 months before (${previousWindow}). It is built from police.uk street-level records, and is meant to inform the partnership's choice of priorities.`, emphasis: 'lead' },
      { kind: 'fact', label: 'Review period', text: `${window}, compared with ${previousWindow}` },
      { kind: 'fact', label: 'Area', text: `${areaText || 'Not recorded'} (${plural(a.lsoaCount, 'LSOA', 'LSOAs')})` },
      { kind: 'fact', label: 'Population used for rates', text: a.currentPopulation ? formatNumber(a.currentPopulation) : 'None recorded, so no rates are given' },
      { kind: 'heading', level: 2, text: 'What the figures show' },
      { kind: 'list', items: keyFindings(input) },
    ],
  });

  const crimeRows = a.totals.map(changeRow);
  sections.push({
    title: 'Crime and anti-social behaviour',
    blocks: [
      { kind: 'paragraph', text: 'Counts for the latest 12 months against the 12 months before, the rate per 1,000 people, and whether the change is real: an exact test of the two counts, where p below 0.05 is called statistically significant. Changes between small numbers (under 10) swing widely by chance and are marked.' },
      changeTable('Totals', crimeRows),
      changeTable('By crime type, largest first', a.byCrimeType.map(changeRow)),
      { kind: 'heading', level: 2, text: 'Change by crime type' },
      ...chartBlocks({
        type: 'horizontalBar',
        id: 'assessment-change-by-type',
        title: 'Percentage change by crime type',
        description: `The percentage change in each crime type from ${previousWindow} to ${window}; types with none in the earlier year have no percentage.`,
        items: a.byCrimeType.map((f) => ({ label: f.label, value: f.percentageChange })),
        sort: 'ascending',
        seriesName: '% change',
        categoryAxisLabel: 'Crime type',
        units: 'Percentage change',
        formatValue: (n) => `${signed(n, oneDecimal(n))}%`,
      }),
      { kind: 'heading', level: 2, text: 'Crime by type' },
      ...chartBlocks({
        type: 'horizontalBar',
        id: 'assessment-types',
        title: 'Crime by type',
        description: `Crimes of each type, ${window}.`,
        items: a.byCrimeType.map((f) => ({ label: f.label, value: f.current })),
        seriesName: 'Crimes',
        categoryAxisLabel: 'Crime type',
      }),
    ],
  });

  sections.push({
    title: 'Monthly trend and seasonality',
    blocks: [
      { kind: 'heading', level: 2, text: 'Monthly trend' },
      ...chartBlocks({
        type: 'line',
        id: 'assessment-trend',
        title: 'Crime and anti-social behaviour by month',
        description: `Records per month from ${formatPeriodLabel(a.previous.from)} to ${formatPeriodLabel(a.current.to)}.`,
        categories: a.monthly.map((m) => formatPeriodLabel(m.month)),
        series: [
          { name: 'All crime (excluding ASB)', values: a.monthly.map((m) => m.crime) },
          { name: 'Anti-social behaviour', values: a.monthly.map((m) => m.asb) },
        ],
        categoryAxisLabel: 'Month',
        units: 'records',
      }),
      { kind: 'heading', level: 2, text: 'Seasonality' },
      { kind: 'paragraph', text: 'The average number of records in each calendar month over every month of police.uk data held for the area. The index is that month as a percentage of the average month: above 100 is busier than usual.' },
      ...(input.seasonality.some((p) => p.years > 0)
        ? [
            ...chartBlocks({
              type: 'line',
              id: 'assessment-seasonality',
              title: 'Average crime and anti-social behaviour by calendar month',
              description: 'The average number of records in each calendar month over every month of police.uk data held for the area.',
              categories: input.seasonality.map((p) => p.name),
              series: [
                { name: 'All crime (excluding ASB)', values: input.seasonality.map((p) => (p.crimeAverage === null ? null : roundHalfAwayFromZero(p.crimeAverage, 1))) },
                { name: 'Anti-social behaviour', values: input.seasonality.map((p) => (p.asbAverage === null ? null : roundHalfAwayFromZero(p.asbAverage, 1))) },
              ],
              categoryAxisLabel: 'Calendar month',
              units: 'average records',
            }),
            {
              kind: 'table' as const,
              caption: 'Seasonal index by calendar month',
              columns: [{ header: 'Month' }, { header: 'Months of data' }, { header: 'Crime index' }, { header: 'ASB index' }],
              rows: input.seasonality.map((p) => [p.name, formatNumber(p.years), p.crimeIndex === null ? 'No data' : oneDecimal(p.crimeIndex), p.asbIndex === null ? 'No data' : oneDecimal(p.asbIndex)]),
            },
          ]
        : [{ kind: 'paragraph' as const, text: 'No monthly figures are held for the area.', emphasis: 'note' as const }]),
    ],
  });

  const h = a.hotspots;
  sections.push({
    title: 'Hotspots',
    blocks:
      h.top.length && h.topDecileShare !== null
        ? [
            { kind: 'paragraph', text: `The ${plural(h.topDecileCount, 'LSOA', 'LSOAs')} with the most crime (the top 10% of ${formatNumber(h.lsoaCount)}) had ${oneDecimal(h.topDecileShare * 100)}% of the area's crime from ${window}. Figures are for lower layer super output areas (LSOAs), never for street points.` },
            ...chartBlocks({
              type: 'horizontalBar',
              id: 'assessment-hotspots',
              title: 'LSOAs with the most crime',
              description: `Crime (excluding ASB) in the ${h.top.length} LSOAs with the most, ${window}.`,
              items: h.top.map((x) => ({ label: `${x.name} (${x.code})`, value: x.count })),
              seriesName: 'Crimes',
              categoryAxisLabel: 'LSOA',
            }),
            {
              kind: 'table',
              caption: "Share of the area's crime in each of these LSOAs",
              columns: [{ header: 'LSOA', width: 50 }, { header: 'Crimes' }, { header: 'Share' }],
              rows: h.top.map((x) => [`${x.name} (${x.code})`, formatNumber(x.count), `${oneDecimal(x.share * 100)}%`]),
            },
          ]
        : [{ kind: 'paragraph', text: `No crime was recorded in the area's LSOAs from ${window}.`, emphasis: 'note' }],
  });

  sections.push({
    title: 'Outcomes',
    blocks: a.outcomes.length
      ? [
          { kind: 'paragraph', text: `The last outcome police.uk records for each crime of ${window} (anti-social behaviour has none). Recent crimes are often still under investigation.` },
          ...chartBlocks({
            type: 'horizontalBar',
            id: 'assessment-outcomes',
            title: 'Last outcome of the latest 12 months’ crimes',
            description: `The number of crimes of ${window} by the last outcome recorded.`,
            items: a.outcomes.map((o) => ({ label: o.outcome, value: o.count })),
            seriesName: 'Crimes',
            categoryAxisLabel: 'Outcome',
          }),
          { kind: 'table', caption: 'Outcomes as a share of the crimes', columns: [{ header: 'Outcome', width: 60 }, { header: 'Crimes' }, { header: 'Share' }], rows: a.outcomes.map((o) => [o.outcome, formatNumber(o.count), `${oneDecimal(o.share * 100)}%`]) },
        ]
      : [{ kind: 'paragraph', text: 'No crimes, so no outcomes, were recorded.', emphasis: 'note' }],
  });

  const c = input.comparison;
  if (c) {
    const areas = [c.subject, ...c.comparators];
    sections.push({
      title: 'Comparison with similar partnerships',
      blocks: [
        { kind: 'paragraph', text: `Rates per 1,000 people from ${formatPeriodLabel(c.window.from)} to ${formatPeriodLabel(c.window.to)}. The group average adds up the comparators' records and divides by their added populations; comparators without a population are shown but left out of it.` },
        {
          kind: 'table',
          caption: 'Areas compared',
          columns: [{ header: 'Area', width: 40 }, { header: 'Population' }, { header: 'LSOAs' }, { header: 'Crimes (excluding ASB)' }],
          rows: areas.map((x) => [x.name, x.population === null ? 'Not recorded' : formatNumber(x.population), formatNumber(x.lsoaCount), formatNumber(x.counts[ALL_CRIME] ?? 0)]),
        },
        ...chartBlocks({
          type: 'horizontalBar',
          id: 'assessment-comparison',
          title: `${ALL_CRIME}: rate per 1,000 people`,
          description: `Crime per 1,000 people: ${input.partnershipName} (highlighted), each comparator and the group average.`,
          items: [
            { label: input.partnershipName, value: c.subject.rates[ALL_CRIME] ?? null, highlight: true },
            ...c.comparators.map((x) => ({ label: x.name, value: x.rates[ALL_CRIME] ?? null })),
            { label: 'Group average', value: c.groupAverage[ALL_CRIME] ?? null },
          ].map((i) => ({ ...i, value: i.value === null ? null : roundHalfAwayFromZero(i.value, 2) })),
          sort: 'none',
          seriesName: 'Rate per 1,000',
          categoryAxisLabel: 'Area',
          units: 'Rate per 1,000 people',
        }),
        {
          kind: 'table',
          caption: 'Rates per 1,000 people by type',
          columns: [{ header: 'Type', width: 26 }, ...areas.map((x) => ({ header: x.name })), { header: 'Group average' }],
          rows: c.types.map((t) => [t, ...areas.map((x) => twoDecimals(x.rates[t])), twoDecimals(c.groupAverage[t])]),
        },
      ],
    });
  } else {
    sections.push({ title: 'Comparison with similar partnerships', blocks: [{ kind: 'paragraph', text: 'No partnerships or local authorities were chosen to compare with.', emphasis: 'note' }] });
  }

  const m = input.matrix;
  const w = m.settings.weights;
  sections.push({
    title: 'Priority-setting matrix',
    blocks: m.ranked.length
      ? [
          { kind: 'paragraph', text: `Each issue is scored from 0 to 100 on each criterion, and the scores are combined with the partnership's weights into one weighted score. Volume is scored on ${m.rateBasis ? 'rates per 1,000 people' : 'counts'}.` },
          { kind: 'fact', label: 'Weights', text: CRITERIA.map((k) => `${CRITERION_LABELS[k]} ${formatNumber(w[k])}`).join(', ') },
          {
            kind: 'table',
            caption: 'Issues ranked by weighted score',
            columns: [
              { header: 'Rank', width: 7 },
              { header: 'Issue', width: 19 },
              { header: m.rateBasis ? 'Rate per 1,000' : 'Count', width: 9 },
              { header: '% change', width: 9 },
              { header: 'Harm weight', width: 8 },
              { header: 'Public concern', width: 10 },
              ...CRITERIA.map((k) => ({ header: `${SHORT_CRITERION[k]} score`, width: 8.5 })),
              { header: 'Weighted score' },
            ],
            rows: m.ranked.map((r) => [
              String(r.rank),
              r.name,
              r.count === null ? 'No data' : m.rateBasis ? twoDecimals(r.rate) : formatNumber(r.count),
              r.count === null || r.percentageChange === null ? 'n/a' : `${oneDecimal(r.percentageChange)}%`,
              formatNumber(r.harmWeight),
              r.concern === null ? 'Not entered' : `${formatNumber(r.concern)}%`,
              ...CRITERIA.map((k) => oneDecimal(r.scores[k])),
              oneDecimal(r.score),
            ]),
          },
          ...chartBlocks({
            type: 'horizontalBar',
            id: 'assessment-matrix',
            title: 'Weighted score of each issue',
            description: 'The weighted score (0 to 100) of each issue in the priority-setting matrix, highest first.',
            items: m.ranked.map((r) => ({ label: `${r.rank}. ${r.name}`, value: roundHalfAwayFromZero(r.score, 1) })),
            sort: 'none',
            seriesName: 'Weighted score',
            categoryAxisLabel: 'Issue',
          }),
        ]
      : [{ kind: 'paragraph', text: 'There are no issues to rank.', emphasis: 'note' }],
  });

  sections.push({
    title: 'About these figures',
    blocks: [
      { kind: 'list', items: [
        'Source: police.uk street-level crime and anti-social behaviour records, by month and lower layer super output area (LSOA). Records without a location are not in any area.',
        "The area is the LSOAs whose names start with the partnership's local authorities, plus any LSOA codes it listed.",
        'Rates are per 1,000 people, using the population the partnership recorded for the year the window ends in.',
        'Whether a change is real: a two-sided exact test of the two 12-month counts (a conditional binomial test), significant when p is below 0.05.',
        'Seasonality averages each calendar month over every month held for the police forces covering the area.',
      ] },
    ],
  });

  const document: ReportDocument = {
    organisation: input.partnershipName,
    title: 'Strategic assessment',
    subtitle: window,
    titlePageLines: [`Crime and anti-social behaviour from ${window}, compared with ${previousWindow}`, 'From police.uk street-level data'],
    runningHeader: `Strategic assessment ${window}`,
    sections,
  };
  return { ...input, window, previousWindow, fileName: fileNameFor(input.partnershipName, 'strategic assessment', window), document };
}

export interface LoadedAssessmentReport {
  report: AssessmentReport | null;
  /** Why there is no document (no area, no data), or null. */
  problem: string | null;
  /** The comparators offered and chosen, and any problems with the choice. */
  choice: LoadedComparison;
}

/** Everything the document needs for the window ending `end` (else the latest) and the comparators chosen. */
export async function loadAssessmentReport(db: Kysely<Database>, crimeData: CrimeData, partnership: PartnershipDetails, end: unknown, choice: ComparatorChoice): Promise<LoadedAssessmentReport> {
  const matrix = await loadMatrix(db, crimeData, partnership, end);
  const comparison = await loadComparison(db, crimeData, partnership, matrix.end, choice);
  if (!matrix.assessment || !matrix.area || comparison.errors.length) return { report: null, problem: matrix.problem, choice: comparison };
  const report = assessmentReport({
    partnershipName: partnership.name,
    area: matrix.area,
    assessment: matrix.assessment,
    seasonality: await loadSeasonality(matrix),
    matrix: { ranked: matrix.ranked, settings: matrix.settings, rateBasis: matrix.rateBasis },
    comparison: comparison.comparison,
  });
  return { report, problem: null, choice: comparison };
}

/** For the downloads: the report, or the error page's reason (a bad choice of comparators, or no assessment). */
export async function requireAssessmentReport(db: Kysely<Database>, crimeData: CrimeData, partnership: PartnershipDetails, end: unknown, choice: ComparatorChoice): Promise<AssessmentReport> {
  const loaded = await loadAssessmentReport(db, crimeData, partnership, end, choice);
  if (loaded.choice.errors.length) throw new ValidationError(loaded.choice.errors);
  if (!loaded.report) throw new ConflictError(`There is no strategic assessment to put in a document: ${loaded.problem ?? 'no figures'}`);
  return loaded.report;
}
