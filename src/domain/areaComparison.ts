/**
 * Comparison with similar areas: crime rates per 1,000 people by type for the partnership, each comparator and
 * the group average. The group average is pooled: the comparators' crimes added up, divided by their
 * populations added up (so a small area's chance swings count in proportion to its size); comparators without a
 * population are shown but left out of the average. Pure: the store counts the records
 * (src/adapters/crimeStore/queries.ts).
 */
import { ratePer } from './change.ts';
import { ANTI_SOCIAL_BEHAVIOUR, CRIME_TYPES } from './policeUkLayout.ts';
import { ALL_CRIME, type Window } from './crimeAssessment.ts';

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

export const COMPARISON_TYPES: readonly string[] = [
  ALL_CRIME,
  ANTI_SOCIAL_BEHAVIOUR,
  ...CRIME_TYPES.filter((t) => t !== ANTI_SOCIAL_BEHAVIOUR),
];

/** Records by type with 'All crime' (excluding ASB); every comparison type present, 0 when none. */
export function countsByType(rows: readonly { crimeType: string; count: number }[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(COMPARISON_TYPES.map((t) => [t, 0]));
  for (const r of rows) {
    counts[r.crimeType] = (counts[r.crimeType] ?? 0) + r.count;
    if (r.crimeType !== ANTI_SOCIAL_BEHAVIOUR) counts[ALL_CRIME] = (counts[ALL_CRIME] ?? 0) + r.count;
  }
  return counts;
}

/** Rate per 1,000 by type; null for every type without a population. */
export function ratesByType(counts: Record<string, number>, population: number | null): Record<string, number | null> {
  return Object.fromEntries(COMPARISON_TYPES.map((t) => [t, population ? ratePer(counts[t] ?? 0, population) : null]));
}

/** Pooled rate per 1,000 by type over the areas that have a population. */
export function pooledRates(
  areas: readonly Pick<AreaFigures, 'counts' | 'population'>[],
  types: readonly string[] = COMPARISON_TYPES,
): Record<string, number | null> {
  const withPopulation = areas.filter((a) => a.population !== null && a.population > 0);
  const population = withPopulation.reduce((s, a) => s + (a.population as number), 0);
  return Object.fromEntries(
    types.map((t) => [
      t,
      population > 0
        ? ratePer(
            withPopulation.reduce((s, a) => s + (a.counts[t] ?? 0), 0),
            population,
          )
        : null,
    ]),
  );
}
