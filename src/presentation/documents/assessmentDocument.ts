/**
 * The strategic assessment document: the 'facts and figures' of a partnership's crime and anti-social behaviour
 * for a chosen 12-month window, in the manner of the findings pages of a partnership plan (the Safer Rotherham
 * 2010/11 plan's "Facts and Figures" from its joint strategic assessment): the review period and its key
 * findings in words, the headline counts and rates with their change and whether it is real, each crime type, the
 * monthly trend and the seasonal pattern, hotspots, outcomes, the comparison with similar partnerships and the
 * ranked priority-setting matrix. Every chart comes with a table of the same numbers. One ReportDocument feeds
 * the page, the PDF and the DOCX. The charts and tables are those of the analysis pages
 * (src/presentation/assessmentCharts.ts), so the document shows exactly the figures the pages do; the figures
 * are loaded by src/services/assessment/assessmentAnalysis.ts (loadAssessmentDocument).
 */
import { CRITERIA } from '../../domain/priorityMatrix.ts';
import { ALL_CRIME, windowLabel, type ChangeFigures, type StrategicAssessment } from '../../domain/crimeAssessment.ts';
import type { AreaComparison } from '../../domain/areaComparison.ts';
import { ANTI_SOCIAL_BEHAVIOUR } from '../../domain/policeUkLayout.ts';
import { formatPeriodLabel } from '../../domain/index.ts';
import type { AssessmentDocumentData } from '../../services/assessment/assessmentAnalysis.ts';
import type { PeerComparison } from '../../services/evidence/officialData.ts';
import { FUNNEL_LEGEND, funnelChart } from '../charts/funnelChart.ts';
import { formatNumber, renderChart, tableForChart, type ChartSpec } from '../charts/index.ts';
import {
  areasComparedRows,
  changeByTypeChart,
  changeRow,
  comparisonChart,
  comparisonRatesTable,
  crimeTypesChart,
  hotspotRows,
  hotspotsChart,
  matrixRow,
  matrixScoresChart,
  matrixWeights,
  monthlyTrendChart,
  oneDecimal,
  outcomeRows,
  outcomesChart,
  rateText,
  seasonalityChart,
  seasonalityRows,
  volumeHeader,
  type ChangeRow,
  decileRows,
  deprivationChart,
  deprivationSummary,
  hexMapText,
  hexRows,
} from '../assessmentCharts.ts';
import { hexLegend, hexMapSvg } from '../charts/hexMap.ts';
import { choroplethView } from '../lsoaMap.ts';
import { fingertipsChart, fingertipsRows, roadsChart } from '../sourceCharts.ts';
import { fileNameFor, type Block, type ReportDocument, type Section, type TableColumn } from './document.ts';

