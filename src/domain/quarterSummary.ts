/**
 * One indicator's line in a Board pack's summary table for a financial-year quarter, in the manner of the
 * executive summaries partnerships publish (Rochford 2009/10: last year to date, this year to date, % change,
 * RAG): the quarter's figure, the year to date, the same period and the year to date a year earlier, the change
 * and whether it is statistically significant, and the direction of travel. Pure: it works from the indicator's
 * figures by period key and uses the period, change and significance functions of this folder.
 */
import { absoluteChange, directionOfTravel, percentageChange, type DirectionOfTravel } from './change.ts';
import {
  financialYearKey,
  monthsOfQuarter,
  parsePeriodKey,
  parseQuarterKey,
  quarterKey,
  samePeriodLastYear,
  yearToDateComparison,
} from './periods.ts';
import { compareCounts, verdictOf, type SignificanceVerdict } from './significance.ts';
import { compareYearToDate } from './yearToDate.ts';
import type { Polarity } from './types.ts';

export interface QuarterSummaryInput {
  frequency: 'monthly' | 'quarterly' | 'annual';
  /** Counts and money add up over months and quarters; percentages, rates and scores do not. */
  additive: boolean;
  /** Whole-number counts, for which the change can be tested for significance. */
  count: boolean;
  polarity: Polarity;
  /** Every figure by period key ('2019-04', '2019-20 Q1', '2019/20'). */
  values: ReadonlyMap<string, number>;
  /** The quarter reported on: '2019-20 Q4'. */
  quarter: string;
  baseline: { value: number; period: string } | null;
  /** The year-end figure projected from the year to date (when the target is judged on it). */
  projectedYearEnd: number | null;
  /**
   * The indicator's own test of the period against the same period last year (a percentage or rate with numerator and
   * denominator), used when the change is on the period and the figures are not counts; null or absent otherwise.
   */
  periodSignificance?: SignificanceVerdict | null;
}

export interface QuarterSummary {
  /** The quarter's figure: a quarterly figure, the sum (or mean) of the quarter's months, or the annual figure. */
  value: number | null;
  /** The financial year to date, April to the end of the quarter (additive figures, every period present). */
  yearToDate: number | null;
  /** The same quarter (or year) a year earlier. */
  lastYear: number | null;
  /** The same months of the year before. */
  yearToDateLastYear: number | null;
  /** What the change compares: the years to date when both are known, else the period with the same one last year. */
  comparedOn: 'year to date' | 'period' | null;
  change: number | null;
  percentChange: number | null;
  significance: SignificanceVerdict | null;
  /** Direction of travel, and on what it is judged; null only when there is nothing to compare the figure with. */
  direction: DirectionOfTravel | null;
  directionOn: 'last year' | 'baseline' | 'projected year end on baseline' | null;
}

const sum = (xs: (number | undefined)[]): number | null =>
  xs.every((x) => x !== undefined) ? xs.reduce<number>((s, x) => s + (x ?? 0), 0) : null;
const mean = (xs: (number | undefined)[]): number | null => {
  const present = xs.filter((x): x is number => x !== undefined);
  return present.length ? present.reduce((s, x) => s + x, 0) / present.length : null;
};
const safe = <T>(f: () => T): T | null => {
  try {
    return f();
  } catch {
    return null;
  }
};

/** The quarter's figure from a map of figures: quarterly as it is, monthly as the sum (or mean) of its three months. */
function quarterValue(input: QuarterSummaryInput, quarter: string): number | null {
  if (input.frequency === 'quarterly') return input.values.get(quarter) ?? null;
  const months = monthsOfQuarter(quarter).map((m) => input.values.get(m));
  return input.additive ? sum(months) : mean(months);
}

