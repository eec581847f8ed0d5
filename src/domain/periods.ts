/**
 * Reporting periods used by Community Safety Partnerships.
 *
 * CSPs report on the April-to-March financial year (FY): '2009/10' runs from April 2009 to March 2010.
 * Quarters follow the financial year: Q1 = April-June, Q2 = July-September, Q3 = October-December,
 * Q4 = January-March (so Q4 2019/20 is January-March 2020).
 *
 * Period keys (stable strings for storage and URLs):
 * - month: 'YYYY-MM', e.g. '2019-04' (April 2019);
 * - quarter: 'YYYY-YY Qn', e.g. '2019-20 Q4';
 * - financial year: 'YYYY/YY', e.g. '2009/10'. The slash matters: '2011-12' is a month key (December 2011).
 *   {@link parseFinancialYear} also accepts '2009-10', '2009/2010' and '2009-2010' where the context is
 *   known to be a financial year.
 */

import { assertNonNegative, tidy } from './validation.ts';

/** A calendar month, e.g. April 2019 (key '2019-04'). */
export interface MonthPeriod {
  readonly kind: 'month';
  /** Calendar year, e.g. 2020 for January 2020. */
  readonly year: number;
  /** Calendar month 1-12 (1 = January). */
  readonly month: number;
}

/** A financial-year quarter, e.g. Q4 2019/20 = January-March 2020 (key '2019-20 Q4'). */
export interface QuarterPeriod {
  readonly kind: 'quarter';
  /** Calendar year in which the financial year starts (2019 for 2019/20). */
  readonly financialYearStart: number;
  readonly quarter: 1 | 2 | 3 | 4;
}

/** An April-to-March financial year, e.g. 2009/10 (key '2009/10'). */
export interface FinancialYearPeriod {
  readonly kind: 'financial_year';
  /** Calendar year in which the financial year starts (2009 for 2009/10). */
  readonly startYear: number;
}

/** Any reporting period, as returned by {@link parsePeriodKey}. */
export type Period = MonthPeriod | QuarterPeriod | FinancialYearPeriod;

const MONTH_NAMES = [
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

const MONTH_KEY = /^(\d{4})-(\d{2})$/;
const FY_KEY = /^(\d{4})[/-](\d{2}|\d{4})$/;
const QUARTER_KEY = /^(\d{4})[-/](\d{2})\s*Q([1-4])$/;
const QUARTER_LABEL = /^Q([1-4])\s+(\d{4})[-/](\d{2})$/;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function twoDigitEnd(startYear: number): string {
  return pad2((startYear + 1) % 100);
}

function checkYear(year: number, key: string): void {
  if (year < 1900 || year > 2999) {
    throw new RangeError(`Year out of range in period key '${key}'`);
  }
}

/** Whether a string is a valid month key such as '2019-04' (month 01-12, year 1900-2999). */
export function isMonthKey(key: string): boolean {
  try {
    parseMonthKey(key);
    return true;
  } catch {
    return false;
  }
}

/** Parse a month key ('2019-04') into its calendar year and month; throws a RangeError for anything else. */
export function parseMonthKey(key: string): MonthPeriod {
  const m = MONTH_KEY.exec(key);
  if (!m) throw new RangeError(`Not a month key (expected 'YYYY-MM'): '${key}'`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  checkYear(year, key);
  if (month < 1 || month > 12) throw new RangeError(`Month must be 01-12 in '${key}'`);
  return { kind: 'month', year, month };
}

/** Build a month key from a calendar year and month (1-12): monthKey(2019, 4) = '2019-04'. */
export function monthKey(year: number, month: number): string {
  if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`Invalid year/month: ${year}/${month}`);
  }
  const key = `${year}-${pad2(month)}`;
  checkYear(year, key);
  return key;
}

/**
 * Parse a financial year written as '2009/10' (canonical), '2009-10', '2009/2010' or '2009-2010';
 * returns the start year (2009). Throws if the second year does not follow the first.
 */
export function parseFinancialYear(key: string): number {
  const m = FY_KEY.exec(key.trim());
  if (!m) throw new RangeError(`Not a financial year (expected e.g. '2009/10'): '${key}'`);
  const start = Number(m[1]);
  checkYear(start, key);
  const end = m[2] as string;
  const expected = end.length === 2 ? twoDigitEnd(start) : String(start + 1);
  if (end !== expected) {
    throw new RangeError(`Financial year '${key}' must run into the following year (e.g. '${start}/${twoDigitEnd(start)}')`);
  }
  return start;
}

