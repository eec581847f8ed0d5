/**
 * Retired indicators (decision 0021): an indicator retired after a period is reported for that period and those
 * before it, and is left out of everything about later periods (the dashboard, exception lists, pickers, figure
 * entry, Board packs). It stays in its history and in the documents of its own time.
 */
import { addMonths, financialYearKey, monthsOfPeriod, parsePeriodKey, quarterKey } from './periods.ts';

/** True when an indicator retired after `retiredAfter` (null: not retired) is still reported for `period` (any period key). */
export function isLiveIn(retiredAfter: string | null, period: string): boolean {
  if (retiredAfter === null) return true;
  return monthsOfPeriod(period)[0]! <= monthsOfPeriod(retiredAfter).at(-1)!;
}

/** True when an indicator retired after `retiredAfter` is still reported in the month `month` (like 2026-12): "live now". */
export function isLiveInMonth(retiredAfter: string | null, month: string): boolean {
  return isLiveIn(retiredAfter, month);
}

/** The month (like 2026-12) of an ISO timestamp: what "now" is for isLiveInMonth. */
export function monthOfTimestamp(iso: string): string {
  return iso.slice(0, 7);
}

/**
 * The period after `key`, of the same kind: the first period an indicator retired after `key` is no longer reported
 * for ("retired from"). '2020-03' -> '2020-04', '2019-20 Q4' -> '2020-21 Q1', '2009/10' -> '2010/11'.
 */
export function periodAfter(key: string): string {
  const p = parsePeriodKey(key);
  switch (p.kind) {
    case 'month':
      return addMonths(key, 1);
    case 'quarter':
      return p.quarter === 4 ? quarterKey(p.financialYearStart + 1, 1) : quarterKey(p.financialYearStart, p.quarter + 1);
    case 'financial_year':
      return financialYearKey(p.startYear + 1);
  }
}
