import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addMonths,
  compareMonthKeys,
  financialYearKey,
  financialYearOfDate,
  financialYearOfMonth,
  formatPeriodLabel,
  isMonthKey,
  monthIndexInFinancialYear,
  monthKey,
  monthsBetween,
  monthsOfFinancialYear,
  monthsOfPeriod,
  monthsOfQuarter,
  parseFinancialYear,
  parseMonthKey,
  parsePeriodKey,
  parseQuarterKey,
  periodKey,
  quarterKey,
  quarterOfMonth,
  readPeriodText,
  samePeriodLastYear,
  totalOverMonths,
  yearToDateComparison,
  yearToDateMonths,
} from '../../src/domain/periods.ts';

describe('month keys', () => {
  test('parse, build and validate', () => {
    assert.deepEqual(parseMonthKey('2019-04'), { kind: 'month', year: 2019, month: 4 });
    assert.equal(monthKey(2019, 4), '2019-04');
    assert.equal(monthKey(2020, 12), '2020-12');
    assert.equal(isMonthKey('2019-04'), true);
    assert.equal(isMonthKey('2019-13'), false);
    assert.equal(isMonthKey('2019-00'), false);
    assert.equal(isMonthKey('1800-01'), false);
    assert.equal(isMonthKey('2019-4'), false);
    assert.equal(isMonthKey('2009/10'), false);
    assert.throws(() => parseMonthKey('2019-13'), RangeError);
    assert.throws(() => parseMonthKey('April 2019'), RangeError);
    assert.throws(() => monthKey(2019, 0), RangeError);
    assert.throws(() => monthKey(2019.5, 1), RangeError);
  });

  test('addMonths crosses year boundaries both ways', () => {
    assert.equal(addMonths('2019-12', 1), '2020-01');
    assert.equal(addMonths('2020-01', -1), '2019-12');
    assert.equal(addMonths('2019-04', 11), '2020-03');
    assert.equal(addMonths('2019-04', -24), '2017-04');
    assert.equal(addMonths('2019-04', 0), '2019-04');
    assert.throws(() => addMonths('2019-04', 1.5), RangeError);
  });

  test('compareMonthKeys orders chronologically and monthsBetween is inclusive', () => {
    assert.ok(compareMonthKeys('2019-12', '2020-01') < 0);
    assert.ok(compareMonthKeys('2020-01', '2019-12') > 0);
    assert.equal(compareMonthKeys('2020-01', '2020-01'), 0);
    assert.deepEqual(monthsBetween('2019-11', '2020-02'), ['2019-11', '2019-12', '2020-01', '2020-02']);
    assert.deepEqual(monthsBetween('2019-11', '2019-11'), ['2019-11']);
    assert.equal(monthsBetween('2008-04', '2011-03').length, 36);
    assert.throws(() => monthsBetween('2020-02', '2019-11'), RangeError);
  });
});

describe('financial years (April start)', () => {
  test('parse the forms plans use and build the canonical key', () => {
    assert.equal(parseFinancialYear('2009/10'), 2009);
    assert.equal(parseFinancialYear('2009-10'), 2009);
    assert.equal(parseFinancialYear('2009/2010'), 2009);
    assert.equal(parseFinancialYear('2009-2010'), 2009);
    assert.equal(parseFinancialYear(' 1999/00 '), 1999);
    assert.equal(financialYearKey(2009), '2009/10');
    assert.equal(financialYearKey(1999), '1999/00');
    assert.throws(() => parseFinancialYear('2009/11'), RangeError);
    assert.throws(() => parseFinancialYear('2009/2011'), RangeError);
    assert.throws(() => parseFinancialYear('09/10'), RangeError);
    assert.throws(() => financialYearKey(2009.5), RangeError);
  });

  test('a month belongs to the financial year that started in the April before it', () => {
    assert.equal(financialYearOfMonth('2009-04'), '2009/10');
    assert.equal(financialYearOfMonth('2010-03'), '2009/10');
    assert.equal(financialYearOfMonth('2010-04'), '2010/11');
    assert.equal(financialYearOfMonth('2009-12'), '2009/10');
    assert.equal(financialYearOfDate('2010-03-31'), '2009/10');
    assert.equal(financialYearOfDate('2010-04-01'), '2010/11');
    assert.equal(financialYearOfDate('2010-04-01T00:30:00+01:00'), '2010/11');
    assert.throws(() => financialYearOfDate('31/03/2010'), RangeError);
    assert.throws(() => financialYearOfDate('2010-03-00'), RangeError);
    assert.throws(() => financialYearOfDate('2010-13-01'), RangeError);
  });

  test('month index within the year runs April = 1 to March = 12', () => {
    assert.equal(monthIndexInFinancialYear('2019-04'), 1);
    assert.equal(monthIndexInFinancialYear('2019-06'), 3);
    assert.equal(monthIndexInFinancialYear('2019-12'), 9);
    assert.equal(monthIndexInFinancialYear('2020-01'), 10);
    assert.equal(monthIndexInFinancialYear('2020-03'), 12);
  });

  test('the months of a financial year run April to March', () => {
    const months = monthsOfFinancialYear('2009/10');
    assert.equal(months.length, 12);
    assert.equal(months[0], '2009-04');
    assert.equal(months[8], '2009-12');
    assert.equal(months[9], '2010-01');
    assert.equal(months[11], '2010-03');
  });
});

