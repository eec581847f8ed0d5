/**
 * Reading figures as people type them, and the range of values a figure may take. Pure: used by every place a
 * figure, baseline or target value enters (entry grid, CSV/XLSX upload, indicator form, API, whole-partnership
 * import) and by the calculations, which leave out a stored figure that fails these checks.
 */

/**
 * The largest figure CSP Hub accepts: a million million. Larger values are typing or file errors in a
 * partnership's counts, rates, percentages or money, and beyond it figures lose the 12 significant figures the
 * reports print (see `tidy`).
 */
export const MAX_FIGURE_VALUE = 1e12;

/** What a typed number reads as: nothing, a number, or text that is not a number and why. */
export type NumberReading = { kind: 'blank' } | { kind: 'number'; value: number } | { kind: 'invalid'; reason: string };

const PLAIN = /^-?\d+(\.\d+)?$/;
/** Commas between groups of three digits only: 1,234 and 12,345,678.5, never 1,2,3 or 12,34. */
const GROUPED = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;

/**
 * Reads a number as people type it: '1,234', '12.5%', '£1,200.50', ' 7 '. Commas are accepted only between
 * groups of three digits ('1,234', '12,345,678'), so '1,2,3' and '12,34' are refused rather than read as 123 and
 * 1234; a space inside the number ('5 5') is refused rather than read as 55. A JavaScript number is taken as it
 * is (whether it is finite is for {@link figureValueProblem} to say).
 */
export function readTypedNumber(raw: unknown): NumberReading {
  if (typeof raw === 'number') return { kind: 'number', value: raw };
  if (typeof raw !== 'string')
    return raw === undefined || raw === null ? { kind: 'blank' } : { kind: 'invalid', reason: 'is not a number' };
  let s = raw.trim();
  if (s.startsWith('£')) s = s.slice(1).trimStart();
  else if (s.startsWith('-£')) s = `-${s.slice(2).trimStart()}`;
  if (s.endsWith('%')) s = s.slice(0, -1).trimEnd();
  if (s === '') return raw.trim() === '' ? { kind: 'blank' } : { kind: 'invalid', reason: 'is not a number' };
  if (PLAIN.test(s)) return { kind: 'number', value: Number(s) };
  if (GROUPED.test(s)) return { kind: 'number', value: Number(s.replace(/,/g, '')) };
  const compact = s.replace(/[\s,]/g, '');
  if (PLAIN.test(compact)) {
    if (/\s/.test(s)) return { kind: 'invalid', reason: 'has a space inside the number: write it without spaces, like 55 or 5.5' };
    return {
      kind: 'invalid',
      reason:
        'has commas in the wrong places: a comma may only separate thousands, like 1,234 or 12,345,678 (use a full stop for decimals, like 12.5)',
    };
  }
  return { kind: 'invalid', reason: 'is not a number' };
}

/**
 * The units whose figures may be below zero: a score (a net change, a perception balance) and money (a budget
 * balance, a net saving). Counts, rates and percentages of people never are.
 */
export const SIGNED_UNITS: readonly string[] = ['score', 'money'];

/** Whether figures of this unit may be below zero (see {@link SIGNED_UNITS}). */
export const allowsNegative = (unit: string | undefined): boolean => unit !== undefined && SIGNED_UNITS.includes(unit);

/**
 * Why a value cannot be a figure, a baseline or a target, completing a sentence that starts with the value; null
 * when it can. Figures are counts, rates, percentages, scores or money: finite, at most {@link MAX_FIGURE_VALUE}
 * either side of 0, and 0 or more unless the unit is given and allows values below zero (scores and money).
 */
export function figureValueProblem(value: number, unit?: string): string | null {
  if (typeof value !== 'number' || Number.isNaN(value)) return 'is not a number';
  if (value > MAX_FIGURE_VALUE) return `is too large: the largest figure CSP Hub accepts is ${MAX_FIGURE_VALUE.toLocaleString('en-GB')}`;
  if (value < 0 && !allowsNegative(unit))
    return unit === undefined
      ? 'is below zero: figures are counts, rates or percentages of 0 or more'
      : 'is below zero: counts, rates and percentages are 0 or more (only scores and money may be below zero)';
  if (value < -MAX_FIGURE_VALUE)
    return `is too large below zero: the figure furthest below zero CSP Hub accepts is -${MAX_FIGURE_VALUE.toLocaleString('en-GB')}`;
  return null;
}

/** A value as an error message quotes it: long ones shortened, so a 309-digit number does not fill the page. */
export function quoteValue(raw: unknown): string {
  const s =
    typeof raw === 'string'
      ? raw
      : typeof raw === 'number'
        ? String(raw)
        : raw === undefined || raw === null
          ? ''
          : (JSON.stringify(raw) ?? '');
  return s.length > 40 ? `${s.slice(0, 20)}…${s.slice(-6)} (${s.length} characters)` : s;
}

