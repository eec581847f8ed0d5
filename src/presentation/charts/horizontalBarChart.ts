/**
 * Horizontal bar chart for one measure across named items, ranked by default
 * (e.g. crime counts by crime type). Every bar is labelled with its value.
 */

import { defaultFormat, num } from './format.ts';
import { GOVUK_COLOURS, SERIES_COLOURS } from './palette.ts';
import { linearScale } from './scale.ts';
import { AXIS_COLOUR, chartId, emptyChart, multilineText, SECONDARY_TEXT_COLOUR, svgDocument, textElement } from './svg.ts';
import { textWidth, truncateText, wrapText } from './text.ts';
import { DEFAULT_FONT_SIZE, DEFAULT_WIDTH, PAD, sizeOr, toValue, type ChartOptions, type DataValue } from './types.ts';

export interface HorizontalBarItem {
  readonly label: string;
  readonly value: DataValue;
  /** Emphasise this bar (darker colour, bold label), e.g. "This partnership". */
  readonly highlight?: boolean;
}

export interface HorizontalBarChartOptions extends ChartOptions {
  readonly items: readonly HorizontalBarItem[];
  /** Order of the bars: 'descending' (default, largest first), 'ascending' or 'none' (as given). Missing values go last. */
  readonly sort?: 'descending' | 'ascending' | 'none';
  /** Bar colour (default dark blue). */
  readonly colour?: string;
  /** Colour of highlighted bars (default dark pink). */
  readonly highlightColour?: string;
  /** Name of the measure, used as the table's value column header (default: units, or 'Value'). */
  readonly seriesName?: string;
  /** Header of the label column in the table (default 'Category'). */
  readonly categoryAxisLabel?: string;
}

/** Text drawn where a value is missing. */
export const MISSING_VALUE_TEXT = 'No data';

/** The items in the order they are drawn (and tabulated). */
export function orderedBarItems(options: Pick<HorizontalBarChartOptions, 'items' | 'sort'>): HorizontalBarItem[] {
  const items = [...options.items];
  const sort = options.sort ?? 'descending';
  if (sort === 'none') return items;
  const sign = sort === 'descending' ? -1 : 1;
  // Array.prototype.sort is stable, so ties keep their given order.
  return items.sort((a, b) => {
    const va = toValue(a.value);
    const vb = toValue(b.value);
    if (va === null || vb === null) return (va === null ? 1 : 0) - (vb === null ? 1 : 0);
    return sign * (va - vb);
  });
}

/** Render a horizontal bar chart as an SVG string. */
export function horizontalBarChart(options: HorizontalBarChartOptions): string {
  const kind = 'horizontal-bar';
  const width = sizeOr(options.width, DEFAULT_WIDTH, 200);
  const fontSize = sizeOr(options.fontSize, DEFAULT_FONT_SIZE, 6);
  const id = chartId(kind, options);
  const format = options.formatValue ?? defaultFormat;
  const items = orderedBarItems(options);
  const values = items.map((item) => toValue(item.value));
  const present = values.filter((v): v is number => v !== null);
  if (items.length === 0 || present.length === 0) return emptyChart(kind, id, options, width, fontSize);

  const colour = options.colour ?? SERIES_COLOURS[0] ?? GOVUK_COLOURS.blue;
  const highlightColour = options.highlightColour ?? SERIES_COLOURS[2] ?? GOVUK_COLOURS.pink;
  const lineHeight = Math.round(fontSize * 1.2);

  // Label column: wrap onto two lines, then truncate, within 40% of the width.
  const maxLabelWidth = Math.max(60, width * 0.4);
  const labelLines = items.map((item) => {
    const wrapped = wrapText(item.label, maxLabelWidth, fontSize, 2);
    return wrapped ?? [truncateText(item.label, maxLabelWidth, fontSize)];
  });
  const labelWidth = Math.max(...labelLines.flat().map((l) => textWidth(l, fontSize)));
  const valueText = values.map((v) => (v === null ? MISSING_VALUE_TEXT : format(v)));
  const valueWidth = Math.max(...valueText.map((t) => textWidth(t, fontSize))) + 6;

  let top = PAD;
  const unitsY = top + fontSize;
  if (options.units) top += lineHeight + 10;
  const maxLines = Math.max(...labelLines.map((l) => l.length));
  const minRow = Math.max(fontSize * 2, maxLines * lineHeight + 8);
  const height = sizeOr(options.height, top + items.length * minRow + PAD, 60);
  const rowHeight = Math.max(minRow, (height - top - PAD) / items.length);
  const svgHeight = Math.max(height, top + rowHeight * items.length + PAD);
  const barThickness = Math.min(rowHeight * 0.7, fontSize * 2.4);

  const lo = Math.min(0, ...present);
  const hi = Math.max(0, ...present);
  const negatives = lo < 0;
  const plotLeft = PAD + labelWidth + 10 + (negatives ? valueWidth : 0);
  const plotRight = width - PAD - valueWidth;
  const x = linearScale([lo, hi === lo ? lo + 1 : hi], [plotLeft, Math.max(plotLeft + 20, plotRight)]);
  const zeroX = x(0);

  const parts: string[] = [];
  items.forEach((item, i) => {
    const rowTop = top + i * rowHeight;
    const mid = rowTop + rowHeight / 2;
    const v = values[i] ?? null;
    const lines = labelLines[i] ?? [];
    const firstBaseline = mid - ((lines.length - 1) * lineHeight) / 2 + fontSize * 0.35;
    const emphasis = item.highlight ? ' font-weight="bold"' : '';
    parts.push(
      multilineText(
        PAD + labelWidth,
        firstBaseline,
        lines,
        lineHeight,
        `class="chart-category-label" data-index="${i}" text-anchor="end"${emphasis}`,
      ),
    );
    const text = valueText[i] ?? '';
    if (v === null) {
      parts.push(
        textElement(zeroX + 6, mid + fontSize * 0.35, text, `class="chart-missing" data-index="${i}" fill="${SECONDARY_TEXT_COLOUR}"`),
      );
      return;
    }
    const end = x(v);
    const fill = item.highlight ? highlightColour : colour;
    parts.push(
      `<rect class="chart-bar${item.highlight ? ' chart-bar--highlight' : ''}" data-index="${i}" data-value="${v}" x="${num(Math.min(end, zeroX))}" y="${num(mid - barThickness / 2)}" width="${num(Math.abs(end - zeroX))}" height="${num(barThickness)}" fill="${fill}"/>`,
    );
    const labelX = v >= 0 ? end + 6 : end - 6;
    parts.push(
      textElement(
        labelX,
        mid + fontSize * 0.35,
        text,
        `class="chart-value-label" data-index="${i}"${v < 0 ? ' text-anchor="end"' : ''}${emphasis}`,
      ),
    );
  });
  const axisTop = top;
  const axisBottom = top + rowHeight * items.length;
  parts.push(
    `<line class="chart-axis" x1="${num(zeroX)}" y1="${num(axisTop)}" x2="${num(zeroX)}" y2="${num(axisBottom)}" stroke="${AXIS_COLOUR}" stroke-width="1"/>`,
  );
  if (options.units) {
    parts.push(
      textElement(
        PAD,
        unitsY,
        truncateText(options.units, width - 2 * PAD, fontSize),
        'class="chart-axis-label chart-axis-label--value" font-weight="bold"',
      ),
    );
  }

  return svgDocument({
    id,
    kind,
    width,
    height: svgHeight,
    title: options.title,
    description: options.description,
    body: parts.join(''),
    fontSize,
  });
}
