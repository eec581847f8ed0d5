/**
 * Making Data Count's two icons for an indicator (issue 16), drawn as small server-side SVGs with their meaning in
 * words: the variation icon (common cause, or special cause improving, concerning or neither, high or low) and the
 * assurance icon (consistently hitting the target, consistently failing it, or hit and miss). Each icon carries a
 * letter as well as a colour (H or L, P or F or ?) and an accessible name, and every place that shows one also shows
 * its label and a plain-words description, so nothing depends on colour. One reading feeds the SPC summary page, the
 * indicator page and the Board pack.
 */
import {
  assuranceOf,
  DEFAULT_RUN_LENGTH,
  type Assurance,
  type PeriodPerformance,
  type SpecialCauseRule,
  type Variation,
  type XmrView,
} from '../domain/index.ts';
import type { Polarity } from '../domain/types.ts';
import { escapeXml } from './charts/escape.ts';
import { SPC_COLOURS } from './charts/palette.ts';

export const VARIATION_LABELS: Record<Variation, string> = {
  common_cause: 'Common cause',
  special_cause_improvement_high: 'Special cause: improving (high)',
  special_cause_improvement_low: 'Special cause: improving (low)',
  special_cause_concern_high: 'Special cause: concerning (high)',
  special_cause_concern_low: 'Special cause: concerning (low)',
  special_cause_neutral_high: 'Special cause: neither improving nor concerning (high)',
  special_cause_neutral_low: 'Special cause: neither improving nor concerning (low)',
};

export const ASSURANCE_LABELS: Record<Assurance, string> = {
  consistently_pass: 'Consistently hitting the target',
  consistently_fail: 'Consistently failing the target',
  inconsistent: 'Hit and miss: the target will be met some periods and not others',
};

const RULE_WORDS: Record<SpecialCauseRule, (side: 'high' | 'low') => string> = {
  beyond_limits: (side) => `the latest figure is ${side === 'high' ? 'above the upper' : 'below the lower'} process limit`,
  two_of_three: (side) => `two of the last three figures are close to the ${side === 'high' ? 'upper' : 'lower'} process limit`,
  shift: (side) => `the latest figures are a run of ${DEFAULT_RUN_LENGTH} or more ${side === 'high' ? 'above' : 'below'} the mean`,
  trend: (side) =>
    `the latest figures are ${DEFAULT_RUN_LENGTH} or more in a row, each ${side === 'high' ? 'higher' : 'lower'} than the one before`,
};

const BETTER: Record<Polarity, string> = {
  higher_is_better: 'higher is better',
  lower_is_better: 'lower is better',
  monitor: 'neither direction is better',
};

function iconSvg(label: string, colour: string, letter: string, shape: 'variation' | 'assurance'): string {
  // A ring in the meaning's colour, the letter inside it, and for variation a line of dots along the bottom.
  const dots =
    shape === 'variation'
      ? [10, 16, 22, 28, 34].map((x) => `<circle cx="${x - 2}" cy="${letter === '' ? 22 : 30}" r="1.8" fill="${colour}"/>`).join('')
      : '';
  const text = letter
    ? `<text x="20" y="${shape === 'variation' ? 24 : 26}" text-anchor="middle" font-family="Arial, sans-serif" font-size="15" font-weight="700" fill="#0b0c0c">${escapeXml(letter)}</text>`
    : '';
  return `<svg class="app-spc-icon" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40" role="img" aria-label="${escapeXml(label)}" focusable="false"><title>${escapeXml(label)}</title><circle cx="20" cy="20" r="17" fill="#ffffff" stroke="${colour}" stroke-width="4"/>${text}${dots}</svg>`;
}

/** The variation icon: grey for common cause, blue improving, orange concerning, purple neither; H or L inside. */
export function variationIcon(variation: Variation): string {
  const label = `Variation: ${VARIATION_LABELS[variation]}`;
  if (variation === 'common_cause') return iconSvg(label, SPC_COLOURS.common, '', 'variation');
  const meaning = variation.includes('improvement') ? 'improvement' : variation.includes('concern') ? 'concern' : 'neutral';
  return iconSvg(label, SPC_COLOURS[meaning], variation.endsWith('high') ? 'H' : 'L', 'variation');
}

