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
  /**
   * Phases after change dates (issue 16), in order, the last being the one `mean` and the limits belong to: earlier
   * phases' lines are drawn over their own points, a dashed line marks each change, and the latest limits start at
   * the last change.
   */
  readonly phases?: readonly {
    readonly start: number;
    readonly end: number;
    readonly mean: number;
    readonly upperLimit: number;
    readonly lowerLimit: number;
    readonly title: string;
  }[];
  /** Short marks above points, e.g. 'x' for a point left out of the limits, '1' for a note, with their meaning. */
  readonly annotations?: readonly { readonly index: number; readonly text: string; readonly title: string }[];
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
  const phases = options.phases ?? [];
  const from = phases.length > 1 ? phases[phases.length - 1]!.start : undefined;
  const add = (value: number, label: string, kind: PlacedReference['kind'], start?: number): void => {
    if (Number.isFinite(value)) references.push({ value, label, kind, ...(start ? { from: start } : {}) });
  };
  add(options.upperLimit, options.labels?.upperLimit ?? `Upper limit: ${format(options.upperLimit)}`, 'limit', from);
  add(options.mean, options.labels?.mean ?? `Mean: ${format(options.mean)}`, 'mean', from);
  add(options.lowerLimit, options.labels?.lowerLimit ?? `Lower limit: ${format(options.lowerLimit)}`, 'limit', from);
  if (options.target) {
    add(options.target.value, options.target.label ?? `Target: ${format(options.target.value)}`, 'target');
  }
  const earlier = phases.slice(0, -1);
  const segments = earlier.flatMap((p) =>
    (
      [
        [p.upperLimit, 'limit'],
        [p.mean, 'mean'],
        [p.lowerLimit, 'limit'],
      ] as const
    ).map(([value, kind]) => ({ from: p.start, to: p.end - 1, value, kind })),
  );
  const breaks = phases.slice(1).map((p) => ({ index: p.start, title: p.title }));
  const values0 = options.values;
  const annotations = (options.annotations ?? []).flatMap((a) => {
    const v = toValue(values0[a.index]);
    return v === null ? [] : [{ ...a, value: v }];
  });

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
    phases: _phases,
    annotations: _annotations,
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
      segments,
      breaks,
      annotations,
    },
  );
}
