/** JSON schemas of the performance API (they make its OpenAPI document) and the JSON each record is sent as. */
import {
  FREQUENCIES,
  INDICATOR_UNITS,
  OBA_CATEGORIES,
  POLARITIES,
  RAGS,
  TARGET_KINDS,
  type Indicator,
} from '../../../adapters/database/schema.ts';
import type { IndicatorDetails } from '../../../services/performance/indicators.ts';
import { quarterByYear, type IndicatorPerformance, type PeriodPerformance } from '../../../services/performance/performance.ts';
import { periodAfter } from '../../../domain/index.ts';

import { figureIntervals, significanceVerdict, yearToDateComparison } from './statisticsSchemas.ts';

const num = { type: ['number', 'null'] } as const;
export const str = { type: ['string', 'null'] } as const;

export const catalogueEntry = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    code: { type: 'string' },
    title: { type: 'string' },
    definition: { type: 'string' },
    dataSource: { type: 'string' },
    unit: { type: 'string', enum: INDICATOR_UNITS },
    polarity: { type: 'string', enum: POLARITIES },
    frequency: { type: 'string', enum: FREQUENCIES },
    obaCategory: { type: 'string', enum: OBA_CATEGORIES },
  },
} as const;

const target = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    kind: { type: 'string', enum: TARGET_KINDS },
    value: num,
    direction: str,
    ratePer: num,
    comparison: str,
    by: str,
    spanFrom: str,
    spanTo: str,
    note: { type: 'string' },
    tier: { type: 'string', enum: ['first', 'second'], description: "'second': a target judged on its own beside the first" },
    label: { type: 'string', description: 'The target\'s own name, like "Local stretch"; empty for none' },
  },
} as const;

const trajectoryJudgement = {
  type: ['object', 'null'],
  description: "The year to date against the target's trajectory to date (the annual target times the share of the year due by now)",
  properties: {
    profile: { type: 'string', enum: ['even', 'custom', 'seasonal'] },
    shareToDate: { type: 'number', description: 'The fraction of the year due by the end of the period' },
    toDate: { type: 'number' },
    yearToDate: { type: 'number' },
    comparison: { type: 'string', enum: ['at_most', 'at_least'] },
    met: { type: 'boolean' },
    rag: { type: 'string', enum: RAGS },
  },
} as const;

export const indicator = {
  type: 'object',
  properties: {
    ...catalogueEntry.properties,
    partnershipId: { type: 'integer' },
    catalogueIndicatorId: { type: ['integer', 'null'] },
    owner: { type: 'string' },
    priorityIds: { type: 'array', items: { type: 'integer' } },
    objectiveIds: { type: 'array', items: { type: 'integer' } },
    baseline: {
      type: ['object', 'null'],
      properties: { value: { type: 'number' }, period: { type: 'string' }, source: { type: 'string' } },
    },
    targets: { type: 'array', items: target },
    trajectory: {
      type: ['object', 'null'],
      description: 'How the annual target is spread over the months or quarters of the year; null for none',
      properties: {
        profile: { type: 'string', enum: ['even', 'custom', 'seasonal'] },
        shares: { type: ['array', 'null'], items: { type: 'number' }, description: "A custom profile's percentages, from April or Q1" },
      },
    },
    isPublic: { type: 'boolean', description: "Shown on the partnership's public summary (with small-number suppression)" },
    retirement: {
      type: ['object', 'null'],
      description: 'Null while the indicator has never been retired',
      properties: {
        retiredAfter: { type: 'string', description: 'The last period the indicator is reported for' },
        retiredFrom: { type: 'string', description: 'The first period it is no longer reported for' },
        reason: { type: 'string' },
        retiredAt: { type: ['string', 'null'], description: 'When the retirement was recorded' },
        supersededBy: { type: ['integer', 'null'], description: 'The id of the indicator that replaces it, if any' },
      },
    },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string', description: 'Send back as expectedUpdatedAt to refuse overwriting a newer change' },
  },
} as const;

