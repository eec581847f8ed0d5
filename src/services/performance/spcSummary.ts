/**
 * The SPC summary (issue 16): every indicator reported now, worked out in full so that each has its XmR view with the
 * indicator's own change dates and exclusions, for the Making Data Count icons of the summary page.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { isLiveInMonth, monthOfTimestamp } from '../../domain/index.ts';
import { nowIso } from '../../adapters/clock.ts';
import { partnershipPerformance, type IndicatorPerformance } from './performance.ts';

/** Every indicator still reported this month, with its full XmR view. */
export async function spcSummary(db: Kysely<Database>, partnershipId: number): Promise<IndicatorPerformance[]> {
  const now = monthOfTimestamp(nowIso());
  const all = await partnershipPerformance(db, partnershipId);
  return all.filter((p) => isLiveInMonth(p.indicator.retired_after, now));
}