export interface AssessmentReport extends AssessmentDocumentData {
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
  return {
    kind: 'table',
    caption,
    columns: CHANGE_COLUMNS,
    rows: rows.map((r) => [r.label, r.previous, r.current, r.rate, r.change, r.percentage, r.significance]),
  };
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

/** The findings about crime types in words: the largest falls, by percentage and in numbers, and the rises. */
function crimeTypeFindings(a: StrategicAssessment): string[] {
  const out: string[] = [];
  const withBase = a.byCrimeType.filter((f) => f.percentageChange !== null && f.previous >= 10);
  const falls = withBase.filter((f) => f.absoluteChange < 0).sort((x, y) => x.percentageChange! - y.percentageChange!);
  if (falls.length)
    out.push(
      `The largest percentage reductions were in ${falls
        .slice(0, 2)
        .map((f) => `${f.label.toLowerCase()} (${oneDecimal(f.percentageChange!)}%)`)
        .join(' and ')}.`,
    );
  const byNumber = a.byCrimeType.filter((f) => f.absoluteChange < 0).sort((x, y) => x.absoluteChange - y.absoluteChange);
  if (byNumber.length)
    out.push(
      `In numbers, the largest ${byNumber.length > 1 ? 'falls were' : 'fall was'} in ${byNumber
        .slice(0, 2)
        .map((f) => `${f.label.toLowerCase()} (${formatNumber(-f.absoluteChange)} fewer)`)
        .join(' and ')}.`,
    );
  const rises = a.byCrimeType.filter((f) => f.absoluteChange > 0).sort((x, y) => y.absoluteChange - x.absoluteChange);
  if (rises.length) {
    const real = rises.filter((f) => f.significance.significant);
    out.push(
      `${rises.length === 1 ? 'One type rose' : `${rises.length} types rose`}: ${rises.map((f) => f.label.toLowerCase()).join(', ')}${real.length ? `; the rise was statistically significant for ${real.map((f) => f.label.toLowerCase()).join(', ')}` : '; none of the rises was statistically significant'}.`,
    );
  }
  return out;
}

/** The findings in words, computed from the figures (the 'key findings' of a strategic assessment). */
export function keyFindings(input: AssessmentDocumentData): string[] {
  const a = input.assessment;
  const out: string[] = [];
  const crime = a.totals.find((t) => t.label === ALL_CRIME)!;
  const asb = a.totals.find((t) => t.label === ANTI_SOCIAL_BEHAVIOUR)!;
  const rate = (f: ChangeFigures) => (f.currentRate === null ? '' : ` (${oneDecimal(f.currentRate)} per 1,000 people)`);
  out.push(`${plural(crime.current, 'crime was', 'crimes were')} recorded in the area${rate(crime)}: ${changeInWords(crime)}.`);
  out.push(`${plural(asb.current, 'incident', 'incidents')} of anti-social behaviour${rate(asb)}: ${changeInWords(asb)}.`);
  out.push(...crimeTypeFindings(a));
  if (a.hotspots.topDecileShare !== null) {
    out.push(
      `Crime is concentrated: the ${plural(a.hotspots.topDecileCount, 'LSOA', 'LSOAs')} with the most crime (the top 10% of ${formatNumber(a.hotspots.lsoaCount)}) had ${oneDecimal(a.hotspots.topDecileShare * 100)}% of it.`,
    );
  }
  const peak = [...input.seasonality].filter((p) => p.crimeIndex !== null).sort((x, y) => y.crimeIndex! - x.crimeIndex!)[0];
  if (peak && peak.crimeIndex! > 100)
    out.push(`Crime is usually highest in ${peak.name}, ${oneDecimal(peak.crimeIndex! - 100)}% above an average month.`);
  if (input.comparison) {
    const own = input.comparison.subject.rates[ALL_CRIME];
    const group = input.comparison.groupAverage[ALL_CRIME];
    if (own !== null && own !== undefined && group !== null && group !== undefined) {
      out.push(
        `The area's crime rate, ${rateText(own)} per 1,000 people, was ${own > group ? 'above' : own < group ? 'below' : 'the same as'} the average of the ${plural(input.comparison.comparators.length, 'area', 'areas')} it was compared with (${rateText(group)}).`,
      );
    }
  }
  const top = input.matrix.ranked.slice(0, 3);
  if (top.length) out.push(`The priority-setting matrix ranks ${top.map((r) => r.name.toLowerCase()).join(', ')} highest.`);
  if (a.missingMonths.length)
    out.push(
      `No records were held for ${a.missingMonths.map(formatPeriodLabel).join(', ')}: the comparison between the two years is incomplete.`,
    );
  return out;
}

/** The windows in words, as every section names them. */
interface Windows {
  window: string;
  previousWindow: string;
}

function keyFindingsSection(input: AssessmentDocumentData, { window, previousWindow }: Windows): Section {
  const a = input.assessment;
  const areaText = [
    input.area.localAuthorities.length ? input.area.localAuthorities.join(', ') : '',
    input.area.lsoaCodes.length ? plural(input.area.lsoaCodes.length, 'LSOA code', 'LSOA codes') : '',
  ]
    .filter((x) => x !== '')
    .join('; ');
  return {
    title: 'Key findings',
    blocks: [
      {
        kind: 'paragraph',
        text: `This assessment looks at crime and anti-social behaviour recorded by the police in ${input.partnershipName}'s area from ${window}, and compares it with the 12 months before (${previousWindow}). It is built from police.uk street-level records, and is meant to inform the partnership's choice of priorities.`,
        emphasis: 'lead',
      },
      { kind: 'fact', label: 'Review period', text: `${window}, compared with ${previousWindow}` },
      { kind: 'fact', label: 'Area', text: `${areaText || 'Not recorded'} (${plural(a.lsoaCount, 'LSOA', 'LSOAs')})` },
      {
        kind: 'fact',
        label: 'Population used for rates',
        text: a.currentPopulation ? formatNumber(a.currentPopulation) : 'None recorded, so no rates are given',
      },
      { kind: 'heading', level: 2, text: 'What the figures show' },
      { kind: 'list', items: keyFindings(input) },
    ],
  };
}

function crimeSection(a: StrategicAssessment): Section {
  return {
    title: 'Crime and anti-social behaviour',
    blocks: [
      {
        kind: 'paragraph',
        text: 'Counts for the latest 12 months against the 12 months before, the rate per 1,000 people, and whether the change is real: an exact test of the two counts, where p below 0.05 is called statistically significant. Changes between small numbers (under 10) swing widely by chance and are marked.',
      },
      changeTable('Totals', a.totals.map(changeRow)),
      changeTable('By crime type, largest first', a.byCrimeType.map(changeRow)),
      { kind: 'heading', level: 2, text: 'Change by crime type' },
      ...chartBlocks(changeByTypeChart(a, 'assessment-change-by-type')),
      { kind: 'heading', level: 2, text: 'Crime by type' },
      ...chartBlocks(crimeTypesChart(a, 'assessment-types')),
    ],
  };
}

function trendSection(input: AssessmentDocumentData): Section {
  const seasonal: Block[] = input.seasonality.some((p) => p.years > 0)
    ? [
        ...chartBlocks(seasonalityChart(input.seasonality, 'assessment-seasonality')),
        {
          kind: 'table',
          caption: 'Seasonal index by calendar month',
          columns: [{ header: 'Month' }, { header: 'Months of data' }, { header: 'Crime index' }, { header: 'ASB index' }],
          rows: seasonalityRows(input.seasonality).map((p) => [p.name, p.years, p.crimeIndex, p.asbIndex]),
        },
      ]
    : [{ kind: 'paragraph', text: 'No monthly figures are held for the area.', emphasis: 'note' }];
  return {
    title: 'Monthly trend and seasonality',
    blocks: [
      { kind: 'heading', level: 2, text: 'Monthly trend' },
      ...chartBlocks(monthlyTrendChart(input.assessment, 'assessment-trend')),
      { kind: 'heading', level: 2, text: 'Seasonality' },
      {
        kind: 'paragraph',
        text: 'The average number of records in each calendar month over every month of police.uk data held for the area. The index is that month as a percentage of the average month: above 100 is busier than usual.',
      },
      ...seasonal,
    ],
  };
}

function hotspotsSection(a: StrategicAssessment, { window }: Windows): Section {
  const h = a.hotspots;
  if (!h.top.length || h.topDecileShare === null)
    return {
      title: 'Hotspots',
      blocks: [{ kind: 'paragraph', text: `No crime was recorded in the area's LSOAs from ${window}.`, emphasis: 'note' }],
    };
  return {
    title: 'Hotspots',
    blocks: [
      {
        kind: 'paragraph',
        text: `The ${plural(h.topDecileCount, 'LSOA', 'LSOAs')} with the most crime (the top 10% of ${formatNumber(h.lsoaCount)}) had ${oneDecimal(h.topDecileShare * 100)}% of the area's crime from ${window}. Figures are for lower layer super output areas (LSOAs), never for street points.`,
      },
      ...chartBlocks(hotspotsChart(a, 'assessment-hotspots')),
      {
        kind: 'table',
        caption: "Share of the area's crime in each of these LSOAs",
        columns: [{ header: 'LSOA', width: 50 }, { header: 'Crimes' }, { header: 'Share' }],
        rows: hotspotRows(a).map((x) => [x.lsoa, x.crimes, x.share]),
      },
    ],
  };
}

/** Crime and ASB by IMD decile: the chart, then every figure as a table; a note when the indices are not imported. */
function deprivationSection(input: AssessmentDocumentData, { window }: Windows): Section {
  const title = 'Crime and deprivation';
  const p = input.deprivation.profile;
  if (!p)
    return {
      title,
      blocks: [
        {
          kind: 'paragraph',
          text: 'The English Indices of Deprivation 2019 have not been imported, so crime by deprivation is not shown.',
          emphasis: 'note',
        },
      ],
    };
  const spec = deprivationChart(p, window, 'assessment-deprivation');
  return {
    title,
    blocks: [
      {
        kind: 'paragraph',
        text: `${deprivationSummary(p)} Deciles are those of the English Indices of Deprivation 2019 (1 = the most deprived 10% of LSOAs in England); rates per 1,000 use the residents the indices count (mid-2015).`,
      },
      { kind: 'figure', svg: renderChart(spec), alt: `${spec.title}. ${spec.description} The table below gives every figure.` },
      {
        kind: 'table',
        caption: `Crime and anti-social behaviour by deprivation decile, ${window}`,
        columns: [
          { header: 'IMD decile', width: 16 },
          { header: 'LSOAs', numeric: true },
          { header: 'Share of LSOAs', numeric: true },
          { header: 'Residents', numeric: true },
          { header: 'Crimes', numeric: true },
          { header: 'Crime per 1,000', numeric: true },
          { header: 'Share of crime', numeric: true },
          { header: 'ASB', numeric: true },
          { header: 'ASB per 1,000', numeric: true },
          { header: 'Share of ASB', numeric: true },
        ],
        rows: decileRows(p).map((d) => [
          d.decile,
          d.lsoas,
          d.lsoaShare,
          d.population,
          d.crime,
          d.crimeRate,
          d.crimeShare,
          d.asb,
          d.asbRate,
          d.asbShare,
        ]),
      },
    ],
    landscape: true,
  };
}

/** The density map of the window's crime with its key and the busiest hexagons as a table. */
function mapSection(input: AssessmentDocumentData, { window }: Windows): Section {
  const grid = input.hexMap;
  const text = hexMapText(grid, 'crime', window);
  if (!grid.hexagons.length) return { title: 'Map', blocks: [{ kind: 'paragraph', text: text.description, emphasis: 'note' }] };
  return {
    title: 'Map',
    blocks: [
      {
        kind: 'paragraph',
        text: `${text.title}. Drawn from police.uk's map points (each an anonymised point near the place), counted in hexagons.`,
      },
      { kind: 'figure', svg: hexMapSvg({ grid, id: 'assessment-map', ...text }), alt: `${text.title}. ${text.description}` },
      {
        kind: 'table',
        caption: 'Key: crimes in a hexagon, light to dark',
        columns: [{ header: 'Shade', width: 20 }, { header: 'Crimes in a hexagon' }],
        rows: hexLegend(grid).map((l, i, legend) => [`${i + 1} of ${legend.length} (${l.colour})`, l.text]),
      },
      {
        kind: 'table',
        caption: `The busiest hexagons, ${window}`,
        columns: [
          { header: 'Rank', width: 8 },
          { header: 'Centre (latitude, longitude)', width: 40 },
          { header: 'Crimes', numeric: true },
          { header: 'Share', numeric: true },
        ],
        rows: hexRows(grid).map((h) => [h.rank, h.centre, h.count, h.share]),
      },
    ],
  };
}

/** The area's LSOAs shaded by the window's crime, with its key and every LSOA drawn as a table; a note without boundaries. */
function lsoaMapSection(input: AssessmentDocumentData, { window }: Windows): Section {
  const title = 'Map by LSOA';
  const ch = input.choropleth;
  if (!ch.map)
    return {
      title,
      blocks: [
        {
          kind: 'paragraph',
          text: ch.boundariesHeld
            ? `None of the ${formatNumber(ch.boundariesHeld)} LSOA boundaries imported is of this area's LSOAs, so there is no map by LSOA.`
            : 'No LSOA boundaries are imported, so there is no map by LSOA. A platform administrator can import them under Official data as "LSOA boundaries" (GeoJSON).',
          emphasis: 'note',
        },
      ],
    };
  const view = choroplethView(ch.map, 'crime', window, ch.populationSources, 'assessment-lsoa-map');
  return {
    title,
    blocks: [
      { kind: 'paragraph', text: `${view.title}. Drawn from the imported LSOA boundaries.` },
      { kind: 'figure', svg: view.svg, alt: `${view.title}. ${view.description}` },
      {
        kind: 'table',
        caption: `Key: ${view.measureText}, light to dark`,
        columns: [{ header: 'Shade', width: 20 }, { header: 'Class' }],
        rows: view.legend.map((l, i, legend) => [`${i + 1} of ${legend.length} (${l.colour})`, l.text]),
      },
      {
        kind: 'table',
        caption: `${view.title}: every LSOA drawn`,
        columns: [
          { header: 'LSOA', width: 36 },
          { header: 'Records', numeric: true },
          { header: 'Residents', numeric: true },
          { header: 'Per 1,000 residents', numeric: true },
          { header: 'Class' },
        ],
        rows: view.rows.map((r) => [r.name ? `${r.code} ${r.name}` : r.code, r.count, r.population, r.rate, r.class]),
      },
    ],
  };
}

/** Which local authorities' figures the further sources are, as the page says it. */
function authoritiesText(input: AssessmentDocumentData): string {
  const s = input.sources;
  if (!s.authorities.length)
    return `None of the area's local authorities (${input.area.localAuthorities.join(', ')}) is named in an imported table, so their codes are not known.`;
  const unmatched = s.unmatched.length ? ` Not found in the imported tables: ${s.unmatched.join(', ')}.` : '';
  return `Figures of the area's local authorities: ${s.authorities.map((a) => `${a.name} (${a.code})`).join(', ')}.${unmatched}`;
}

/** Each Fingertips series of the area's local authorities: the line chart and the table of the page. */
function healthSection(input: AssessmentDocumentData): Section {
  const s = input.sources;
  const blocks: Block[] = [{ kind: 'paragraph', text: authoritiesText(input) }];
  if (!s.fingertips.length)
    blocks.push({
      kind: 'paragraph',
      text: s.fingertipsHeld
        ? "The imported Fingertips indicators have no values for the area's local authorities."
        : 'No Fingertips indicator has been imported. A platform administrator imports the data download of an indicator (such as 11201, hospital admissions for violence) under official data.',
      emphasis: 'note',
    });
  s.fingertips.forEach((series, i) => {
    const spec = fingertipsChart(series, `assessment-fingertips-${i}`);
    blocks.push(
      { kind: 'heading', level: 2, text: `${series.indicatorName}: ${series.areaName}` },
      {
        kind: 'paragraph',
        text: `Indicator ${series.indicatorId}, ${series.sex}, ${series.age}; England for comparison; the interval is the 95% confidence interval.`,
      },
      { kind: 'figure', svg: renderChart(spec), alt: `${spec.title}. ${spec.description} The table below gives every figure.` },
      {
        kind: 'table',
        caption: `${series.indicatorName}, ${series.areaName} and England`,
        columns: [
          { header: 'Time period', width: 14 },
          { header: series.areaName, numeric: true },
          { header: '95% interval', numeric: true },
          { header: '99.8% interval', numeric: true },
          { header: 'Count', numeric: true },
          { header: 'Denominator', numeric: true },
          { header: 'England', numeric: true },
          { header: 'Compared with England' },
        ],
        rows: fingertipsRows(series).map((r) => [
          r.timePeriod,
          r.value,
          r.interval95,
          r.interval998,
          r.count,
          r.denominator,
          r.england,
          r.compared,
        ]),
      },
    );
  });
  return { title: 'Public health indicators (OHID Fingertips)', blocks, landscape: s.fingertips.length > 0 };
}

/** Killed or seriously injured road collisions by year in the area's local authorities: the bar chart and the table. */
function roadsSection(input: AssessmentDocumentData): Section {
  const title = 'Road safety: killed or seriously injured';
  const roads = input.sources.roads;
  if (!roads)
    return {
      title,
      blocks: [
        {
          kind: 'paragraph',
          text: 'No road casualty collisions have been imported. A platform administrator imports the DfT collision file under official data.',
          emphasis: 'note',
        },
      ],
    };
  const spec = roadsChart(roads.years, 'assessment-roads');
  const n = (v: number) => formatNumber(v, 0);
  return {
    title,
    blocks: [
      {
        kind: 'paragraph',
        text: "Reported road collisions (DfT STATS19) in the area's local authorities; a collision is killed or seriously injured (KSI) when its most severe casualty was. The collision file does not split casualties by severity, so casualties are those of every severity in the KSI collisions.",
      },
      { kind: 'paragraph', text: authoritiesText(input) },
      { kind: 'figure', svg: renderChart(spec), alt: `${spec.title}. ${spec.description} The table below gives every figure.` },
      {
        kind: 'table',
        caption: 'Road collisions by year',
        columns: [
          { header: 'Year', width: 10 },
          { header: 'Fatal', numeric: true },
          { header: 'Serious', numeric: true },
          { header: 'KSI collisions', numeric: true },
          { header: 'Casualties in KSI collisions', numeric: true },
          { header: 'All collisions', numeric: true },
          { header: 'All casualties', numeric: true },
        ],
        rows: roads.years.map((y) => [
          String(y.year),
          n(y.fatal),
          n(y.serious),
          n(y.ksiCollisions),
          n(y.ksiCollisionCasualties),
          n(y.collisions),
          n(y.casualties),
        ]),
      },
    ],
  };
}

function outcomesSection(a: StrategicAssessment, { window }: Windows): Section {
  if (!a.outcomes.length)
    return { title: 'Outcomes', blocks: [{ kind: 'paragraph', text: 'No crimes, so no outcomes, were recorded.', emphasis: 'note' }] };
  return {
    title: 'Outcomes',
    blocks: [
      {
        kind: 'paragraph',
        text: `The last outcome police.uk records for each crime of ${window} (anti-social behaviour has none). Recent crimes are often still under investigation.`,
      },
      ...chartBlocks(outcomesChart(a, 'assessment-outcomes')),
      {
        kind: 'table',
        caption: 'Outcomes as a share of the crimes',
        columns: [{ header: 'Outcome', width: 60 }, { header: 'Crimes' }, { header: 'Share' }],
        rows: outcomeRows(a).map((o) => [o.outcome, o.count, o.share]),
      },
    ],
  };
}

function comparisonSection(c: AreaComparison | null, partnershipName: string): Section {
  const title = 'Comparison with similar partnerships';
  if (!c)
    return {
      title,
      blocks: [{ kind: 'paragraph', text: 'No partnerships or local authorities were chosen to compare with.', emphasis: 'note' }],
    };
  const rates = comparisonRatesTable(c);
  return {
    title,
    blocks: [
      {
        kind: 'paragraph',
        text: `Rates per 1,000 people from ${windowLabel(c.window.from, c.window.to)}. The group average adds up the comparators' records and divides by their added populations; comparators without a population are shown but left out of it.`,
      },
      {
        kind: 'table',
        caption: 'Areas compared',
        columns: [{ header: 'Area', width: 40 }, { header: 'Population' }, { header: 'LSOAs' }, { header: 'Crimes (excluding ASB)' }],
        rows: areasComparedRows(c).map((x) => [x.name, x.population, x.lsoas, x.crimes]),
      },
      ...chartBlocks(
        comparisonChart(c, partnershipName, ALL_CRIME, {
          id: 'assessment-comparison',
          sort: 'none',
          description: `Crime per 1,000 people: ${partnershipName} (highlighted), each comparator and the group average.`,
        }),
      ),
      {
        kind: 'table',
        caption: 'Rates per 1,000 people by type',
        columns: [{ header: rates.categoryHeader, width: 26 }, ...rates.columns.map((x) => ({ header: x.name }))],
        rows: rates.categories.map((t, i) => [t, ...rates.columns.map((x) => x.values[i] ?? '')]),
      },
    ],
  };
}

/**
 * All recorded crime against the peer group (Home Office counts by CSP, ONS populations) as a funnel plot, with its
 * alternative text and the same figures as a table; null without a CSP linked or its figures.
 */
export function peerComparisonSection(cmp: PeerComparison | null): Section | null {
  const f = cmp?.funnel;
  if (!cmp || !f) return null;
  const subject = f.points.find((p) => p.isSubject);
  const two = (n: number) => formatNumber(n, 2);
  const what = `${cmp.group}, ${cmp.yearLabel}`;
  const title = `${what}: rate per 1,000 people against population`;
  const ranked = [...f.points].sort((a, b) => a.rank - b.rank);
  return {
    title: 'Comparison with peer partnerships (Home Office figures)',
    blocks: [
      {
        kind: 'paragraph',
        text: `${cmp.cspName} and its peer group (${cmp.method === 'computed' ? `the most similar CSPs by ${cmp.features.join(' and ')}` : 'CSPs chosen by hand'}): police recorded crime by Community Safety Partnership from the Home Office, per 1,000 people (ONS mid-${cmp.populationYears.join(', mid-')} estimates). The group average adds up the group's offences and divides by its people; areas outside the 95% limits differ from it by more than chance would usually give (1 in 20 by chance), outside the 99.8% limits 1 in 500.`,
      },
      ...(subject
        ? [
            {
              kind: 'paragraph' as const,
              text: `**${cmp.cspName}: ${two(subject.rate)} per 1,000 against a group average of ${two(f.average)}; ${subject.significance}; ranked ${subject.rank} of ${f.points.length} (1 = highest rate).**`,
            },
          ]
        : []),
      {
        kind: 'figure',
        svg: funnelChart({ funnel: f, title, yLabel: 'Per 1,000 people', id: 'assessment-funnel' }),
        alt: `${title}. A funnel plot of ${f.points.length} partnerships: ${FUNNEL_LEGEND.join('; ')}. The table below gives every figure`,
      },
      {
        kind: 'table',
        caption: `${what}: the peer group's rates, limits and ranks`,
        columns: [
          { header: 'Rank', width: 7 },
          { header: 'Area', width: 22 },
          { header: 'Offences', numeric: true },
          { header: 'Population', numeric: true },
          { header: 'Rate per 1,000', numeric: true },
          { header: '95% limits' },
          { header: '99.8% limits' },
          { header: 'Against the group average' },
        ],
        rows: ranked.map((p) => [
          formatNumber(p.rank, 0),
          p.isSubject ? `${p.name} (this partnership)` : p.name,
          formatNumber(p.count, 0),
          formatNumber(p.population, 0),
          two(p.rate),
          `${two(p.lower95)} to ${two(p.upper95)}`,
          `${two(p.lower998)} to ${two(p.upper998)}`,
          p.significance,
        ]),
      },
    ],
    landscape: true,
  };
}

function matrixSection(m: AssessmentDocumentData['matrix']): Section {
  if (!m.ranked.length)
    return { title: 'Priority-setting matrix', blocks: [{ kind: 'paragraph', text: 'There are no issues to rank.', emphasis: 'note' }] };
  return {
    title: 'Priority-setting matrix',
    blocks: [
      {
        kind: 'paragraph',
        text: `Each issue is scored from 0 to 100 on each criterion, and the scores are combined with the partnership's weights into one weighted score. Volume is scored on ${m.rateBasis ? 'rates per 1,000 people' : 'counts'}. Trend is scored on the smallest change the counts support (the end of the change's 95% interval nearest no change): 50 for a change within chance, up to 100 for a rise to at least double, down to 0 for a fall to at least half.`,
      },
      {
        kind: 'fact',
        label: 'Weights',
        text: matrixWeights(m.settings.weights)
          .map((w) => `${w.label} ${w.weight}`)
          .join(', '),
      },
      {
        kind: 'table',
        caption: 'Issues ranked by weighted score',
        columns: [
          { header: 'Rank', width: 7 },
          { header: 'Issue', width: 19 },
          { header: volumeHeader(m.rateBasis), width: 9 },
          { header: '% change', width: 9 },
          { header: 'Harm weight', width: 8 },
          { header: 'Public concern', width: 10 },
          ...CRITERIA.map((k) => ({ header: `${SHORT_CRITERION[k]} score`, width: 8.5 })),
          { header: 'Weighted score' },
        ],
        rows: m.ranked.map((r) => {
          const row = matrixRow(r, m.rateBasis);
          // An issue added by name has no figures: no percentage change.
          return [row.rank, row.name, row.volume, r.count === null ? 'n/a' : row.change, row.harm, row.concern, ...row.scores, row.score];
        }),
      },
      ...chartBlocks(matrixScoresChart(m.ranked, { id: 'assessment-matrix', title: 'Weighted score of each issue' })),
    ],
  };
}

const aboutTheseFigures = (): Section => ({
  title: 'About these figures',
  blocks: [
    {
      kind: 'list',
      items: [
        'Source: police.uk street-level crime and anti-social behaviour records, by month and lower layer super output area (LSOA). Records without a location are not in any area.',
        "The area is the LSOAs whose names start with the partnership's local authorities, plus any LSOA codes it listed.",
        'Rates are per 1,000 people, using the population the partnership recorded for the year the window ends in.',
        'Whether a change is real: a two-sided exact test of the two 12-month counts (a conditional binomial test), significant when p is below 0.05.',
        'Seasonality averages each calendar month over every month held for the police forces covering the area.',
        'The map by LSOA uses the imported LSOA boundaries; residents come from the imported ONS LSOA estimates, else the indices of deprivation (mid-2015).',
        "Health figures are OHID Fingertips indicator downloads, and road collisions DfT STATS19 collision files, for the area's local authorities.",
      ],
    },
  ],
});

/** The strategic assessment document for a partnership and window. */
export function assessmentReport(input: AssessmentDocumentData): AssessmentReport {
  const a = input.assessment;
  const windows: Windows = {
    window: windowLabel(a.current.from, a.current.to),
    previousWindow: windowLabel(a.previous.from, a.previous.to),
  };
  const { window, previousWindow } = windows;
  const sections: Section[] = [
    keyFindingsSection(input, windows),
    crimeSection(a),
    trendSection(input),
    hotspotsSection(a, windows),
    deprivationSection(input, windows),
    mapSection(input, windows),
    lsoaMapSection(input, windows),
    outcomesSection(a, windows),
    comparisonSection(input.comparison, input.partnershipName),
    ...[peerComparisonSection(input.peers)].filter((s): s is Section => s !== null),
    healthSection(input),
    roadsSection(input),
    matrixSection(input.matrix),
    aboutTheseFigures(),
  ];
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
