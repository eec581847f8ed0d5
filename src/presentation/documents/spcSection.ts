/**
 * The Board pack's SPC section and year-end outlook (issue 16): for each indicator of the pack, its XmR reading as at
 * the end of the quarter (the figures up to then, with the indicator's change dates and exclusions) as Making Data
 * Count's two icons in words, and for counts judged on a projected year end, the chance of meeting the target.
 */
import { monthsOfPeriod, xmrView } from '../../domain/index.ts';
import type { ReportQuarter } from '../../domain/reportQuarter.ts';
import { spcSettingsOf } from '../../services/performance/spcMarks.ts';
import type { IndicatorPerformance } from '../../services/performance/performance.ts';
import { label } from '../../services/performance/indicators.ts';
import { formatNumber, unitFormat } from '../formats.ts';
import { spcReading, type SpcReading } from '../spcIcons.ts';
import type { Block, Section } from './document.ts';

export interface QuarterSpcRow extends SpcReading {
  id: number;
  label: string;
  /** The latest figure up to the end of the quarter and its period: '152 (March 2020)'. */
  latestText: string;
  /** 'Likely (84%)': the chance that the projected year end meets the target, or '' where none is worked out. */
  outlookText: string;
}

/** A probability in words with its percentage, as a Board reads it. */
export function chanceText(probability: number): string {
  const pct = `${formatNumber(probability * 100, 0)}%`;
  const words =
    probability >= 0.9
      ? 'Very likely'
      : probability >= 0.66
        ? 'Likely'
        : probability > 0.33
          ? 'About as likely as not'
          : probability > 0.1
            ? 'Unlikely'
            : 'Very unlikely';
  return `${words} (${pct})`;
}

/** One indicator's SPC reading and outlook as at the end of the quarter, or null when it has no figure by then. */
export function quarterSpcRow(p: IndicatorPerformance, quarter: ReportQuarter): QuarterSpcRow | null {
  const end = monthsOfPeriod(quarter.key).at(-1)!;
  const upTo = p.periods.filter((x) => x.value !== null && monthsOfPeriod(x.period).at(-1)! <= end);
  const latest = upTo.at(-1) ?? null;
  if (!latest) return null;
  const fmt = unitFormat(p.indicator.unit);
  const view = xmrView(
    upTo.map((x) => x.period),
    upTo.map((x) => x.value!),
    p.indicator.polarity,
    spcSettingsOf(p.spcMarks),
  );
  const probability = latest.projection?.probabilityOfMeetingTarget ?? null;
  return {
    id: p.indicator.id,
    label: label(p.indicator),
    latestText: `${fmt(latest.value!)} (${latest.label})`,
    outlookText: probability === null ? '' : chanceText(probability),
    ...spcReading(view, latest, p.indicator.polarity, fmt),
  };
}

/** The SPC section of the pack: one row per indicator, the icons named in words. */
export function spcSection(rows: QuarterSpcRow[], quarter: ReportQuarter): Section {
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: `Each indicator's figures up to the end of ${quarter.label} read as an XmR chart, in the way of NHS England's Making Data Count. Variation says whether the latest figures show a real change (special cause) or only the usual ups and downs (common cause), and whether a change is for the better. Assurance says whether the process, as it runs now, will reliably meet a target set for each figure.`,
    },
  ];
  if (rows.length === 0) blocks.push({ kind: 'paragraph', text: 'No indicator has figures to read.', emphasis: 'note' });
  else
    blocks.push({
      kind: 'table',
      caption: `Variation and assurance of each indicator, ${quarter.label}`,
      columns: [
        { header: 'Indicator', width: 20 },
        { header: 'Latest figure', width: 12 },
        { header: 'Variation', width: 14 },
        { header: 'Assurance', width: 14 },
        { header: 'What it means' },
      ],
      rows: rows.map((r) => [r.label, r.latestText, r.variationLabel, r.assuranceLabel, r.description]),
    });
  const outlook = rows.filter((r) => r.outlookText !== '');
  if (outlook.length > 0)
    blocks.push({
      kind: 'table',
      caption: `Chance of meeting the year-end target, as at ${quarter.label}`,
      columns: [
        { header: 'Indicator', width: 40 },
        { header: 'Latest figure', width: 25 },
        { header: 'Chance of meeting the year-end target' },
      ],
      rows: outlook.map((r) => [r.label, r.latestText, r.outlookText]),
    });
  return { title: 'Statistical process control', blocks, landscape: true };
}