/** The assurance icon: P (blue) consistently passing, F (orange) consistently failing, ? (grey) hit and miss. */
export function assuranceIcon(assurance: Assurance): string {
  const label = `Assurance: ${ASSURANCE_LABELS[assurance]}`;
  if (assurance === 'consistently_pass') return iconSvg(label, SPC_COLOURS.improvement, 'P', 'assurance');
  if (assurance === 'consistently_fail') return iconSvg(label, SPC_COLOURS.concern, 'F', 'assurance');
  return iconSvg(label, SPC_COLOURS.common, '?', 'assurance');
}

/** One indicator's SPC reading: both icons, their labels and what they mean in words. */
export interface SpcReading {
  variation: Variation | null;
  variationLabel: string;
  variationSvg: string;
  assurance: Assurance | null;
  assuranceLabel: string;
  assuranceSvg: string;
  /** What the two icons mean for this indicator, in plain words. */
  description: string;
}

function variationWords(view: XmrView, polarity: Polarity): string {
  const v = view.variation!;
  if (v === 'common_cause')
    return 'Common cause variation: the latest figure is within what the process usually produces, with no sign of a real change.';
  const point = view.xmr!.points.at(-1)!;
  const flag = point.flags[0]!;
  const why = RULE_WORDS[flag.rule](flag.side);
  if (v.includes('neutral'))
    return `Special cause variation: ${why}; for this indicator ${BETTER[polarity]}, so it is neither an improvement nor a concern.`;
  return `Special cause variation, ${v.includes('improvement') ? 'improving' : 'concerning'}: ${why}, and for this indicator ${BETTER[polarity]}.`;
}

/** Why a period has no assurance icon, from how its target is judged. */
function noAssuranceReason(latest: PeriodPerformance | null, polarity: Polarity): string {
  if (polarity === 'monitor') return 'it is monitored only, with no target';
  if (!latest?.target) return latest?.reasons.target ? latest.reasons.target.replace(/^./, (c) => c.toLowerCase()) : 'no target is set';
  if (latest.assessedAs === 'projected_year_end')
    return "its target is for the year's total, judged on the projected year end, not on each figure";
  if (latest.assessedAs === 'span_total') return 'its target is a limit on the total over several years, not on each figure';
  return 'there is no figure to judge';
}

/**
 * The icons and words for an XmR view, judged against the target of the latest period when that target is for each
 * figure (a percentage, rate or score, or an annual figure); a target for the year's total has no assurance icon.
 */
export function spcReading(view: XmrView, latest: PeriodPerformance | null, polarity: Polarity, fmt: (n: number) => string): SpcReading {
  if (!view.xmr || !view.variation) {
    const reason = view.xmrReason ?? 'There are no figures';
    return {
      variation: null,
      variationLabel: 'None',
      variationSvg: '',
      assurance: null,
      assuranceLabel: 'None',
      assuranceSvg: '',
      description: `No SPC reading: ${reason.replace(/^./, (c) => c.toLowerCase())}.`,
    };
  }
  const xmr = view.xmr;
  const target = latest?.target && latest.assessedAs === 'value' ? latest.target : null;
  const assurance = target ? assuranceOf(xmr, target) : null;
  const limits = `${fmt(xmr.lowerProcessLimit)} to ${fmt(xmr.upperProcessLimit)}`;
  let assuranceWords: string;
  if (assurance === 'consistently_pass')
    assuranceWords = `The target (${fmt(target!.threshold)}) lies outside the process limits (${limits}) on the good side, so every figure can be expected to meet it unless the process changes.`;
  else if (assurance === 'consistently_fail')
    assuranceWords = `The target (${fmt(target!.threshold)}) lies outside the process limits (${limits}) on the wrong side, so it will not be met unless the process changes.`;
  else if (assurance === 'inconsistent')
    assuranceWords = `The target (${fmt(target!.threshold)}) lies within the process limits (${limits}), so it will be met in some periods and missed in others by chance.`;
  else assuranceWords = `No assurance icon: ${noAssuranceReason(latest, polarity)}.`;
  return {
    variation: view.variation,
    variationLabel: VARIATION_LABELS[view.variation],
    variationSvg: variationIcon(view.variation),
    assurance,
    assuranceLabel: assurance ? ASSURANCE_LABELS[assurance] : 'None',
    assuranceSvg: assurance ? assuranceIcon(assurance) : '',
    description: `${variationWords(view, polarity)} ${assuranceWords}`,
  };
}
