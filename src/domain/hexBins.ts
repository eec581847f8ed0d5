/**
 * Hexagon density of police.uk map points (issue 17, ADR 0044), pure: the points are projected with a simple local
 * equirectangular projection (metres east and north of the points' mean, longitude scaled by the cosine of the mean
 * latitude: equal-area to well under 1% across a partnership's few tens of kilometres) and counted into pointy-top
 * hexagons of one size, chosen so the area is about `across` hexagons wide and rounded to a plain distance.
 */

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

export interface WeightedPoint {
  longitude: number;
  latitude: number;
  count: number;
}

export interface Hexagon {
  /** Axial coordinates of the hexagon in the grid. */
  q: number;
  r: number;
  /** Its centre in metres east and north of the grid's origin. */
  x: number;
  y: number;
  /** Its centre as longitude and latitude (rounded to 5 decimal places, about a metre). */
  longitude: number;
  latitude: number;
  count: number;
}

export interface HexGrid {
  /** Distance from a hexagon's centre to each corner (= its side), metres. */
  radius: number;
  /** The hexagons with at least one record, the most first (ties west to east, then south to north). */
  hexagons: Hexagon[];
  /** Extent of the hexagons drawn, metres (corners included). */
  bounds: { minX: number; maxX: number; minY: number; maxY: number };
  total: number;
  /** Points left out: outside the range of longitude and latitude, or not numbers. */
  skipped: number;
  /** The classes of count the map's shades stand for ({@link densityClasses} of the hexagons' counts). */
  classes: { from: number; to: number }[];
}

/** Sizes offered for a hexagon's side, metres: the smallest that keeps the area about `across` hexagons wide. */
const SIDES = [50, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 7500, 10_000, 20_000, 50_000];

/** The side for an extent of `width` by `height` metres, `across` hexagons over the larger. */
export function hexSide(width: number, height: number, across: number): number {
  const wanted = Math.max(width, height) / (across * Math.sqrt(3));
  return SIDES.find((s) => s >= wanted) ?? SIDES.at(-1)!;
}

/** The axial hexagon (pointy-top, side `size`) holding the point (x, y): cube rounding. */
export function hexOf(x: number, y: number, size: number): { q: number; r: number } {
  const qf = ((Math.sqrt(3) / 3) * x - y / 3) / size;
  const rf = ((2 / 3) * y) / size;
  const sf = -qf - rf;
  let q = Math.round(qf);
  let r = Math.round(rf);
  const s = Math.round(sf);
  const dq = Math.abs(q - qf);
  const dr = Math.abs(r - rf);
  const ds = Math.abs(s - sf);
  if (dq > dr && dq > ds) q = -r - s;
  else if (dr > ds) r = -q - s;
  return { q: q + 0, r: r + 0 };
}

/** The centre of axial hexagon (q, r), metres. */
export function hexCentre(q: number, r: number, size: number): { x: number; y: number } {
  return { x: size * Math.sqrt(3) * (q + r / 2), y: size * 1.5 * r };
}

const valid = (p: WeightedPoint) =>
  Number.isFinite(p.longitude) &&
  Number.isFinite(p.latitude) &&
  Math.abs(p.longitude) <= 180 &&
  Math.abs(p.latitude) <= 85 &&
  Number.isFinite(p.count) &&
  p.count > 0;

/** Counts the points into hexagons about `across` to the area's width (default 20). */
export function hexBin(points: readonly WeightedPoint[], options: { across?: number; side?: number } = {}): HexGrid {
  const kept = points.filter(valid);
  const skipped = points.filter((p) => !valid(p) && p.count > 0).length;
  const empty: HexGrid = {
    radius: options.side ?? 0,
    hexagons: [],
    bounds: { minX: 0, maxX: 0, minY: 0, maxY: 0 },
    total: 0,
    skipped,
    classes: [],
  };
  if (kept.length === 0) return empty;
  const lon0 = kept.reduce((s, p) => s + p.longitude, 0) / kept.length;
  const lat0 = kept.reduce((s, p) => s + p.latitude, 0) / kept.length;
  const cos0 = Math.cos(lat0 * RAD);
  const project = (p: WeightedPoint) => ({
    x: (p.longitude - lon0) * RAD * EARTH_RADIUS_M * cos0,
    y: (p.latitude - lat0) * RAD * EARTH_RADIUS_M,
  });
  const xy = kept.map(project);
  const xs = xy.map((p) => p.x);
  const ys = xy.map((p) => p.y);
  const side = options.side ?? hexSide(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), options.across ?? 20);
  const counts = new Map<string, { q: number; r: number; count: number }>();
  kept.forEach((p, i) => {
    const h = hexOf(xy[i]!.x, xy[i]!.y, side);
    const key = `${h.q},${h.r}`;
    const c = counts.get(key) ?? { ...h, count: 0 };
    c.count += p.count;
    counts.set(key, c);
  });
  const round5 = (n: number) => Math.round(n * 1e5) / 1e5;
  const hexagons = [...counts.values()].map(({ q, r, count }) => {
    const c = hexCentre(q, r, side);
    return {
      q,
      r,
      ...c,
      longitude: round5(lon0 + c.x / (RAD * EARTH_RADIUS_M * cos0)),
      latitude: round5(lat0 + c.y / (RAD * EARTH_RADIUS_M)),
      count,
    };
  });
  hexagons.sort((a, b) => b.count - a.count || a.x - b.x || a.y - b.y);
  const half = (side * Math.sqrt(3)) / 2;
  return {
    radius: side,
    hexagons,
    bounds: {
      minX: Math.min(...hexagons.map((h) => h.x)) - half,
      maxX: Math.max(...hexagons.map((h) => h.x)) + half,
      minY: Math.min(...hexagons.map((h) => h.y)) - side,
      maxY: Math.max(...hexagons.map((h) => h.y)) + side,
    },
    total: hexagons.reduce((s, h) => s + h.count, 0),
    skipped,
    classes: densityClasses(hexagons.map((h) => h.count)),
  };
}

/**
 * Up to five classes of count for the legend, from 1 to the largest, by quantiles of the hexagons' counts (so most
 * classes are used), each [from, to] inclusive and not overlapping.
 */
export function densityClasses(counts: readonly number[], classes = 5): { from: number; to: number }[] {
  const sorted = counts.filter((c) => c > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const breaks: number[] = [];
  for (let i = 1; i < classes; i++) breaks.push(sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / classes))]!);
  const out: { from: number; to: number }[] = [];
  let from = 1;
  for (const b of [...breaks, sorted.at(-1)!]) {
    if (b < from) continue;
    out.push({ from, to: b });
    from = b + 1;
  }
  return out;
}

/** The class (0-based) of a count among `classes`; -1 for none. */
export function classOf(count: number, classes: readonly { from: number; to: number }[]): number {
  return classes.findIndex((c) => count >= c.from && count <= c.to);
}
