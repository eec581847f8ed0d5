/**
 * Bank holidays and the collection calendar. Expected bank holiday dates are gov.uk's list for England and Wales
 * (https://www.gov.uk/bank-holidays and its archived years), including the substitute days and the one-off
 * holidays of 2020, 2022 and 2023.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addWorkingDays, bankHolidays, easterSunday, isWorkingDay, workingDaysBetween } from '../../src/domain/workingDays.ts';
import {
  collectionAsAtForQuarter,
  collectionCalendar,
  quarterCollection,
  quarterStartDate,
  completeness,
  defaultCollectFrom,
  dueDate,
  expectedPeriods,
  nextPeriod,
  periodContaining,
  periodEndDate,
  sumCompleteness,
} from '../../src/domain/collection.ts';

/** gov.uk, England and Wales. */
const GOV_UK: Record<number, string[]> = {
  2020: ['2020-01-01', '2020-04-10', '2020-04-13', '2020-05-08', '2020-05-25', '2020-08-31', '2020-12-25', '2020-12-28'],
  2021: ['2021-01-01', '2021-04-02', '2021-04-05', '2021-05-03', '2021-05-31', '2021-08-30', '2021-12-27', '2021-12-28'],
  2022: [
    '2022-01-03',
    '2022-04-15',
    '2022-04-18',
    '2022-05-02',
    '2022-06-02',
    '2022-06-03',
    '2022-08-29',
    '2022-09-19',
    '2022-12-26',
    '2022-12-27',
  ],
  2023: ['2023-01-02', '2023-04-07', '2023-04-10', '2023-05-01', '2023-05-08', '2023-05-29', '2023-08-28', '2023-12-25', '2023-12-26'],
  2024: ['2024-01-01', '2024-03-29', '2024-04-01', '2024-05-06', '2024-05-27', '2024-08-26', '2024-12-25', '2024-12-26'],
  2025: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'],
  2026: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'],
  2027: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28'],
};

describe('bank holidays of England and Wales', () => {
  for (const [year, dates] of Object.entries(GOV_UK)) {
    test(`${year} matches gov.uk`, () => assert.deepEqual(bankHolidays(Number(year)), dates));
  }
  test('every year 2020-2030 has the usual eight, plus the one-offs of 2022 and 2023', () => {
    for (let year = 2020; year <= 2030; year++) {
      const expected = year === 2022 ? 10 : year === 2023 ? 9 : 8;
      assert.equal(bankHolidays(year).length, expected, String(year));
      for (const d of bankHolidays(year)) assert.ok(![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()), `${d} is a weekday`);
    }
  });
  test('Easter Sunday by rule', () => {
    assert.equal(easterSunday(2024), '2024-03-31');
    assert.equal(easterSunday(2028), '2028-04-16');
    assert.equal(easterSunday(2030), '2030-04-21');
  });
  test('working days skip weekends and holidays', () => {
    assert.equal(isWorkingDay('2026-12-28'), false); // Boxing Day substitute
    assert.equal(isWorkingDay('2026-12-29'), true);
    // 31 March 2026 (Tue) + 5: 1, 2 April, then Good Friday 3 and Easter Monday 6 April are skipped: 7, 8, 9.
    assert.equal(addWorkingDays('2026-03-31', 5), '2026-04-09');
    assert.equal(addWorkingDays('2026-05-29', 0), '2026-05-29');
    assert.equal(addWorkingDays('2026-05-30', 0), '2026-06-01');
    assert.equal(workingDaysBetween('2026-12-24', '2026-12-31'), 3); // 29, 30, 31
    assert.throws(() => addWorkingDays('2026-01-01', -1), /0 or more/);
  });
});

