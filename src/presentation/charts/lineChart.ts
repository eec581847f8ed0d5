/** Line chart: one or more series over ordered categories (months, quarters...). */

import { layoutCartesian, renderCartesianAxes, valueAxis, type CartesianInput } from './axes.ts';
import { defaultFormat, num, type ValueFormatter } from './format.ts';
import { layoutLegend, SWATCH_HEIGHT, SWATCH_WIDTH, type LegendItem } from './legend.ts';
import { GOVUK_COLOURS, markerElement, seriesStyle, type MarkerShape, type SeriesStyle } from './palette.ts';
import { chartId, emptyChart, lineElement, multilineText, normaliseValues, svgDocument, textElement } from './svg.ts';
import { placeLabels, type LabelBox } from './labelLayout.ts';
import { escapeXml } from './escape.ts';
import { textWidth, truncateText, wrapText } from './text.ts';
import { DEFAULT_FONT_SIZE, DEFAULT_WIDTH, PAD, sizeOr, type ChartOptions, type ChartSeries } from './types.ts';

/** One point's interval (such as its 95% confidence interval), drawn as an error bar. */
export interface IntervalBar {
  readonly lower: number;
  readonly upper: number;
}

export interface LineSeries extends ChartSeries {
  /**
   * One interval per value (null where there is none), drawn as an error bar through the point in the series' colour
   * and named in the legend by the chart's `intervalLabel`.
   */
  readonly intervals?: readonly (IntervalBar | null | undefined)[];
  /** Indices of points to highlight (drawn with a ring and explained in the legend). */
  readonly highlight?: readonly number[];
  /** Override the series colour (it must have at least 3:1 contrast with white). */
  readonly colour?: string;
}

export interface ReferenceLine {
  readonly value: number;
  /** Label drawn at the right-hand end (default 'Target: <value>'). */
  readonly label?: string;
}

export interface LineChartOptions extends ChartOptions {
  /** Ordered category labels, e.g. months. */
  readonly categories: readonly string[];
  readonly series: readonly LineSeries[];
  /** Horizontal target line. */
  readonly target?: ReferenceLine;
  /** Category axis title, shown below the axis (and used as the table's first column header). */
  readonly categoryAxisLabel?: string;
  /** Start the value axis at zero (default true). */
  readonly includeZero?: boolean;
  /** Draw a marker at every point; 'auto' (default) draws them for 24 or fewer categories. */
  readonly markers?: boolean | 'auto';
  /** Show the legend (default: when there is more than one series or any highlight). */
  readonly legend?: boolean;
  /** Legend text for highlighted points (default 'Highlighted value'). */
  readonly highlightLabel?: string;
  /** Legend text for the series' error bars (default '95% confidence interval'). */
  readonly intervalLabel?: string;
  /** Formatter of the limits in the chart's table (default: the chart's); limits often need more places than values. */
  readonly formatInterval?: ValueFormatter;
}

export const DEFAULT_INTERVAL_LABEL = '95% confidence interval';

/** A horizontal line labelled at the right of the plot. */
export interface PlacedReference {
  readonly value: number;
  readonly label: string;
  readonly kind: 'target' | 'mean' | 'limit';
  /** Drawn from this category index only (an XmR chart's latest phase); the whole width when not given. */
  readonly from?: number;
}

/** A marker that replaces a point's usual marker (used by the XmR chart). */
export interface PointMarker {
  readonly shape: MarkerShape;
  readonly colour: string;
  readonly radius: number;
  /** Extra class names, e.g. 'chart-signal'. */
  readonly className: string;
  /** Extra attribute text (already escaped), starting with a space. */
  readonly attributes?: string;
}

/** Hooks for charts built on the line chart. */
export interface LineRenderInternals {
  readonly kind: string;
  readonly references: readonly PlacedReference[];
  readonly includeZeroDefault: boolean;
  readonly pointMarker?: (seriesIndex: number, index: number, value: number) => PointMarker | null;
  readonly extraLegend?: readonly LegendItem[];
  readonly lineWidth?: number;
  readonly markerRadius?: number;
  /** Unlabelled reference lines over part of the plot (an XmR chart's earlier phases), from and to category indices. */
  readonly segments?: readonly { from: number; to: number; value: number; kind: PlacedReference['kind'] }[];
  /** Vertical dashed lines before these category indices (an XmR chart's change dates), each with a title. */
  readonly breaks?: readonly { index: number; title: string }[];
  /** Short text above a point (an XmR chart's excluded points and notes), with a title for its full meaning. */
  readonly annotations?: readonly { index: number; value: number; text: string; title: string }[];
}

