/**
 * Synthetic LSOA boundaries in GeoJSON (issue 17, ADR 0045) for the LSOAs of the synthetic police.uk data
 * (src/adapters/crimeStore/generator.ts): the same codes and names, each LSOA the Voronoi cell of its centre among
 * all its force's LSOAs (so neighbouring local authorities do not overlap), clipped to a box around the force's
 * LSOAs. Cells are worked out with longitude scaled by the cosine of the force's latitude, so they look like
 * cells on the ground; positions are WGS84 longitude and latitude to 6 decimal places. Nothing is downloaded.
 */
import fs from 'node:fs';
import { DEFAULT_FORCES, generatedLsoas, type GeneratedLsoa, type GeneratorForce } from '../crimeStore/generator.ts';

type Point = { x: number; y: number };

/** The part of `polygon` nearer to `a` than to `b` (Sutherland-Hodgman against the bisector's half-plane). */
function clipToNearer(polygon: Point[], a: Point, b: Point): Point[] {
  const nx = b.x - a.x;
  const ny = b.y - a.y;
  const c = (b.x * b.x + b.y * b.y - a.x * a.x - a.y * a.y) / 2;
  const inside = (p: Point) => p.x * nx + p.y * ny <= c;
  const out: Point[] = [];
  for (let i = 0; i < polygon.length; i++) {
    const p = polygon[i]!;
    const q = polygon[(i + 1) % polygon.length]!;
    const pIn = inside(p);
    const qIn = inside(q);
    if (pIn) out.push(p);
    if (pIn !== qIn) {
      const fp = p.x * nx + p.y * ny - c;
      const fq = q.x * nx + q.y * ny - c;
      const t = fp / (fp - fq);
      out.push({ x: p.x + t * (q.x - p.x), y: p.y + t * (q.y - p.y) });
    }
  }
  return out;
}

/** Each site's Voronoi cell within the box [minX, maxX] × [minY, maxY], corners anticlockwise. */
export function voronoiCells(sites: readonly Point[], box: { minX: number; maxX: number; minY: number; maxY: number }): Point[][] {
  return sites.map((a, i) => {
    let cell: Point[] = [
      { x: box.minX, y: box.minY },
      { x: box.maxX, y: box.minY },
      { x: box.maxX, y: box.maxY },
      { x: box.minX, y: box.maxY },
    ];
    // Nearest rivals first: the cell shrinks quickly, and far sites then cut nothing.
    const rivals = sites.map((b, j) => ({ b, j, d: (b.x - a.x) ** 2 + (b.y - a.y) ** 2 })).filter((r) => r.j !== i);
    rivals.sort((p, q) => p.d - q.d);
    for (const { b, d } of rivals) {
      if (cell.length === 0) break;
      // A site more than twice as far as the cell's furthest corner cannot cut it.
      const reach = Math.max(...cell.map((p) => (p.x - a.x) ** 2 + (p.y - a.y) ** 2));
      if (d > 4 * reach) break;
      if (d === 0) continue;
      cell = clipToNearer(cell, a, b);
    }
    return cell;
  });
}

export interface BoundaryFeature {
  type: 'Feature';
  properties: Record<string, string>;
  geometry: { type: 'Polygon'; coordinates: [number, number][][] };
}

export interface BoundaryCollection {
  type: 'FeatureCollection';
  features: BoundaryFeature[];
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * The boundaries of the LSOAs of `forces` (seed as the police.uk generator's) whose local authority is in
 * `authorities` (all when not given), with properties named for `codeYear` (LSOA11CD and LSOA11NM by default).
 */
export function generatedBoundaries(
  options: { forces?: readonly GeneratorForce[]; seed?: number; authorities?: readonly string[]; codeYear?: '11' | '21' } = {},
): BoundaryCollection {
  const forces = options.forces ?? DEFAULT_FORCES;
  const lsoas = generatedLsoas(forces, options.seed ?? 1);
  const year = options.codeYear ?? '11';
  const features: BoundaryFeature[] = [];
  for (const force of forces) {
    const own = lsoas.filter((l) => l.force === force.slug);
    if (own.length === 0) continue;
    const lat0 = own.reduce((s, l) => s + l.latitude, 0) / own.length;
    const k = Math.cos((lat0 * Math.PI) / 180);
    const sites = own.map((l) => ({ x: l.longitude * k, y: l.latitude }));
    const margin = 0.02;
    const box = {
      minX: Math.min(...sites.map((s) => s.x)) - margin,
      maxX: Math.max(...sites.map((s) => s.x)) + margin,
      minY: Math.min(...sites.map((s) => s.y)) - margin,
      maxY: Math.max(...sites.map((s) => s.y)) + margin,
    };
    const cells = voronoiCells(sites, box);
    own.forEach((l: GeneratedLsoa, i) => {
      if (options.authorities && !options.authorities.includes(l.localAuthority)) return;
      const ring = cells[i]!.map((p) => [round6(p.x / k), round6(p.y)] as [number, number]);
      if (ring.length < 3) return;
      ring.push([ring[0]![0], ring[0]![1]]);
      features.push({
        type: 'Feature',
        properties: { [`LSOA${year}CD`]: l.code, [`LSOA${year}NM`]: l.name },
        geometry: { type: 'Polygon', coordinates: [ring] },
      });
    });
  }
  return { type: 'FeatureCollection', features };
}

/** Writes the boundaries as GeoJSON, one feature a line (small, and readable in a diff). */
export function writeBoundaries(file: string, collection: BoundaryCollection): void {
  const lines = collection.features.map((f) => JSON.stringify(f));
  fs.writeFileSync(file, `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`);
}
