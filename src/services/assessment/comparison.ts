/**
 * Comparison with similar partnerships: the records by type in the latest 12 months for the partnership and each
 * comparator (another partnership's area in this CSP Hub, or a local authority named with its population), counted
 * by the store; the rates and the pooled group average are made by src/domain/areaComparison.ts.
 */
import {
  countsByType,
  pooledRates,
  ratesByType,
  COMPARISON_TYPES,
  type AreaComparison,
  type AreaFigures,
} from '../../domain/areaComparison.ts';
import { windows } from '../../domain/crimeAssessment.ts';
import { recordsByCrimeType } from '../../adapters/crimeStore/queries.ts';
import type { CrimeStore } from '../../adapters/crimeStore/store.ts';
import { areaRecords, type PartnershipArea } from './strategicAssessment.ts';

export interface ComparisonArea {
  name: string;
  area: PartnershipArea;
  /** Population for rates; null when unknown. */
  population: number | null;
}

/** Records by type in the area between two months (inclusive), with 'All crime' (excluding ASB). */
async function areaCounts(
  store: CrimeStore,
  area: PartnershipArea,
  from: string,
  to: string,
): Promise<{ lsoaCount: number; counts: Record<string, number> }> {
  const records = await areaRecords(store, area);
  if (records.codes.length === 0) return { lsoaCount: 0, counts: countsByType([]) };
  return { lsoaCount: records.codes.length, counts: countsByType(await recordsByCrimeType(store, records, from, to)) };
}

/** Rates by type for the partnership, its comparators and their group average, in the 12 months to windowEnd. */
export async function compareAreas(
  store: CrimeStore,
  subject: ComparisonArea,
  comparators: readonly ComparisonArea[],
  windowEnd: string,
): Promise<AreaComparison> {
  const { current } = windows(windowEnd);
  const figures = async (a: ComparisonArea): Promise<AreaFigures> => {
    const { lsoaCount, counts } = await areaCounts(store, a.area, current.from, current.to);
    return { name: a.name, population: a.population, lsoaCount, counts, rates: ratesByType(counts, a.population) };
  };
  const s = await figures(subject);
  const others: AreaFigures[] = [];
  for (const c of comparators) others.push(await figures(c));
  return { window: current, types: [...COMPARISON_TYPES], subject: s, comparators: others, groupAverage: pooledRates(others) };
}
