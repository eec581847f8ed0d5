/**
 * A choropleth of LSOAs drawn on the server (issue 17, ADR 0045): outlines already projected to metres (north up)
 * are fitted to the drawing's box, simplified to about half a unit of the drawing (Douglas-Peucker) and drawn as
 * SVG paths shaded by class in the density map's five shades, outlined, with no text inside the drawing (the key,
 * the text alternative and the table go beside it). No tiles: nothing is fetched. Knows nothing of LSOAs or crime:
 * it draws shapes with a class each.
 */
import { svgDocument } from './svg.ts';
import { DENSITY_SHADES } from './hexMap.ts';

export interface XY {
  x: number;
  y: number;
}

export interface Bounds {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

export interface ChoroplethShape {
  /** Rings in projected metres (x east, y north); holes are drawn as holes (even-odd fill). */
  rings: readonly (readonly XY[])[];
  /** 0-based class; -1 for none (drawn unshaded). */
  shade: number;
}

export interface ChoroplethOptions {
  shapes: readonly ChoroplethShape[];
  bounds: Bounds;
  /** How many classes there are (the shades are spread over them, light to dark). */
  classCount: number;
  id: string;
  title: string;
  description: string;
  width?: number;
}

/** The shade of class `i` of `count`: spread over the five, the lightest first. */
export function classShade(i: number, count: number): string {
  if (i < 0) return '#ffffff';
  return DENSITY_SHADES[Math.round((i * (DENSITY_SHADES.length - 1)) / Math.max(1, count - 1))]!;
}

/**
 * The transform fitting `bounds` into a box `width` wide with `pad` around it, keeping the aspect (north up, y
 * flipped); the height follows the shape, between `minHeight` and 1.25 × the width.
 */
export function fitToBox(bounds: Bounds, width: number, pad = 8, minHeight = 120): { scale: number; height: number; at: (p: XY) => XY } {
  const spanX = Math.max(1e-9, bounds.maxX - bounds.minX);
  const spanY = Math.max(1e-9, bounds.maxY - bounds.minY);
  const scale = (width - 2 * pad) / Math.max(spanX, spanY / 1.25);
  const height = Math.max(minHeight, Math.round(spanY * scale + 2 * pad));
  const offsetX = (width - spanX * scale) / 2;
  const offsetY = (height - spanY * scale) / 2;
  return {
    scale,
    height,
    at: (p) => ({ x: offsetX + (p.x - bounds.minX) * scale, y: offsetY + (bounds.maxY - p.y) * scale }),
  };
}

/** Douglas-Peucker: the points of a line kept within `tolerance` of it (the first and last always kept). */
export function simplifyLine(points: readonly XY[], tolerance: number): XY[] {
  if (points.length <= 2) return [...points];
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const p = points[a]!;
    const q = points[b]!;
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    const len = Math.hypot(dx, dy);
    let worst = -1;
    let at = -1;
    for (let i = a + 1; i < b; i++) {
      const r = points[i]!;
      const d = len === 0 ? Math.hypot(r.x - p.x, r.y - p.y) : Math.abs(dy * r.x - dx * r.y + q.x * p.y - q.y * p.x) / len;
      if (d > worst) {
        worst = d;
        at = i;
      }
    }
    if (worst > tolerance) {
      keep[at] = 1;
      stack.push([a, at], [at, b]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

/** A closed ring simplified (split at its furthest point from the start, so a ring never collapses to a line). */
export function simplifyRing(ring: readonly XY[], tolerance: number): XY[] {
  const open = ring.length > 1 && ring[0]!.x === ring.at(-1)!.x && ring[0]!.y === ring.at(-1)!.y ? ring.slice(0, -1) : [...ring];
  if (open.length <= 4) return open;
  let far = 1;
  for (let i = 1; i < open.length; i++)
    if (Math.hypot(open[i]!.x - open[0]!.x, open[i]!.y - open[0]!.y) > Math.hypot(open[far]!.x - open[0]!.x, open[far]!.y - open[0]!.y))
      far = i;
  const first = simplifyLine(open.slice(0, far + 1), tolerance);
  const second = simplifyLine([...open.slice(far), open[0]!], tolerance);
  const out = [...first, ...second.slice(1, -1)];
  if (out.length >= 3) return out;
  // Only the two ends left: keep the point furthest from the line between them, so the ring stays a shape.
  const [a, b] = [open[0]!, open[far]!];
  let widest = -1;
  for (let i = 1; i < open.length; i++)
    if (i !== far && (widest === -1 || offLine(open[i]!, a, b) > offLine(open[widest]!, a, b))) widest = i;
  return widest === -1 ? out : widest < far ? [a, open[widest]!, b] : [a, b, open[widest]!];
}

/** Distance of `r` from the line through `p` and `q` (twice the triangle's area over the base). */
function offLine(r: XY, p: XY, q: XY): number {
  return Math.abs((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)) / Math.max(1e-12, Math.hypot(q.x - p.x, q.y - p.y));
}

const n = (v: number) => String(Math.round(v * 10) / 10);

/** The map as an accessible SVG (role="img" named by its title and description). */
export function choroplethSvg(o: ChoroplethOptions): string {
  const width = o.width ?? 640;
  const fit = fitToBox(o.bounds, width);
  const paths = o.shapes
    .map((s) => {
      const d = s.rings
        .map((ring) => simplifyRing(ring.map(fit.at), 0.5))
        .filter((ring) => ring.length >= 3)
        .map((ring) => `M${ring.map((p) => `${n(p.x)},${n(p.y)}`).join('L')}Z`)
        .join('');
      return d
        ? `<path d="${d}" fill="${classShade(s.shade, o.classCount)}" fill-rule="evenodd" stroke="#505a5f" stroke-width="0.5"/>`
        : '';
    })
    .join('');
  return svgDocument({
    id: o.id,
    kind: 'choropleth',
    width,
    height: fit.height,
    title: o.title,
    description: o.description,
    body: paths,
    fontSize: 14,
  });
}