/** The largest amount of money a plan holds: ten thousand million pounds, in pence. */
export const MAX_MONEY_PENCE = 1e12;

/** The words that multiply an amount of money: £1.2m, £1.2 million, £500k, £2bn. */
const MONEY_SCALES: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  mn: 1e6,
  million: 1e6,
  bn: 1e9,
  billion: 1e9,
};

const MONEY_EXAMPLES = 'like 21700, £21,700.50, £1.2m or £1.2 million';

/**
 * Reads an amount of money as people type it — '£1,234.50', '1234.5', '£21,700', '1,200,000', '£1.2m', '£1.2
 * million', '£500k' — as whole pence, or says what is wrong (completing a sentence that starts with the field's
 * name). Refused as ambiguous rather than guessed: three decimals ('1.200': £1.20 or £1,200?), a comma for pence
 * ('1,20'), a range or two amounts ('£1m-£2m'), another currency, an unknown word ('£1.2b'). Not below zero. A
 * JavaScript number (the API) is read as pounds.
 */
export function readMoney(raw: unknown): { kind: 'blank' } | { kind: 'pence'; pence: number } | { kind: 'invalid'; reason: string } {
  if (typeof raw !== 'string') return pence(readTypedNumber(raw), 1);
  const s = raw.trim();
  if (s === '') return { kind: 'blank' };
  if (s.endsWith('%')) return { kind: 'invalid', reason: 'must be an amount in pounds, not a percentage' };
  if (/[$€¥]|\b(usd|eur|euros?|dollars?)\b/i.test(s)) return { kind: 'invalid', reason: `must be in pounds (£), ${MONEY_EXAMPLES}` };
  if (/\d\s*[a-z]*\s*(-|–|—|\bto\b|\bor\b|\band\b|\/)\s*£?\s*\d/i.test(s))
    return { kind: 'invalid', reason: 'is a range or more than one amount: enter one amount' };
  const m = /^(-?£?\s*[\d.,\s]*\d[\d.,]*)\s*([a-z]+)?(?:\s+pounds)?$/i.exec(s);
  const word = m?.[2]?.toLowerCase();
  if (m && word !== undefined && word !== 'pounds' && !(word in MONEY_SCALES))
    return { kind: 'invalid', reason: `must be an amount in pounds, ${MONEY_EXAMPLES} ("${m[2]}" is not a word CSP Hub reads)` };
  const number = m && word !== undefined && word !== 'pounds' ? m[1]! : m ? m[1]! : s;
  if (/^-?£?\s*\d+,\d{1,2}$/.test(number.trim()))
    return { kind: 'invalid', reason: 'is ambiguous: use a full stop for pence, like 1.20, and commas only between thousands, like 1,200' };
  if ((word === undefined || word === 'pounds') && /^-?£?\s*\d{1,3}\.\d{3}$/.test(number.trim()))
    return {
      kind: 'invalid',
      reason: `is ambiguous: write pence with two figures, like 1.20, or thousands with a comma, like 1,200 (got "${number.trim()}")`,
    };
  return pence(readTypedNumber(number), word !== undefined && word !== 'pounds' ? MONEY_SCALES[word]! : 1);
}

/** The pence of a number read, times a scale (1,000 for '£500k'), or what is wrong with it. */
function pence(
  reading: NumberReading,
  scale: number,
): { kind: 'blank' } | { kind: 'pence'; pence: number } | { kind: 'invalid'; reason: string } {
  if (reading.kind === 'blank') return reading;
  if (reading.kind === 'invalid')
    return { kind: 'invalid', reason: `${reading.reason.replace(/^is /, 'must be an amount in pounds: it is ')}` };
  const value = reading.value * scale;
  if (!Number.isFinite(value)) return { kind: 'invalid', reason: `must be an amount in pounds, ${MONEY_EXAMPLES}` };
  if (value < 0) return { kind: 'invalid', reason: 'must be £0 or more' };
  const p = Math.round(value * 100);
  if (Math.abs(value * 100 - p) > 1e-6)
    return scale === 1
      ? { kind: 'invalid', reason: 'can have at most 2 decimal places (pence), like £21,700.50' }
      : { kind: 'invalid', reason: 'comes to a part of a penny: write the whole amount, like £1,234,567.89' };
  if (p >= MAX_MONEY_PENCE) return { kind: 'invalid', reason: 'is too large: the most a plan can hold is £10,000,000,000' };
  return { kind: 'pence', pence: p };
}
