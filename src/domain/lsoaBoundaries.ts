/**
 * LSOA boundaries and the choropleth of the strategic assessment (issue 17, ADR 0045), pure.
 *
 * - Checking a GeoJSON FeatureCollection of LSOA boundaries feature by feature: the LSOA code in a property named
 *   like LSOA11CD or LSOA21CD (the name, where given, in LSOA11NM or LSOA21NM), a Polygon or MultiPolygon geometry
 *   whose positions are WGS84 longitude and latitude in and around Great Britain, closed rings of at least four
 *   positions, each LSOA once. Every problem names the feature (counted from 1), the property and the value.
 * - The choropleth: each LSOA's count, rate per 1,000 residents and class, and its outline projected with a local
 *   equirectangular projection (metres east and north of the middle of the LSOAs' extent, longitude scaled by the
 *   cosine of the middle latitude: equal-area to well under 1% across a partnership).
 */
import type { RowProblem } from './officialData.ts';

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** A property holding the LSOA code: LSOA11CD, LSOA21CD (any case). */
const CODE_PROPERTY = /^lsoa(\d\d)cd$/i;
const NAME_PROPERTY = /^lsoa(\d\d)nm$/i;
/** English (E01) and Welsh (W01) LSOA codes. */
const LSOA_CODE = /^[EW]01\d{6}$/;
/** Longitude and latitude of Great Britain and its waters, generously: anything else is not WGS84 here. */
export const GB_EXTENT = { minLongitude: -9, maxLongitude: 3, minLatitude: 49, maxLatitude: 61 } as const;

/** Positions are kept to 6 decimal places (about 0.1 m). */
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

export type Position = [number, number];
/** GeoJSON MultiPolygon coordinates: polygons, each an outer ring then its holes. */
export type MultiPolygonCoordinates = Position[][][];

export interface LsoaBoundary {
  code: string;
  name: string;
  /** Census year of the codes, from the property's name ('2011' from LSOA11CD). */
  codeYear: string;
  polygons: MultiPolygonCoordinates;
  bbox: { minLongitude: number; minLatitude: number; maxLongitude: number; maxLatitude: number };
}

/** The top of the file: a FeatureCollection with features; problems name the document (row 0). */
export function checkCollection(doc: unknown): { features: unknown[] } | { problems: RowProblem[] } {
  const problem = (column: string, value: unknown, message: string) => ({
    problems: [{ row: 0, unit: 'feature' as const, column, value: shortText(value), message }],
  });
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return problem('type', doc, 'the file must be a GeoJSON object');
  const o = doc as Record<string, unknown>;
  if (o.type !== 'FeatureCollection') return problem('type', o.type, 'the file must be a GeoJSON FeatureCollection');
  if (!Array.isArray(o.features)) return problem('features', o.features, 'a FeatureCollection must have a list of features');
  if (o.features.length === 0) return problem('features', '[]', 'the file has no features');
  return { features: o.features };
}

