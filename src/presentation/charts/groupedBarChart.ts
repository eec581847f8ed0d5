/**
 * Grouped (clustered) vertical bar chart: one group per category and one bar
 * per series in each group, e.g. quarters Q1-Q4 with a bar for each year.
 */

import { layoutCartesian, renderCartesianAxes, valueAxis, type CartesianInput } from './axes.ts';
import { defaultFormat, num } from './format.ts';
import { layoutLegend, SWATCH_HEIGHT, SWATCH_WIDTH, type LegendItem } from './legend.ts';
import { GOVUK_COLOURS, patternDefinition, seriesStyle, type SeriesStyle } from './palette.ts';
import { escapeXml } from './escape.ts';
import { chartId, emptyChart, normaliseValues, SECONDARY_TEXT_COLOUR, svgDocument, textElement } from './svg.ts';
import { textWidth } from './text.ts';
import { DEFAULT_FONT_SIZE, DEFAULT_WIDTH, PAD, sizeOr, type ChartOptions, type ChartSeries } from './types.ts';

export interface BarSeries extends ChartSeries {
  /** Override the series colour (it must have at least 3:1 contrast with white). */
  readonly colour?: string;
}

export interface GroupedBarChartOptions extends ChartOptions {
  /** Group labels along the category axis, e.g. ['Q1', 'Q2', 'Q3', 'Q4']. */
  readonly categories: readonly string[];
  /** One series per bar in each group, e.g. one per year. */
  readonly series: readonly BarSeries[];
  /** Category axis title (also the table's first column header). */
  readonly categoryAxisLabel?: string;
  /** Print each value above its bar: 'auto' (default) when every label fits. */
  readonly valueLabels?: boolean | 'auto';
  /** Show the legend (default: when there is more than one series). */
  readonly legend?: boolean;
  /** Fill bars after the first with a texture as well as a colour (default true). */
  readonly patterns?: boolean;
}

/** Text drawn where a value is missing. */
export const MISSING_BAR_TEXT = 'No data';

interface PreparedBars {
  readonly name: string;
  readonly values: (number | null)[];
  readonly style: SeriesStyle;
  readonly fill: string;
  readonly patternDef: string;
}

