/** 'Nice' axis ticks and linear scales. */

export interface NiceScale {
  /** Lowest tick (the axis minimum). */
  readonly min: number;
  /** Highest tick (the axis maximum). */
  readonly max: number;
  /** Distance between ticks: 1, 2, 2.5 or 5 x 10^n. */
  readonly step: number;
  /** Tick values from min to max inclusive. */
  readonly ticks: readonly number[];
  /** Decimal places needed to print every tick exactly. */
  readonly decimals: number;
}

export interface NiceTicksOptions {
  /** Roughly how many ticks are wanted (default 5). */
  readonly count?: number;
  /** Only allow whole-number steps (for counts). */
  readonly integer?: boolean;
}

const NICE_FRACTIONS = [1, 2, 2.5, 5, 10] as const;

/** Round to a fixed number of decimal places, avoiding floating point noise. */
function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const r = Math.round(value * factor) / factor;
  return Object.is(r, -0) ? 0 : r;
}

/** Decimal places needed to print multiples of `step` exactly. */
export function decimalsForStep(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  for (let d = 0; d <= 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 12;
}

/** The smallest nice step (1, 2, 2.5, 5 x 10^n) that is at least `rough`. */
export function niceStep(rough: number, integer = false): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const exponent = Math.floor(Math.log10(rough));
  const magnitude = 10 ** exponent;
  const fraction = rough / magnitude;
  let chosen: number = NICE_FRACTIONS[NICE_FRACTIONS.length - 1] ?? 10;
  for (const candidate of NICE_FRACTIONS) {
    if (candidate >= fraction - 1e-9) {
      chosen = candidate;
      break;
    }
  }
  let step = roundTo(chosen * magnitude, Math.max(0, -exponent + 1));
  if (integer) {
    if (step < 1) step = 1;
    // 2.5 is not a whole number: fall back to 2 (a few more ticks, still nice).
    else if (!Number.isInteger(step)) step = Math.floor(step);
  }
  return step;
}

/**
 * Compute nice ticks covering [min, max].
 *
 * niceTicks(0, 173) -> ticks 0, 50, 100, 150, 200.
 */
export function niceTicks(min: number, max: number, options: NiceTicksOptions = {}): NiceScale {
  const count = Math.max(2, Math.floor(options.count ?? 5));
  const integer = options.integer ?? false;
  let lo = Number.isFinite(min) ? min : 0;
  let hi = Number.isFinite(max) ? max : 0;
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    if (lo === 0) {
      hi = 1;
    } else {
      const pad = Math.abs(lo) * 0.1;
      lo -= pad;
      hi += pad;
      // Do not let padding push an all-positive (or all-negative) range across zero.
      if (min >= 0 && lo < 0) lo = 0;
      if (max <= 0 && hi > 0) hi = 0;
    }
  }
  const step = niceStep((hi - lo) / (count - 1), integer);
  const decimals = decimalsForStep(step);
  const first = Math.floor(roundTo(lo / step, 9)) * step;
  const last = Math.ceil(roundTo(hi / step, 9)) * step;
  const intervals = Math.max(1, Math.round((last - first) / step));
  const ticks: number[] = [];
  for (let i = 0; i <= intervals; i++) ticks.push(roundTo(first + i * step, decimals));
  return {
    min: ticks[0] ?? 0,
    max: ticks[ticks.length - 1] ?? 1,
    step,
    ticks,
    decimals,
  };
}

/** A linear mapping from a data domain to a pixel range. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  if (span === 0) return () => (r0 + r1) / 2;
  return (value: number) => r0 + ((value - d0) / span) * (r1 - r0);
}
