/**
 * Internal helpers shared by the domain modules (not part of the public API in index.ts).
 *
 * The checks throw a TypeError or RangeError whose message names the offending argument, so a bad
 * figure is caught where it enters a calculation rather than turning into NaN further on.
 */

/** Throws a TypeError unless `value` is a finite number. */
export function assertFinite(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${name} must be a finite number (got ${String(value)})`);
  }
}

/** Throws unless `value` is a finite number of zero or more. */
export function assertNonNegative(name: string, value: number): void {
  assertFinite(name, value);
  if (value < 0) {
    throw new RangeError(`${name} must not be negative (got ${value})`);
  }
}

/** Throws unless `value` is a finite number greater than zero. */
export function assertPositive(name: string, value: number): void {
  assertFinite(name, value);
  if (value <= 0) {
    throw new RangeError(`${name} must be greater than zero (got ${value})`);
  }
}

/** Throws unless `value` is a whole number of zero or more (a count of events). */
export function assertCount(name: string, value: number): void {
  assertNonNegative(name, value);
  if (!Number.isInteger(value)) {
    throw new RangeError(`${name} must be a whole-number count (got ${value})`);
  }
}

/** Throws unless `value` lies between 0 and 1 inclusive (a probability). */
export function assertProbability(name: string, value: number): void {
  assertFinite(name, value);
  if (value < 0 || value > 1) {
    throw new RangeError(`${name} must be between 0 and 1 (got ${value})`);
  }
}

/**
 * Throws unless `value` lies strictly between 0 and 1: a confidence level such as 0.95 or a
 * significance level such as 0.05.
 */
export function assertLevel(name: string, value: number): void {
  assertFinite(name, value);
  if (value <= 0 || value >= 1) {
    throw new RangeError(`${name} must be strictly between 0 and 1, e.g. 0.95 or 0.05 (got ${value})`);
  }
}

/**
 * Remove the noise that binary floating point leaves after arithmetic on decimal figures, by reading
 * the value to 12 significant figures: 152 - 170.1 gives -18.099999999999994, tidied to -18.1.
 * Published figures never carry more than 12 significant figures, so nothing real is lost.
 */
export function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

/**
 * A figure as reports print it: tidied (see {@link tidy}) with thousands separators,
 * e.g. 1654 -> '1,654', 2.0199999999999996 -> '2.02', 17.5 -> '17.5'.
 */
export function formatFigure(value: number): string {
  const [whole, fraction] = String(Math.abs(tidy(value))).split('.') as [string, string | undefined];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}
