/**
 * Trajectories: how partnerships spread an annual target over the months or quarters of the financial year, so
 * that the year to date can be judged against where the year should have got to by then ("on trajectory"), not
 * only against the projected year end. Three profiles:
 * - even: the same share each period (a twelfth of the year each month, a quarter each quarter);
 * - custom: the partnership's own share for each period, as percentages of the year that add up to 100;
 * - seasonal: the shape of the indicator's own earlier complete financial years (up to three, as the year-end
 *   projection uses), each period's share being its total over those years divided by their grand total.
 * Pure: the performance calculation hands in the figures.
 */
import { ragForTarget } from './rag.ts';
import type { Rag, ResolvedTarget } from './types.ts';
import { tidy } from './validation.ts';

export const TRAJECTORY_PROFILES = ['even', 'custom', 'seasonal'] as const;
export type TrajectoryProfile = (typeof TRAJECTORY_PROFILES)[number];

/** An indicator's trajectory setting: the profile, and the percentages of a custom one (4 or 12, adding to 100). */
export interface TrajectorySetting {
  profile: TrajectoryProfile;
  /** Percentages of the year, period by period from April (or Q1); only for 'custom'. */
  custom?: readonly number[];
}

export const TRAJECTORY_LABELS: Record<TrajectoryProfile, string> = {
  even: 'Even through the year',
  custom: 'Our own share for each period',
  seasonal: 'The shape of earlier years',
};

/**
 * Why a custom profile cannot be used for periods of this length, or null when it can: it needs one percentage
 * per period of the year (12 monthly, 4 quarterly), none below zero, adding up to 100 (to within 0.05, so that
 * twelve shares of 8.33 are accepted).
 */
export function customProfileProblem(percentages: readonly number[], periodsPerYear: number): string | null {
  if (percentages.length !== periodsPerYear)
    return `needs ${periodsPerYear} percentages, one for each ${periodsPerYear === 12 ? 'month' : 'quarter'} of the year (got ${percentages.length})`;
  if (percentages.some((p) => !Number.isFinite(p) || p < 0)) return 'has a percentage below zero or not a number';
  const total = percentages.reduce((s, p) => s + p, 0);
  if (Math.abs(total - 100) > 0.05) return `adds up to ${tidy(total)}%, not 100%`;
  return null;
}

/**
 * Each period's share of the year as a fraction (the shares add up to 1), or the reason there is none. `earlierYears`
 * are complete earlier financial years of figures, period by period (for the seasonal profile).
 */
export function trajectoryShares(
  setting: TrajectorySetting,
  periodsPerYear: number,
  earlierYears: readonly (readonly number[])[] = [],
): { shares: number[] } | { reason: string } {
  if (setting.profile === 'even') return { shares: Array.from({ length: periodsPerYear }, () => 1 / periodsPerYear) };
  if (setting.profile === 'custom') {
    const custom = setting.custom ?? [];
    const problem = customProfileProblem(custom, periodsPerYear);
    if (problem) return { reason: `The trajectory's own shares cannot be used: the list ${problem}` };
    const total = custom.reduce((s, p) => s + p, 0);
    return { shares: custom.map((p) => p / total) };
  }
  const complete = earlierYears.filter((y) => y.length === periodsPerYear);
  if (complete.length === 0) return { reason: 'No complete earlier financial year of figures to take the seasonal shape from' };
  if (complete.some((y) => y.some((v) => v < 0))) return { reason: 'The seasonal shape is not taken from figures below zero' };
  const byPeriod = Array.from({ length: periodsPerYear }, (_, i) => complete.reduce((s, y) => s + y[i]!, 0));
  const total = byPeriod.reduce((s, v) => s + v, 0);
  if (total === 0) return { reason: 'The earlier years total zero, so they give no seasonal shape' };
  return { shares: byPeriod.map((v) => v / total) };
}

/** The share of the year due by the end of the period at `position` (0 for April or Q1). */
export function shareToDate(shares: readonly number[], position: number): number {
  if (!Number.isInteger(position) || position < 0 || position >= shares.length)
    throw new RangeError(`A period position must be from 0 to ${shares.length - 1} (got ${position})`);
  return tidy(shares.slice(0, position + 1).reduce((s, v) => s + v, 0));
}

export interface TrajectoryJudgement {
  profile: TrajectoryProfile;
  /** The fraction of the year due by the end of this period. */
  shareToDate: number;
  /** The annual target's threshold times the share to date: where the year to date should be. */
  toDate: number;
  yearToDate: number;
  comparison: ResolvedTarget['comparison'];
  met: boolean;
  rag: Rag;
}

/**
 * The year to date judged against the trajectory to date: the annual target's threshold scaled by the share of the
 * year due so far, with the same amber tolerance as the target itself. A reduction target of 161.5 a year (Rochford's
 * burglary, 170 less 5%) profiled evenly by quarter expects at most 80.75 by the end of Q2.
 */
export function judgeTrajectory(
  yearToDate: number,
  annual: ResolvedTarget,
  shares: readonly number[],
  position: number,
  setting: TrajectorySetting,
  tolerancePercent: number,
): TrajectoryJudgement {
  const share = shareToDate(shares, position);
  const toDate = tidy(annual.threshold * share);
  const rag = ragForTarget(yearToDate, { threshold: toDate, comparison: annual.comparison }, { tolerancePercent })!;
  return {
    profile: setting.profile,
    shareToDate: share,
    toDate,
    yearToDate,
    comparison: annual.comparison,
    met: rag === 'green',
    rag,
  };
}
