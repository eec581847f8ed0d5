/**
 * Sparkline: a tiny line for a dashboard row. It has no axes or text; its
 * aria-label gives the first and last values so that it makes sense unseen.
 */

import { escapeXml } from './escape.ts';
import { defaultFormat, num, type ValueFormatter } from './format.ts';
import { GOVUK_COLOURS, SERIES_COLOURS } from './palette.ts';
import { linearScale } from './scale.ts';
import { FONT_FAMILY, normaliseValues, TEXT_COLOUR } from './svg.ts';
import { DEFAULT_EMPTY_MESSAGE, sizeOr, type DataValue } from './types.ts';

export interface SparklineOptions {
  /** What is shown, e.g. 'Anti-social behaviour incidents'; starts the aria-label. */
  readonly title: string;
  readonly values: readonly DataValue[];
  /** Period labels, one per value, used in the aria-label (e.g. 'April 2023'). */
  readonly categories?: readonly string[];
  /** Width in px (default 120). */
  readonly width?: number;
  /** Height in px (default 32). */
  readonly height?: number;
  readonly formatValue?: ValueFormatter;
  /** Line colour (default dark blue). */
  readonly colour?: string;
  /** A target drawn as a thin dashed line and mentioned in the aria-label. */
  readonly target?: number;
  /** Start the range at zero (default false: show the shape of the trend). */
  readonly includeZero?: boolean;
  /** Text when there are no values (default 'No data to show'). */
  readonly emptyMessage?: string;
  /**
   * For an SVG inside an HTML page (a dashboard row): leave out the XML namespace, version and root text settings
   * that only a standalone SVG file needs, the data attributes of the last point, the <title> (the aria-label names
   * it) and the line's presentation attributes (the page's stylesheet has them). Default false.
   */
  readonly inline?: boolean;
}

interface Point {
  readonly index: number;
  readonly value: number;
}

function describePoint(point: Point, categories: readonly string[] | undefined, format: ValueFormatter): string {
  const category = categories?.[point.index];
  return category ? `${format(point.value)} in ${category}` : format(point.value);
}

/** The sparkline's accessible summary, e.g. 'ASB incidents: 120 in Apr 2023 to 98 in Mar 2024'. */
export function sparklineLabel(options: SparklineOptions): string {
  const format = options.formatValue ?? defaultFormat;
  const values = normaliseValues(options.values, options.values.length);
  const points = values.flatMap((value, index) => (value === null ? [] : [{ index, value }]));
  const first = points[0];
  const last = points[points.length - 1];
  const target = typeof options.target === 'number' && Number.isFinite(options.target) ? `; target ${format(options.target)}` : '';
  if (!first || !last) return `${options.title}: ${(options.emptyMessage ?? DEFAULT_EMPTY_MESSAGE).toLowerCase()}`;
  if (first === last) return `${options.title}: ${describePoint(first, options.categories, format)}${target}`;
  return `${options.title}: ${describePoint(first, options.categories, format)} to ${describePoint(last, options.categories, format)}${target}`;
}

/** Render a sparkline as an SVG string. */
export function sparkline(options: SparklineOptions): string {
  const width = sizeOr(options.width, 120, 24);
  const height = sizeOr(options.height, 32, 8);
  const label = sparklineLabel(options);
  const values = normaliseValues(options.values, options.values.length);
  const points = values.flatMap((value, index) => (value === null ? [] : [{ index, value }]));
  const inline = options.inline === true;
  const escapedLabel = escapeXml(label);
  const open =
    `<svg ${inline ? '' : 'xmlns="http://www.w3.org/2000/svg" version="1.1" '}class="app-chart app-chart--sparkline" ` +
    `width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" ` +
    `role="img" aria-label="${escapedLabel}"${inline && points.length > 0 ? '' : ` font-family="${FONT_FAMILY}" fill="${TEXT_COLOUR}"`}>` +
    (inline ? '' : `<title>${escapedLabel}</title>`);

  if (points.length === 0) {
    const fontSize = Math.min(11, height * 0.6);
    const message = options.emptyMessage ?? DEFAULT_EMPTY_MESSAGE;
    return (
      `${open}<text class="chart-empty" x="${num(width / 2)}" y="${num(height / 2 + fontSize * 0.35)}" text-anchor="middle" ` +
      `font-size="${num(fontSize)}" fill="${GOVUK_COLOURS.darkGrey}">${escapeXml(message)}</text></svg>`
    );
  }

  const colour = options.colour ?? SERIES_COLOURS[0] ?? GOVUK_COLOURS.blue;
  const radius = Math.max(1.5, Math.min(3, height / 10));
  const inset = radius + 1.5;
  const target = typeof options.target === 'number' && Number.isFinite(options.target) ? options.target : null;
  const domain = points.map((p) => p.value);
  if (target !== null) domain.push(target);
  if (options.includeZero) domain.push(0);
  let lo = Math.min(...domain);
  let hi = Math.max(...domain);
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const n = values.length;
  const x = (i: number): number => (n > 1 ? inset + (i * (width - 2 * inset)) / (n - 1) : width / 2);
  const y = linearScale([lo, hi], [height - inset, inset]);

  const parts: string[] = [];
  if (target !== null) {
    parts.push(
      `<line class="chart-reference chart-reference--target" x1="0" y1="${num(y(target))}" x2="${num(width)}" y2="${num(y(target))}" stroke="${GOVUK_COLOURS.darkGrey}" stroke-width="1" stroke-dasharray="3 2"/>`,
    );
  }
  let d = '';
  let inSegment = false;
  values.forEach((v, i) => {
    if (v === null) {
      inSegment = false;
      return;
    }
    d += `${inSegment ? 'L' : 'M'}${num(x(i))} ${num(y(v))}`;
    inSegment = true;
  });
  // Inline, the page's stylesheet gives the line its width and joins (app.scss: .app-chart--sparkline .chart-line).
  const lineStyle = inline ? '' : ' fill="none" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"';
  parts.push(`<path class="chart-line" d="${d}" stroke="${colour}"${lineStyle}/>`);
  // Isolated points (between gaps) would otherwise be invisible; the last point is always marked.
  const lastIndex = points[points.length - 1]?.index ?? -1;
  for (const p of points) {
    const isolated = (p.index === 0 || values[p.index - 1] === null) && (p.index === n - 1 || values[p.index + 1] === null);
    if (p.index !== lastIndex && !isolated) continue;
    const r = p.index === lastIndex ? radius : radius * 0.7;
    parts.push(
      // Inline (the dashboard's rows), the points carry no class or data: nothing styles or reads them there (issue 15).
      `<circle${inline ? '' : ` class="chart-point${p.index === lastIndex ? ' chart-point--last' : ''}" data-index="${p.index}" data-value="${p.value}"`} cx="${num(x(p.index))}" cy="${num(y(p.value))}" r="${num(r)}" fill="${colour}"/>`,
    );
  }
  return `${open}${parts.join('')}</svg>`;
}
