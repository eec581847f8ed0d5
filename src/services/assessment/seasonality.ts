/**
 * Seasonality of an area: its crime and ASB in every month held for the forces that cover it, counted by the
 * store; the month-of-year profile and seasonal index are made by src/domain/seasonality.ts.
 */
import { monthCounts, monthOfYearProfile, type CalendarMonthProfile, type MonthCounts } from '../../domain/seasonality.ts';
import { crimeAndAsbByMonth, monthsHeldFor } from '../../adapters/crimeStore/queries.ts';
import type { CrimeStore } from '../../adapters/crimeStore/store.ts';
import { areaRecords, type PartnershipArea } from './strategicAssessment.ts';
import type { AreaRecords } from '../../adapters/crimeStore/queries.ts';

/** The area's records of every month as crime or ASB, when already counted (the analysis page's single read). */
export type MonthlyRecords = { month: string; asb: boolean; count: number }[];

/** Crime and ASB in the area for every month held for its forces, oldest first (`counted`: the area's records by month, when already counted). */
export async function monthlyCounts(
  store: CrimeStore,
  area: PartnershipArea,
  resolved?: AreaRecords,
  counted?: MonthlyRecords,
): Promise<MonthCounts[]> {
  const records = resolved ?? (await areaRecords(store, area));
  if (records.codes.length === 0) return [];
  const [held, counts] = await Promise.all([monthsHeldFor(store, records.forces), counted ?? crimeAndAsbByMonth(store, records)]);
  return monthCounts(held, counts);
}

/** The month-of-year profile over every month held for the area's forces. */
export async function seasonalProfile(
  store: CrimeStore,
  area: PartnershipArea,
  resolved?: AreaRecords,
  counted?: MonthlyRecords,
): Promise<CalendarMonthProfile[]> {
  return monthOfYearProfile(await monthlyCounts(store, area, resolved, counted));
}
