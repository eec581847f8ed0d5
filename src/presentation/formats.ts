/**
 * Numbers, percentages, money, dates and periods as they are written on pages, in documents and in downloads:
 * en-GB digits with thousands separators, '+' on rises, '£' on money, 1 April 2008 for dates. One copy of each.
 */
import { formatPeriodLabel, type IndicatorUnit } from '../domain/index.ts';

/** A number with thousands separators and at most `decimals` decimal places; blank for none. */
export function formatNumber(n: number | null | undefined, decimals = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  return n.toLocaleString('en-GB', { maximumFractionDigits: decimals });
}

/**
 * How a figure of an indicator's unit is written: counts as whole numbers (1,360 — a projection of a count is
 * still a count), 12.5% for percentages, money as £1,234, £12.50 or £1.2m, rates and scores with up to 2 decimals.
 */
export function unitFormat(unit: IndicatorUnit): (n: number) => string {
  return (n: number) =>
    unit === 'count'
      ? formatNumber(Math.round(n), 0)
      : unit === 'percentage'
        ? `${formatNumber(n, 1)}%`
        : unit === 'money'
          ? pounds(n)
          : formatNumber(n, 2);
}

/** Pounds to read: £1,234, £12.50 when there are pence, £1.2m (or £12m) from a million; the sign before the £. */
export function pounds(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  if (a >= 1_000_000) return `${sign}£${formatNumber(a / 1_000_000, a >= 10_000_000 ? 0 : 1)}m`;
  const whole = Math.abs(a - Math.round(a)) < 0.005;
  const digits = whole ? 0 : 2;
  return `${sign}£${a.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/** A change with its sign: +12, -3.5; blank for none. */
export function signedNumber(n: number | null | undefined, decimals = 2): string {
  if (n === null || n === undefined) return '';
  return `${n > 0 ? '+' : ''}${formatNumber(n, decimals)}`;
}

/** A percentage change with its sign, to one decimal place: +10.6%, -4.0%; blank for none. */
export function signedPercent(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  return `${n > 0 ? '+' : ''}${n.toFixed(1)}%`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** An ISO date (or timestamp) as a UK date: 1 April 2008. Blank for none. */
export function ukDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  if (iso.length > 10) {
    const d = new Date(iso);
    if (!Number.isNaN(d.getTime()))
      return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
  }
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** Pence as an exact amount of money: £1,234, or £12.50 when there are pence; -£5,000 below zero. Blank for none. */
export function money(pence: number | null | undefined): string {
  if (pence === null || pence === undefined) return '';
  const p = Number(pence);
  const digits = p % 100 === 0 ? 0 : 2;
  return `${p < 0 ? '-' : ''}£${(Math.abs(p) / 100).toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/**
 * A large amount said in words, as people say it back: "£1.2 million", "£500 thousand", "£2 billion"; "about £1.23
 * million" when the words round it. Blank under £100,000, where the figures read easily (issue 15: money typed as
 * "£1.2m" is shown back so a slip of a digit shows).
 */
export function moneyInWords(pence: number | null | undefined): string {
  if (pence === null || pence === undefined) return '';
  const pounds = Math.abs(Number(pence)) / 100;
  if (pounds < 100_000) return '';
  const [scale, word] = pounds >= 1e9 ? [1e9, 'billion'] : pounds >= 1e6 ? [1e6, 'million'] : [1e3, 'thousand'];
  const exact = Math.round((pounds / scale) * 1000) / 1000;
  const shown = Math.round((pounds / scale) * 100) / 100;
  const about = exact * scale === pounds && shown === exact ? '' : 'about ';
  return `${about}${Number(pence) < 0 ? '-' : ''}£${shown.toLocaleString('en-GB', { maximumFractionDigits: 2 })} ${word}`;
}

/**
 * What is left of an amount, in words rather than with a minus sign: "£5,000 unallocated" or "£5,000
 * over-allocated" (issue 15: an over-allocated stream showed "£-5,000").
 */
export function moneyLeft(pence: number, words: { left: string; over: string } = { left: 'unallocated', over: 'over-allocated' }): string {
  return `${money(Math.abs(pence))} ${pence < 0 ? words.over : words.left}`;
}

/** A period's label (April 2019, Q1 2019/20, 2019/20), or its key as stored when it is not a period (a row written by another tool). */
export function periodLabelOrKey(period: string): string {
  try {
    return formatPeriodLabel(period);
  } catch (e) {
    if (e instanceof RangeError) return period;
    throw e;
  }
}

/** A period key as people type it: '2019-20 Q4' → '2019/20 Q4' (months and financial years are typed as stored). */
export const typedPeriod = (key: string): string => key.replace(/^(\d{4})-(\d{2}) Q/, '$1/$2 Q');
