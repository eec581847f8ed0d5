/**
 * Layout shared by the charts with a vertical value axis and a horizontal
 * category axis (line, XmR and grouped bar charts).
 */

import { formatNumber, type ValueFormatter } from './format.ts';
import type { LegendLayout } from './legend.ts';
import { linearScale, niceTicks, type NiceScale } from './scale.ts';
import { AXIS_COLOUR, GRID_COLOUR, lineElement, multilineText, textElement } from './svg.ts';
import { fitCategoryLabels, textWidth, truncateText, type CategoryLabelLayout } from './text.ts';
import { PAD } from './types.ts';

export const TICK_LENGTH = 6;

export interface ValueAxis {
  readonly scale: NiceScale;
  readonly labels: readonly string[];
  /** Widest tick label. */
  readonly labelWidth: number;
}

export interface ValueAxisOptions {
  readonly includeZero: boolean;
  readonly formatValue?: ValueFormatter | undefined;
  readonly fontSize: number;
  /** Roughly how many ticks (default 5). */
  readonly count?: number;
}

/** Nice ticks covering `values` (and zero if asked), with their labels. */
export function valueAxis(values: readonly number[], options: ValueAxisOptions): ValueAxis {
  let lo = values.length > 0 ? Math.min(...values) : 0;
  let hi = values.length > 0 ? Math.max(...values) : 1;
  if (options.includeZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  const integer = values.every((v) => Number.isInteger(v));
  const scale = niceTicks(lo, hi, { count: options.count ?? 5, integer });
  const plain = scale.ticks.map((t) => formatNumber(t, scale.decimals));
  let labels = plain;
  if (options.formatValue) {
    const custom = scale.ticks.map((t) => options.formatValue?.(t) ?? '');
    // A formatter that rounds more than the ticks need would repeat labels: fall back.
    if (new Set(custom).size === custom.length) labels = custom;
  }
  return { scale, labels, labelWidth: Math.max(0, ...labels.map((l) => textWidth(l, options.fontSize))) };
}

export interface CartesianInput {
  readonly width: number;
  readonly height: number;
  readonly fontSize: number;
  readonly axis: ValueAxis;
  readonly categories: readonly string[];
  /** 'points': first and last category at the plot edges (lines); 'bands': centred in equal bands (bars). */
  readonly mode: 'points' | 'bands';
  readonly legend: LegendLayout | null;
  readonly units?: string | undefined;
  readonly categoryAxisLabel?: string | undefined;
  /** Space needed right of the plot, e.g. for reference line labels. */
  readonly rightLabelWidth?: number;
  /** Which category is always labelled when not all fit (default 'end': the latest period). */
  readonly labelAnchor?: 'start' | 'end';
  /** Extra space above the plot, e.g. for value labels over the tallest bar. */
  readonly extraTop?: number;
}

export interface CartesianLayout {
  readonly left: number;
  readonly top: number;
  readonly plotWidth: number;
  readonly plotHeight: number;
  readonly plotRight: number;
  readonly plotBottom: number;
  /** Total SVG height (the requested height unless the plot needed a minimum). */
  readonly svgHeight: number;
  readonly legendY: number;
  readonly unitsY: number;
  /** Width of one category slot (distance between points, or band width). */
  readonly slot: number;
  readonly labels: CategoryLabelLayout;
  /** Centre x of category i. */
  readonly x: (i: number) => number;
  /** y of a value. */
  readonly y: (value: number) => number;
}

/** Work out margins and scales for a chart with a value axis on the left. */
export function layoutCartesian(input: CartesianInput): CartesianLayout {
  const { width, height, fontSize, axis, categories, legend } = input;
  const n = categories.length;
  const lineHeight = Math.round(fontSize * 1.2);
  let top = PAD;
  const legendY = top;
  if (legend && legend.height > 0) top += legend.height + 8;
  const unitsY = top + fontSize;
  if (input.units) top += lineHeight + 8;
  top += Math.max(Math.ceil(fontSize / 2), input.extraTop ?? 0); // half of the top tick label sits above the plot

  const widest = Math.min(Math.max(0, ...categories.map((c) => textWidth(c, fontSize))), 120);
  const overshoot = input.mode === 'points' ? widest / 2 + 2 : 0;
  const left = Math.max(PAD + axis.labelWidth + 8, PAD + overshoot);
  const right = Math.max(PAD * 2, (input.rightLabelWidth ?? 0) + PAD, PAD + overshoot);
  const plotWidth = Math.max(40, width - left - right);
  const slot = input.mode === 'points' ? (n > 1 ? plotWidth / (n - 1) : plotWidth) : plotWidth / Math.max(1, n);
  const bands = input.mode === 'bands';
  const labels = fitCategoryLabels(categories, slot, fontSize, {
    maxLines: bands ? 3 : 2,
    anchor: input.labelAnchor ?? 'end',
    allowSkip: !bands,
    gap: bands ? 4 : 6,
  });
  const labelLineHeight = Math.round(labels.fontSize * 1.2);
  const bottom = TICK_LENGTH + 4 + labels.lineCount * labelLineHeight + (input.categoryAxisLabel ? lineHeight + 6 : 0) + PAD;
  const plotHeight = Math.max(60, height - top - bottom);
  const plotBottom = top + plotHeight;
  const svgHeight = Math.max(height, plotBottom + bottom);
  const y = linearScale([axis.scale.min, axis.scale.max], [plotBottom, top]);
  const x =
    input.mode === 'points'
      ? (i: number): number => (n > 1 ? left + (i * plotWidth) / (n - 1) : left + plotWidth / 2)
      : (i: number): number => left + (i + 0.5) * slot;
  return {
    left,
    top,
    plotWidth,
    plotHeight,
    plotRight: left + plotWidth,
    plotBottom,
    svgHeight,
    legendY,
    unitsY,
    slot,
    labels,
    x,
    y,
  };
}

/** Gridlines, value tick labels, the category axis and both axis titles. */
export function renderCartesianAxes(layout: CartesianLayout, input: CartesianInput): string {
  const { fontSize, axis } = input;
  const { left, plotRight, plotBottom, y } = layout;
  const parts: string[] = [];
  axis.scale.ticks.forEach((t, i) => {
    const ty = y(t);
    if (t !== axis.scale.min) {
      parts.push(lineElement(left, ty, plotRight, ty, `class="chart-gridline" stroke="${GRID_COLOUR}" stroke-width="1"`));
    }
    parts.push(
      textElement(left - 8, ty + fontSize * 0.35, axis.labels[i] ?? '', `class="chart-tick-label" text-anchor="end" data-value="${t}"`),
    );
  });
  if (axis.scale.min < 0 && axis.scale.max > 0) {
    parts.push(lineElement(left, y(0), plotRight, y(0), `class="chart-zero-line" stroke="${AXIS_COLOUR}" stroke-width="1"`));
  }
  parts.push(lineElement(left, plotBottom, plotRight, plotBottom, `class="chart-axis" stroke="${AXIS_COLOUR}" stroke-width="1"`));

  const labelSize = layout.labels.fontSize;
  const labelLineHeight = Math.round(labelSize * 1.2);
  const sizeAttr = labelSize !== fontSize ? ` font-size="${labelSize}"` : '';
  layout.labels.lines.forEach((lines, i) => {
    if (lines.length === 0) return;
    const cx = layout.x(i);
    parts.push(lineElement(cx, plotBottom, cx, plotBottom + TICK_LENGTH, `class="chart-tick" stroke="${AXIS_COLOUR}" stroke-width="1"`));
    parts.push(
      multilineText(
        cx,
        plotBottom + TICK_LENGTH + 2 + labelSize,
        lines,
        labelLineHeight,
        `class="chart-category-label" text-anchor="middle" data-index="${i}"${sizeAttr}`,
      ),
    );
  });
  if (input.units) {
    const text = truncateText(input.units, input.width - 2 * PAD, fontSize);
    parts.push(textElement(PAD, layout.unitsY, text, 'class="chart-axis-label chart-axis-label--value" font-weight="bold"'));
  }
  if (input.categoryAxisLabel) {
    const text = truncateText(input.categoryAxisLabel, input.width - 2 * PAD, fontSize);
    const baseline = plotBottom + TICK_LENGTH + 4 + layout.labels.lineCount * labelLineHeight + 6 + fontSize;
    parts.push(
      textElement(
        layout.left + layout.plotWidth / 2,
        baseline,
        text,
        'class="chart-axis-label chart-axis-label--category" text-anchor="middle" font-weight="bold"',
      ),
    );
  }
  return parts.join('');
}