/** A value as it is shown in a problem: text as it is, anything else as JSON, cut to 60 characters. */
function shortText(value: unknown): string {
  const t = typeof value === 'string' ? value : value === undefined ? '' : (JSON.stringify(value) ?? typeof value);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

/**
 * Checks feature `index` (0-based in the file; problems give it counted from 1 as their row): its code, name and
 * geometry. The codes seen so far are in `seen` (the feature's own is added when it is kept).
 */
export function checkBoundaryFeature(
  feature: unknown,
  index: number,
  seen: Set<string>,
): { boundary: LsoaBoundary } | { problems: RowProblem[] } {
  const row = index + 1;
  const problems: RowProblem[] = [];
  const problem = (column: string, value: unknown, message: string) =>
    problems.push({ row, unit: 'feature', column, value: shortText(value), message });
  if (typeof feature !== 'object' || feature === null || (feature as { type?: unknown }).type !== 'Feature') {
    problem('type', (feature as { type?: unknown } | null)?.type ?? feature, 'each item of features must be a GeoJSON Feature');
    return { problems };
  }
  const f = feature as { properties?: unknown; geometry?: unknown };
  const props = typeof f.properties === 'object' && f.properties !== null ? (f.properties as Record<string, unknown>) : {};
  const codeKey = Object.keys(props).find((k) => CODE_PROPERTY.test(k));
  let code = '';
  let codeYear = '';
  if (!codeKey) problem('properties', Object.keys(props).join(', '), 'no LSOA code: give it in a property such as LSOA11CD or LSOA21CD');
  else {
    const given = props[codeKey];
    code = typeof given === 'string' ? given.trim() : '';
    codeYear = `20${CODE_PROPERTY.exec(codeKey)![1]}`;
    if (!LSOA_CODE.test(code)) problem(`properties.${codeKey}`, props[codeKey], 'must be an LSOA code such as E01000001');
    else if (seen.has(code)) problem(`properties.${codeKey}`, code, 'the same LSOA is given twice');
  }
  const nameKey = Object.keys(props).find((k) => NAME_PROPERTY.test(k));
  const nameValue = nameKey ? props[nameKey] : '';
  const name = typeof nameValue === 'string' ? nameValue.trim() : '';
  if (nameKey && (typeof nameValue !== 'string' || name.length > 200))
    problem(`properties.${nameKey}`, nameValue, 'must be text of up to 200 characters');
  const polygons = checkGeometry(f.geometry, problem);
  if (problems.length || !polygons) return { problems };
  seen.add(code);
  const all = polygons.flat(2);
  return {
    boundary: {
      code,
      name,
      codeYear,
      polygons,
      bbox: {
        minLongitude: Math.min(...all.map((p) => p[0])),
        minLatitude: Math.min(...all.map((p) => p[1])),
        maxLongitude: Math.max(...all.map((p) => p[0])),
        maxLatitude: Math.max(...all.map((p) => p[1])),
      },
    },
  };
}

/** A Polygon or MultiPolygon as MultiPolygon coordinates rounded to 6 places; null (with problems) if wrong. */
function checkGeometry(
  geometry: unknown,
  problem: (column: string, value: unknown, message: string) => void,
): MultiPolygonCoordinates | null {
  const g = (typeof geometry === 'object' && geometry !== null ? geometry : {}) as { type?: unknown; coordinates?: unknown };
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
    problem('geometry.type', g.type ?? geometry, 'must be Polygon or MultiPolygon');
    return null;
  }
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0) {
    problem('geometry.coordinates', g.coordinates, `must be the ${g.type}'s list of rings`);
    return null;
  }
  const out: MultiPolygonCoordinates = [];
  for (const [pi, polygon] of polygons.entries()) {
    const where = g.type === 'Polygon' ? 'geometry.coordinates' : `geometry.coordinates[${pi}]`;
    if (!Array.isArray(polygon) || polygon.length === 0) {
      problem(where, polygon, 'must be a list of rings');
      return null;
    }
    const rings: Position[][] = [];
    for (const [ri, ring] of polygon.entries()) {
      const r = checkRing(ring, `${where}[${ri}]`, problem);
      if (!r) return null;
      rings.push(r);
    }
    out.push(rings);
  }
  return out;
}

function checkRing(ring: unknown, where: string, problem: (column: string, value: unknown, message: string) => void): Position[] | null {
  if (!Array.isArray(ring) || ring.length < 4) {
    problem(where, ring, 'a ring must have at least four positions (the last the same as the first)');
    return null;
  }
  const out: Position[] = [];
  for (const [i, p] of ring.entries()) {
    if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      problem(`${where}[${i}]`, p, 'a position must be [longitude, latitude] in numbers');
      return null;
    }
    const [lon, lat] = p as [number, number];
    if (lon < GB_EXTENT.minLongitude || lon > GB_EXTENT.maxLongitude || lat < GB_EXTENT.minLatitude || lat > GB_EXTENT.maxLatitude) {
      const bng = Math.abs(lon) > 180 || Math.abs(lat) > 90;
      problem(
        `${where}[${i}]`,
        p,
        bng
          ? 'is not longitude and latitude: the file looks like British National Grid metres; export it in WGS84 (EPSG:4326)'
          : 'is not in Great Britain (longitude -9 to 3, latitude 49 to 61): the file must be WGS84 longitude, latitude',
      );
      return null;
    }
    out.push([round6(lon), round6(lat)]);
  }
  const first = out[0]!;
  const last = out.at(-1)!;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    problem(where, `${JSON.stringify(first)} … ${JSON.stringify(last)}`, 'a ring must end where it starts');
    return null;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Projection and the choropleth.

export interface ProjectedShape {
  code: string;
  /** Rings in metres east and north of the projection's origin (the outer ring of each polygon, then its holes). */
  rings: { x: number; y: number }[][];
}

export interface Projected {
  shapes: ProjectedShape[];
  bounds: { minX: number; maxX: number; minY: number; maxY: number };
  /** The origin: the middle of the boundaries' extent. */
  origin: { longitude: number; latitude: number };
}

/** Local equirectangular projection of the boundaries around the middle of their extent, metres. */
export function projectBoundaries(boundaries: readonly Pick<LsoaBoundary, 'code' | 'polygons'>[]): Projected {
  const all = boundaries.flatMap((b) => b.polygons.flat(2));
  if (all.length === 0) return { shapes: [], bounds: { minX: 0, maxX: 0, minY: 0, maxY: 0 }, origin: { longitude: 0, latitude: 0 } };
  const lons = all.map((p) => p[0]);
  const lats = all.map((p) => p[1]);
  const lon0 = (Math.min(...lons) + Math.max(...lons)) / 2;
  const lat0 = (Math.min(...lats) + Math.max(...lats)) / 2;
  const kx = RAD * EARTH_RADIUS_M * Math.cos(lat0 * RAD);
  const ky = RAD * EARTH_RADIUS_M;
  const shapes = boundaries.map((b) => ({
    code: b.code,
    rings: b.polygons.flatMap((polygon) =>
      polygon.map((ring) => ring.map(([lon, lat]) => ({ x: (lon - lon0) * kx, y: (lat - lat0) * ky }))),
    ),
  }));
  return {
    shapes,
    bounds: {
      minX: (Math.min(...lons) - lon0) * kx,
      maxX: (Math.max(...lons) - lon0) * kx,
      minY: (Math.min(...lats) - lat0) * ky,
      maxY: (Math.max(...lats) - lat0) * ky,
    },
    origin: { longitude: lon0, latitude: lat0 },
  };
}

