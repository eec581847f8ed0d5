/**
 * Targets as CSP plans write them, and how to turn them into a number to compare with.
 *
 * Examples from real published CSP plans (the shared seed documents):
 * - "Reduce Domestic Burglary by 5% during 2009/2010" (Rochford): percentage change from a baseline.
 * - "Increase the level of reported domestic violence ... by 22.5% by 2009/10 (Baseline: 71)" (Rutland).
 * - "Reduce the number of first time entrants ... by 3 by 2009/10 (Baseline: 35)" (Rutland): amount change.
 * - "To increase the percentage of people participating in the Pass Plus scheme to 40% by 2010/11" (Rutland): absolute.
 * - "4443 (17.5 per 1000 population)" (Rotherham): a rate per population.
 * - "limit the number of children killed or seriously injured ... to no more than one between 2008 and 2011"
 *   (Rutland): a cumulative limit over a span.
 * - "Target to be agreed" (Rutland): no target yet.
 */

import { countFromRate } from './change.ts';
import { formatPeriodLabel, monthsBetween, totalOverMonths, type MonthsTotal } from './periods.ts';
import type { Comparison, Polarity, RateBase, ResolvedTarget } from './types.ts';
import { assertFinite, assertNonNegative, assertPositive, formatFigure, tidy } from './validation.ts';

/** Which way a change target asks the figure to move. */
export type TargetDirection = 'reduce' | 'increase';

/**
 * A figure to reach, e.g. "to increase ... Pass Plus ... to 40% by 2010/11". Which side of it is good
 * comes from the indicator's polarity unless `comparison` says otherwise.
 */
export interface AbsoluteTarget {
  readonly kind: 'absolute';
  readonly value: number;
  /** Period key by which the target applies (e.g. '2010/11'); used in wording only. */
  readonly by?: string;
  readonly comparison?: Comparison;
}

/** "Reduce by 5% during 2009/10", "increase by 22.5% by 2009/10": a percentage of the baseline. */
export interface PercentageChangeTarget {
  readonly kind: 'percentage_change';
  readonly direction: TargetDirection;
  /** The percentage, as a positive number (5 for "by 5%"). */
  readonly percent: number;
  /** Period key by which the target applies; used in wording only. */
  readonly by?: string;
}

/**
 * "Reduce ... by 3": a fixed amount from the baseline. Also use this for a change in percentage
 * points of a survey measure (baseline 12%, "reduce by 3.3 points" -> 8.7%).
 */
export interface AmountChangeTarget {
  readonly kind: 'amount_change';
  readonly direction: TargetDirection;
  readonly amount: number;
  /** Period key by which the target applies; used in wording only. */
  readonly by?: string;
}

/**
 * "17.5 per 1,000 population" for an indicator recorded as a count: resolved to a count using the
 * population. (If the indicator is itself recorded as a rate, use an absolute target instead.)
 */
export interface RateTarget {
  readonly kind: 'rate';
  readonly rate: number;
  readonly per: RateBase;
  /** Period key by which the target applies; used in wording only. */
  readonly by?: string;
  readonly comparison?: Comparison;
}

/**
 * "No more than one between 2008 and 2011": a ceiling on the total over a span of months
 * (from and to are month keys, inclusive). Compare the {@link cumulativeTotal} over the span with it.
 */
export interface CumulativeLimitTarget {
  readonly kind: 'cumulative_limit';
  readonly maximum: number;
  readonly from: string;
  readonly to: string;
}

/** Maintain performance: no worse than the baseline. */
export interface MaintainTarget {
  readonly kind: 'maintain';
  /** Period key by which the target applies; used in wording only. */
  readonly by?: string;
  readonly comparison?: Comparison;
}

/** "Target to be agreed": there is no target, so no RAG. */
export interface ToBeAgreedTarget {
  readonly kind: 'to_be_agreed';
  readonly note?: string;
}

/** A target as a plan states it; {@link resolveTarget} turns it into a number to compare with. */
export type Target =
  AbsoluteTarget | PercentageChangeTarget | AmountChangeTarget | RateTarget | CumulativeLimitTarget | MaintainTarget | ToBeAgreedTarget;

/** What {@link resolveTarget} needs to know about the indicator besides the target itself. */
export interface TargetContext {
  readonly polarity: Polarity;
  /** Baseline figure; required for percentage_change, amount_change and maintain targets. */
  readonly baseline?: number;
  /** Population; required for rate targets. */
  readonly population?: number;
  /**
   * Whether the indicator's figures may be below zero (a score or money: a net change, a balance). Then an absolute
   * target, a baseline and the threshold of an amount change or a maintain target may be below zero too; a
   * percentage change stays measured from a baseline of 0 or more.
   */
  readonly signed?: boolean;
}

function comparisonFromPolarity(polarity: Polarity, explicit?: Comparison): Comparison | null {
  if (explicit) return explicit;
  if (polarity === 'lower_is_better') return 'at_most';
  if (polarity === 'higher_is_better') return 'at_least';
  return null;
}

function requireBaseline(target: Target, baseline: number | undefined, signed = false): number {
  if (baseline === undefined) {
    throw new RangeError(`A ${target.kind.replace('_', ' ')} target needs a baseline figure`);
  }
  if (!signed || target.kind === 'percentage_change') assertNonNegative('baseline', baseline);
  else assertFinite('baseline', baseline);
  return baseline;
}

/**
 * Turn a target into the numeric threshold the actual figure must reach, and which side of it is good.
 * "Reduce by 5%" on a baseline of 170 gives { threshold: 161.5, comparison: 'at_most' }.
 *
 * Returns null when there is nothing to assess: a 'to be agreed' target, or an absolute / rate /
 * maintain target on a monitor-only indicator with no explicit comparison.
 * Throws a RangeError when the target cannot be resolved (missing baseline or population,
 * a reduction of more than 100%, or a reduction below zero).
 */
