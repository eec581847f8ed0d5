/**
 * Reading a date someone typed: the one reader behind every date field (issue 15).
 *
 * Pages send the GOV.UK date input's three boxes as `{ day, month, year }`; the API and older forms send one text,
 * `2026-03-12` (the API's format), `12/3/2026` or `12 March 2026`. Either way the result is an ISO date, or an
 * error in the GOV.UK pattern that says which part is wrong ("must include a month", "must be a real date") and
 * names the boxes to mark, so the error summary can link to the first of them.
 */

export type DatePart = 'day' | 'month' | 'year';
export const DATE_PARTS: readonly DatePart[] = ['day', 'month', 'year'];

export type DateReading = { kind: 'blank' } | { kind: 'date'; iso: string } | { kind: 'invalid'; message: string; parts: DatePart[] };

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MIN_YEAR = 1990;
const MAX_YEAR = 2100;

function isoOf(y: number, m: number, d: number): string | null {
  if (y < MIN_YEAR || y > MAX_YEAR) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** A month typed as a number (3, 03) or a name (March, Mar); null if it is neither. */
function monthNumber(s: string): number | null {
  if (/^\d{1,2}$/.test(s)) return Number(s);
  const lower = s.toLowerCase();
  if (lower.length < 3) return null;
  const idx = MONTHS.findIndex((name) => name.startsWith(lower));
  return idx < 0 ? null : idx + 1;
}

/** Reads 2010-04-01, 1/4/2010 or 1 April 2010 as an ISO date; null if it is not a real date. */
export function parseDateText(raw: string): string | null {
  const s = raw.trim();
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (match) return isoOf(Number(match[1]), Number(match[2]), Number(match[3]));
  if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s))) return isoOf(Number(match[3]), Number(match[2]), Number(match[1]));
  if ((match = /^(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$/.exec(s))) {
    const m = monthNumber(match[2]!);
    return m === null ? null : isoOf(Number(match[3]), m, Number(match[1]));
  }
  return null;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const text = (x: unknown) => (typeof x === 'string' ? x.trim() : typeof x === 'number' && Number.isFinite(x) ? String(x) : '');

function joinParts(parts: DatePart[]): string {
  return parts.length === 1 ? `a ${parts[0]}` : `a ${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The three boxes of a GOV.UK date input. */
function readParts(raw: Record<string, unknown>, noun: string): DateReading {
  const given = { day: text(raw.day), month: text(raw.month), year: text(raw.year) };
  const missing = DATE_PARTS.filter((p) => given[p] === '');
  if (missing.length === 3) return { kind: 'blank' };
  if (missing.length > 0) return { kind: 'invalid', message: `${cap(noun)} must include ${joinParts(missing)}`, parts: missing };
  const wrong: DatePart[] = [];
  const day = /^\d{1,2}$/.test(given.day) ? Number(given.day) : NaN;
  if (!(day >= 1 && day <= 31)) wrong.push('day');
  const month = monthNumber(given.month);
  if (month === null || month < 1 || month > 12) wrong.push('month');
  if (!/^\d{4}$/.test(given.year)) {
    if (wrong.length === 0) return { kind: 'invalid', message: 'Year must include 4 numbers', parts: ['year'] };
    wrong.push('year');
  } else if (Number(given.year) < MIN_YEAR || Number(given.year) > MAX_YEAR) {
    if (wrong.length === 0)
      return { kind: 'invalid', message: `${cap(noun)} must be between ${MIN_YEAR} and ${MAX_YEAR}`, parts: ['year'] };
    wrong.push('year');
  }
  const iso = wrong.length === 0 ? isoOf(Number(given.year), month!, day) : null;
  if (iso === null)
    return { kind: 'invalid', message: `${cap(noun)} must be a real date`, parts: wrong.length > 0 ? wrong : [...DATE_PARTS] };
  return { kind: 'date', iso };
}

/**
 * Reads a date field: the GOV.UK date input's `{ day, month, year }`, or one text (ISO, d/m/yyyy, or d Month
 * yyyy). `noun` is the field as a sentence names it, e.g. "the due date".
 */
export function readDate(raw: unknown, noun: string): DateReading {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) return readParts(raw as Record<string, unknown>, noun);
  const s = text(raw);
  if (s === '') return { kind: 'blank' };
  const iso = parseDateText(s);
  if (iso !== null) return { kind: 'date', iso };
  // A text shaped like a date is read as its three parts, so the error names the part that is wrong (a month of
  // 13 is the month; 30 February is all three, as the GOV.UK pattern marks a date that does not exist).
  const shaped = textParts(s);
  const reading = shaped ? readParts(shaped, noun) : null;
  const parts = reading?.kind === 'invalid' ? reading.parts : [...DATE_PARTS];
  if (reading?.kind === 'invalid' && reading.message.includes(' must be between ')) return reading;
  return {
    kind: 'invalid',
    message: `${cap(noun)} must be a real date, like 2026-03-27 or 27 March 2026 (got "${s.slice(0, 40)}")`,
    parts,
  };
}

/** The day, month and year of a text shaped like a date (2026-13-05, 30/2/2026, 31 Septober 2026); null otherwise. */
function textParts(s: string): { day: string; month: string; year: string } | null {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) return { year: m[1]!, month: m[2]!, day: m[3]! };
  if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s)) || (m = /^(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$/.exec(s)))
    return { day: m[1]!, month: m[2]!, year: m[3]! };
  return null;
}

/** "27 March 2026" for an ISO date, as messages and pages write dates. */
export function formatDateLong(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  const name = MONTHS[m - 1];
  return name ? `${d} ${cap(name)} ${y}` : iso;
}

/** The boxes of a date input for a stored or typed value: an ISO date, a text we can read, or the boxes as typed. */
export function datePartsOf(value: unknown): { day: string; month: string; year: string } {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    return { day: text(o.day), month: text(o.month), year: text(o.year) };
  }
  const iso = parseDateText(text(value));
  if (iso === null) return { day: '', month: '', year: '' };
  const [y, m, d] = iso.split('-');
  return { day: String(Number(d)), month: String(Number(m)), year: y! };
}
