/**
 * Server-side SVG charts for CSP Hub.
 *
 * Every chart is a standalone SVG string (xmlns, width, height, viewBox, Arial,
 * no CSS or scripts) with role="img" and a <title>/<desc>, so it can be inlined
 * in a GOV.UK page or embedded in a PDF or DOCX report. A chart must always be
 * shown with its numbers as a table: build both from one spec with
 * `renderChart(spec)` and `chartTable(tableForChart(spec))`.
 */

import { defaultFormat } from './format.ts';
import { normaliseValues } from './svg.ts';
import { groupedBarChart, type GroupedBarChartOptions } from './groupedBarChart.ts';
import { horizontalBarChart, orderedBarItems, type HorizontalBarChartOptions } from './horizontalBarChart.ts';
import { DEFAULT_INTERVAL_LABEL, lineChart, usableIntervals, type LineChartOptions } from './lineChart.ts';
import { sparkline, type SparklineOptions } from './sparkline.ts';
import type { ChartTableOptions, TableColumn } from './table.ts';
import { specialCauseSides, specialCauseText, xmrChart, type XmrChartOptions } from './xmr.ts';

export { lineChart, type IntervalBar, type LineChartOptions, type LineSeries, type ReferenceLine } from './lineChart.ts';
export { groupedBarChart, type BarSeries, type GroupedBarChartOptions } from './groupedBarChart.ts';
export { horizontalBarChart, orderedBarItems, type HorizontalBarChartOptions, type HorizontalBarItem } from './horizontalBarChart.ts';
export { sparkline, sparklineLabel, type SparklineOptions } from './sparkline.ts';
export {
  specialCauseMeaning,
  specialCauseText,
  xmrChart,
  type SpecialCauseFlag,
  type SpecialCauseMeaning,
  type SpecialCauseSide,
  type XmrChartOptions,
} from './xmr.ts';
export { chartTable, type ChartTableOptions, type TableColumn } from './table.ts';
export { defaultFormat, formatNumber, formatPercent, type ValueFormatter } from './format.ts';
export { escapeXml } from './escape.ts';
export { GOVUK_COLOURS, SERIES_COLOURS, SPC_COLOURS } from './palette.ts';
export type { ChartOptions, ChartSeries, ChartTextOptions, DataValue } from './types.ts';

/** Any chart, tagged with its type: one object describes both the chart and its table. */
export type ChartSpec =
  | ({ readonly type: 'line' } & LineChartOptions)
  | ({ readonly type: 'groupedBar' } & GroupedBarChartOptions)
  | ({ readonly type: 'horizontalBar' } & HorizontalBarChartOptions)
  | ({ readonly type: 'xmr' } & XmrChartOptions)
  | ({ readonly type: 'sparkline' } & SparklineOptions);

/** Render any chart spec to SVG. */
export function renderChart(spec: ChartSpec): string {
  switch (spec.type) {
    case 'line':
      return lineChart(spec);
    case 'groupedBar':
      return groupedBarChart(spec);
    case 'horizontalBar':
      return horizontalBarChart(spec);
    case 'xmr':
      return xmrChart(spec);
    case 'sparkline':
      return sparkline(spec);
  }
}

/** Body text on GOV.UK pages from the tablet breakpoint up (px), and the chart drawn for narrower screens. */
export const PAGE_FONT_SIZE = 19;
/** A 320 px phone's column (GOV.UK's 15 px margins either side): drawn at this width, the chart is not scaled down. */
export const NARROW_WIDTH = 288;
export const NARROW_FONT_SIZE = 15;

/**
 * A chart for a web page (issue 15): charts scale with their container, so one drawing cannot keep its text readable
 * both at 640 px and on a 320 px phone. Two are drawn from the one spec: at its own width with body-size text for
 * tablets and up, and 288 units wide for phones (15 px text, value labels 13 px, squeezed labels 12 px, unscaled in
 * a 320 px phone's column); CSS shows one of them.
 */
export function renderPageChart(spec: ChartSpec): string {
  if (spec.type === 'sparkline') return renderChart(spec);
  const narrowId = spec.id ? { id: `${spec.id}-narrow` } : {};
  // Body-size text takes room from a line or XmR chart's plot: 440 rather than 360 units tall keeps it readable.
  const taller = (spec.type === 'line' || spec.type === 'xmr') && spec.height === undefined ? { height: 440 } : {};
  return (
    `<span class="app-chart__wide">${renderChart({ ...spec, ...taller, fontSize: spec.fontSize ?? PAGE_FONT_SIZE })}</span>` +
    `<span class="app-chart__narrow">${renderChart({ ...spec, ...narrowId, width: NARROW_WIDTH, fontSize: NARROW_FONT_SIZE })}</span>`
  );
}

/**
 * The table that goes with a chart: the same categories, values and
 * formatting (plus target, mean and limits where the chart draws them).
 */