export const indicatorInput = {
  type: 'object',
  required: ['title', 'unit', 'polarity', 'frequency', 'obaCategory'],
  additionalProperties: false,
  properties: {
    code: { type: 'string', maxLength: 40 },
    title: { type: 'string', maxLength: 300 },
    definition: { type: 'string' },
    dataSource: { type: 'string' },
    unit: { type: 'string', enum: INDICATOR_UNITS },
    polarity: { type: 'string', enum: POLARITIES },
    frequency: { type: 'string', enum: FREQUENCIES },
    owner: { type: 'string' },
    obaCategory: { type: 'string', enum: OBA_CATEGORIES },
    catalogueIndicatorId: { type: 'integer' },
    priorityIds: { type: 'array', items: { type: 'integer' } },
    objectiveIds: { type: 'array', items: { type: 'integer' } },
    isPublic: {
      type: 'boolean',
      description: 'Show the latest figure on the public summary; default false when adding, unchanged when left out of an update',
    },
    baselineValue: { type: 'number' },
    baselinePeriod: { type: 'string', description: "'2009/10', '2009-10 Q1' or '2009-04'" },
    baselineSource: { type: 'string' },
    targetKind: { type: 'string', enum: TARGET_KINDS },
    targetValue: { type: 'number' },
    targetDirection: { type: 'string', enum: ['reduce', 'increase'] },
    targetRatePer: { type: 'integer', enum: [1000, 100000] },
    targetComparison: { type: 'string', enum: ['at_most', 'at_least'] },
    targetBy: { type: 'string' },
    targetFrom: { type: 'string' },
    targetTo: { type: 'string' },
    targetNote: { type: 'string' },
    targetLabel: { type: 'string', maxLength: 100 },
    secondTargetKind: {
      type: 'string',
      enum: [...TARGET_KINDS, 'none'],
      description: "A second target judged beside the first; 'none' removes it, left out keeps it as it is",
    },
    secondTargetValue: { type: 'number' },
    secondTargetDirection: { type: 'string', enum: ['reduce', 'increase'] },
    secondTargetRatePer: { type: 'integer', enum: [1000, 100000] },
    secondTargetComparison: { type: 'string', enum: ['at_most', 'at_least'] },
    secondTargetBy: { type: 'string' },
    secondTargetFrom: { type: 'string' },
    secondTargetTo: { type: 'string' },
    secondTargetNote: { type: 'string' },
    secondTargetLabel: { type: 'string', maxLength: 100 },
    trajectory: {
      type: 'string',
      enum: ['none', 'even', 'custom', 'seasonal'],
      description: "How the annual target is spread over the year; 'none' for no trajectory, left out of an update keeps it",
    },
    trajectoryShares: {
      type: 'array',
      items: { type: 'number' },
      description:
        'For a custom trajectory: a percentage of the year for each month from April (12) or quarter from Q1 (4), adding up to 100',
    },
    expectedUpdatedAt: { type: 'string' },
  },
} as const;

export const figure = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    indicatorId: { type: 'integer' },
    period: { type: 'string' },
    value: { ...num, description: 'Null when the stored value is not a finite number (see problem)' },
    numerator: { ...num, description: "A percentage's or rate's recorded numerator; null when not recorded" },
    denominator: { ...num, description: "A percentage's denominator or a rate's population as recorded; null when not recorded" },
    note: { type: 'string' },
    source: { type: 'string' },
    enteredBy: { type: 'string' },
    enteredAt: { type: 'string' },
    supersededAt: str,
    problem: {
      ...str,
      description: 'Why the stored figure cannot be used (written by an older version or another tool); null when it can',
    },
  },
} as const;

const periodPerformance = {
  type: 'object',
  properties: {
    period: { type: 'string' },
    label: { type: 'string' },
    value: num,
    numerator: { ...num, description: "The percentage's or rate's recorded numerator (null when not recorded)" },
    denominator: { ...num, description: "The percentage's recorded denominator or the rate's population (null when not recorded)" },
    yearToDate: num,
    lastYearPeriod: { type: 'string' },
    lastYear: num,
    change: num,
    percentChange: { ...num, description: 'Signed, one decimal place, on the same period last year' },
    previousPeriod: { type: 'string', description: 'The month, quarter or financial year before' },
    previousValue: num,
    changeOnPrevious: num,
    percentChangeOnPrevious: { ...num, description: 'Signed, one decimal place, on the period before' },
    direction: str,
    ratePer1000: num,
    population: num,
    baseline: num,
    baselinePeriod: str,
    changeFromBaseline: num,
    percentChangeFromBaseline: num,
    target: {
      type: ['object', 'null'],
      properties: { text: { type: 'string' }, threshold: { type: 'number' }, comparison: { type: 'string' } },
    },
    targetText: str,
    targetLabel: { type: 'string' },
    targetMet: { type: ['boolean', 'null'], description: 'Whether what is assessed meets the first target; null when not judged' },
    trajectory: trajectoryJudgement,
    secondTarget: {
      type: ['object', 'null'],
      description: 'The second target judged on its own; null when there is none or it cannot be resolved (see reasons.secondTarget)',
      properties: {
        label: { type: 'string' },
        text: { type: 'string' },
        threshold: { type: 'number' },
        comparison: { type: 'string', enum: ['at_most', 'at_least'] },
        assessed: num,
        assessedAs: str,
        met: { type: ['boolean', 'null'] },
        rag: { type: ['string', 'null'], enum: [...RAGS, null] },
        trajectory: trajectoryJudgement,
        reason: str,
      },
    },
    assessed: num,
    assessedAs: str,
    progress: num,
    ruleRag: { type: ['string', 'null'], enum: [...RAGS, null] },
    rag: { type: ['string', 'null'], enum: [...RAGS, null] },
    overridden: { type: 'boolean' },
    overrideReason: str,
    overrideBy: str,
    significance: {
      ...significanceVerdict,
      description:
        'The change on the same period last year tested: counts, and percentages or rates whose two figures record numerator and denominator; null with reasons.significance when it cannot be tested, null alone for money and scores',
    },
    projection: {
      type: ['object', 'null'],
      properties: { projected: { type: 'number' }, lower: num, upper: num, probabilityOfMeetingTarget: num, method: { type: 'string' } },
    },
    intervals: figureIntervals,
    yearToDateComparison,
    reasons: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description:
        'Why each figure above that is null could not be worked out, by its name: e.g. percentChange "No figure for April 2008", target "No target set"',
    },
  },
} as const;

