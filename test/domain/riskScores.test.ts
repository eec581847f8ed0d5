/**
 * 5x5 risk scoring. The bands and scale words are the NPSA's "A risk matrix for risk managers" (2008): score =
 * severity x likelihood; 1-3 low, 4-6 moderate, 8-12 high, 15-25 extreme (7, 11, 13, 14 and others cannot occur).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeRiskScore, reviewOverdue, riskBand, riskScore, threeLevelOf } from '../../src/domain/riskScores.ts';

describe('5x5 risk scores', () => {
  it('multiplies severity by likelihood and bands the score', () => {
    assert.equal(riskScore(4, 4), 16);
    assert.deepEqual([1, 3, 4, 6, 8, 12, 15, 25].map(riskBand), [
      'low',
      'low',
      'moderate',
      'moderate',
      'high',
      'high',
      'extreme',
      'extreme',
    ]);
    assert.equal(describeRiskScore(4, 4), '16, extreme (major, likely)');
    assert.equal(describeRiskScore(2, 3), '6, moderate (minor, possible)');
  });
  it('gives every point of the 5x5 grid a band', () => {
    const bands = new Set<string>();
    for (let s = 1; s <= 5; s++) for (let l = 1; l <= 5; l++) bands.add(riskBand(riskScore(s, l)));
    assert.deepEqual([...bands].sort(), ['extreme', 'high', 'low', 'moderate']);
  });
  it('refuses points off the scale', () => {
    assert.throws(() => riskScore(0, 3), /severity must be a whole number from 1 to 5/);
    assert.throws(() => riskScore(3, 2.5), /likelihood/);
    assert.throws(() => riskBand(26), /1 to 25/);
  });
  it('reads the 3x3 word from a 1-5 point, and flags a passed review date', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map(threeLevelOf), ['low', 'low', 'medium', 'high', 'high']);
    assert.equal(reviewOverdue('2026-03-01', '2026-03-02'), true);
    assert.equal(reviewOverdue('2026-03-02', '2026-03-02'), false);
    assert.equal(reviewOverdue(null, '2026-03-02'), false);
  });
});
