/**
 * Peer groups and the funnel plot (ADR 0028), pure.
 *
 * Most-similar group: each partnership is described by features (the natural log of its population; the log of
 * its density, people per square kilometre, when every candidate has an area), each standardised over all the
 * candidates (z = (x - mean) / standard deviation), and the peers are the candidates nearest in Euclidean distance
 * over those z-scores. Log scale: a CSP of 100,000 people is as like one of 200,000 as one of 200,000 is like one of
 * 400,000.
 *
 * Funnel plot: each area's rate per 1,000 against its population, with the group average (pooled: all crimes over
 * all people in the group) and control limits where an area of that population would fall by chance alone if its
 * true rate were the group average. The limits are exact Poisson: for the expected count E = average × population,
 * lower = χ²(α/2; 2E)/2 and upper = χ²(1-α/2; 2E+2)/2, the Garwood interval of src/domain/significance.ts applied to
 * the expected count, at 95% (α = 0.05) and 99.8% (α = 0.002).
 */
import { chiSquareQuantile } from './specialFunctions.ts';
import { ratePer } from './change.ts';

export interface PeerCandidate {
  name: string;
  population: number;
  /** Square kilometres; null when unknown. */
  areaSqKm: number | null;
}

export interface PeerDistance {
  name: string;
  distance: number;
}

/** The features used, in the order given, and whether density could be used (every candidate has an area). */
export function peerFeatures(candidates: readonly PeerCandidate[]): { names: string[]; values: number[][] } {
  const density = candidates.length > 0 && candidates.every((c) => c.areaSqKm !== null && c.areaSqKm > 0);
  return {
    names: density ? ['population (log)', 'density (log people per sq km)'] : ['population (log)'],
    values: candidates.map((c) => (density ? [Math.log(c.population), Math.log(c.population / c.areaSqKm!)] : [Math.log(c.population)])),
  };
}

/** Z-scores by feature: (x - mean) / population standard deviation; 0 where every value is the same. */
export function standardise(values: readonly number[][]): number[][] {
  if (values.length === 0) return [];
  const k = values[0]!.length;
  const means = Array.from({ length: k }, (_, j) => values.reduce((s, v) => s + v[j]!, 0) / values.length);
  const sds = Array.from({ length: k }, (_, j) => Math.sqrt(values.reduce((s, v) => s + (v[j]! - means[j]!) ** 2, 0) / values.length));
  return values.map((v) => v.map((x, j) => (sds[j]! > 0 ? (x - means[j]!) / sds[j]! : 0)));
}

/**
 * The `size` candidates nearest to the subject (which must be among the candidates), nearest first; ties by name.
 */
export function mostSimilar(
  subject: string,
  candidates: readonly PeerCandidate[],
  size: number,
): { features: string[]; peers: PeerDistance[] } {
  const { names, values } = peerFeatures(candidates);
  const z = standardise(values);
  const at = candidates.findIndex((c) => c.name === subject);
  if (at === -1) return { features: names, peers: [] };
  const peers = candidates
    .map((c, i) => ({ name: c.name, distance: Math.sqrt(z[i]!.reduce((s, x, j) => s + (x - z[at]![j]!) ** 2, 0)) }))
    .filter((_, i) => i !== at)
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, size);
  return { features: names, peers };
}

/** Exact Poisson limits for a count whose expectation is `expected` (E ≥ 0). */
export function poissonControlLimits(expected: number, confidence: number): { lower: number; upper: number } {
  if (!(expected >= 0) || !Number.isFinite(expected)) throw new RangeError(`expected must be a finite number ≥ 0 (got ${expected})`);
  const alpha = 1 - confidence;
  return {
    lower: expected === 0 ? 0 : chiSquareQuantile(alpha / 2, 2 * expected) / 2,
    upper: chiSquareQuantile(1 - alpha / 2, 2 * expected + 2) / 2,
  };
}

export interface FunnelLimits {
  population: number;
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
}

/** Control limits as rates per 1,000 for an area of this population around the group's average rate per 1,000. */
export function funnelLimits(averageRate: number, population: number): FunnelLimits {
  const expected = (averageRate * population) / 1000;
  const l95 = poissonControlLimits(expected, 0.95);
  const l998 = poissonControlLimits(expected, 0.998);
  const r = (n: number) => (n / population) * 1000;
  return { population, lower95: r(l95.lower), upper95: r(l95.upper), lower998: r(l998.lower), upper998: r(l998.upper) };
}

export type FunnelSignificance =
  'significantly higher (99.8%)' | 'higher (95%)' | 'within the limits' | 'lower (95%)' | 'significantly lower (99.8%)';

export interface FunnelArea {
  name: string;
  count: number;
  population: number;
  isSubject: boolean;
}

export interface FunnelPoint extends FunnelArea, FunnelLimits {
  rate: number;
  significance: FunnelSignificance;
  /** 1 = the highest rate in the group. */
  rank: number;
}

export interface Funnel {
  /** Pooled rate per 1,000 over every area in the group. */
  average: number;
  points: FunnelPoint[];
  /** The curves to draw: limits at populations spread over the range shown. */
  curve: FunnelLimits[];
}

/** Where an area's count falls against the limits for its population. */
export function funnelSignificance(
  count: number,
  l: { lower95: number; upper95: number; lower998: number; upper998: number },
  population: number,
): FunnelSignificance {
  const rate = (count / population) * 1000;
  if (rate > l.upper998) return 'significantly higher (99.8%)';
  if (rate > l.upper95) return 'higher (95%)';
  if (rate < l.lower998) return 'significantly lower (99.8%)';
  if (rate < l.lower95) return 'lower (95%)';
  return 'within the limits';
}

/** The funnel of a group (the subject and its peers, each with a population above 0). */
export function funnel(areas: readonly FunnelArea[], curvePoints = 60): Funnel | null {
  const usable = areas.filter((a) => a.population > 0);
  const people = usable.reduce((s, a) => s + a.population, 0);
  if (usable.length === 0 || people === 0) return null;
  const average = ratePer(
    usable.reduce((s, a) => s + a.count, 0),
    people,
  );
  const rates = usable.map((a) => ratePer(a.count, a.population));
  const points = usable.map((a, i) => {
    const limits = funnelLimits(average, a.population);
    return {
      ...a,
      ...limits,
      rate: rates[i]!,
      significance: funnelSignificance(a.count, limits, a.population),
      rank: 1 + rates.filter((r) => r > rates[i]!).length,
    };
  });
  const min = Math.min(...usable.map((a) => a.population));
  const max = Math.max(...usable.map((a) => a.population));
  const from = Math.max(1000, min * 0.8);
  const to = max * 1.1;
  const curve: FunnelLimits[] = [];
  for (let i = 0; i < curvePoints; i++) curve.push(funnelLimits(average, from + ((to - from) * i) / (curvePoints - 1)));
  return { average, points, curve };
}