export function resolveTarget(target: Target, context: TargetContext): ResolvedTarget | null {
  switch (target.kind) {
    case 'to_be_agreed':
      return null;
    case 'absolute': {
      if (context.signed) assertFinite('target value', target.value);
      else assertNonNegative('target value', target.value);
      const comparison = comparisonFromPolarity(context.polarity, target.comparison);
      return comparison ? { threshold: target.value, comparison } : null;
    }
    case 'percentage_change': {
      const baseline = requireBaseline(target, context.baseline);
      assertNonNegative('target percent', target.percent);
      if (target.direction === 'reduce' && target.percent > 100) {
        throw new RangeError(`Cannot reduce by more than 100% (got ${target.percent}%)`);
      }
      // (100 - 5) / 100 rather than 1 - 0.05, so that 170 reduced by 5% is exactly 161.5.
      const factorPercent = target.direction === 'reduce' ? 100 - target.percent : 100 + target.percent;
      return {
        threshold: tidy((baseline * factorPercent) / 100),
        comparison: target.direction === 'reduce' ? 'at_most' : 'at_least',
      };
    }
    case 'amount_change': {
      const baseline = requireBaseline(target, context.baseline, context.signed);
      assertNonNegative('target amount', target.amount);
      const threshold = tidy(target.direction === 'reduce' ? baseline - target.amount : baseline + target.amount);
      if (threshold < 0 && !context.signed) {
        throw new RangeError(`Reducing ${baseline} by ${target.amount} would go below zero`);
      }
      return { threshold, comparison: target.direction === 'reduce' ? 'at_most' : 'at_least' };
    }
    case 'rate': {
      if (context.population === undefined) {
        throw new RangeError('A rate target needs the population to convert the rate into a count');
      }
      assertPositive('population', context.population);
      const comparison = comparisonFromPolarity(context.polarity, target.comparison);
      return comparison ? { threshold: tidy(countFromRate(target.rate, context.population, target.per)), comparison } : null;
    }
    case 'cumulative_limit': {
      assertNonNegative('maximum', target.maximum);
      monthsBetween(target.from, target.to); // validates the span
      return { threshold: target.maximum, comparison: 'at_most' };
    }
    case 'maintain': {
      const baseline = requireBaseline(target, context.baseline, context.signed);
      const comparison = comparisonFromPolarity(context.polarity, target.comparison);
      return comparison ? { threshold: baseline, comparison } : null;
    }
  }
}

/**
 * Whether an actual figure meets a resolved target. On the threshold counts as met, compared after
 * removing floating-point noise so that 86.975 meets a threshold computed as 86.97500000000001.
 */
export function meetsTarget(actual: number, target: ResolvedTarget): boolean {
  assertFinite('actual', actual);
  assertFinite('target threshold', target.threshold);
  const a = tidy(actual);
  const t = tidy(target.threshold);
  return target.comparison === 'at_most' ? a <= t : a >= t;
}

/**
 * Fraction of the required change achieved so far: (current - baseline) / (threshold - baseline).
 * 1 means exactly on target, above 1 means beyond it, 0 means no movement and a negative value
 * means movement in the wrong direction. Rochford's burglary (170 -> 152 against 161.5) is 2.12.
 * Returns null when the target required no change (threshold equals baseline, e.g. a maintain
 * target): progress is then not meaningful and the RAG status should be used instead.
 */
export function progressToTarget(baseline: number, current: number, target: ResolvedTarget): number | null {
  assertFinite('baseline', baseline);
  assertFinite('current', current);
  const required = target.threshold - baseline;
  if (required === 0) return null;
  const progress = (current - baseline) / required;
  return progress === 0 ? 0 : progress; // never -0
}

/**
 * Total of monthly figures over a span of months (inclusive), for checking a cumulative limit such as
 * "no more than one between 2008 and 2011". Months without a recorded figure are listed in
 * `missingMonths` rather than silently treated as zero.
 */
export function cumulativeTotal(monthlyValues: Readonly<Record<string, number>>, from: string, to: string): MonthsTotal {
  return totalOverMonths(monthlyValues, monthsBetween(from, to));
}

function byLabel(by: string | undefined): string {
  return by ? ` by ${formatPeriodLabel(by)}` : '';
}

/**
 * Plain-English wording of a target for reports and forms, e.g. 'Reduce by 5% by 2009/10',
 * 'No more than 1 between April 2008 and March 2011', 'To be agreed'.
 */
export function describeTarget(target: Target): string {
  switch (target.kind) {
    case 'absolute':
      return `Reach ${formatFigure(target.value)}${byLabel(target.by)}`;
    case 'percentage_change':
      return `${target.direction === 'reduce' ? 'Reduce' : 'Increase'} by ${formatFigure(target.percent)}%${byLabel(target.by)}`;
    case 'amount_change':
      return `${target.direction === 'reduce' ? 'Reduce' : 'Increase'} by ${formatFigure(target.amount)}${byLabel(target.by)}`;
    case 'rate':
      return `${formatFigure(target.rate)} per ${formatFigure(target.per)} population${byLabel(target.by)}`;
    case 'cumulative_limit':
      return `No more than ${formatFigure(target.maximum)} between ${formatPeriodLabel(target.from)} and ${formatPeriodLabel(target.to)}`;
    case 'maintain':
      return `Maintain (no worse than baseline)${byLabel(target.by)}`;
    case 'to_be_agreed':
      return 'To be agreed';
  }
}