export function tableForChart(spec: ChartSpec): ChartTableOptions {
  const format = spec.formatValue ?? defaultFormat;
  const base = { caption: spec.title, formatValue: format };
  switch (spec.type) {
    case 'line': {
      // Each series with error bars is followed by their limits, named as the legend names them.
      const intervalLabel = spec.intervalLabel ?? DEFAULT_INTERVAL_LABEL;
      const columns: TableColumn[] = spec.series.flatMap((s) => {
        const own = { name: s.name, values: s.values };
        // The limits the chart draws: a finite interval at a point with a value.
        const drawn = usableIntervals(s.intervals, normaliseValues(s.values, spec.categories.length));
        if (!drawn.some((b) => b)) return [own];
        const of = spec.series.length > 1 ? `${s.name}: ` : '';
        const limit = (pick: 'lower' | 'upper') => drawn.map((b) => b?.[pick] ?? null);
        return [
          own,
          { name: `${of ? `${of}lower` : 'Lower'} limit (${intervalLabel})`, values: limit('lower'), formatValue: spec.formatInterval },
          { name: `${of ? `${of}upper` : 'Upper'} limit (${intervalLabel})`, values: limit('upper'), formatValue: spec.formatInterval },
        ];
      });
      if (spec.target && Number.isFinite(spec.target.value)) {
        const target = spec.target.value;
        columns.push({ name: 'Target', values: spec.categories.map(() => target) });
      }
      return { ...base, categoryHeader: spec.categoryAxisLabel ?? 'Period', categories: spec.categories, columns };
    }
    case 'groupedBar':
      return {
        ...base,
        categoryHeader: spec.categoryAxisLabel ?? 'Category',
        categories: spec.categories,
        columns: spec.series.map((s) => ({ name: s.name, values: s.values })),
      };
    case 'horizontalBar': {
      const items = orderedBarItems(spec);
      return {
        ...base,
        categoryHeader: spec.categoryAxisLabel ?? 'Category',
        categories: items.map((item) => item.label),
        columns: [{ name: spec.seriesName ?? spec.units ?? 'Value', values: items.map((item) => item.value) }],
      };
    }
    case 'xmr': {
      const n = spec.categories.length;
      const constant = (value: number): number[] => Array.from({ length: n }, () => value);
      const sides = specialCauseSides({ ...spec, values: spec.categories.map((_, i) => spec.values[i]) });
      // With change dates, each point's own phase's mean and limits (issue 16).
      const phaseOf = (i: number) => spec.phases?.find((p) => i >= p.start && i < p.end);
      const perPoint = (pick: (p: NonNullable<XmrChartOptions['phases']>[number]) => number, value: number): number[] =>
        spec.phases && spec.phases.length > 1
          ? spec.categories.map((_, i) => {
              const p = phaseOf(i);
              return p ? pick(p) : value;
            })
          : constant(value);
      const columns: TableColumn[] = [
        { name: spec.seriesName ?? 'Value', values: spec.categories.map((_, i) => spec.values[i]) },
        { name: 'Mean', values: perPoint((p) => p.mean, spec.mean) },
        { name: 'Lower process limit', values: perPoint((p) => p.lowerLimit, spec.lowerLimit) },
        { name: 'Upper process limit', values: perPoint((p) => p.upperLimit, spec.upperLimit) },
      ];
      if (spec.target && Number.isFinite(spec.target.value)) columns.push({ name: 'Target', values: constant(spec.target.value) });
      columns.push({
        name: 'Variation',
        values: sides.map((side, i) =>
          side
            ? specialCauseText(side, spec.improvement)
            : typeof spec.values[i] === 'number' && Number.isFinite(spec.values[i])
              ? 'Common cause'
              : undefined,
        ),
      });
      if ((spec.phases?.length ?? 0) > 1 || (spec.annotations?.length ?? 0) > 0)
        columns.push({
          name: 'Change dates, exclusions and notes',
          values: spec.categories.map((_, i) => {
            const texts = [
              ...(spec.phases ?? [])
                .slice(1)
                .filter((p) => p.start === i)
                .map((p) => p.title),
              ...(spec.annotations ?? []).filter((a) => a.index === i).map((a) => a.title),
            ];
            return texts.length ? texts.join('. ') : undefined;
          }),
        });
      return { ...base, categoryHeader: spec.categoryAxisLabel ?? 'Period', categories: spec.categories, columns };
    }
    case 'sparkline': {
      const categories = spec.values.map((_, i) => spec.categories?.[i] ?? `Value ${i + 1}`);
      const columns: TableColumn[] = [{ name: 'Value', values: spec.values }];
      if (typeof spec.target === 'number' && Number.isFinite(spec.target)) {
        const target = spec.target;
        columns.push({ name: 'Target', values: spec.values.map(() => target) });
      }
      return { ...base, categoryHeader: 'Period', categories, columns };
    }
  }
}
