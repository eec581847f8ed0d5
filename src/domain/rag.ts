/**
 * Red / amber / green (RAG) status for performance indicators.
 *
 * The rule: green when the actual figure is on or better than the target; amber when it misses the
 * target by no more than a tolerance the partnership sets (by default 5% of the target figure);
 * red otherwise. Monitor-only indicators and 'to be agreed' targets get no RAG (null).
 *
 * Worked example (Rochford CSP, 2009/10, seed 002): ASB incidents, baseline 2167, "reduce by 5%"
 * gives a target of 2058.65. Actual 2080 misses it, but by less than 5% of 2058.65 (102.9), so amber,
 * as the published table shows. (The same table shows alcohol-related disorder, 215 -> 181 against
 * the same kind of target, as amber although the rule gives green: a judgement the platform records
 * as an override with its reason.)
 *
 * A lead officer may override the rule with a reason (e.g. the figure is distorted by a recording
 * change); the override is kept alongside the rule's own status so both can be audited.
 */

import { meetsTarget, resolveTarget, type Target } from './targets.ts';
import type { Polarity, Rag, ResolvedTarget } from './types.ts';
import { assertFinite, assertNonNegative, tidy } from './validation.ts';

/** Default amber band: within 5% of the target figure. */
export const DEFAULT_AMBER_TOLERANCE_PERCENT = 5;

/** The amber band a partnership sets. */
export interface RagToleranceOptions {
  /**
   * How far past the target a figure may be and still be amber, as a percentage of the target
   * figure (default {@link DEFAULT_AMBER_TOLERANCE_PERCENT}). 0 means anything short of target is red.
   */
  readonly tolerancePercent?: number;
}

/**
 * RAG for an actual figure against an already-resolved target: green when the target is met (on it
 * counts), amber when it is missed by no more than the tolerance, red otherwise. A null target (to be
 * agreed, or a monitor-only indicator) gives null. For a cumulative limit pass the total over the span.
 */
export function ragForTarget(actual: number, target: ResolvedTarget | null, options: RagToleranceOptions = {}): Rag | null {
  assertFinite('actual', actual);
  const pct = options.tolerancePercent ?? DEFAULT_AMBER_TOLERANCE_PERCENT;
  assertNonNegative('tolerancePercent', pct);
  if (target === null) return null;
  if (meetsTarget(actual, target)) return 'green';
  const width = (Math.abs(target.threshold) * pct) / 100;
  const edge = tidy(target.comparison === 'at_most' ? target.threshold + width : target.threshold - width);
  const withinBand = target.comparison === 'at_most' ? tidy(actual) <= edge : tidy(actual) >= edge;
  return withinBand ? 'amber' : 'red';
}

/** Everything {@link ragByRule} needs about an indicator's figure and target. */
export interface RagInput extends RagToleranceOptions {
  /** The figure being rated (for a cumulative limit, the total over the span). */
  readonly actual: number;
  readonly target: Target;
  readonly polarity: Polarity;
  /** Baseline figure, for percentage, amount and maintain targets. */
  readonly baseline?: number;
  /** Population, for rate targets. */
  readonly population?: number;
  /** Whether figures may be below zero (a score, money): then so may the target (see TargetContext.signed). */
  readonly signed?: boolean;
}

/**
 * RAG by rule for an indicator: resolves the target against its baseline or population and applies
 * the tolerance. Returns null for monitor-only indicators and 'to be agreed' targets.
 * Rochford 2009/10: burglary 170 -> 152 against "reduce by 5%" (161.5) is green; ASB 2167 -> 2080
 * (target 2058.65, amber band up to 2161.58) is amber; repeat incidents 266 -> 279 is red.
 */
export function ragByRule(input: RagInput): Rag | null {
  if (input.polarity === 'monitor') return null;
  const { polarity, baseline, population, signed } = input;
  const resolved = resolveTarget(input.target, { polarity, baseline, population, signed });
  return ragForTarget(input.actual, resolved, input);
}

/** A manual RAG chosen by an officer, with the reason recorded for audit. */
export interface RagOverride {
  readonly rag: Rag;
  readonly reason: string;
}

/**
 * The RAG a report shows: the rule's result (`{ rag, overridden: false }`), or an override with its
 * reason and the rule's own result kept for audit (built by {@link applyRagOverride}).
 */
export type RagResult =
  | { readonly rag: Rag | null; readonly overridden: false }
  | { readonly rag: Rag; readonly overridden: true; readonly reason: string; readonly ruleRag: Rag | null };

/** Thrown when an override is applied without a valid RAG value or without a reason. */
export class RagOverrideError extends Error {
  readonly errors: readonly RagOverrideValidationError[];
  constructor(errors: readonly RagOverrideValidationError[]) {
    super(`Invalid RAG override: ${errors.map((e) => e.message).join('; ')}`);
    this.name = 'RagOverrideError';
    this.errors = errors;
  }
}

/** One problem with a submitted override, tied to the form field it concerns. */
export interface RagOverrideValidationError {
  readonly field: 'rag' | 'reason';
  readonly message: string;
}

/** The outcome of {@link validateRagOverride}: the cleaned override, or the problems found. */
export type RagOverrideValidation =
  | { readonly valid: true; readonly override: RagOverride }
  | { readonly valid: false; readonly errors: readonly RagOverrideValidationError[] };

const RAGS: readonly Rag[] = ['red', 'amber', 'green'];

/**
 * Check a manual override submitted from a form: the RAG must be red, amber or green and the
 * reason must not be blank. Returns field-level messages suitable for an error summary.
 */
export function validateRagOverride(input: { readonly rag?: unknown; readonly reason?: unknown }): RagOverrideValidation {
  const errors: RagOverrideValidationError[] = [];
  const rag = input.rag;
  if (typeof rag !== 'string' || !(RAGS as readonly string[]).includes(rag)) {
    errors.push({ field: 'rag', message: 'Select red, amber or green' });
  }
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason === '') {
    errors.push({ field: 'reason', message: 'Enter a reason for overriding the RAG status' });
  }
  if (errors.length > 0) return { valid: false, errors };
  return { valid: true, override: { rag: rag as Rag, reason } };
}

/**
 * Apply an officer's override to the rule's RAG. The reason is required (trimmed) and the rule's
 * status is kept as `ruleRag`. Throws {@link RagOverrideError} when the RAG or reason is missing.
 * An override may also give a status to an indicator the rule leaves without one (ruleRag null).
 */
export function applyRagOverride(ruleRag: Rag | null, override: { readonly rag?: unknown; readonly reason?: unknown }): RagResult {
  const checked = validateRagOverride(override);
  if (!checked.valid) throw new RagOverrideError(checked.errors);
  return { rag: checked.override.rag, overridden: true, reason: checked.override.reason, ruleRag };
}