/** Canonical financial-year key for a start year: financialYearKey(2009) = '2009/10'. */
export function financialYearKey(startYear: number): string {
  if (!Number.isInteger(startYear)) throw new RangeError(`Invalid financial year start: ${startYear}`);
  const key = `${startYear}/${twoDigitEnd(startYear)}`;
  checkYear(startYear, key);
  return key;
}

/** Parse a quarter key ('2019-20 Q4'; also '2019/20 Q4' or the label form 'Q4 2019/20'). */
export function parseQuarterKey(key: string): QuarterPeriod {
  const trimmed = key.trim();
  let start: number;
  let end: string;
  let quarter: number;
  const m = QUARTER_KEY.exec(trimmed);
  const l = m ? null : QUARTER_LABEL.exec(trimmed);
  if (m) {
    start = Number(m[1]);
    end = m[2] as string;
    quarter = Number(m[3]);
  } else if (l) {
    quarter = Number(l[1]);
    start = Number(l[2]);
    end = l[3] as string;
  } else {
    throw new RangeError(`Not a quarter key (expected e.g. '2019-20 Q4'): '${key}'`);
  }
  checkYear(start, key);
  if (end !== twoDigitEnd(start)) {
    throw new RangeError(`Quarter '${key}' must name a financial year such as '${start}-${twoDigitEnd(start)}'`);
  }
  return { kind: 'quarter', financialYearStart: start, quarter: quarter as 1 | 2 | 3 | 4 };
}

/** Canonical quarter key: quarterKey(2019, 4) = '2019-20 Q4'. */
export function quarterKey(financialYearStart: number, quarter: number): string {
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) {
    throw new RangeError(`Quarter must be 1-4 (got ${quarter})`);
  }
  const key = `${financialYearStart}-${twoDigitEnd(financialYearStart)} Q${quarter}`;
  checkYear(financialYearStart, key);
  return key;
}

/**
 * Work out what kind of period a key is and parse it. Month keys are 'YYYY-MM', financial years
 * must use the slash form ('2009/10') here, quarters '2019-20 Q4'.
 */
export function parsePeriodKey(key: string): Period {
  const trimmed = key.trim();
  if (MONTH_KEY.test(trimmed)) return parseMonthKey(trimmed);
  if (/Q[1-4]/.test(trimmed)) return parseQuarterKey(trimmed);
  if (/^\d{4}\/\d{2,4}$/.test(trimmed)) {
    return { kind: 'financial_year', startYear: parseFinancialYear(trimmed) };
  }
  throw new RangeError(`Unrecognised period key '${key}' (expected '2019-04', '2019-20 Q4' or '2019/20')`);
}

/**
 * The one reader of a period someone typed: every way the app writes a period, and the usual variants.
 * - months: '2026-03', '2026-3', 'March 2026', 'Mar 2026', '3/2026';
 * - quarters: '2019-20 Q4', '2019/20 Q4', 'Q4 2019/20', 'Q4 2019-20';
 * - financial years: '2019/20', '2019/2020', 'FY 2019/20', and '2019-20' or '2019-2020' when `kind` says a
 *   financial year is wanted ('2019-12' is otherwise December 2019).
 * `kind`, when given, is the kind of period expected: text that is another kind is refused with a RangeError
 * saying so. Returns the parsed period; throws a RangeError naming the text when it cannot be read.
 */
export function readPeriodText(raw: string, kind?: Period['kind']): Period {
  const s = raw.trim().replace(/\s+/g, ' ');
  const period = readAnyPeriod(s, kind);
  if (period === null) throw new RangeError(`Not a period: '${raw.slice(0, 40)}'`);
  if (kind !== undefined && period.kind !== kind)
    throw new RangeError(`'${raw.slice(0, 40)}' is a ${period.kind.replace('_', ' ')}, not a ${kind.replace('_', ' ')}`);
  return period;
}

