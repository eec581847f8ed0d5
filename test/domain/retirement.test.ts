/** The period after an indicator's last one: its "retired from" period, by the financial calendar (April to March). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLiveIn, periodAfter } from '../../src/domain/index.ts';

describe('retirement periods', () => {
  it('gives the next period of the same kind, across the financial year end', () => {
    assert.equal(periodAfter('2009/10'), '2010/11');
    assert.equal(periodAfter('2019-20 Q3'), '2019-20 Q4');
    assert.equal(periodAfter('2019-20 Q4'), '2020-21 Q1');
    assert.equal(periodAfter('2020-03'), '2020-04');
    assert.equal(periodAfter('2020-12'), '2021-01');
  });

  it('is the first period the retired indicator is no longer reported for', () => {
    for (const last of ['2009/10', '2019-20 Q4', '2020-12']) {
      assert.equal(isLiveIn(last, last), true);
      assert.equal(isLiveIn(last, periodAfter(last)), false);
    }
  });
});
