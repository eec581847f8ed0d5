/**
 * JSON schemas of a period's confidence intervals and its year to date against last year's (issue 16), kept
 * apart from the rest of the performance schemas so each can grow on its own.
 */
import { COUNT_TEST, PROPORTION_TEST } from '../../../domain/index.ts';

const interval = {
  type: 'object',
  required: ['lower', 'upper'],
  properties: { lower: { type: 'number' }, upper: { type: 'number' } },
} as const;

const twoLevels = {
  type: ['object', 'null'],
  properties: { ci95: interval, ci998: interval },
} as const;

export const figureIntervals = {
  type: 'object',
  description:
    "The figure's 95% and 99.8% confidence intervals by the methods of OHID's Fingertips (counts and rates: exact Poisson below 10 events, Byar's from 10; percentages: Wilson score), in the figure's own unit; or applicable false with the reason (money, scores, a percentage without its denominator, a rate without a population)",
  required: ['applicable'],
  properties: {
    applicable: { type: 'boolean' },
    reason: { type: 'string', description: 'Why there are no intervals (when applicable is false)' },
    method: { type: 'string', enum: ['exact Poisson', "Byar's", 'Wilson score'] },
    basis: { type: 'string', description: 'What the interval is around, in words' },
    ci95: interval,
    ci998: interval,
    ratePer1000: { ...twoLevels, description: "A count's rate per 1,000 people, with the partnership's population" },
  },
} as const;

/** A test's verdict with the test named and its p-value (src/domain/significance.ts `verdictOf`). */
export const significanceVerdict = {
  type: ['object', 'null'],
  required: ['test', 'significant', 'label', 'pValue', 'smallNumbers', 'description'],
  properties: {
    test: {
      type: 'string',
      enum: [COUNT_TEST, PROPORTION_TEST],
      description:
        'The test used, always two-sided: counts (and rates, over their populations) by the exact conditional binomial test; percentages with numerator and denominator by the pooled two-sample z-test',
    },
    significant: { type: 'boolean', description: 'pValue below 0.05' },
    label: { type: 'string', enum: ['statistically significant', 'not statistically significant'] },
    pValue: { type: 'number', description: 'Two-sided p-value' },
    smallNumbers: {
      type: 'boolean',
      description: 'Counts below 10, or a proportion with an expected cell below 5: read the verdict with care',
    },
    description: {
      type: 'string',
      description:
        "The verdict, test and p-value in words, as the pages and Board pack show it: 'Not statistically significant: exact conditional binomial test (ratio of two Poisson counts), two-sided, p = 0.343'",
    },
  },
} as const;

export const yearToDateComparison = {
  type: ['object', 'null'],
  description:
    "Counts and money at monthly or quarterly frequency: the financial year to date to this period against the same periods a year before (the Board pack's summary table uses the same figures); null otherwise, with reasons.yearToDateComparison when a figure is missing",
  properties: {
    periods: { type: 'array', items: { type: 'string' } },
    lastYearPeriods: { type: 'array', items: { type: 'string' } },
    current: { type: 'number' },
    lastYear: { type: 'number' },
    change: { type: 'number' },
    percentChange: { type: ['number', 'null'], description: 'Signed, one decimal place; null when last year was 0 or either is below 0' },
    significance: { ...significanceVerdict, description: 'Whole-number counts: the exact test of the two totals; null otherwise' },
    direction: { type: 'string' },
  },
} as const;