function readAnyPeriod(s: string, kind: Period['kind'] | undefined): Period | null {
  const attempt = (f: () => Period): Period | null => {
    try {
      return f();
    } catch {
      return null;
    }
  };
  const fy = /^(?:FY ?)?(\d{4}[/-](?:\d{2}|\d{4}))$/i.exec(s);
  if (fy && (kind === 'financial_year' || fy[1]!.includes('/') || /^\d{4}-\d{4}$/.test(fy[1]!)))
    return attempt(() => ({ kind: 'financial_year', startYear: parseFinancialYear(fy[1]!) }));
  if (MONTH_KEY.test(s)) return attempt(() => parseMonthKey(s));
  if (/Q[1-4]/i.test(s)) return attempt(() => parseQuarterKey(s.replace(/q/, 'Q')));
  let m = /^(\d{1,2}) ?\/ ?(\d{4})$/.exec(s);
  if (m) return attempt(() => parseMonthKey(monthKey(Number(m![2]), Number(m![1]))));
  m = /^(\d{4})-(\d)$/.exec(s);
  if (m) return attempt(() => parseMonthKey(monthKey(Number(m![1]), Number(m![2]))));
  m = /^([A-Za-z]+)\.? (\d{4})$/.exec(s);
  if (m) {
    const word = m[1]!.toLowerCase();
    const index = word.length >= 3 ? MONTH_NAMES.findIndex((name) => name.toLowerCase().startsWith(word)) : -1;
    if (index >= 0) return attempt(() => parseMonthKey(monthKey(Number(m[2]), index + 1)));
  }
  return null;
}

/** The canonical key for a parsed period. */
export function periodKey(period: Period): string {
  switch (period.kind) {
    case 'month':
      return monthKey(period.year, period.month);
    case 'quarter':
      return quarterKey(period.financialYearStart, period.quarter);
    case 'financial_year':
      return financialYearKey(period.startYear);
  }
}

/** Start year of the financial year containing a calendar month (April starts a new year). */
function fyStartOf(p: MonthPeriod): number {
  return p.month >= 4 ? p.year : p.year - 1;
}

/**
 * The financial year a month falls in, e.g. financialYearOfMonth('2010-03') = '2009/10'.
 * Used to file a monthly figure under the right reporting year.
 */
export function financialYearOfMonth(key: string): string {
  return financialYearKey(fyStartOf(parseMonthKey(key)));
}

/**
 * The financial year containing a date given as an ISO string ('2010-03-31' -> '2009/10').
 * Only the year and month are read, so there are no time-zone surprises.
 */
export function financialYearOfDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  const day = Number(m?.[3]);
  if (!m || day < 1 || day > 31) throw new RangeError(`Not an ISO date (expected 'YYYY-MM-DD'): '${isoDate}'`);
  return financialYearOfMonth(`${m[1]}-${m[2]}`);
}

/**
 * Position of a month within its financial year: April = 1 ... March = 12.
 * This is the "months elapsed" count when projecting a year-end figure.
 */
export function monthIndexInFinancialYear(key: string): number {
  const p = parseMonthKey(key);
  return ((p.month + 8) % 12) + 1;
}

/** The financial quarter a month falls in: quarterOfMonth('2020-01') = '2019-20 Q4'. */
export function quarterOfMonth(key: string): string {
  const p = parseMonthKey(key);
  const index = monthIndexInFinancialYear(key);
  return quarterKey(fyStartOf(p), Math.ceil(index / 3));
}

/** Move a month key forwards (or backwards, with a negative n) by n months. */
export function addMonths(key: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`Months to add must be a whole number (got ${n})`);
  const p = parseMonthKey(key);
  const total = p.year * 12 + (p.month - 1) + n;
  return monthKey(Math.floor(total / 12), (total % 12) + 1);
}

/** Compare two month keys chronologically (negative if a is earlier). */
export function compareMonthKeys(a: string, b: string): number {
  const pa = parseMonthKey(a);
  const pb = parseMonthKey(b);
  return pa.year * 12 + pa.month - (pb.year * 12 + pb.month);
}

/**
 * Every month from `from` to `to` inclusive, e.g. for a target span such as
 * "no more than one between April 2008 and March 2011". Throws if `to` is before `from`.
 */
export function monthsBetween(from: string, to: string): string[] {
  const span = compareMonthKeys(to, from);
  if (span < 0) throw new RangeError(`Span end '${to}' is before its start '${from}'`);
  const months: string[] = [];
  for (let i = 0; i <= span; i++) months.push(addMonths(from, i));
  return months;
}