const MARKER_RADIUS = 4.5;
const LINE_WIDTH = 3;
export const HIGHLIGHT_COLOUR = GOVUK_COLOURS.red;

interface PreparedSeries {
  readonly name: string;
  readonly values: (number | null)[];
  readonly highlight: ReadonlySet<number>;
  readonly style: SeriesStyle;
  /** Each point's interval, where it has a finite one and a value. */
  readonly intervals: readonly (IntervalBar | null)[];
}

/** The intervals worth drawing: finite, lower not above upper, at a point with a value. */
export function usableIntervals(intervals: LineSeries['intervals'], values: readonly (number | null)[]): (IntervalBar | null)[] {
  return values.map((v, i) => {
    const bar = intervals?.[i];
    if (v === null || !bar || !Number.isFinite(bar.lower) || !Number.isFinite(bar.upper) || bar.lower > bar.upper) return null;
    return { lower: bar.lower, upper: bar.upper };
  });
}

const INTERVAL_WIDTH = 1.5;

/** An error bar: a vertical line from lower to upper with a short cap at each end. */
function errorBar(x: number, yLower: number, yUpper: number, cap: number, colour: string, extra = ''): string {
  const stroke = `stroke="${colour}" stroke-width="${INTERVAL_WIDTH}" stroke-linecap="butt"`;
  const d = `M${num(x)} ${num(yLower)}V${num(yUpper)}M${num(x - cap)} ${num(yLower)}H${num(x + cap)}M${num(x - cap)} ${num(yUpper)}H${num(x + cap)}`;
  return `<path${extra} d="${d}" fill="none" ${stroke}/>`;
}

export function referenceStroke(kind: PlacedReference['kind']): string {
  switch (kind) {
    case 'target':
      return `stroke="${GOVUK_COLOURS.black}" stroke-width="2" stroke-dasharray="8 4"`;
    case 'mean':
      return `stroke="${GOVUK_COLOURS.black}" stroke-width="1.5"`;
    case 'limit':
      return `stroke="${GOVUK_COLOURS.darkGrey}" stroke-width="1.5" stroke-dasharray="3 3"`;
  }
}

function lineSwatch(style: SeriesStyle, lineWidth: number, radius: number, drawMarker: boolean): (x: number, y: number) => string {
  return (x, y) => {
    const cy = y + SWATCH_HEIGHT / 2;
    return (
      lineElement(
        x,
        cy,
        x + SWATCH_WIDTH,
        cy,
        `stroke="${style.colour}" stroke-width="${lineWidth}"${
          style.dash ? ` stroke-dasharray="${style.dash}"` : ''
        } stroke-linecap="butt"`,
      ) + (drawMarker ? markerElement(style.marker, x + SWATCH_WIDTH / 2, cy, radius, style.colour) : '')
    );
  };
}

/** A ring drawn around a highlighted point. */
export function highlightRing(x: number, y: number, extra = ''): string {
  return `<circle cx="${num(x)}" cy="${num(y)}" r="9" fill="none" stroke="${HIGHLIGHT_COLOUR}" stroke-width="2.5"${extra}/>`;
}

/** Render a line chart as an SVG string. */
export function lineChart(options: LineChartOptions): string {
  const format = options.formatValue ?? defaultFormat;
  const references: PlacedReference[] = [];
  if (options.target && Number.isFinite(options.target.value)) {
    references.push({
      value: options.target.value,
      label: options.target.label ?? `Target: ${format(options.target.value)}`,
      kind: 'target',
    });
  }
  return renderLines(options, { kind: 'line', references, includeZeroDefault: true });
}

