/**
 * A hexagon density map drawn on the server (issue 17, ADR 0044): the hexagons of src/domain/hexBins.ts as SVG
 * polygons in five shades of one colour (the lightest outlined, every shade a class of count), north up, no map
 * tiles, no text inside the drawing (the legend, the text alternative and the table go beside it, so nothing in it
 * shrinks below a readable size on a phone).
 */
import { svgDocument } from './svg.ts';
import { formatNumber } from './format.ts';

/**
 * What the map draws (src/domain/hexBins.ts makes it): pointy-top hexagons of side `radius` at centres in metres,
 * the extent drawn, and the classes of count (inclusive ranges, light to dark) the shades stand for.
 */
export interface HexMapGrid {
  radius: number;
  hexagons: readonly { x: number; y: number; count: number }[];
  bounds: { minX: number; maxX: number; minY: number; maxY: number };
  classes: readonly { from: number; to: number }[];
}

/** Light to dark: every shade is told apart by lightness alone; hexagons carry a dark outline. */
export const DENSITY_SHADES = ['#d2e2f1', '#9cc2e5', '#5694ca', '#1d70b8', '#0b3b62'] as const;

export interface HexMapOptions {
  grid: HexMapGrid;
  id: string;
  title: string;
  description: string;
  width?: number;
}

export interface LegendEntry {
  colour: string;
  text: string;
}

/** The legend: each shade with its range of records per hexagon. */
export function hexLegend(grid: Pick<HexMapGrid, 'classes'>): LegendEntry[] {
  const { classes } = grid;
  return classes.map((c, i) => ({
    colour: DENSITY_SHADES[Math.round((i * (DENSITY_SHADES.length - 1)) / Math.max(1, classes.length - 1))]!,
    text: c.from === c.to ? `${formatNumber(c.from)} a hexagon` : `${formatNumber(c.from)} to ${formatNumber(c.to)} a hexagon`,
  }));
}

const n = (v: number) => String(Math.round(v * 10) / 10);

/** The six corners of a pointy-top hexagon, metres, starting at the top and going clockwise. */
function hexCorners(x: number, y: number, size: number): { x: number; y: number }[] {
  return Array.from({ length: 6 }, (_, i) => {
    const a = (Math.PI / 180) * (90 - 60 * i);
    return { x: x + size * Math.cos(a), y: y + size * Math.sin(a) };
  });
}

/** The map as an accessible SVG (role="img" named by its title and description). */
export function hexMapSvg(o: HexMapOptions): string {
  const { grid } = o;
  const width = o.width ?? 640;
  const pad = 8;
  const b = grid.bounds;
  const spanX = Math.max(1, b.maxX - b.minX);
  const spanY = Math.max(1, b.maxY - b.minY);
  const scale = (width - 2 * pad) / Math.max(spanX, spanY * 1.25);
  const height = Math.max(120, Math.round(spanY * scale + 2 * pad));
  const offsetX = (width - spanX * scale) / 2;
  const legend = hexLegend(grid);
  const polygons = grid.hexagons
    .map((h) => {
      const colour = legend[grid.classes.findIndex((c) => h.count >= c.from && h.count <= c.to)]?.colour ?? DENSITY_SHADES[0];
      const points = hexCorners(h.x, h.y, grid.radius)
        .map((p) => `${n(offsetX + (p.x - b.minX) * scale)},${n(pad + (b.maxY - p.y) * scale)}`)
        .join(' ');
      return `<polygon points="${points}" fill="${colour}" stroke="#505a5f" stroke-width="0.75"/>`;
    })
    .join('');
  return svgDocument({ id: o.id, kind: 'hexmap', width, height, title: o.title, description: o.description, body: polygons, fontSize: 14 });
}