export const performance = {
  type: 'object',
  properties: {
    indicatorId: { type: 'integer' },
    code: { type: 'string' },
    title: { type: 'string' },
    periods: { type: 'array', items: periodPerformance },
    latest: { anyOf: [periodPerformance, { type: 'null' }] },
    quarterByYear: {
      type: ['array', 'null'],
      description:
        'Monthly and quarterly indicators: each financial year by quarter (Q1 to Q4), with its total (counts, money) or mean, and the change on the year before',
      items: {
        type: 'object',
        properties: {
          year: { type: 'string' },
          quarters: { type: 'array', items: num },
          complete: { type: 'integer' },
          total: num,
          mean: num,
          change: num,
          percentChange: num,
        },
      },
    },
    spc: {
      type: ['object', 'null'],
      properties: {
        mean: { type: 'number' },
        upperProcessLimit: { type: 'number' },
        lowerProcessLimit: { type: 'number' },
        variation: str,
        specialCause: { type: 'array', items: str },
      },
    },
    spcReason: { ...str, description: 'Why there is no SPC view, when spc is null' },
    problems: {
      type: 'array',
      items: { type: 'string' },
      description: 'Stored figures that cannot be used (left out of the periods above, and no rule RAG given), each with why',
    },
  },
} as const;

export function catalogueJson(i: Indicator) {
  return {
    id: i.id,
    code: i.code,
    title: i.title,
    definition: i.definition,
    dataSource: i.data_source,
    unit: i.unit,
    polarity: i.polarity,
    frequency: i.frequency,
    obaCategory: i.oba_category,
  };
}

export function indicatorJson(i: IndicatorDetails) {
  return {
    ...catalogueJson(i),
    partnershipId: i.partnership_id,
    catalogueIndicatorId: i.catalogue_indicator_id,
    owner: i.owner,
    priorityIds: i.priorityIds,
    objectiveIds: i.objectiveIds,
    baseline: i.baseline ? { value: i.baseline.value, period: i.baseline.period, source: i.baseline.source } : null,
    targets: i.targets.map((t) => ({
      id: t.id,
      kind: t.kind,
      value: t.value,
      direction: t.direction,
      ratePer: t.rate_per,
      comparison: t.comparison,
      by: t.by_period,
      spanFrom: t.span_from,
      spanTo: t.span_to,
      note: t.note,
      tier: t.tier,
      label: t.label,
    })),
    trajectory: i.trajectory
      ? { profile: i.trajectory, shares: i.trajectory_shares ? i.trajectory_shares.split(',').map(Number) : null }
      : null,
    isPublic: i.is_public === 1,
    retirement: retirementJson(i),
    createdAt: i.created_at,
    updatedAt: i.updated_at,
  };
}

/** An indicator's retirement for the API: the last period, the first period no longer reported, why, what replaces it. */
export function retirementJson(
  i: Pick<IndicatorDetails, 'retired_after' | 'retirement_reason' | 'retired_at' | 'superseded_by_indicator_id'>,
) {
  if (i.retired_after === null) return null;
  return {
    retiredAfter: i.retired_after,
    retiredFrom: periodAfter(i.retired_after),
    reason: i.retirement_reason ?? '',
    retiredAt: i.retired_at,
    supersededBy: i.superseded_by_indicator_id,
  };
}

export function performanceJson(p: IndicatorPerformance, periods: PeriodPerformance[] = p.periods) {
  return {
    indicatorId: p.indicator.id,
    code: p.indicator.code,
    title: p.indicator.title,
    periods,
    latest: p.latest,
    quarterByYear: quarterByYear(p),
    spc: p.xmr
      ? {
          mean: p.xmr.mean,
          upperProcessLimit: p.xmr.upperProcessLimit,
          lowerProcessLimit: p.xmr.lowerProcessLimit,
          variation: p.variation,
          specialCause: p.xmr.points.map((x) => x.specialCause),
        }
      : null,
    spcReason: p.xmrReason,
    problems: p.problems,
  };
}

/** Body for the apiBody() of the authorisation walk and for documentation. */
export function toInput(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  for (const k of ['baselineValue', 'targetValue', 'targetRatePer', 'secondTargetValue', 'secondTargetRatePer', 'catalogueIndicatorId'])
    if (typeof out[k] === 'number') out[k] = String(out[k]);
  return out;
}