/** The line chart renderer, with hooks for the XmR chart. */
export function renderLines(options: LineChartOptions, internals: LineRenderInternals): string {
  const kind = internals.kind;
  const width = sizeOr(options.width, DEFAULT_WIDTH, 160);
  const height = sizeOr(options.height, 360, 120);
  const fontSize = sizeOr(options.fontSize, DEFAULT_FONT_SIZE, 6);
  const lineWidth = internals.lineWidth ?? LINE_WIDTH;
  const markerRadius = internals.markerRadius ?? MARKER_RADIUS;
  const id = chartId(kind, options);
  const categories = options.categories;
  const n = categories.length;

  const series: PreparedSeries[] = options.series.map((s, i) => {
    const values = normaliseValues(s.values, n);
    return {
      name: s.name,
      values,
      highlight: new Set((s.highlight ?? []).filter((k) => Number.isInteger(k) && k >= 0 && k < n)),
      style: seriesStyle(i, s.colour),
      intervals: usableIntervals(s.intervals, values),
    };
  });
  const dataValues = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const intervalValues = series.flatMap((s) => s.intervals.flatMap((b) => (b ? [b.lower, b.upper] : [])));
  if (n === 0 || dataValues.length === 0) return emptyChart(kind, id, options, width, fontSize);

  const refs = internals.references.filter((r) => Number.isFinite(r.value));
  const segments = (internals.segments ?? []).filter((r) => Number.isFinite(r.value));
  const axis = valueAxis([...dataValues, ...intervalValues, ...refs.map((r) => r.value), ...segments.map((r) => r.value)], {
    includeZero: options.includeZero ?? internals.includeZeroDefault,
    formatValue: options.formatValue,
    fontSize,
  });

  // Which points get a marker.
  const drawAllMarkers = options.markers === 'auto' || options.markers === undefined ? n <= 24 : options.markers;

  // Legend.
  const anyHighlight = series.some((s) => s.highlight.size > 0);
  const extraLegend = internals.extraLegend ?? [];
  const anyInterval = intervalValues.length > 0;
  const showLegend = options.legend ?? (series.length > 1 || anyHighlight || anyInterval || extraLegend.length > 0);
  const legendItems: LegendItem[] = series.map((s) => ({
    label: s.name,
    swatch: lineSwatch(s.style, lineWidth, markerRadius, drawAllMarkers),
  }));
  if (anyHighlight) {
    legendItems.push({
      label: options.highlightLabel ?? 'Highlighted value',
      swatch: (x, y) => highlightRing(x + 10, y + SWATCH_HEIGHT / 2),
      swatchWidth: 20,
    });
  }
  if (anyInterval) {
    const colour = series.find((s) => s.intervals.some((b) => b))!.style.colour;
    legendItems.push({
      label: options.intervalLabel ?? DEFAULT_INTERVAL_LABEL,
      swatch: (sx, sy) => errorBar(sx + 8, sy + SWATCH_HEIGHT, sy, 5, colour),
      swatchWidth: 16,
    });
  }
  legendItems.push(...extraLegend);
  const legend = showLegend ? layoutLegend(legendItems, width - 2 * PAD, fontSize) : null;

  // Reference lines are labelled to the right of the plot, or inside it
  // (above the line, right-aligned) when that would take too much width.
  const measure = (limit: number): { labels: string[]; width: number } => {
    const labels = refs.map((r) => truncateText(r.label, limit, fontSize));
    return { labels, width: labels.length > 0 ? Math.max(...labels.map((l) => textWidth(l, fontSize))) + 12 : 0 };
  };
  const outside = measure(width * 0.3);
  const refsOutside = outside.width <= Math.max(width * 0.22, 120) && outside.labels.every((l, i) => l === refs[i]?.label);
  const layoutInput: CartesianInput = {
    width,
    height,
    fontSize,
    axis,
    categories,
    mode: 'points',
    legend,
    units: options.units,
    categoryAxisLabel: options.categoryAxisLabel,
    rightLabelWidth: refsOutside ? outside.width : 0,
  };
  const layout = layoutCartesian(layoutInput);
  const { x, y, left, top, plotRight, plotBottom } = layout;
  /** The x midway between a category and the one before (the plot's edges at the ends). */
  const between = (i: number) => (i <= 0 ? left : i >= n ? plotRight : (x(i - 1) + x(i)) / 2);

  const parts: string[] = [];
  parts.push(
    `<rect class="chart-plot-area" x="${num(left)}" y="${num(top)}" width="${num(layout.plotWidth)}" height="${num(layout.plotHeight)}" fill="none"/>`,
  );
  parts.push(renderCartesianAxes(layout, layoutInput));

  // Reference lines with direct labels.
  const lineHeight = Math.round(fontSize * 1.2);
  const insideWidth = layout.plotWidth * 0.7;
  const refLines: string[][] = refsOutside
    ? outside.labels.map((l) => [l])
    : refs.map((r) => wrapText(r.label, insideWidth, fontSize, 2) ?? [truncateText(r.label, insideWidth, fontSize)]);
  const labelBoxes = placeReferenceLabels(refs, refLines, { refsOutside, fontSize, lineHeight, y, top, plotRight, plotBottom });
  const refParts: string[] = [];
  refs.forEach((r, i) => {
    const ry = y(r.value);
    parts.push(
      lineElement(
        r.from ? between(r.from) : left,
        ry,
        plotRight,
        ry,
        `class="chart-reference chart-reference--${r.kind}" data-value="${r.value}" ${referenceStroke(r.kind)}`,
      ),
    );
    const fill = r.kind === 'limit' ? GOVUK_COLOURS.darkGrey : GOVUK_COLOURS.black;
    const common = `class="chart-reference-label chart-reference-label--${r.kind}" fill="${fill}"`;
    const lines = refLines[i] ?? [];
    const box = labelBoxes[i]!;
    const baseline = box.y + lineHeight / 2 + fontSize * 0.35;
    refParts.push(
      refsOutside
        ? textElement(box.x, baseline, lines[0] ?? '', common)
        : multilineText(
            box.x + box.width,
            baseline,
            lines,
            lineHeight,
            `${common} text-anchor="end" stroke="${GOVUK_COLOURS.white}" stroke-width="4" stroke-linejoin="round" paint-order="stroke"`,
          ),
    );
  });

  // Earlier phases' limits, change dates and notes: the XmR chart's history (issue 16).
  for (const r of segments) {
    const ry = y(r.value);
    parts.push(
      lineElement(
        between(r.from),
        ry,
        between(r.to + 1),
        ry,
        `class="chart-reference chart-reference--${r.kind} chart-reference--phase" data-value="${r.value}" ${referenceStroke(r.kind)}`,
      ),
    );
  }
  for (const b of internals.breaks ?? []) {
    const bx = between(b.index);
    parts.push(
      `<g class="chart-phase-break" data-index="${b.index}"><title>${escapeXml(b.title)}</title>${lineElement(bx, top, bx, plotBottom, `stroke="${GOVUK_COLOURS.black}" stroke-width="2" stroke-dasharray="2 4"`)}</g>`,
    );
  }
  // Point marks go above their point, moved clear of the reference labels, the points and each other.
  const annotations = internals.annotations ?? [];
  const pointBoxes = series.flatMap((s, si) =>
    s.values.flatMap((v, i) => {
      if (v === null) return [];
      const r = internals.pointMarker?.(si, i, v)?.radius ?? markerRadius;
      return [{ x: x(i) - r, y: y(v) - r, width: 2 * r, height: 2 * r }];
    }),
  );
  const markBoxes = placeLabels(
    annotations.map((a) => {
      const w = textWidth(a.text, fontSize) * 1.1 + 2;
      return { x: x(a.index) - w / 2, y: y(a.value) - markerRadius - 4 - lineHeight, width: w, height: lineHeight };
    }),
    { top, bottom: plotBottom },
    [...labelBoxes, ...pointBoxes],
  );
  annotations.forEach((a, k) => {
    const box = markBoxes[k]!;
    parts.push(
      `<g class="chart-annotation" data-index="${a.index}"><title>${escapeXml(a.title)}</title>${textElement(box.x + box.width / 2, box.y + lineHeight / 2 + fontSize * 0.35, a.text, `text-anchor="middle" font-weight="700" fill="${GOVUK_COLOURS.black}"`)}</g>`,
    );
  });

  // Error bars under the lines and markers, capped a little narrower than the gap between points.
  const cap = Math.max(2, Math.min(6, n > 1 ? Math.abs(x(1) - x(0)) / 4 : 6));
  series.forEach((s, si) => {
    s.intervals.forEach((b, i) => {
      if (!b) return;
      parts.push(
        errorBar(
          x(i),
          y(b.lower),
          y(b.upper),
          cap,
          s.style.colour,
          ` class="chart-interval" data-series="${si}" data-index="${i}" data-lower="${b.lower}" data-upper="${b.upper}"`,
        ),
      );
    });
  });

  // Series lines: a new subpath after every gap, so missing values break the line.
  series.forEach((s, si) => {
    let d = '';
    let inSegment = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        inSegment = false;
        return;
      }
      d += `${inSegment ? 'L' : 'M'}${num(x(i))} ${num(y(v))}`;
      inSegment = true;
    });
    parts.push(
      `<path class="chart-line" data-series="${si}" d="${d}" fill="none" stroke="${s.style.colour}" stroke-width="${lineWidth}"${
        s.style.dash ? ` stroke-dasharray="${s.style.dash}"` : ''
      } stroke-linejoin="round" stroke-linecap="round"/>`,
    );
  });

  // Markers: every point when there is room; always isolated points (a line
  // of one point is invisible), highlighted and specially marked points.
  series.forEach((s, si) => {
    s.values.forEach((v, i) => {
      if (v === null) return;
      const attrs = ` data-series="${si}" data-index="${i}" data-value="${v}"`;
      const special = internals.pointMarker?.(si, i, v) ?? null;
      if (special) {
        parts.push(
          markerElement(
            special.shape,
            x(i),
            y(v),
            special.radius,
            special.colour,
            ` class="chart-point ${special.className}"${attrs}${special.attributes ?? ''}`,
          ),
        );
        return;
      }
      const isolated = (i === 0 || s.values[i - 1] === null) && (i === n - 1 || s.values[i + 1] === null);
      if (!drawAllMarkers && !isolated && !s.highlight.has(i)) return;
      parts.push(markerElement(s.style.marker, x(i), y(v), markerRadius, s.style.colour, ` class="chart-point"${attrs}`));
    });
  });
  series.forEach((s, si) => {
    for (const i of [...s.highlight].sort((a, b) => a - b)) {
      const v = s.values[i];
      if (v === null || v === undefined) continue;
      parts.push(highlightRing(x(i), y(v), ` class="chart-highlight" data-series="${si}" data-index="${i}" data-value="${v}"`));
    }
  });

  parts.push(...refParts);
  if (legend) parts.push(legend.render(PAD, layout.legendY));

  return svgDocument({
    id,
    kind,
    width,
    height: layout.svgHeight,
    title: options.title,
    description: options.description,
    body: parts.join(''),
    fontSize,
  });
}