describe('quarters (Q1 = April-June)', () => {
  test('each month falls in the right financial quarter', () => {
    assert.equal(quarterOfMonth('2019-04'), '2019-20 Q1');
    assert.equal(quarterOfMonth('2019-06'), '2019-20 Q1');
    assert.equal(quarterOfMonth('2019-07'), '2019-20 Q2');
    assert.equal(quarterOfMonth('2019-09'), '2019-20 Q2');
    assert.equal(quarterOfMonth('2019-10'), '2019-20 Q3');
    assert.equal(quarterOfMonth('2019-12'), '2019-20 Q3');
    assert.equal(quarterOfMonth('2020-01'), '2019-20 Q4');
    assert.equal(quarterOfMonth('2020-03'), '2019-20 Q4');
    assert.equal(quarterOfMonth('2020-04'), '2020-21 Q1');
  });

  test('months of a quarter', () => {
    assert.deepEqual(monthsOfQuarter('2019-20 Q1'), ['2019-04', '2019-05', '2019-06']);
    assert.deepEqual(monthsOfQuarter('2019-20 Q3'), ['2019-10', '2019-11', '2019-12']);
    assert.deepEqual(monthsOfQuarter('2019-20 Q4'), ['2020-01', '2020-02', '2020-03']);
  });

  test('parse keys and labels, and build keys', () => {
    const q4 = { kind: 'quarter', financialYearStart: 2019, quarter: 4 };
    assert.deepEqual(parseQuarterKey('2019-20 Q4'), q4);
    assert.deepEqual(parseQuarterKey('2019/20 Q4'), q4);
    assert.deepEqual(parseQuarterKey('Q4 2019/20'), q4);
    assert.deepEqual(parseQuarterKey('Q4 2019-20'), q4);
    assert.equal(quarterKey(2019, 4), '2019-20 Q4');
    assert.equal(quarterKey(1999, 1), '1999-00 Q1');
    assert.throws(() => parseQuarterKey('2019-21 Q4'), RangeError);
    assert.throws(() => parseQuarterKey('2019-20 Q5'), RangeError);
    assert.throws(() => quarterKey(2019, 0), RangeError);
    assert.throws(() => quarterKey(2019, 5), RangeError);
  });
});

describe('period keys of any kind', () => {
  test('parsePeriodKey tells months, quarters and financial years apart', () => {
    assert.deepEqual(parsePeriodKey('2011-12'), { kind: 'month', year: 2011, month: 12 });
    assert.deepEqual(parsePeriodKey('2011/12'), { kind: 'financial_year', startYear: 2011 });
    assert.deepEqual(parsePeriodKey('2011-12 Q2'), { kind: 'quarter', financialYearStart: 2011, quarter: 2 });
    assert.deepEqual(parsePeriodKey(' 2009/2010 '), { kind: 'financial_year', startYear: 2009 });
    assert.throws(() => parsePeriodKey('last year'), RangeError);
    assert.throws(() => parsePeriodKey('2011-13'), RangeError);
  });

  test('periodKey round-trips canonical keys', () => {
    for (const key of ['2019-04', '2019-20 Q4', '2009/10']) {
      assert.equal(periodKey(parsePeriodKey(key)), key);
    }
    assert.equal(periodKey(parsePeriodKey('Q4 2019/20')), '2019-20 Q4');
    assert.equal(periodKey(parsePeriodKey('2009/2010')), '2009/10');
  });

  test('monthsOfPeriod', () => {
    assert.deepEqual(monthsOfPeriod('2019-04'), ['2019-04']);
    assert.deepEqual(monthsOfPeriod('2019-20 Q2'), ['2019-07', '2019-08', '2019-09']);
    assert.equal(monthsOfPeriod('2009/10').length, 12);
  });

  test('same period last year', () => {
    assert.equal(samePeriodLastYear('2019-04'), '2018-04');
    assert.equal(samePeriodLastYear('2020-01'), '2019-01');
    assert.equal(samePeriodLastYear('2019-20 Q4'), '2018-19 Q4');
    assert.equal(samePeriodLastYear('2009/10'), '2008/09');
    assert.equal(samePeriodLastYear('2000/01'), '1999/00');
  });

  test('labels for reports', () => {
    assert.equal(formatPeriodLabel('2019-04'), 'April 2019');
    assert.equal(formatPeriodLabel('2020-03'), 'March 2020');
    assert.equal(formatPeriodLabel('2019-20 Q4'), 'Q4 2019/20');
    assert.equal(formatPeriodLabel('2009/10'), '2009/10');
  });
});