/** The twelve months of a financial year, April first: monthsOfFinancialYear('2009/10')[0] = '2009-04'. */
export function monthsOfFinancialYear(financialYear: string): string[] {
  const start = parseFinancialYear(financialYear);
  return monthsBetween(monthKey(start, 4), monthKey(start + 1, 3));
}

/** The three months of a quarter: monthsOfQuarter('2019-20 Q4') = ['2020-01', '2020-02', '2020-03']. */
export function monthsOfQuarter(key: string): string[] {
  const q = parseQuarterKey(key);
  const first = addMonths(monthKey(q.financialYearStart, 4), (q.quarter - 1) * 3);
  return monthsBetween(first, addMonths(first, 2));
}

/** The months making up any period key (a month, a quarter or a financial year). */
export function monthsOfPeriod(key: string): string[] {
  const p = parsePeriodKey(key);
  switch (p.kind) {
    case 'month':
      return [periodKey(p)];
    case 'quarter':
      return monthsOfQuarter(periodKey(p));
    case 'financial_year':
      return monthsOfFinancialYear(periodKey(p));
  }
}

/**
 * The comparable period one year earlier, for "compared with the same period last year":
 * '2019-04' -> '2018-04', '2019-20 Q4' -> '2018-19 Q4', '2009/10' -> '2008/09'.
 */
export function samePeriodLastYear(key: string): string {
  const p = parsePeriodKey(key);
  switch (p.kind) {
    case 'month':
      return monthKey(p.year - 1, p.month);
    case 'quarter':
      return quarterKey(p.financialYearStart - 1, p.quarter);
    case 'financial_year':
      return financialYearKey(p.startYear - 1);
  }
}

/**
 * The financial-year-to-date months ending with (and including) the given month:
 * yearToDateMonths('2019-06') = ['2019-04', '2019-05', '2019-06'].
 */
export function yearToDateMonths(key: string): string[] {
  const p = parseMonthKey(key);
  return monthsBetween(monthKey(fyStartOf(p), 4), key);
}

/**
 * Human-readable label for reports: 'April 2019', 'Q4 2019/20', '2009/10'.
 */
export function formatPeriodLabel(key: string): string {
  const p = parsePeriodKey(key);
  switch (p.kind) {
    case 'month':
      return `${MONTH_NAMES[p.month - 1] as string} ${p.year}`;
    case 'quarter':
      return `Q${p.quarter} ${financialYearKey(p.financialYearStart)}`;
    case 'financial_year':
      return financialYearKey(p.startYear);
  }
}

/** A total of monthly figures over a list of months, with the months that had no figure. */
export interface MonthsTotal {
  /** Sum of the figures recorded for the months. */
  readonly total: number;
  /** The months that were summed over, in the order given. */
  readonly months: readonly string[];
  /** Months with no figure recorded; they are left out of the total rather than counted as zero. */
  readonly missingMonths: readonly string[];
}

/**
 * Total of monthly figures (keyed by month key, e.g. { '2019-04': 12 }) over the given months.
 * Months without a figure are listed in `missingMonths` so a report can say the total is incomplete.
 */
export function totalOverMonths(monthlyValues: Readonly<Record<string, number>>, months: readonly string[]): MonthsTotal {
  let total = 0;
  const missingMonths: string[] = [];
  for (const month of months) {
    parseMonthKey(month);
    const value = Object.hasOwn(monthlyValues, month) ? monthlyValues[month] : undefined;
    if (value === undefined) {
      missingMonths.push(month);
    } else {
      assertNonNegative(`figure for ${month}`, value);
      total += value;
    }
  }
  return { total: tidy(total), months: [...months], missingMonths };
}

/** Year to date and the same months of the previous financial year, for "compared with last year". */
export interface YearToDateComparison {
  /** April to the given month of this financial year. */
  readonly current: MonthsTotal;
  /** The same months one year earlier. */
  readonly samePeriodLastYear: MonthsTotal;
}

/**
 * Financial year to date up to and including `month`, with the same period last year:
 * for '2019-06' it totals April-June 2019 and April-June 2018. Pass the two totals to
 * percentageChange for the published "% change on the same period last year".
 */
export function yearToDateComparison(monthlyValues: Readonly<Record<string, number>>, month: string): YearToDateComparison {
  return {
    current: totalOverMonths(monthlyValues, yearToDateMonths(month)),
    samePeriodLastYear: totalOverMonths(monthlyValues, yearToDateMonths(samePeriodLastYear(month))),
  };
}
