/**
 * Seasonality: the month-of-year profile of crime and ASB in an area, the average count in each calendar month
 * over every month of police.uk data held for the forces that cover the area (a month held with no records in
 * the area counts as 0), with a seasonal index: the month's average as a percentage of the average month
 * (100 = a typical month; 120 = a fifth busier than usual). Pure: the store counts the records
 * (src/adapters/crimeStore/queries.ts).
 */
import { parseMonthKey } from './periods.ts';

export const CALENDAR_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

export interface MonthCounts {
  month: string;
  crime: number;
  asb: number;
}

export interface CalendarMonthProfile {
  /** 1 to 12. */
  calendarMonth: number;
  name: string;
  /** How many months of data the averages are over (0 when none). */
  years: number;
  crimeAverage: number | null;
  asbAverage: number | null;
  /** Average crime this month as a % of the average month's crime; null when there is none. */
  crimeIndex: number | null;
  asbIndex: number | null;
}

function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
}

/** Crime and ASB for every month held, oldest first as given: a month without records in the area counts 0. */
export function monthCounts(
  monthsHeld: readonly string[],
  counts: readonly { month: string; asb: boolean; count: number }[],
): MonthCounts[] {
  return monthsHeld.map((month) => ({
    month,
    crime: counts.find((r) => r.month === month && !r.asb)?.count ?? 0,
    asb: counts.find((r) => r.month === month && r.asb)?.count ?? 0,
  }));
}

/** The month-of-year profile of monthly counts. */
export function monthOfYearProfile(monthly: readonly MonthCounts[]): CalendarMonthProfile[] {
  const byMonth = CALENDAR_MONTHS.map((_name, i) => monthly.filter((m) => parseMonthKey(m.month).month === i + 1));
  const crimeAverages = byMonth.map((ms) => mean(ms.map((m) => m.crime)));
  const asbAverages = byMonth.map((ms) => mean(ms.map((m) => m.asb)));
  const overall = (averages: (number | null)[]) => mean(averages.filter((a): a is number => a !== null));
  const crimeOverall = overall(crimeAverages);
  const asbOverall = overall(asbAverages);
  const index = (v: number | null, all: number | null) => (v === null || !all ? null : (v / all) * 100);
  return CALENDAR_MONTHS.map((name, i) => ({
    calendarMonth: i + 1,
    name,
    years: byMonth[i]!.length,
    crimeAverage: crimeAverages[i] ?? null,
    asbAverage: asbAverages[i] ?? null,
    crimeIndex: index(crimeAverages[i] ?? null, crimeOverall),
    asbIndex: index(asbAverages[i] ?? null, asbOverall),
  }));
}
