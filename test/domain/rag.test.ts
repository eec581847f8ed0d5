import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyRagOverride,
  DEFAULT_AMBER_TOLERANCE_PERCENT,
  ragByRule,
  ragForTarget,
  RagOverrideError,
  validateRagOverride,
} from '../../src/domain/rag.ts';
import type { Target } from '../../src/domain/targets.ts';

const reduceBy5: Target = { kind: 'percentage_change', direction: 'reduce', percent: 5, by: '2009/10' };
const increaseBy5: Target = { kind: 'percentage_change', direction: 'increase', percent: 5, by: '2009/10' };

describe('ragByRule against the Rochford 2009/10 table (seed 002)', () => {
  test('domestic burglary 170 -> 152 is green against "reduce by 5%"', () => {
    assert.equal(ragByRule({ actual: 152, target: reduceBy5, polarity: 'lower_is_better', baseline: 170 }), 'green');
  });

  test('ASB 2167 -> 2080 misses 2058.65 by less than 5% of it, so amber', () => {
    assert.equal(ragByRule({ actual: 2080, target: reduceBy5, polarity: 'lower_is_better', baseline: 2167 }), 'amber');
  });

  test('domestic abuse reporting 695 -> 626 against "increase by 5%" is red', () => {
    // target 729.75; amber band down to 729.75 x 0.95 = 693.26
    assert.equal(ragByRule({ actual: 626, target: increaseBy5, polarity: 'higher_is_better', baseline: 695 }), 'red');
  });

  test('repeat incidents 266 -> 279 against "reduce by 5%" is red', () => {
    // target 252.7; amber band up to 265.335
    assert.equal(ragByRule({ actual: 279, target: reduceBy5, polarity: 'lower_is_better', baseline: 266 }), 'red');
  });

  test("alcohol-related disorder 215 -> 181 is green by rule (the table shows an officer's amber)", () => {
    assert.equal(ragByRule({ actual: 181, target: reduceBy5, polarity: 'lower_is_better', baseline: 215 }), 'green');
  });
});

describe('ragByRule', () => {
  test('monitor-only indicators and targets to be agreed have no RAG', () => {
    assert.equal(ragByRule({ actual: 10, target: reduceBy5, polarity: 'monitor', baseline: 170 }), null);
    assert.equal(ragByRule({ actual: 10, target: { kind: 'to_be_agreed' }, polarity: 'lower_is_better' }), null);
  });

  test("the tolerance is the partnership's to set", () => {
    const input = { actual: 2080, target: reduceBy5, polarity: 'lower_is_better', baseline: 2167 } as const;
    assert.equal(ragByRule({ ...input, tolerancePercent: 1 }), 'red'); // band up to 2079.2365
    assert.equal(ragByRule({ ...input, tolerancePercent: 1.04 }), 'amber'); // band up to 2080.0596
    assert.equal(ragByRule({ ...input, tolerancePercent: 0 }), 'red');
    assert.throws(() => ragByRule({ ...input, tolerancePercent: -1 }), RangeError);
  });

  test('rate, cumulative limit, absolute and maintain targets', () => {
    const rate: Target = { kind: 'rate', rate: 17.5, per: 1000 };
    // 17.5 per 1,000 of 87,000 = 1522.5 offences; amber to 1598.625
    assert.equal(ragByRule({ actual: 1500, target: rate, polarity: 'lower_is_better', population: 87_000 }), 'green');
    assert.equal(ragByRule({ actual: 1598, target: rate, polarity: 'lower_is_better', population: 87_000 }), 'amber');
    assert.equal(ragByRule({ actual: 1599, target: rate, polarity: 'lower_is_better', population: 87_000 }), 'red');

    const ksi: Target = { kind: 'cumulative_limit', maximum: 1, from: '2008-04', to: '2011-03' };
    assert.equal(ragByRule({ actual: 1, target: ksi, polarity: 'lower_is_better' }), 'green');
    assert.equal(ragByRule({ actual: 2, target: ksi, polarity: 'lower_is_better' }), 'red');

    const passPlus: Target = { kind: 'absolute', value: 40 };
    assert.equal(ragByRule({ actual: 41, target: passPlus, polarity: 'higher_is_better' }), 'green');
    assert.equal(ragByRule({ actual: 38, target: passPlus, polarity: 'higher_is_better' }), 'amber'); // band down to 38
    assert.equal(ragByRule({ actual: 37.9, target: passPlus, polarity: 'higher_is_better' }), 'red');

    assert.equal(ragByRule({ actual: 334, target: { kind: 'maintain' }, polarity: 'lower_is_better', baseline: 334 }), 'green');
    assert.equal(ragByRule({ actual: 340, target: { kind: 'maintain' }, polarity: 'lower_is_better', baseline: 334 }), 'amber');
  });
});

