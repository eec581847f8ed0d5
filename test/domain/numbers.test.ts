/**
 * Reading typed figures: thousands separators only where they are well placed, spaces inside a number refused,
 * and the range a figure may take (finite, 0 or more, at most a million million).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { figureValueProblem, MAX_FIGURE_VALUE, quoteValue, readTypedNumber } from '../../src/domain/index.ts';

const value = (raw: unknown) => {
  const r = readTypedNumber(raw);
  return r.kind === 'number' ? r.value : r.kind;
};
const reason = (raw: unknown) => {
  const r = readTypedNumber(raw);
  return r.kind === 'invalid' ? r.reason : `read as ${r.kind === 'number' ? r.value : 'blank'}`;
};

describe('readTypedNumber', () => {
  it('reads plain numbers, well-placed thousands separators, pounds and percentages', () => {
    assert.equal(value('7'), 7);
    assert.equal(value(' 12.5 '), 12.5);
    assert.equal(value('1,234'), 1234);
    assert.equal(value('12,345,678'), 12345678);
    assert.equal(value('1,234.56'), 1234.56);
    assert.equal(value('£1,200.50'), 1200.5);
    assert.equal(value('£ 300'), 300);
    assert.equal(value('12.5%'), 12.5);
    assert.equal(value('-4'), -4);
    assert.equal(value('-1,000'), -1000);
    assert.equal(value(42), 42);
  });

  it('reads blank as nothing', () => {
    for (const raw of ['', '   ', undefined, null]) assert.equal(value(raw), 'blank', String(raw));
  });

  it('refuses commas that are not thousands separators, and says so', () => {
    for (const raw of ['1,2,3', '12,34', '1,,000', '1234,567', ',123', '123,', '12,5', '1,234,56']) {
      assert.match(reason(raw), /commas in the wrong places: a comma may only separate thousands, like 1,234/, raw);
    }
  });

  it('refuses a space inside a number rather than joining the digits', () => {
    assert.match(reason('5 5'), /space inside the number/);
    assert.match(reason('1 234'), /space inside the number/);
    assert.match(reason('12\u00a0000'), /space inside the number/);
  });

  it('refuses text that is not a number', () => {
    for (const raw of ['twenty', 'n/a', '0x10', '1e5', 'NaN', 'Infinity', '١٢٣', '1.2.3', '.5', '5.', '%', '£', '[]', '--1', '+1'])
      assert.equal(reason(raw), 'is not a number', raw);
    assert.equal(reason({}), 'is not a number');
    assert.equal(reason(['1']), 'is not a number');
  });

  it('reads 309 nines as a number that figureValueProblem calls too large', () => {
    const r = readTypedNumber('9'.repeat(309));
    assert.equal(r.kind, 'number');
    assert.match(figureValueProblem((r as { value: number }).value)!, /too large: the largest figure CSP Hub accepts is 1,000,000,000,000/);
  });
});

describe('figureValueProblem', () => {
  it('accepts 0 to a million million', () => {
    for (const v of [0, 0.5, 170, 1e9, MAX_FIGURE_VALUE]) assert.equal(figureValueProblem(v), null, String(v));
  });
  it('refuses values that are not finite, below zero or too large', () => {
    assert.equal(figureValueProblem(Number.NaN), 'is not a number');
    assert.match(figureValueProblem(Infinity)!, /too large/);
    assert.match(figureValueProblem(-Infinity)!, /below zero/);
    assert.match(figureValueProblem(-0.1)!, /below zero/);
    assert.match(figureValueProblem(MAX_FIGURE_VALUE * 1.0000001)!, /too large/);
    assert.match(figureValueProblem(1e300)!, /too large/);
  });
});

describe('quoteValue', () => {
  it('keeps short values and shortens long ones', () => {
    assert.equal(quoteValue('12'), '12');
    assert.equal(quoteValue(Infinity), 'Infinity');
    assert.equal(quoteValue('9'.repeat(309)), `${'9'.repeat(20)}…999999 (309 characters)`);
  });
});

describe('figureValueProblem: signed values by unit (issue 16)', () => {
  it('lets a score or an amount of money be below zero, never a count, rate or percentage', () => {
    assert.equal(figureValueProblem(-4.5, 'score'), null);
    assert.equal(figureValueProblem(-1200, 'money'), null);
    for (const unit of ['count', 'rate_per_1000', 'rate_per_100000', 'percentage'])
      assert.equal(
        figureValueProblem(-1, unit),
        'is below zero: counts, rates and percentages are 0 or more (only scores and money may be below zero)',
        unit,
      );
    assert.match(figureValueProblem(-1)!, /is below zero/, 'without a unit, 0 or more as before');
    assert.match(figureValueProblem(-MAX_FIGURE_VALUE * 2, 'money')!, /too large below zero/);
    assert.equal(figureValueProblem(-MAX_FIGURE_VALUE, 'money'), null);
  });
});