export interface ValueClass {
  from: number;
  to: number;
}

/**
 * Up to `classes` classes of the values (counts, or rates to `decimals` places) for the legend: none (0) on its own
 * when some values are 0, then quantiles of the others, each [from, to] inclusive, touching the next at one step
 * (1 for counts, 0.1 for rates to one place).
 */
export function valueClasses(values: readonly number[], classes = 5, decimals = 0): ValueClass[] {
  const scale = 10 ** decimals;
  const rounded = values.filter((v) => Number.isFinite(v) && v >= 0).map((v) => Math.round(v * scale));
  const out: ValueClass[] = [];
  if (rounded.some((v) => v === 0)) out.push({ from: 0, to: 0 });
  const sorted = rounded.filter((v) => v > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return out;
  const n = classes - out.length;
  const breaks: number[] = [];
  for (let i = 1; i < n; i++) breaks.push(sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / n))]!);
  let from = 1;
  for (const b of [...breaks, sorted.at(-1)!]) {
    if (b < from) continue;
    out.push({ from: from / scale, to: b / scale });
    from = b + 1;
  }
  return out;
}

/** The class (0-based) of a value among `classes` (compared at `decimals` places); -1 for none. */
export function valueClassOf(value: number, classes: readonly ValueClass[], decimals = 0): number {
  const scale = 10 ** decimals;
  const v = Math.round(value * scale);
  return classes.findIndex((c) => v >= Math.round(c.from * scale) && v <= Math.round(c.to * scale));
}

export interface ChoroplethLsoa {
  code: string;
  name: string;
  count: number;
  /** Residents, or null when no population is held for the LSOA. */
  population: number | null;
  /** Per 1,000 residents to one decimal place, or null without residents. */
  rate: number | null;
  /** The class of the measure shaded (0-based). */
  class: number;
}

export interface Choropleth {
  /** Rates per 1,000 when every LSOA drawn has residents, otherwise counts. */
  measure: 'rate' | 'count';
  lsoas: ChoroplethLsoa[];
  classes: ValueClass[];
  /** Decimal places the classes are given to (1 for rates, 0 for counts). */
  decimals: number;
  total: number;
  /** Outlines of `lsoas`, in the same order. */
  projected: Projected;
  /** The area's LSOAs without an imported boundary (not drawn) and their records. */
  withoutBoundary: string[];
  countWithoutBoundary: number;
}

/**
 * The choropleth of an area: each of its LSOAs that has a boundary, with its count, residents, rate and class
 * (most records first, then by code).
 */
export function lsoaChoropleth(input: {
  areaCodes: readonly string[];
  boundaries: readonly Pick<LsoaBoundary, 'code' | 'name' | 'polygons'>[];
  counts: ReadonlyMap<string, number>;
  populations: ReadonlyMap<string, number>;
}): Choropleth {
  const inArea = new Set(input.areaCodes);
  const drawn = input.boundaries.filter((b) => inArea.has(b.code));
  const has = new Set(drawn.map((b) => b.code));
  const withoutBoundary = [...inArea].filter((c) => !has.has(c)).sort();
  const rows = drawn.map((b) => {
    const count = input.counts.get(b.code) ?? 0;
    const population = input.populations.get(b.code) ?? null;
    const rate = population && population > 0 ? Math.round((count / population) * 10_000) / 10 : null;
    return { code: b.code, name: b.name, count, population, rate };
  });
  const measure = rows.length > 0 && rows.every((r) => r.rate !== null) ? 'rate' : 'count';
  const decimals = measure === 'rate' ? 1 : 0;
  const valueOf = (r: (typeof rows)[number]) => (measure === 'rate' ? r.rate! : r.count);
  const classes = valueClasses(rows.map(valueOf), 5, decimals);
  const lsoas = rows.map((r) => ({ ...r, class: valueClassOf(valueOf(r), classes, decimals) }));
  const order = lsoas.map((l, i) => ({ l, b: drawn[i]! })).sort((a, z) => z.l.count - a.l.count || a.l.code.localeCompare(z.l.code));
  return {
    measure,
    lsoas: order.map((o) => o.l),
    classes,
    decimals,
    total: lsoas.reduce((s, l) => s + l.count, 0),
    projected: projectBoundaries(order.map((o) => o.b)),
    withoutBoundary,
    countWithoutBoundary: withoutBoundary.reduce((s, c) => s + (input.counts.get(c) ?? 0), 0),
  };
}