describe('collection calendar', () => {
  test('period ends and due dates', () => {
    assert.equal(periodEndDate('2026-02'), '2026-02-28');
    assert.equal(periodEndDate('2024-02'), '2024-02-29');
    assert.equal(periodEndDate('2026-27 Q3'), '2026-12-31');
    assert.equal(periodEndDate('2025/26'), '2026-03-31');
    // December 2026 ends on Thursday 31st; 10 working days skip New Year's Day 2027 and two weekends.
    assert.equal(dueDate('2026-12', 10), '2027-01-15');
    assert.equal(dueDate('2026-11', 10), '2026-12-14');
    assert.equal(nextPeriod('2026-27 Q4'), '2027-28 Q1');
    assert.equal(nextPeriod('2026-12'), '2027-01');
    assert.equal(periodContaining('2027-01-15', 'quarterly'), '2026-27 Q4');
    assert.equal(periodContaining('2026-04-01', 'annual'), '2026/27');
    assert.equal(defaultCollectFrom('2026-12-02', 'monthly'), '2026-04');
    assert.equal(defaultCollectFrom('2026-12-02', 'quarterly'), '2026-27 Q1');
    assert.equal(defaultCollectFrom('2026-12-02', 'annual'), '2025/26');
  });

  test('an indicator with nothing from April to November has an overdue figure for each month by the calendar', () => {
    const calendar = collectionCalendar({ collectFrom: '2026-04', workingDays: 10, today: '2026-12-20', firstEntered: new Map() });
    assert.deepEqual(
      calendar.map((f) => f.period),
      ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'],
    );
    assert.ok(calendar.every((f) => f.status === 'overdue'));
    // On 2 December, November has ended but is not due until 14 December.
    const early = collectionCalendar({ collectFrom: '2026-04', workingDays: 10, today: '2026-12-02', firstEntered: new Map() });
    assert.equal(early.at(-1)!.period, '2026-11');
    assert.equal(early.at(-1)!.status, 'due');
    assert.equal(early.at(-2)!.status, 'overdue');
  });

  test('received on time or late, and the completeness score', () => {
    const firstEntered = new Map([
      ['2026-04', '2026-05-10T09:00:00.000Z'], // due 2026-05-15: on time
      ['2026-05', '2026-07-01T09:00:00.000Z'], // due 2026-06-12: late
    ]);
    const calendar = collectionCalendar({ collectFrom: '2026-04', workingDays: 10, today: '2026-07-20', firstEntered });
    assert.deepEqual(
      calendar.map((f) => [f.period, f.dueDate, f.status, f.onTime]),
      [
        ['2026-04', '2026-05-15', 'received', true],
        ['2026-05', '2026-06-12', 'received', false],
        ['2026-06', '2026-07-14', 'overdue', null],
      ],
    );
    const c = completeness(calendar, { from: '2026-01-01', to: '2026-12-31', today: '2026-07-20' });
    assert.deepEqual(c, { expected: 3, onTime: 1, late: 1, missing: 1, score: 33.3, received: 2, receivedShare: 66.7 });
    assert.equal(completeness(calendar, { from: '2026-06-01', to: '2026-12-31', today: '2026-07-20' }).expected, 2);
    const none = completeness([], { from: '2026-01-01', to: '2026-12-31', today: '2026-07-20' });
    assert.equal(none.score, null);
    assert.equal(none.receivedShare, null);
    assert.deepEqual(sumCompleteness([c, c]), {
      expected: 6,
      onTime: 2,
      late: 2,
      missing: 2,
      score: 33.3,
      received: 4,
      receivedShare: 66.7,
    });
  });

  test('expected periods stop at the last ended period and keep the latest', () => {
    assert.deepEqual(expectedPeriods('2026-27 Q1', '2026-12-02'), ['2026-27 Q1', '2026-27 Q2']);
    assert.deepEqual(expectedPeriods('2025/26', '2026-03-31'), []);
    assert.deepEqual(expectedPeriods('2025/26', '2026-04-01'), ['2025/26']);
    assert.equal(expectedPeriods('2000-01', '2026-12-02', 24).length, 24);
  });

  test("a quarter's collection status: missing, late, not yet due, on time, not expected", () => {
    // Due dates as worked out above: April due 15 May, May due 12 June, June due 14 July (10 working days).
    const firstEntered = new Map([
      ['2026-04', '2026-05-10T09:00:00.000Z'],
      ['2026-05', '2026-07-01T09:00:00.000Z'],
    ]);
    const on = (today: string, entered = firstEntered) =>
      quarterCollection(collectionCalendar({ collectFrom: '2026-04', workingDays: 10, today, firstEntered: entered }), '2026-06-30');
    assert.equal(quarterStartDate('2026-06-30'), '2026-04-01');
    assert.equal(quarterStartDate('2027-03-31'), '2027-01-01');
    // 20 July: June is overdue, so the quarter is missing a figure even though May came (late).
    assert.deepEqual(on('2026-07-20'), { status: 'missing', expected: 3, onTime: 1, late: 1, missing: 1, notDue: 0 });
    // 2 July: June has ended but is not due until 14 July; May was late.
    assert.deepEqual(on('2026-07-02'), { status: 'late', expected: 3, onTime: 1, late: 1, missing: 0, notDue: 1 });
    const allOnTime = new Map([
      ['2026-04', '2026-05-10T09:00:00.000Z'],
      ['2026-05', '2026-06-01T09:00:00.000Z'],
    ]);
    assert.equal(on('2026-07-02', allOnTime).status, 'not_due');
    allOnTime.set('2026-06', '2026-07-14T16:00:00.000Z');
    assert.deepEqual(on('2026-07-20', allOnTime), { status: 'on_time', expected: 3, onTime: 3, late: 0, missing: 0, notDue: 0 });
    // As at an earlier day, a figure entered later is not yet received: on 20 June May was missing, not late.
    assert.deepEqual(on('2026-06-20'), { status: 'missing', expected: 2, onTime: 1, late: 0, missing: 1, notDue: 0 });
    // Collection starting in July expects nothing for April to June.
    const later = collectionCalendar({ collectFrom: '2026-07', workingDays: 10, today: '2026-12-20', firstEntered: new Map() });
    assert.equal(quarterCollection(later, '2026-06-30').status, 'not_expected');
  });
});