describe('ragForTarget', () => {
  test('uses a 5% band by default, with both band edges amber', () => {
    assert.equal(DEFAULT_AMBER_TOLERANCE_PERCENT, 5);
    const atMost = { threshold: 100, comparison: 'at_most' } as const;
    assert.equal(ragForTarget(100, atMost), 'green');
    assert.equal(ragForTarget(100.01, atMost), 'amber');
    assert.equal(ragForTarget(105, atMost), 'amber');
    assert.equal(ragForTarget(105.01, atMost), 'red');
    const atLeast = { threshold: 100, comparison: 'at_least' } as const;
    assert.equal(ragForTarget(95, atLeast), 'amber');
    assert.equal(ragForTarget(94.99, atLeast), 'red');
    // A band edge reached through floating-point arithmetic is still on the edge.
    assert.equal(ragForTarget(2058.65 * 1.05, { threshold: 2058.65, comparison: 'at_most' }), 'amber');
    assert.equal(ragForTarget(0.3 * 0.95, { threshold: 0.3, comparison: 'at_least' }), 'amber');
  });

  test('a zero target has no amber band; a null target gives no RAG', () => {
    assert.equal(ragForTarget(0, { threshold: 0, comparison: 'at_most' }), 'green');
    assert.equal(ragForTarget(1, { threshold: 0, comparison: 'at_most' }), 'red');
    assert.equal(ragForTarget(5, null), null);
    assert.throws(() => ragForTarget(Number.NaN, null), TypeError);
  });
});

describe('RAG overrides', () => {
  test("an override keeps the rule's RAG and a trimmed reason", () => {
    assert.deepEqual(applyRagOverride('green', { rag: 'amber', reason: '  Rise in late-night violence  ' }), {
      rag: 'amber',
      overridden: true,
      reason: 'Rise in late-night violence',
      ruleRag: 'green',
    });
    assert.deepEqual(applyRagOverride(null, { rag: 'red', reason: 'Board judgement' }), {
      rag: 'red',
      overridden: true,
      reason: 'Board judgement',
      ruleRag: null,
    });
  });

  test('an override needs a valid RAG and a reason', () => {
    assert.deepEqual(validateRagOverride({ rag: 'purple', reason: '   ' }), {
      valid: false,
      errors: [
        { field: 'rag', message: 'Select red, amber or green' },
        { field: 'reason', message: 'Enter a reason for overriding the RAG status' },
      ],
    });
    assert.deepEqual(validateRagOverride({ rag: 'green', reason: 'ok' }), { valid: true, override: { rag: 'green', reason: 'ok' } });
    assert.equal(validateRagOverride({}).valid, false);
    assert.equal(validateRagOverride({ rag: 'amber', reason: 42 }).valid, false);

    assert.throws(
      () => applyRagOverride('green', { rag: 'amber' }),
      (error: unknown) =>
        error instanceof RagOverrideError &&
        error.errors.length === 1 &&
        error.errors[0]?.field === 'reason' &&
        /reason/.test(error.message),
    );
  });
});
