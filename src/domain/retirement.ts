/**
 * Retired indicators (decision 0021): an indicator retired after a period is reported for that period and those
 * before it, and is left out of everything about later periods (the dashboard, exception lists, pickers, figure
 * entry, Board packs). It stays in its history and in the documents of its own time.
 */
import { monthsOfPeriod } from './periods.ts';

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
