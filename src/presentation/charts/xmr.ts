/**
 * XmR (individuals) process behaviour chart, as in NHS England's "Making Data
 * Count". The mean, process limits and special-cause flags are calculated
 * elsewhere (src/domain); this module only draws them.
 */

import { defaultFormat } from './format.ts';
import { SWATCH_HEIGHT, type LegendItem } from './legend.ts';
import { renderLines, type PlacedReference, type PointMarker, type ReferenceLine } from './lineChart.ts';
import { markerElement, SPC_COLOURS, type MarkerShape } from './palette.ts';
import { toValue, type ChartOptions, type DataValue } from './types.ts';

/** Side of the mean on which a special cause lies. */
export type SpecialCauseSide = 'high' | 'low';
/** Per point: 'high' / 'low', true (side worked out from the mean), or nothing for common cause. */
export type SpecialCauseFlag = SpecialCauseSide | boolean | null | undefined;

export interface XmrChartOptions extends ChartOptions {
  /** Ordered category labels, e.g. months. */
  readonly categories: readonly string[];
  /** One value per category; missing values break the line. */
  readonly values: readonly DataValue[];
  readonly mean: number;
  readonly upperLimit: number;
  readonly lowerLimit: number;
  /** Special-cause flags, one per value (e.g. XmrPoint.specialCause from the domain). */
  readonly specialCause?: readonly SpecialCauseFlag[];
  /** Which direction is better: colours special causes as improvement or concern. */
  readonly improvement?: 'higher' | 'lower';
  readonly target?: ReferenceLine;
  /** Legend name of the data line (default 'Value'). */
  readonly seriesName?: string;
  readonly categoryAxisLabel?: string;
  /** Start the value axis at zero (default false: the limits set the range). */
  readonly includeZero?: boolean;
  /** Draw a marker at every common-cause point; 'auto' (default) for 24 or fewer. */
  readonly markers?: boolean | 'auto';
  /** Labels for the reference lines (defaults 'Mean: <value>', 'Upper limit: <value>', 'Lower limit: <value>'). */
  readonly labels?: {
    readonly mean?: string;
    readonly upperLimit?: string;
    readonly lowerLimit?: string;
  };
}

export type SpecialCauseMeaning = 'improvement' | 'concern' | 'neutral';

export const SPECIAL_CAUSE_RADIUS = 7;
const LEGEND_MARKER_WIDTH = 18;
const SIDE_SHAPE: Readonly<Record<SpecialCauseSide, MarkerShape>> = { high: 'triangle', low: 'triangle-down' };

/** The side of each flagged point, or null for common cause / missing values. */
export function specialCauseSides(options: Pick<XmrChartOptions, 'values' | 'mean' | 'specialCause'>): (SpecialCauseSide | null)[] {
  return options.values.map((raw, i) => {
    const flag = options.specialCause?.[i];
    const v = toValue(raw);
    if (v === null || !flag) return null;
    if (flag === 'high' || flag === 'low') return flag;
    return v >= options.mean ? 'high' : 'low';
  });
}

/** Whether a special cause on `side` is an improvement, a concern, or neither (no direction set). */
export function specialCauseMeaning(side: SpecialCauseSide, improvement: XmrChartOptions['improvement']): SpecialCauseMeaning {
  if (!improvement) return 'neutral';
  return (side === 'high') === (improvement === 'higher') ? 'improvement' : 'concern';
}

/** Legend / table wording for a special cause. */
export function specialCauseText(side: SpecialCauseSide, improvement: XmrChartOptions['improvement']): string {
  const meaning = specialCauseMeaning(side, improvement);
  const direction = side === 'high' ? 'high' : 'low';
  return meaning === 'neutral' ? `Special cause (${direction})` : `Special cause: ${meaning} (${direction})`;
}

/** Render an XmR chart as an SVG string. */
export function xmrChart(options: XmrChartOptions): string {
  const format = options.formatValue ?? defaultFormat;
  const references: PlacedReference[] = [];
  const add = (value: number, label: string, kind: PlacedReference['kind']): void => {
    if (Number.isFinite(value)) references.push({ value, label, kind });
  };
  add(options.upperLimit, options.labels?.upperLimit ?? `Upper limit: ${format(options.upperLimit)}`, 'limit');
  add(options.mean, options.labels?.mean ?? `Mean: ${format(options.mean)}`, 'mean');
  add(options.lowerLimit, options.labels?.lowerLimit ?? `Lower limit: ${format(options.lowerLimit)}`, 'limit');
  if (options.target) {
    add(options.target.value, options.target.label ?? `Target: ${format(options.target.value)}`, 'target');
  }

  const sides = specialCauseSides(options);
  const markerFor = (side: SpecialCauseSide): PointMarker => {
    const meaning = specialCauseMeaning(side, options.improvement);
    return {
      shape: SIDE_SHAPE[side],
      colour: SPC_COLOURS[meaning],
      radius: SPECIAL_CAUSE_RADIUS,
      className: `chart-signal chart-signal--${meaning}`,
      attributes: ` data-special-cause="${side}"`,
    };
  };

  const present = (['high', 'low'] as const).filter((side) => sides.includes(side));
  const extraLegend: LegendItem[] = present.map((side) => {
    const marker = markerFor(side);
    return {
      label: specialCauseText(side, options.improvement),
      swatch: (x, y) =>
        markerElement(marker.shape, x + LEGEND_MARKER_WIDTH / 2, y + SWATCH_HEIGHT / 2, SPECIAL_CAUSE_RADIUS, marker.colour),
      swatchWidth: LEGEND_MARKER_WIDTH,
    };
  });
  // The chart's own fields; everything else (title, size, format...) passes through.
  const {
    values,
    mean: _mean,
    upperLimit: _upper,
    lowerLimit: _lower,
    specialCause: _flags,
    improvement: _improvement,
    target: _target,
    seriesName,
    labels: _labels,
    ...common
  } = options;
  return renderLines(
    {
      ...common,
      series: [{ name: seriesName ?? 'Value', values, colour: SPC_COLOURS.common }],
      legend: true,
    },
    {
      kind: 'xmr',
      references,
      includeZeroDefault: false,
      lineWidth: 2,
      markerRadius: 3.5,
      pointMarker: (_series, index) => {
        const side = sides[index];
        return side ? markerFor(side) : null;
      },
      extraLegend,
    },
  );
}
