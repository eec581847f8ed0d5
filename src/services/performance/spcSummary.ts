/**
 * The SPC summary (issue 16): every indicator reported now, worked out in full so that each has its XmR view with the
 * indicator's own change dates and exclusions, for the Making Data Count icons of the summary page and the API.
 * Worked out once per change to the partnership's data (its data version, decision 0015) and month, and shared: every
 * indicator's full history is a few hundred milliseconds on a large partnership.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { isLiveInMonth, monthOfTimestamp } from '../../domain/index.ts';
import { nowIso } from '../../adapters/clock.ts';
import { cachedForPartnership } from '../platform/snapshotCache.ts';
import { partnershipPerformance, type IndicatorPerformance } from './performance.ts';

/** Every indicator still reported this month, with its full XmR view (shared between requests: do not change it). */
export async function spcSummary(db: Kysely<Database>, partnershipId: number): Promise<readonly IndicatorPerformance[]> {
  const now = monthOfTimestamp(nowIso());
  return cachedForPartnership(db, partnershipId, `spc-summary|${now}`, async () => {
    const all = await partnershipPerformance(db, partnershipId);
    return all.filter((p) => isLiveInMonth(p.indicator.retired_after, now));
  });
}
