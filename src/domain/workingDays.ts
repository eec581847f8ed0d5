/**
 * Working days in England: Monday to Friday, except the bank holidays of England and Wales.
 *
 * The usual eight are computed by rule, as gov.uk/bank-holidays lists them: New Year's Day, Good Friday, Easter
 * Monday, the early May bank holiday (first Monday of May), the spring bank holiday (last Monday of May), the summer
 * bank holiday (last Monday of August), Christmas Day and Boxing Day. When New Year's Day, Christmas Day or Boxing
 * Day falls at a weekend, the holiday is the next weekday that is not already one (a "substitute day"). Holidays
 * moved or added by proclamation cannot be computed and are kept in {@link MOVED_HOLIDAYS} and
 * {@link EXTRA_HOLIDAYS}, from gov.uk's own list.
 *
 * Dates are 'YYYY-MM-DD' text and all arithmetic is in UTC, so no time zone moves a day.
 */

/** Usual holidays moved to another day in a year: [year, usual date, date it was held]. */
export const MOVED_HOLIDAYS: readonly (readonly [year: number, usual: string, held: string])[] = [
  // Early May bank holiday moved to Friday 8 May for the 75th anniversary of VE Day.
  [2020, '2020-05-04', '2020-05-08'],
  // Spring bank holiday moved to Thursday 2 June for the Platinum Jubilee.
  [2022, '2022-05-30', '2022-06-02'],
];

/** One-off bank holidays, in addition to the usual ones. */
export const EXTRA_HOLIDAYS: readonly (readonly [date: string, name: string])[] = [
  ['2022-06-03', 'Platinum Jubilee bank holiday'],
  ['2022-09-19', 'Bank Holiday for the State Funeral of Queen Elizabeth II'],
  ['2023-05-08', 'Bank holiday for the coronation of King Charles III'],
];

const DAY_MS = 86_400_000;

function utc(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`Not a date (expected 'YYYY-MM-DD'): '${iso}'`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(t).toISOString().slice(0, 10) !== iso) throw new RangeError(`Not a date in the calendar: '${iso}'`);
  return t;
}

function iso(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** Day of the week, 0 = Sunday ... 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(utc(date)).getUTCDay();
}

/** The date `n` calendar days after `date` (before, when negative). */
export function addDays(date: string, n: number): string {
  return iso(utc(date) + n * DAY_MS);
}

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher"). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function firstMonday(year: number, month: number): string {
  const first = `${year}-${String(month).padStart(2, '0')}-01`;
  return addDays(first, (8 - weekday(first)) % 7);
}

function lastMonday(year: number, month: number): string {
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  const last = addDays(next, -1);
  return addDays(last, -((weekday(last) + 6) % 7));
}

const isWeekend = (date: string) => weekday(date) === 0 || weekday(date) === 6;

/** The bank holidays of England and Wales in a year, in date order. */
export function bankHolidays(year: number): string[] {
  if (!Number.isInteger(year) || year < 1900 || year > 2999) throw new RangeError(`Year out of range: ${year}`);
  const easter = easterSunday(year);
  const days = new Set<string>([addDays(easter, -2), addDays(easter, 1), firstMonday(year, 5), lastMonday(year, 5), lastMonday(year, 8)]);
  // New Year's Day, Christmas Day and Boxing Day: at a weekend, the next weekday not already a holiday.
  for (const fixed of [`${year}-01-01`, `${year}-12-25`, `${year}-12-26`]) {
    let day = fixed;
    while (isWeekend(day) || days.has(day)) day = addDays(day, 1);
    days.add(day);
  }
  for (const [y, usual, held] of MOVED_HOLIDAYS) {
    if (y !== year) continue;
    days.delete(usual);
    days.add(held);
  }
  for (const [date] of EXTRA_HOLIDAYS) if (date.startsWith(`${year}-`)) days.add(date);
  return [...days].sort();
}

const cache = new Map<number, Set<string>>();
function holidaySet(year: number): Set<string> {
  let set = cache.get(year);
  if (!set) {
    set = new Set(bankHolidays(year));
    cache.set(year, set);
  }
  return set;
}

/** Whether a date is a working day in England (a weekday that is not a bank holiday). */
export function isWorkingDay(date: string): boolean {
  return !isWeekend(date) && !holidaySet(Number(date.slice(0, 4))).has(date);
}

/**
 * The date `n` working days after `date` (which itself does not count): addWorkingDays('2026-03-31', 5) is
 * 2026-04-09, because Good Friday (3 April) and Easter Monday (6 April) are not working days. n = 0 gives the
 * date itself when it is a working day, otherwise the next working day.
 */
export function addWorkingDays(date: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working days must be a whole number, 0 or more (got ${n})`);
  let day = date;
  if (n === 0) {
    while (!isWorkingDay(day)) day = addDays(day, 1);
    return day;
  }
  let left = n;
  while (left > 0) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) left -= 1;
  }
  return day;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(day)) count += 1;
  return count;
}