/** The reference labels' boxes: right of the plot beside their lines, or inside it above them, none overlapping. */
function placeReferenceLabels(
  refs: readonly PlacedReference[],
  refLines: readonly (readonly string[])[],
  g: {
    refsOutside: boolean;
    fontSize: number;
    lineHeight: number;
    y: (v: number) => number;
    top: number;
    plotRight: number;
    plotBottom: number;
  },
): LabelBox[] {
  const wanted = refs.map((r, i) => {
    const lines = refLines[i] ?? [];
    const width = Math.max(0, ...lines.map((l) => textWidth(l, g.fontSize)));
    const height = Math.max(1, lines.length) * g.lineHeight;
    const ry = g.y(r.value);
    return g.refsOutside
      ? { x: g.plotRight + 10, y: ry - g.lineHeight / 2, width, height }
      : { x: g.plotRight - 2 - width, y: ry - 3 - height, width, height };
  });
  // Place them top to bottom, so that their order follows their lines' order.
  const order = wanted.map((_, i) => i).sort((a, b) => wanted[a]!.y - wanted[b]!.y || a - b);
  const bounds = g.refsOutside
    ? { top: g.top - g.lineHeight / 2, bottom: g.plotBottom + g.lineHeight / 2 }
    : { top: g.top, bottom: g.plotBottom };
  const placed = placeLabels(
    order.map((i) => wanted[i]!),
    bounds,
  );
  const result: LabelBox[] = new Array<LabelBox>(refs.length);
  order.forEach((i, k) => {
    result[i] = placed[k]!;
  });
  return result;
}
