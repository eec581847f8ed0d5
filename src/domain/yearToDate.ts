/**
 * Year to date against last year's year to date: the comparison partnerships publish (Rochford 2009/10's
 * executive summary: "last year to date, this year to date, % change"). For a month or a quarter of a monthly or
 * quarterly indicator whose figures add up (counts, money): the financial year to date to the end of the period,
 * the same periods a year earlier, the change, the % change, and for whole-number counts whether the change is
 * statistically significant (the exact test of compareCounts, equal exposure as the months are the same).
 * One function for the indicator page, the API and the Board pack's summary table, so they agree. Pure: no I/O.
 */
import { absoluteChange, directionOfTravel, percentageChange, type DirectionOfTravel } from './change.ts';
import { formatPeriodLabel, parsePeriodKey, quarterKey, samePeriodLastYear, yearToDateMonths } from './periods.ts';
import { compareCounts, verdictOf, type SignificanceVerdict } from './significance.ts';
import type { Polarity } from './types.ts';

export interface YearToDateInput {
  /** Counts and money add up over periods; percentages, rates and scores do not. */
  additive: boolean;
  /** Whole-number counts, whose change can be tested for significance. */
  count: boolean;
  polarity: Polarity;
  /** Every figure by period key ('2019-04', '2019-20 Q1'). */
  values: ReadonlyMap<string, number>;
  /** The month or quarter the year to date runs to. */
  period: string;
}

export interface YearToDateChange {
  /** The periods of this year to date, April (or Q1) to `period`. */
  periods: string[];
  lastYearPeriods: string[];
  current: number;
  lastYear: number;
  change: number;
  /** Null when last year's year to date was 0. */
  percentChange: number | null;
  /** Whole-number counts only; null otherwise. */
  significance: SignificanceVerdict | null;
  direction: DirectionOfTravel;
}

/** The comparison, or why there is none. */
export type YearToDateResult = { value: YearToDateChange; reason: null } | { value: null; reason: string };

/** The months (for a month) or quarters (for a quarter) of the financial year to date, ending with `period`. */
export function yearToDatePeriods(period: string): string[] {
  const p = parsePeriodKey(period);
  if (p.kind === 'month') return yearToDateMonths(period);
  if (p.kind === 'quarter') return Array.from({ length: p.quarter }, (_, i) => quarterKey(p.financialYearStart, i + 1));
  throw new RangeError(`A year to date runs to a month or a quarter, not ${period}`);
}

/** The total over the periods, or the first period without a figure. */
function totalOf(values: ReadonlyMap<string, number>, periods: string[]): { total: number } | { missing: string } {
  let total = 0;
  for (const p of periods) {
    const v = values.get(p);
    if (v === undefined) return { missing: p };
    total += v;
  }
  return { total: Math.round(total * 1e9) / 1e9 };
}

/** Year to date against the same periods last year, or why it cannot be worked out. */
export function compareYearToDate(input: YearToDateInput): YearToDateResult {
  const kind = parsePeriodKey(input.period).kind;
  if (kind === 'financial_year') return { value: null, reason: 'A year to date is for monthly and quarterly figures' };
  if (!input.additive) return { value: null, reason: 'A year to date is for figures that add up (counts and money)' };
  const periods = yearToDatePeriods(input.period);
  const lastYearPeriods = yearToDatePeriods(samePeriodLastYear(input.period));
  const now = totalOf(input.values, periods);
  if ('missing' in now) return { value: null, reason: `No figure for ${formatPeriodLabel(now.missing)}, so no year to date` };
  const before = totalOf(input.values, lastYearPeriods);
  if ('missing' in before)
    return { value: null, reason: `No figure for ${formatPeriodLabel(before.missing)}, so no year to date for last year` };
  const [b, a] = [before.total, now.total];
  let significance: YearToDateChange['significance'] = null;
  if (input.count && Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0) {
    significance = verdictOf(compareCounts(b, a));
  }
  return {
    value: {
      periods,
      lastYearPeriods,
      current: a,
      lastYear: b,
      change: absoluteChange(b, a),
      // A percentage change is only meaningful between figures of 0 or more (not net changes or balances).
      percentChange: a >= 0 && b >= 0 ? percentageChange(b, a) : null,
      significance,
      direction: directionOfTravel(b, a, input.polarity),
    },
    reason: null,
  };
}