describe('year to date', () => {
  test('runs from April to the given month', () => {
    assert.deepEqual(yearToDateMonths('2019-04'), ['2019-04']);
    assert.deepEqual(yearToDateMonths('2019-06'), ['2019-04', '2019-05', '2019-06']);
    const toFebruary = yearToDateMonths('2020-02');
    assert.equal(toFebruary.length, 11);
    assert.equal(toFebruary[0], '2019-04');
    assert.equal(toFebruary[10], '2020-02');
  });

  test('totalOverMonths sums what is recorded and lists what is missing', () => {
    const values = { '2019-04': 10, '2019-05': 12.5, '2019-07': 3 };
    assert.deepEqual(totalOverMonths(values, ['2019-04', '2019-05', '2019-06']), {
      total: 22.5,
      months: ['2019-04', '2019-05', '2019-06'],
      missingMonths: ['2019-06'],
    });
    assert.equal(totalOverMonths({ '2019-04': 0.1, '2019-05': 0.2 }, ['2019-04', '2019-05']).total, 0.3);
    assert.deepEqual(totalOverMonths({}, []), { total: 0, months: [], missingMonths: [] });
    assert.throws(() => totalOverMonths({ '2019-04': -1 }, ['2019-04']), RangeError);
    assert.throws(() => totalOverMonths({ '2019-04': Number.NaN }, ['2019-04']), TypeError);
    assert.throws(() => totalOverMonths({}, ['not a month']), RangeError);
  });

  test('yearToDateComparison totals this year to date and the same months last year', () => {
    const values: Record<string, number> = {
      '2018-04': 20,
      '2018-05': 22,
      '2018-06': 18,
      '2018-07': 99,
      '2019-03': 50,
      '2019-04': 15,
      '2019-05': 16,
      '2019-06': 14,
      '2019-07': 40,
    };
    const ytd = yearToDateComparison(values, '2019-06');
    assert.equal(ytd.current.total, 45);
    assert.deepEqual(ytd.current.months, ['2019-04', '2019-05', '2019-06']);
    assert.equal(ytd.samePeriodLastYear.total, 60);
    assert.deepEqual(ytd.samePeriodLastYear.months, ['2018-04', '2018-05', '2018-06']);
    assert.deepEqual(ytd.samePeriodLastYear.missingMonths, []);

    const january = yearToDateComparison(values, '2020-01');
    assert.equal(january.current.months.length, 10);
    assert.equal(january.current.total, 85);
    assert.equal(january.current.missingMonths.length, 6);
    assert.equal(january.samePeriodLastYear.total, 159); // April-July 2018; March 2019 is not in April 2018-January 2019
  });
});

describe('readPeriodText: the one reader of typed periods', () => {
  // Each label is what formatPeriodLabel writes, so the app reads back every period it shows (issue 15).
  test('reads back every label the app writes', () => {
    for (const key of ['2026-03', '2019-20 Q4', '2009/10']) assert.equal(periodKey(readPeriodText(formatPeriodLabel(key))), key);
  });
  test('reads the usual ways of typing a period', () => {
    const cases: [string, string][] = [
      ['March 2026', '2026-03'],
      ['mar. 2026', '2026-03'],
      ['3/2026', '2026-03'],
      ['2026-3', '2026-03'],
      ['Q4 2019-20', '2019-20 Q4'],
      ['2019/20 Q4', '2019-20 Q4'],
      ['2019/2020', '2019/20'],
      ['FY 2019/20', '2019/20'],
    ];
    for (const [text, key] of cases) assert.equal(periodKey(readPeriodText(text)), key, text);
  });
  test('reads 2019-20 as a financial year only when one is expected', () => {
    assert.equal(periodKey(readPeriodText('2019-20', 'financial_year')), '2019/20');
    assert.throws(() => readPeriodText('2019-20'), /Not a period/, 'month 20 does not exist');
    assert.equal(periodKey(readPeriodText('2019-12')), '2019-12', 'December 2019');
  });
  test('refuses another kind of period, and text that is none', () => {
    assert.throws(() => readPeriodText('March 2026', 'quarter'), /is a month, not a quarter/);
    for (const text of ['Smarch 2020', '2020-13', 'Q5 2019/20', '2019/21', '']) assert.throws(() => readPeriodText(text), RangeError, text);
  });
});
