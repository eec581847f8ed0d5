/** Number formatting shared by charts and their companion tables (en-GB). */

const formatters = new Map<number, Intl.NumberFormat>();

function formatterFor(maxFractionDigits: number): Intl.NumberFormat {
  let formatter = formatters.get(maxFractionDigits);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-GB', {
      maximumFractionDigits: maxFractionDigits,
      minimumFractionDigits: 0,
    });
    formatters.set(maxFractionDigits, formatter);
  }
  return formatter;
}

/**
 * Format a number with en-GB thousands separators, e.g. 12345.678 -> "12,345.68".
 * Negative zero is shown as "0"; negative numbers use a hyphen-minus.
 */
export function formatNumber(value: number, maxFractionDigits = 2): string {
  const v = Object.is(value, -0) ? 0 : value;
  const text = formatterFor(Math.max(0, Math.min(20, Math.floor(maxFractionDigits)))).format(v);
  return text === '-0' ? '0' : text;
}

/** Format a value that is already a percentage, e.g. 12.5 -> "12.5%". */
export function formatPercent(value: number, maxFractionDigits = 1): string {
  return `${formatNumber(value, maxFractionDigits)}%`;
}

/** A function that turns a data value into display text. */
export type ValueFormatter = (value: number) => string;

/** The formatter used when a chart is given none. */
export const defaultFormat: ValueFormatter = (value) => formatNumber(value, 2);

/** Round a coordinate to 2 decimal places and print it without trailing zeros. */
export function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}