describe("the day a Board pack's collection status is judged as at", () => {
  test('the day it is made for a recent quarter; the end of the following quarter for an earlier one', () => {
    assert.deepEqual(collectionAsAtForQuarter('2026-09-30', '2026-12-02'), { date: '2026-12-02', basis: 'today' });
    assert.deepEqual(collectionAsAtForQuarter('2026-09-30', '2026-12-31'), { date: '2026-12-31', basis: 'today' });
    assert.deepEqual(collectionAsAtForQuarter('2026-09-30', '2027-01-01'), { date: '2026-12-31', basis: 'following-quarter-end' });
    assert.deepEqual(collectionAsAtForQuarter('2025-06-30', '2026-12-02'), { date: '2025-09-30', basis: 'following-quarter-end' });
    assert.deepEqual(collectionAsAtForQuarter('2026-03-31', '2027-02-10'), { date: '2026-06-30', basis: 'following-quarter-end' });
    // A quarter not yet ended is judged as at today.
    assert.deepEqual(collectionAsAtForQuarter('2027-03-31', '2026-12-02'), { date: '2026-12-02', basis: 'today' });
  });
});

describe('previous and recent periods (the figure grid of one indicator)', () => {
  test('steps back across the financial year and lists the latest ended periods first', async () => {
    const { previousPeriod, recentPeriods } = await import('../../src/domain/collection.ts');
    // Q1 is April-June, so the quarter before Q1 2026/27 is Q4 2025/26 (January-March 2026).
    assert.equal(previousPeriod('2026-27 Q1'), '2025-26 Q4');
    assert.equal(previousPeriod('2026-01'), '2025-12');
    assert.equal(previousPeriod('2026/27'), '2025/26');
    // On 2 December 2026 the latest ended month is November, quarter Q2 (July-September), year 2025/26.
    assert.deepEqual(recentPeriods('2026-12-02', 'monthly', 3), ['2026-11', '2026-10', '2026-09']);
    assert.deepEqual(recentPeriods('2026-12-02', 'quarterly', 2), ['2026-27 Q2', '2026-27 Q1']);
    assert.deepEqual(recentPeriods('2026-12-02', 'annual', 1), ['2025/26']);
  });
});
