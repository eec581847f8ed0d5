/**
 * Comparison with similar partnerships: crime rates per 1,000 people by type in the latest 12 months for the
 * partnership, each comparator (another partnership's area in this CSP Hub, or a local authority named with its
 * population) and the group average. The group average is pooled: the comparators' crimes added up, divided by
 * their populations added up (so a small area's chance swings count in proportion to its size); comparators
 * without a population are shown but left out of the average.
 */
import { listValue } from '@duckdb/node-api';
import { ratePer } from '../../domain/index.ts';
import { ANTI_SOCIAL_BEHAVIOUR, CRIME_TYPES } from '../../domain/policeUkLayout.ts';
import type { CrimeStore } from '../../adapters/crimeStore/store.ts';
import { ALL_CRIME, resolveArea, windows, type PartnershipArea, type Window } from './strategicAssessment.ts';

export interface ComparisonArea {
  name: string;
  area: PartnershipArea;
  /** Population for rates; null when unknown. */
  population: number | null;
}

export interface AreaFigures {
  name: string;
  population: number | null;
  lsoaCount: number;
  counts: Record<string, number>;
  /** Rate per 1,000 by type; null without a population. */
  rates: Record<string, number | null>;
}

export interface AreaComparison {
  window: Window;
  /** All crime first, then ASB, then the crime types alphabetically. */
  types: string[];
  subject: AreaFigures;
  comparators: AreaFigures[];
  /** Pooled rate per 1,000 of the comparators with a population, by type; null when none has one. */
  groupAverage: Record<string, number | null>;
}

export const COMPARISON_TYPES: readonly string[] = [ALL_CRIME, ANTI_SOCIAL_BEHAVIOUR, ...CRIME_TYPES.filter((t) => t !== ANTI_SOCIAL_BEHAVIOUR)];

/** The forces that report in these LSOAs (so DuckDB reads only their row groups). */
export async function forcesOf(store: CrimeStore, codes: readonly string[]): Promise<string> {
  const forces = (
    await store.query<{ force: string }>(`SELECT DISTINCT force FROM lsoa_forces WHERE code IN (SELECT unnest($codes)) ORDER BY force`, { codes: listValue([...codes]) })
  ).map((r) => r.force);
  return forces.length ? forces.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ') : 'NULL';
}

/** Records by type in the area between two months (inclusive), with 'All crime' (excluding ASB). */
export async function countsByType(store: CrimeStore, area: PartnershipArea, from: string, to: string): Promise<{ lsoaCount: number; counts: Record<string, number> }> {
  const codes = await resolveArea(store, area);
  const counts: Record<string, number> = Object.fromEntries(COMPARISON_TYPES.map((t) => [t, 0]));
  if (codes.length === 0) return { lsoaCount: 0, counts };
  const rows = await store.query<{ crime_type: string; n: number }>(
    `SELECT crime_type, count(*) AS n FROM street_records
      WHERE force IN (${await forcesOf(store, codes)}) AND month BETWEEN $from AND $to AND lsoa_code IN (SELECT unnest($codes)) GROUP BY crime_type`,
    { codes: listValue(codes), from, to },
  );
  for (const r of rows) {
    counts[r.crime_type] = (counts[r.crime_type] ?? 0) + r.n;
    if (r.crime_type !== ANTI_SOCIAL_BEHAVIOUR) counts[ALL_CRIME] = (counts[ALL_CRIME] ?? 0) + r.n;
  }
  return { lsoaCount: codes.length, counts };
}

function rates(counts: Record<string, number>, population: number | null): Record<string, number | null> {
  return Object.fromEntries(COMPARISON_TYPES.map((t) => [t, population ? ratePer(counts[t] ?? 0, population) : null]));
}

/** Pooled rate per 1,000 by type over the areas that have a population. */
export function pooledRates(areas: readonly Pick<AreaFigures, 'counts' | 'population'>[], types: readonly string[] = COMPARISON_TYPES): Record<string, number | null> {
  const withPopulation = areas.filter((a) => a.population !== null && a.population > 0);
  const population = withPopulation.reduce((s, a) => s + (a.population as number), 0);
  return Object.fromEntries(types.map((t) => [t, population > 0 ? ratePer(withPopulation.reduce((s, a) => s + (a.counts[t] ?? 0), 0), population) : null]));
}

/** Rates by type for the partnership, its comparators and their group average, in the 12 months to windowEnd. */
export async function compareAreas(store: CrimeStore, subject: ComparisonArea, comparators: readonly ComparisonArea[], windowEnd: string): Promise<AreaComparison> {
  const { current } = windows(windowEnd);
  const figures = async (a: ComparisonArea): Promise<AreaFigures> => {
    const { lsoaCount, counts } = await countsByType(store, a.area, current.from, current.to);
    return { name: a.name, population: a.population, lsoaCount, counts, rates: rates(counts, a.population) };
  };
  const s = await figures(subject);
  const others: AreaFigures[] = [];
  for (const c of comparators) others.push(await figures(c));
  return { window: current, types: [...COMPARISON_TYPES], subject: s, comparators: others, groupAverage: pooledRates(others) };
}
