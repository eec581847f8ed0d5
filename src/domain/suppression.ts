/**
 * Small-number suppression (statistical disclosure control) for public outputs.
 *
 * Primary suppression: a count from 1 up to one below the partnership's threshold (default 5) is shown as
 * "<5" (or "<threshold"), never as itself. Zero is shown as "0": a zero describes nobody, and hiding it would
 * make "<5" ambiguous about whether anything happened at all. (The project's statistics reference, not kept in
 * this repository, asks for primary suppression below a threshold and says nothing about zeros.)
 *
 * Secondary suppression: a suppressed cell must not be worked back from its group's total. This module
 * suppresses the TOTAL (shown as "[c]", the Office for National Statistics' mark for a confidential figure)
 * whenever any cell of the group is suppressed, rather than suppressing the next smallest cell. The reason is
 * that the "next smallest cell" rule still lets someone who knows the rule work values back: in [1, 5] with
 * total 6 the hidden pair must be a count of 1-4 and a count of at least 5, so it can only be 1 and 5; in
 * [3, 5, 5] the hidden 5 cannot exceed the visible 5, which pins the 3; in [1, 1, 50] the two "<5" cells sum to
 * 2 and so are both 1. With the total withheld no sum is known, every suppressed cell could be any of 1 to
 * threshold - 1, and the visible cells are shown as they are. The unit tests check this by brute force over
 * every small table, assuming the reader knows this rule.
 *
 * The results hold display strings and flags only, never the suppressed values, so a page built from them
 * cannot leak a value by accident.
 */

import { assertCount } from './validation.ts';

/** The threshold a partnership starts with: counts of 1 to 4 are shown as "<5". */
export const DEFAULT_SUPPRESSION_THRESHOLD = 5;
/** The smallest threshold that protects anything: with 2, "<2" could only mean 1. */
export const MIN_SUPPRESSION_THRESHOLD = 3;
/** The largest threshold a partnership may set. */
export const MAX_SUPPRESSION_THRESHOLD = 100;
/** Shown in place of a figure withheld so that a suppressed count cannot be worked back (secondary suppression). */
export const SECONDARY_SUPPRESSION_MARK = '[c]';

/** Why a figure is not shown: a small count itself (primary), or to protect one (secondary). */
export type SuppressionReason = 'primary' | 'secondary';

/** One figure as it may be published. */
export interface SuppressedFigure {
  /** What to print: the count, "<threshold" or "[c]". */
  readonly display: string;
  readonly suppressed: SuppressionReason | null;
}

/** A group of counts (a row or column of a table) and its total, as they may be published. */
export interface SuppressedGroup {
  readonly cells: readonly SuppressedFigure[];
  readonly total: SuppressedFigure;
  /** Whether anything in the group, cells or total, is withheld. */
  readonly anySuppressed: boolean;
}

export interface SuppressionOptions {
  /** Counts from 1 to threshold - 1 are suppressed (default {@link DEFAULT_SUPPRESSION_THRESHOLD}). */
  readonly threshold?: number;
}

/** True for a whole number from {@link MIN_SUPPRESSION_THRESHOLD} to {@link MAX_SUPPRESSION_THRESHOLD}. */
export function isValidSuppressionThreshold(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_SUPPRESSION_THRESHOLD && value <= MAX_SUPPRESSION_THRESHOLD;
}

function thresholdOf(options: SuppressionOptions): number {
  const threshold = options.threshold ?? DEFAULT_SUPPRESSION_THRESHOLD;
  if (!isValidSuppressionThreshold(threshold)) {
    throw new RangeError(
      `threshold must be a whole number from ${MIN_SUPPRESSION_THRESHOLD} to ${MAX_SUPPRESSION_THRESHOLD} (got ${String(threshold)})`,
    );
  }
  return threshold;
}

function formatCount(count: number): string {
  return count.toLocaleString('en-GB');
}

/**
 * Primary suppression of one count: 1 to threshold - 1 gives "<threshold"; 0 and counts at or above the
 * threshold are shown (with thousands separators). Throws unless the count is a whole number of 0 or more.
 */
export function suppressCount(count: number, options: SuppressionOptions = {}): SuppressedFigure {
  assertCount('count', count);
  const threshold = thresholdOf(options);
  if (count >= 1 && count < threshold) return { display: `<${threshold}`, suppressed: 'primary' };
  return { display: formatCount(count), suppressed: null };
}

/**
 * Suppression for a group of counts with a total (the total is their sum): primary suppression of each cell,
 * and when any cell is suppressed the total is withheld too ("[c]", secondary) so that the suppressed cells
 * cannot be worked back from it. An empty group has a total of 0.
 */
export function suppressGroup(counts: readonly number[], options: SuppressionOptions = {}): SuppressedGroup {
  counts.forEach((c, i) => assertCount(`counts[${i}]`, c));
  const threshold = thresholdOf(options);
  const cells = counts.map((c) => suppressCount(c, { threshold }));
  const anyCell = cells.some((c) => c.suppressed !== null);
  const sum = counts.reduce((a, b) => a + b, 0);
  const total: SuppressedFigure = anyCell
    ? { display: SECONDARY_SUPPRESSION_MARK, suppressed: 'secondary' }
    : suppressCount(sum, { threshold });
  return { cells, total, anySuppressed: anyCell || total.suppressed !== null };
}
