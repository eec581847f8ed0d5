/** A wrapping horizontal legend. */

import { textElement } from './svg.ts';
import { textWidth, truncateText } from './text.ts';

export interface LegendItem {
  readonly label: string;
  /** Draw the key symbol in the box (x, y, swatchWidth, SWATCH_HEIGHT). */
  readonly swatch: (x: number, y: number) => string;
  /** Width of the key symbol's box (default SWATCH_WIDTH); narrower for a lone marker. */
  readonly swatchWidth?: number;
}

export const SWATCH_WIDTH = 28;
export const SWATCH_HEIGHT = 14;
const SWATCH_GAP = 8;
const ITEM_GAP = 20;

export interface LegendLayout {
  readonly height: number;
  render(x: number, y: number): string;
}

/** Lay out legend items in rows no wider than `maxWidth`. */
export function layoutLegend(items: readonly LegendItem[], maxWidth: number, fontSize: number): LegendLayout {
  const rowHeight = Math.max(SWATCH_HEIGHT, fontSize) + 8;
  const placed: { item: LegendItem; label: string; dx: number; row: number; swatchWidth: number }[] = [];
  let row = 0;
  let cursor = 0;
  for (const item of items) {
    const swatchWidth = item.swatchWidth ?? SWATCH_WIDTH;
    const label = truncateText(item.label, Math.max(40, maxWidth - swatchWidth - SWATCH_GAP), fontSize);
    const itemWidth = swatchWidth + SWATCH_GAP + textWidth(label, fontSize);
    if (cursor > 0 && cursor + itemWidth > maxWidth) {
      row++;
      cursor = 0;
    }
    placed.push({ item, label, dx: cursor, row, swatchWidth });
    cursor += itemWidth + ITEM_GAP;
  }
  const height = items.length === 0 ? 0 : (row + 1) * rowHeight;
  return {
    height,
    render(x: number, y: number): string {
      if (placed.length === 0) return '';
      const parts = placed.map(({ item, label, dx, row: r, swatchWidth }) => {
        const top = y + r * rowHeight + (rowHeight - SWATCH_HEIGHT) / 2;
        const baseline = y + r * rowHeight + rowHeight / 2 + fontSize * 0.35;
        return (
          `<g class="chart-legend-item">${item.swatch(x + dx, top)}` +
          `${textElement(x + dx + swatchWidth + SWATCH_GAP, baseline, label)}</g>`
        );
      });
      return `<g class="chart-legend">${parts.join('')}</g>`;
    },
  };
}
