/**
 * The one reader of typed dates (src/domain/dates.ts). The messages follow the GOV.UK Design System's date input
 * pattern ("must include a month", "must be a real date", "Year must include 4 numbers"); 29 February exists in
 * 2024 and not in 2025 by the Gregorian calendar.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { datePartsOf, formatDateLong, parseDateText, readDate } from '../../src/domain/dates.ts';
import { Validator } from '../../src/domain/errors.ts';

describe('readDate', () => {
  it('reads the three boxes of a date input as an ISO date', () => {
    assert.deepEqual(readDate({ day: '7', month: '03', year: '2026' }, 'the due date'), { kind: 'date', iso: '2026-03-07' });
    assert.deepEqual(readDate({ day: '29', month: 'Feb', year: '2024' }, 'the due date'), { kind: 'date', iso: '2024-02-29' });
    assert.deepEqual(readDate({ day: '', month: ' ', year: '' }, 'the due date'), { kind: 'blank' });
  });

  it('says which boxes are missing or wrong', () => {
    assert.deepEqual(readDate({ day: '7', month: '', year: '2026' }, 'the due date'), {
      kind: 'invalid',
      message: 'The due date must include a month',
      parts: ['month'],
    });
    assert.deepEqual(readDate({ day: '', month: '', year: '2026' }, 'the due date'), {
      kind: 'invalid',
      message: 'The due date must include a day and month',
      parts: ['day', 'month'],
    });
    assert.deepEqual(readDate({ day: '29', month: '2', year: '2025' }, 'the due date'), {
      kind: 'invalid',
      message: 'The due date must be a real date',
      parts: ['day', 'month', 'year'],
    });
    assert.deepEqual(readDate({ day: '7', month: '13', year: '2026' }, 'the due date'), {
      kind: 'invalid',
      message: 'The due date must be a real date',
      parts: ['month'],
    });
    assert.deepEqual(readDate({ day: '7', month: '3', year: '26' }, 'the due date'), {
      kind: 'invalid',
      message: 'Year must include 4 numbers',
      parts: ['year'],
    });
  });

  it('still reads one text, as the API and older forms send it', () => {
    assert.deepEqual(readDate('2026-03-07', 'the due date'), { kind: 'date', iso: '2026-03-07' });
    assert.equal(parseDateText('7/3/2026'), '2026-03-07');
    assert.equal(parseDateText('7 March 2026'), '2026-03-07');
    assert.equal(parseDateText('31/2/2026'), null);
    const bad = readDate('soon', 'the due date');
    assert.equal(bad.kind, 'invalid');
    // A text shaped like a date names the part that is wrong (the API's errors carry them too).
    const parts = (raw: string) => {
      const r = readDate(raw, 'the due date');
      return r.kind === 'invalid' ? r.parts : r.kind;
    };
    assert.deepEqual(parts('soon'), ['day', 'month', 'year']);
    assert.deepEqual(parts('2026-13-05'), ['month']);
    assert.deepEqual(parts('2026-03-32'), ['day']);
    assert.deepEqual(parts('31 Septober 2026'), ['month']);
    assert.deepEqual(parts('2026-02-30'), ['day', 'month', 'year']);
    assert.deepEqual(readDate('1/4/1800', 'the due date'), {
      kind: 'invalid',
      message: 'The due date must be between 1990 and 2100',
      parts: ['year'],
    });
    assert.match((readDate('2026-13-05', 'the due date') as { message: string }).message, /must be a real date, like 2026-03-27/);
  });

  it('gives the boxes back for a stored date, and writes dates long', () => {
    assert.deepEqual(datePartsOf('2026-03-07'), { day: '7', month: '3', year: '2026' });
    assert.deepEqual(datePartsOf({ day: 'x', month: '3' }), { day: 'x', month: '3', year: '' });
    assert.equal(formatDateLong('2017-04-01'), '1 April 2017');
  });

  it('Validator.date and dateOrder mark the right boxes', () => {
    const v = new Validator();
    assert.equal(v.date('due', { day: '', month: '', year: '' }, 'the due date', { required: true }), null);
    const start = v.date('start', { day: '1', month: '4', year: '2017' }, 'the start date');
    v.dateOrder('end', start, '2017-03-31', 'The end date must be the same as or after the start date');
    v.dateOrder('same', start, '2017-04-01', 'never added: the same day is allowed');
    assert.deepEqual(v.errors, [
      { field: 'due', message: 'Enter the due date', parts: ['day', 'month', 'year'] },
      { field: 'end', message: 'The end date must be the same as or after the start date', parts: ['day', 'month', 'year'] },
    ]);
  });
});
