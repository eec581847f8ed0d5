/**
 * Seasonality of an area: its crime and ASB in every month held for the forces that cover it, counted by the
 * store; the month-of-year profile and seasonal index are made by src/domain/seasonality.ts.
 */
import { monthCounts, monthOfYearProfile, type CalendarMonthProfile, type MonthCounts } from '../../domain/seasonality.ts';
import { crimeAndAsbByMonth, monthsHeldFor } from '../../adapters/crimeStore/queries.ts';
import type { CrimeStore } from '../../adapters/crimeStore/store.ts';
import { areaRecords, type PartnershipArea } from './strategicAssessment.ts';
import type { AreaRecords } from '../../adapters/crimeStore/queries.ts';

/** Crime and ASB in the area for every month held for its forces, oldest first. */
export async function monthlyCounts(store: CrimeStore, area: PartnershipArea, resolved?: AreaRecords): Promise<MonthCounts[]> {
  const records = resolved ?? (await areaRecords(store, area));
  if (records.codes.length === 0) return [];
  return monthCounts(await monthsHeldFor(store, records.forces), await crimeAndAsbByMonth(store, records));
}

/** The month-of-year profile over every month held for the area's forces. */
export async function seasonalProfile(store: CrimeStore, area: PartnershipArea, resolved?: AreaRecords): Promise<CalendarMonthProfile[]> {
  return monthOfYearProfile(await monthlyCounts(store, area, resolved));
}