/** Render a grouped bar chart as an SVG string. */
export function groupedBarChart(options: GroupedBarChartOptions): string {
  const kind = 'grouped-bar';
  const width = sizeOr(options.width, DEFAULT_WIDTH, 160);
  const height = sizeOr(options.height, 360, 120);
  const fontSize = sizeOr(options.fontSize, DEFAULT_FONT_SIZE, 6);
  const labelSize = Math.max(6, fontSize - 2);
  const id = chartId(kind, options);
  const format = options.formatValue ?? defaultFormat;
  const categories = options.categories;
  const n = categories.length;
  const usePatterns = options.patterns ?? true;

  const series: PreparedBars[] = options.series.map((s, i) => {
    const style = seriesStyle(i, s.colour);
    const patterned = usePatterns && style.pattern !== 'solid';
    const patternId = `${id}-pattern-${i}`;
    return {
      name: s.name,
      values: normaliseValues(s.values, n),
      style,
      fill: patterned ? `url(#${patternId})` : style.colour,
      patternDef: patterned ? patternDefinition(style.pattern, patternId, style.colour) : '',
    };
  });
  const m = series.length;
  const dataValues = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  if (n === 0 || m === 0 || dataValues.length === 0) return emptyChart(kind, id, options, width, fontSize);

  const axis = valueAxis(dataValues, { includeZero: true, formatValue: options.formatValue, fontSize });

  const showLegend = options.legend ?? m > 1;
  const legendItems: LegendItem[] = series.map((s) => ({
    label: s.name,
    swatch: (x, y) =>
      `<rect x="${num(x + 0.75)}" y="${num(y + 0.75)}" width="${num(SWATCH_WIDTH - 1.5)}" height="${num(SWATCH_HEIGHT - 1.5)}" fill="${s.fill}" stroke="${s.style.colour}" stroke-width="1.5"/>`,
  }));
  const legend = showLegend ? layoutLegend(legendItems, width - 2 * PAD, fontSize) : null;

  // Geometry of the bars inside each band, measured before layout so that
  // value labels can reserve room above the plot.
  const draft: CartesianInput = {
    width,
    height,
    fontSize,
    axis,
    categories,
    mode: 'bands',
    legend,
    units: options.units,
    categoryAxisLabel: options.categoryAxisLabel,
    labelAnchor: 'start',
  };
  const probe = layoutCartesian(draft);
  const barGeometry = (slot: number): { barWidth: number; gap: number; groupWidth: number } => {
    const groupWidth = slot * (m > 1 ? 0.8 : 0.6);
    const gap = m > 1 ? Math.min(4, groupWidth * 0.05) : 0;
    return { barWidth: Math.max(1, (groupWidth - gap * (m - 1)) / m), gap, groupWidth };
  };
  const valueText = series.map((s) => s.values.map((v) => (v === null ? '' : format(v))));
  const widestLabel = Math.max(...valueText.flat().map((t) => textWidth(t, labelSize)));
  const fits = widestLabel <= barGeometry(probe.slot).barWidth + barGeometry(probe.slot).gap;
  const showValues = options.valueLabels === 'auto' || options.valueLabels === undefined ? fits : options.valueLabels;
  const layoutInput: CartesianInput = showValues ? { ...draft, extraTop: labelSize + 6 } : draft;
  const layout = showValues ? layoutCartesian(layoutInput) : probe;
  const { barWidth, gap, groupWidth } = barGeometry(layout.slot);
  const { y } = layout;
  const zeroY = y(Math.max(axis.scale.min, Math.min(0, axis.scale.max)));

  const parts: string[] = [];
  parts.push(
    `<rect class="chart-plot-area" x="${num(layout.left)}" y="${num(layout.top)}" width="${num(layout.plotWidth)}" height="${num(layout.plotHeight)}" fill="none"/>`,
  );
  parts.push(renderCartesianAxes(layout, layoutInput));

  const bars: string[] = [];
  const labels: string[] = [];
  for (let c = 0; c < n; c++) {
    const groupLeft = layout.x(c) - groupWidth / 2;
    series.forEach((s, si) => {
      const v = s.values[c] ?? null;
      const bx = groupLeft + si * (barWidth + gap);
      const cx = bx + barWidth / 2;
      const text = valueText[si]?.[c] ?? '';
      if (v === null) {
        // Say so where the bar would be: across the slot if it fits, else rotated.
        const attrs = `class="chart-missing" data-series="${si}" data-index="${c}" font-size="${num(labelSize)}" fill="${SECONDARY_TEXT_COLOUR}"`;
        if (textWidth(MISSING_BAR_TEXT, labelSize) <= barWidth + gap) {
          labels.push(textElement(cx, zeroY - 4, MISSING_BAR_TEXT, `${attrs} text-anchor="middle"`));
        } else {
          const tx = cx + labelSize * 0.35;
          labels.push(
            `<text x="${num(tx)}" y="${num(zeroY - 4)}" transform="rotate(-90 ${num(tx)} ${num(zeroY - 4)})" ${attrs}>${escapeXml(MISSING_BAR_TEXT)}</text>`,
          );
        }
        return;
      }
      const vy = y(v);
      const top = v === 0 ? zeroY - 2 : Math.min(vy, zeroY);
      // A zero bar would be invisible (and look like a missing one): draw a thin stub.
      const h = Math.max(Math.abs(zeroY - vy), 2);
      bars.push(
        `<rect class="chart-bar" data-series="${si}" data-index="${c}" data-value="${v}" x="${num(bx)}" y="${num(top)}" width="${num(barWidth)}" height="${num(h)}" fill="${s.fill}" stroke="${s.style.colour}" stroke-width="${h > 1.5 ? 1.5 : 0}"/>`,
      );
      if (showValues) {
        const ly = v >= 0 ? vy - 4 : vy + labelSize + 2;
        labels.push(
          textElement(
            cx,
            ly,
            text,
            `class="chart-value-label" data-series="${si}" data-index="${c}" text-anchor="middle" font-size="${num(labelSize)}"`,
          ),
        );
      }
    });
  }
  parts.push(`<g class="chart-bars">${bars.join('')}</g>`);
  // Redraw the baseline over the bars' outlines.
  parts.push(
    `<line x1="${num(layout.left)}" y1="${num(zeroY)}" x2="${num(layout.plotRight)}" y2="${num(zeroY)}" stroke="${GOVUK_COLOURS.black}" stroke-width="1"/>`,
  );
  parts.push(labels.join(''));
  if (legend) parts.push(legend.render(PAD, layout.legendY));

  return svgDocument({
    id,
    kind,
    width,
    height: layout.svgHeight,
    title: options.title,
    description: options.description,
    defs: series.map((s) => s.patternDef).join(''),
    body: parts.join(''),
    fontSize,
  });
}
