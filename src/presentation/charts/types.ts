/** Types and defaults shared by all charts. */

import type { ValueFormatter } from './format.ts';

/** A data value; null, undefined and non-finite numbers are treated as missing. */
export type DataValue = number | null | undefined;

/** A named series of values, one per category. */
export interface ChartSeries {
  readonly name: string;
  readonly values: readonly DataValue[];
}

/** Text every chart needs for its accessible name and description. */
export interface ChartTextOptions {
  /** Accessible name, rendered as the SVG <title> (and used as the table caption). */
  readonly title: string;
  /** One or two sentences saying what the chart shows, rendered as the SVG <desc>. */
  readonly description: string;
  /**
   * Id prefix for the chart's <title>, <desc> and patterns. By default each call
   * gets a fresh id (a hash of the input plus a counter), so two charts on one
   * page never share ids. Set it only when you need stable output; it must then
   * be unique on the page.
   */
  readonly id?: string;
}

/** Options common to the full-size charts. */
export interface ChartOptions extends ChartTextOptions {
  /** Width in px (default 640). The viewBox matches, so CSS can scale the chart. */
  readonly width?: number;
  /** Height in px (default depends on the chart). */
  readonly height?: number;
  /** Base font size in px (default 14). */
  readonly fontSize?: number;
  /** Format values for labels, ticks and tables (default en-GB number, up to 2 decimal places). */
  readonly formatValue?: ValueFormatter;
  /** What the values measure, e.g. 'Number of crimes' or 'Rate per 1,000 people'; shown as the value-axis title. */
  readonly units?: string;
  /** Text shown when there is nothing to plot (default 'No data to show'). */
  readonly emptyMessage?: string;
}

export const DEFAULT_WIDTH = 640;
export const DEFAULT_FONT_SIZE = 14;
export const DEFAULT_EMPTY_MESSAGE = 'No data to show';
/** Outer padding in px. */
export const PAD = 8;

/** A positive finite size (at least `minimum`) or the default. */
export function sizeOr(value: number | undefined, fallback: number, minimum: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.max(minimum, value) : fallback;
}

/** A finite number, or null for anything missing. */
export function toValue(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
