import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as domain from '../../src/domain/index.ts';

describe('domain index', () => {
  test('re-exports the public API and works end to end on the Rochford burglary figures', () => {
    const target = domain.resolveTarget(
      { kind: 'percentage_change', direction: 'reduce', percent: 5, by: '2009/10' },
      { polarity: 'lower_is_better', baseline: 170 },
    );
    assert.deepEqual(target, { threshold: 161.5, comparison: 'at_most' });
    assert.equal(domain.percentageChange(170, 152), -10.6);
    assert.equal(domain.ragForTarget(152, target), 'green');
    assert.equal(domain.directionOfTravel(170, 152, 'lower_is_better'), 'improving');
    assert.equal(domain.compareCounts(170, 152).label, 'not statistically significant');
    assert.equal(domain.financialYearOfMonth('2010-03'), '2009/10');
    assert.equal(domain.xmrChart([1, 2, 3]).mean, 2);
  });

  test('exports only functions, classes and constants that exist (no internal helpers)', () => {
    for (const [name, value] of Object.entries(domain)) {
      assert.notEqual(value, undefined, `${name} is exported but undefined`);
    }
    for (const internal of ['tidy', 'formatFigure', 'assertFinite', 'logGamma', 'binomialProbability']) {
      assert.equal(internal in domain, false, `${internal} should stay internal`);
    }
  });
});
