/**
 * Colours plus non-colour cues (dash styles, marker shapes and fill patterns)
 * so that series can be told apart without relying on colour.
 *
 * Series colours are the Government Analysis Function categorical palette:
 * each has at least 3:1 contrast with white (WCAG 1.4.11) and neighbours in
 * the list are distinguishable for the common colour vision deficiencies.
 */

import { num } from './format.ts';

/** GOV.UK colours with at least 3:1 contrast on white (plus white and the light grey background). */
export const GOVUK_COLOURS = {
  blue: '#1d70b8',
  red: '#d4351c',
  green: '#00703c',
  purple: '#4c2c92',
  darkGrey: '#505a5f',
  pink: '#d53880',
  turquoise: '#28a197',
  black: '#0b0c0c',
  lightGrey: '#f3f2f1',
  white: '#ffffff',
} as const;

/** Series colours in order of use (Analysis Function categorical palette). */
export const SERIES_COLOURS: readonly string[] = [
  '#12436d', // dark blue
  '#28a197', // turquoise
  '#801650', // dark pink
  '#f46a25', // orange
  '#3d3d3d', // dark grey
  '#a285d1', // light purple
];

/** Colours for statistical process control (as in NHS "Making Data Count"). */
export const SPC_COLOURS = {
  /** Common-cause points and the data line. */
  common: GOVUK_COLOURS.darkGrey,
  /** Special cause in the direction of improvement. */
  improvement: GOVUK_COLOURS.blue,
  /** Special cause in the direction of concern. */
  concern: '#f46a25',
  /** Special cause when no direction of improvement is set. */
  neutral: GOVUK_COLOURS.purple,
} as const;

/** stroke-dasharray values for line series ('' = solid). */
export const DASH_STYLES: readonly string[] = ['', '9 4', '2 4', '12 4 3 4', '5 5', '16 5', '3 3 9 3', '1 6'];

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'triangle-down' | 'cross';
export const MARKER_SHAPES: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'cross'];

export type FillPattern = 'solid' | 'diagonal' | 'dots' | 'crosshatch' | 'horizontal' | 'vertical' | 'reverse-diagonal' | 'grid';
export const FILL_PATTERNS: readonly FillPattern[] = [
  'solid',
  'diagonal',
  'dots',
  'crosshatch',
  'horizontal',
  'vertical',
  'reverse-diagonal',
  'grid',
];

export interface SeriesStyle {
  readonly colour: string;
  readonly dash: string;
  readonly marker: MarkerShape;
  readonly pattern: FillPattern;
}

function pick<T>(list: readonly T[], index: number, fallback: T): T {
  return list.length === 0 ? fallback : (list[index % list.length] ?? fallback);
}

/** Colour, dash style, marker shape and fill pattern for the `index`-th series. */
export function seriesStyle(index: number, colourOverride?: string): SeriesStyle {
  return {
    colour: colourOverride ?? pick(SERIES_COLOURS, index, GOVUK_COLOURS.blue),
    dash: pick(DASH_STYLES, index, ''),
    marker: pick(MARKER_SHAPES, index, 'circle'),
    pattern: pick(FILL_PATTERNS, index, 'solid'),
  };
}

/** SVG markup for a point marker centred on (x, y). `extra` is pre-escaped attribute text. */
export function markerElement(shape: MarkerShape, x: number, y: number, radius: number, fill: string, extra = ''): string {
  const r = radius;
  const common = `fill="${fill}" stroke="${GOVUK_COLOURS.white}" stroke-width="1"${extra}`;
  const poly = (points: ReadonlyArray<readonly [number, number]>): string =>
    `<polygon points="${points.map(([px, py]) => `${num(px)},${num(py)}`).join(' ')}" ${common}/>`;
  switch (shape) {
    case 'circle':
      return `<circle cx="${num(x)}" cy="${num(y)}" r="${num(r)}" ${common}/>`;
    case 'square': {
      const s = r * 0.9;
      return `<rect x="${num(x - s)}" y="${num(y - s)}" width="${num(2 * s)}" height="${num(2 * s)}" ${common}/>`;
    }
    case 'triangle': {
      const s = r * 1.2;
      return poly([
        [x, y - s],
        [x + s, y + s * 0.8],
        [x - s, y + s * 0.8],
      ]);
    }
    case 'triangle-down': {
      const s = r * 1.2;
      return poly([
        [x, y + s],
        [x + s, y - s * 0.8],
        [x - s, y - s * 0.8],
      ]);
    }
    case 'diamond': {
      const s = r * 1.25;
      return poly([
        [x, y - s],
        [x + s, y],
        [x, y + s],
        [x - s, y],
      ]);
    }
    case 'cross': {
      const s = r * 1.1;
      const t = s * 0.4;
      return poly([
        [x - t, y - s],
        [x + t, y - s],
        [x + t, y - t],
        [x + s, y - t],
        [x + s, y + t],
        [x + t, y + t],
        [x + t, y + s],
        [x - t, y + s],
        [x - t, y + t],
        [x - s, y + t],
        [x - s, y - t],
        [x - t, y - t],
      ]);
    }
  }
}

/** A <pattern> definition filling shapes with `colour` plus a white texture. */
export function patternDefinition(pattern: FillPattern, id: string, colour: string): string {
  const white = GOVUK_COLOURS.white;
  const open = (size: number, rotate = 0): string =>
    `<pattern id="${id}" patternUnits="userSpaceOnUse" width="${size}" height="${size}"${
      rotate ? ` patternTransform="rotate(${rotate})"` : ''
    }><rect width="${size}" height="${size}" fill="${colour}"/>`;
  switch (pattern) {
    case 'solid':
      return `${open(8)}</pattern>`;
    case 'diagonal':
      return `${open(8, 45)}<line x1="0" y1="0" x2="0" y2="8" stroke="${white}" stroke-width="3"/></pattern>`;
    case 'reverse-diagonal':
      return `${open(8, -45)}<line x1="0" y1="0" x2="0" y2="8" stroke="${white}" stroke-width="3"/></pattern>`;
    case 'dots':
      return `${open(7)}<circle cx="3.5" cy="3.5" r="1.7" fill="${white}"/></pattern>`;
    case 'crosshatch':
      return `${open(8, 45)}<line x1="0" y1="0" x2="0" y2="8" stroke="${white}" stroke-width="2"/><line x1="0" y1="0" x2="8" y2="0" stroke="${white}" stroke-width="2"/></pattern>`;
    case 'horizontal':
      return `${open(7)}<line x1="0" y1="3.5" x2="7" y2="3.5" stroke="${white}" stroke-width="2.5"/></pattern>`;
    case 'vertical':
      return `${open(7)}<line x1="3.5" y1="0" x2="3.5" y2="7" stroke="${white}" stroke-width="2.5"/></pattern>`;
    case 'grid':
      return `${open(9)}<rect x="0" y="0" width="4" height="4" fill="${white}"/><rect x="4.5" y="4.5" width="4" height="4" fill="${white}"/></pattern>`;
  }
}