/** The year to date to the end of a quarter: additive figures only, and only when every period of it has a figure. */
function yearToDate(input: QuarterSummaryInput, quarter: string): number | null {
  if (!input.additive) return null;
  if (input.frequency === 'monthly') {
    const months = monthsOfQuarter(quarter);
    const record = Object.fromEntries(input.values);
    const ytd = safe(() => yearToDateComparison(record, months[2]!).current);
    return ytd && ytd.missingMonths.length === 0 ? ytd.total : null;
  }
  if (input.frequency === 'quarterly') {
    const q = parseQuarterKey(quarter);
    const quarters = [1, 2, 3, 4].slice(0, q.quarter).map((n) => input.values.get(quarterKey(q.financialYearStart, n)));
    return sum(quarters);
  }
  return null;
}

export function quarterSummary(input: QuarterSummaryInput): QuarterSummary {
  const q = parseQuarterKey(input.quarter);
  const fy = financialYearKey(q.financialYearStart);
  const lastYearQuarter = samePeriodLastYear(input.quarter);
  const annual = input.frequency === 'annual';
  const value = annual ? (input.values.get(fy) ?? null) : quarterValue(input, input.quarter);
  const lastYear = annual ? (input.values.get(financialYearKey(q.financialYearStart - 1)) ?? null) : quarterValue(input, lastYearQuarter);
  const ytd = annual ? null : yearToDate(input, input.quarter);
  const ytdLastYear = annual ? null : yearToDate(input, lastYearQuarter);

  let before: number | null = null;
  let after: number | null = null;
  let comparedOn: QuarterSummary['comparedOn'] = null;
  let change: number | null = null;
  let percentChange: number | null = null;
  let significance: QuarterSummary['significance'] = null;
  // The year to date against last year's, by the same function as the indicator page and the API.
  const ytdPeriod = input.frequency === 'monthly' ? monthsOfQuarter(input.quarter)[2]! : input.quarter;
  const ytdChange = annual ? null : safe(() => compareYearToDate({ ...input, period: ytdPeriod }).value);
  if (ytdChange) {
    [before, after, comparedOn] = [ytdChange.lastYear, ytdChange.current, 'year to date'];
    [change, percentChange] = [ytdChange.change, ytdChange.percentChange];
    significance = ytdChange.significance;
  } else if (value !== null && lastYear !== null) {
    [before, after, comparedOn] = [lastYear, value, 'period'];
    change = absoluteChange(before, after);
    percentChange = safe(() => percentageChange(lastYear, value));
    significance =
      input.count && Number.isInteger(lastYear) && Number.isInteger(value)
        ? safe(() => verdictOf(compareCounts(lastYear, value)))
        : (input.periodSignificance ?? null);
  }

  let direction: DirectionOfTravel | null = null;
  let directionOn: QuarterSummary['directionOn'] = null;
  if (before !== null && after !== null) {
    direction = directionOfTravel(before, after, input.polarity);
    directionOn = 'last year';
  } else if (input.baseline && value !== null) {
    // Like with like: a baseline for a whole year is set against the year (the annual figure, or the projected year
    // end of a count); a baseline for a quarter or month, or a percentage, rate or score, against the quarter's figure.
    const baselineKind = safe(() => parsePeriodKey(input.baseline!.period).kind);
    const wholeYearBaseline = baselineKind === 'financial_year';
    if (input.additive && baselineKind === 'month' && !annual) {
      // A month's baseline against the quarter's average month.
      direction = directionOfTravel(input.baseline.value, value / 3, input.polarity);
      directionOn = 'baseline';
    } else if (annual || !input.additive || !wholeYearBaseline) {
      direction = directionOfTravel(input.baseline.value, value, input.polarity);
      directionOn = 'baseline';
    } else if (input.projectedYearEnd !== null) {
      direction = directionOfTravel(input.baseline.value, input.projectedYearEnd, input.polarity);
      directionOn = 'projected year end on baseline';
    }
  }
  return {
    value,
    yearToDate: ytd,
    lastYear,
    yearToDateLastYear: ytdLastYear,
    comparedOn,
    change,
    percentChange,
    significance,
    direction,
    directionOn,
  };
}
