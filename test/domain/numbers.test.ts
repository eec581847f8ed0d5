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

describe('money as people type it and as pages write it (issue 15)', () => {
  it('reads pounds with or without the £ sign, commas and pence', async () => {
    const { readMoney } = await import('../../src/domain/numbers.ts');
    assert.deepEqual(readMoney('£1,234.50'), { kind: 'pence', pence: 123450 });
    assert.deepEqual(readMoney('1234.5'), { kind: 'pence', pence: 123450 });
    assert.deepEqual(readMoney(21700), { kind: 'pence', pence: 2170000 });
    assert.deepEqual(readMoney('  '), { kind: 'blank' });
  });
  it('says what is wrong with an amount', async () => {
    const { readMoney } = await import('../../src/domain/numbers.ts');
    const reason = (raw: unknown) => (readMoney(raw) as { reason: string }).reason;
    assert.match(reason('12.3456'), /at most 2 decimal places/);
    assert.match(reason('-5'), /£0 or more/);
    assert.match(reason('1,2,3'), /commas in the wrong places/);
    assert.match(reason('lots'), /must be an amount in pounds/);
    assert.match(reason('10%'), /not a percentage/);
  });
  it('reads £1.2m, £1.2 million, £500k and 1,200,000 alike, and refuses ambiguous amounts rather than guess', async () => {
    const { readMoney } = await import('../../src/domain/numbers.ts');
    const pence = (raw: string) => (readMoney(raw) as { pence?: number }).pence;
    for (const raw of [
      '£1.2m',
      '1.2m',
      '£1.2M',
      '£1.2 million',
      '1.2 million pounds',
      '1,200,000',
      '£1,200,000',
      '£1,200k',
      '1200000 pounds',
    ])
      assert.equal(pence(raw), 120_000_000, raw);
    assert.equal(pence('£500k'), 50_000_000);
    assert.equal(pence('£2bn'), 200_000_000_000);
    assert.equal(pence('1.234567m'), 123_456_700);
    const reason = (raw: unknown) => (readMoney(raw) as { reason: string }).reason;
    assert.match(reason('1.200'), /is ambiguous: write pence with two figures, like 1.20, or thousands with a comma, like 1,200/);
    assert.match(reason('£1,20'), /is ambiguous: use a full stop for pence/);
    assert.match(reason('1,2m'), /is ambiguous/);
    assert.match(reason('£1m-£2m'), /a range or more than one amount/);
    assert.match(reason('1.2m to 1.5m'), /a range or more than one amount/);
    assert.match(reason('£1.2b'), /"b" is not a word CSP Hub reads/);
    assert.match(reason('€1.2m'), /must be in pounds/);
    assert.match(reason('1.2345678912m'), /a part of a penny/);
    assert.match(reason('£20bn'), /too large/);
    assert.match(reason('1 200 000'), /space inside the number/);
  });
  it('writes amounts as £1,234, £12.50 or £1.2m, over-allocation in words, and counts whole', async () => {
    const { money, moneyLeft, pounds, unitFormat } = await import('../../src/presentation/formats.ts');
    assert.deepEqual(
      [pounds(1234), pounds(12.5), pounds(1_250_000), pounds(12_400_000), pounds(-5000)],
      ['£1,234', '£12.50', '£1.3m', '£12m', '-£5,000'],
    );
    assert.equal(money(-500000), '-£5,000');
    assert.equal(moneyLeft(-500000), '£5,000 over-allocated');
    assert.equal(moneyLeft(250050), '£2,500.50 unallocated');
    const { moneyInWords } = await import('../../src/presentation/formats.ts');
    assert.deepEqual(
      [
        moneyInWords(120_000_000),
        moneyInWords(123_456_789),
        moneyInWords(50_000_000),
        moneyInWords(2_170_050),
        moneyInWords(200_000_000_000),
      ],
      ['£1.2 million', 'about £1.23 million', '£500 thousand', '', '£2 billion'],
    );
    // The example: a projected year end of a count was written "1,359.6 incidents".
    assert.equal(unitFormat('count')(1359.6), '1,360');
    assert.equal(unitFormat('percentage')(12.345), '12.3%');
    assert.equal(unitFormat('rate_per_1000')(4.567), '4.57');
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
