/** Shared SVG building blocks: the accessible frame, ids, text and empty state. */

import { escapeXml, sanitiseId } from './escape.ts';
import { num } from './format.ts';
import { GOVUK_COLOURS } from './palette.ts';
import { DEFAULT_EMPTY_MESSAGE, type ChartTextOptions } from './types.ts';

export const FONT_FAMILY = 'Arial, Helvetica, sans-serif';
export const TEXT_COLOUR = GOVUK_COLOURS.black;
export const SECONDARY_TEXT_COLOUR = GOVUK_COLOURS.darkGrey;
/** Gridlines are decorative (values are labelled), so they may be light. */
export const GRID_COLOUR = '#d8d8d8';
export const AXIS_COLOUR = GOVUK_COLOURS.black;

/** 32-bit FNV-1a hash as 8 hex digits. */
export function hashString(input: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    hash ^= input.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

let sequence = 0;

/**
 * Id prefix for a chart: the caller's id if given, otherwise a hash of the
 * input plus a per-process counter, so that no two charts share ids even when
 * the same chart appears twice on one page.
 */
export function chartId(kind: string, options: ChartTextOptions): string {
  if (options.id !== undefined && options.id.trim() !== '') return sanitiseId(options.id.trim());
  let serialised: string;
  try {
    serialised = JSON.stringify(options) ?? '';
  } catch {
    serialised = `${options.title}|${options.description}`;
  }
  sequence = (sequence + 1) % Number.MAX_SAFE_INTEGER;
  return `${sanitiseId(kind)}-chart-${hashString(`${kind}|${serialised}`)}-${sequence.toString(36)}`;
}

export interface SvgFrame {
  readonly id: string;
  readonly kind: string;
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly description: string;
  readonly defs?: string;
  readonly body: string;
  readonly fontSize: number;
}

/**
 * Wrap chart content in a standalone, accessible <svg> element: xmlns, pixel
 * width and height with a matching viewBox (CSS such as `max-width: 100%;
 * height: auto` scales it), role="img" named by its <title> and <desc>,
 * fonts and colours as presentation attributes (no CSS, no scripts).
 */
export function svgDocument(frame: SvgFrame): string {
  const { id, kind, width, height } = frame;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="app-chart app-chart--${sanitiseId(kind)}" ` +
    `width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" ` +
    `role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `font-family="${FONT_FAMILY}" font-size="${num(frame.fontSize)}" fill="${TEXT_COLOUR}">` +
    `<title id="${id}-title">${escapeXml(frame.title)}</title>` +
    `<desc id="${id}-desc">${escapeXml(frame.description)}</desc>` +
    (frame.defs ? `<defs>${frame.defs}</defs>` : '') +
    `<rect class="chart-background" x="0" y="0" width="${num(width)}" height="${num(height)}" fill="${GOVUK_COLOURS.white}"/>` +
    frame.body +
    '</svg>'
  );
}

/** A small chart frame containing only a "No data to show" message. */
export function emptyChart(
  kind: string,
  id: string,
  options: ChartTextOptions & { readonly emptyMessage?: string | undefined },
  width: number,
  fontSize: number,
): string {
  const message = options.emptyMessage ?? DEFAULT_EMPTY_MESSAGE;
  const height = Math.round(fontSize * 4);
  const body =
    `<rect class="chart-empty-background" x="0.5" y="0.5" width="${num(width - 1)}" height="${num(height - 1)}" fill="${GOVUK_COLOURS.lightGrey}" stroke="${GOVUK_COLOURS.darkGrey}" stroke-width="1"/>` +
    `<text class="chart-empty" x="${num(width / 2)}" y="${num(height / 2 + fontSize * 0.35)}" text-anchor="middle" font-weight="bold">${escapeXml(message)}</text>`;
  return svgDocument({ id, kind, width, height, title: options.title, description: options.description, body, fontSize });
}

/** A <text> element; `content` is escaped here, `attrs` must already be safe. */
export function textElement(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${num(x)}" y="${num(y)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(content)}</text>`;
}

/** Multi-line text, first baseline at y; each line starts at x. */
export function multilineText(x: number, y: number, lines: readonly string[], lineHeight: number, attrs = ''): string {
  if (lines.length <= 1) return textElement(x, y, lines[0] ?? '', attrs);
  const spans = lines.map((line, i) => `<tspan x="${num(x)}" y="${num(y + i * lineHeight)}">${escapeXml(line)}</tspan>`).join('');
  return `<text x="${num(x)}" y="${num(y)}"${attrs ? ` ${attrs}` : ''}>${spans}</text>`;
}

/** A straight line segment. */
export function lineElement(x1: number, y1: number, x2: number, y2: number, attrs: string): string {
  return `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" ${attrs}/>`;
}

/** Replace missing / non-finite values with null and pad or trim to `length`. */
export function normaliseValues(values: ReadonlyArray<number | null | undefined>, length: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = 0; i < length; i++) {
    const v = values[i];
    out.push(typeof v === 'number' && Number.isFinite(v) ? v : null);
  }
  return out;
}
