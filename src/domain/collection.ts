/**
 * The collection calendar of an indicator: which figures are expected by a given day, when each is due, and whether
 * each is "received", "due" or "overdue" — judged by the calendar, not by the last figure entered. An indicator
 * with nothing entered from April to November has one overdue figure for each of those months.
 *
 * A figure for a period is expected once the period has ended, and due a number of working days (England) after
 * its last day. It is received on time when it was first entered on or before its due date. The completeness score
 * of a set of expected figures whose due date has passed is the share received on time; the share received at all
 * (on time or late) is kept beside it.
 */
import { addWorkingDays } from './workingDays.ts';
import { addMonths, financialYearKey, monthsOfPeriod, parsePeriodKey, periodKey, quarterKey } from './periods.ts';

export type CollectionFrequency = 'monthly' | 'quarterly' | 'annual';
export type CollectionStatus = 'received' | 'due' | 'overdue';

/** The last day of a period ('2026-04' -> '2026-04-30', '2026-27 Q1' -> '2026-06-30', '2025/26' -> '2026-03-31'). */
export function periodEndDate(period: string): string {
  const months = monthsOfPeriod(period);
  const last = months[months.length - 1]!;
  const [y, m] = last.split('-').map(Number) as [number, number];
  const day = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${last}-${String(day).padStart(2, '0')}`;
}

/** When a period's figure is due: `workingDays` working days after the period ends. */
export function dueDate(period: string, workingDays: number): string {
  return addWorkingDays(periodEndDate(period), workingDays);
}

/** The period after this one, of the same kind. */
export function nextPeriod(period: string): string {
  const p = parsePeriodKey(period);
  switch (p.kind) {
    case 'month':
      return addMonths(period, 1);
    case 'quarter':
      return p.quarter === 4 ? quarterKey(p.financialYearStart + 1, 1) : quarterKey(p.financialYearStart, p.quarter + 1);
    case 'financial_year':
      return financialYearKey(p.startYear + 1);
  }
}

/** The period before this one, of the same kind. */
export function previousPeriod(period: string): string {
  const p = parsePeriodKey(period);
  switch (p.kind) {
    case 'month':
      return addMonths(period, -1);
    case 'quarter':
      return p.quarter === 1 ? quarterKey(p.financialYearStart - 1, 4) : quarterKey(p.financialYearStart, p.quarter - 1);
    case 'financial_year':
      return financialYearKey(p.startYear - 1);
  }
}

/** The latest `count` periods of a frequency that have ended by `today`, the latest first. */
export function recentPeriods(today: string, frequency: CollectionFrequency, count: number): string[] {
  const out = [previousPeriod(periodContaining(today, frequency))];
  while (out.length < count) out.push(previousPeriod(out[out.length - 1]!));
  return out;
}

/** The period of a frequency that contains a date ('2026-12-02', monthly -> '2026-12'). */
export function periodContaining(date: string, frequency: CollectionFrequency): string {
  const month = date.slice(0, 7);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const fyStart = m >= 4 ? y : y - 1;
  if (frequency === 'monthly') return month;
  if (frequency === 'quarterly') return quarterKey(fyStart, Math.floor(((m + 8) % 12) / 3) + 1);
  return financialYearKey(fyStart);
}

/**
 * The first period collected when an indicator names none: the first period of the financial year containing
 * `today` (April, Q1), or for an annual indicator the financial year before, the latest one that can have ended.
 */
export function defaultCollectFrom(today: string, frequency: CollectionFrequency): string {
  const fy = periodContaining(today, 'annual');
  const start = parsePeriodKey(fy);
  if (start.kind !== 'financial_year') throw new Error('unreachable');
  if (frequency === 'annual') return financialYearKey(start.startYear - 1);
  if (frequency === 'quarterly') return quarterKey(start.startYear, 1);
  return `${start.startYear}-04`;
}

/** The periods from `from` whose last day is before `today`, oldest first (at most `limit`, the latest kept). */
export function expectedPeriods(from: string, today: string, limit = 120): string[] {
  const periods: string[] = [];
  for (let p = periodKey(parsePeriodKey(from)); periodEndDate(p) < today; p = nextPeriod(p)) {
    periods.push(p);
    if (periods.length > limit) periods.shift();
  }
  return periods;
}

export interface ExpectedFigure {
  period: string;
  /** The last day of the period. */
  periodEnd: string;
  /** The last day on which the figure is on time. */
  dueDate: string;
  status: CollectionStatus;
  /** When the figure was first entered (ISO timestamp), or null. */
  receivedAt: string | null;
  /** Received on or before its due date; null while not received. */
  onTime: boolean | null;
}

/**
 * Each expected figure of an indicator with its status on `today` (a 'YYYY-MM-DD' date). `firstEntered` maps a
 * period to the time its first figure was entered (revisions do not move it).
 */
export function collectionCalendar(options: {
  collectFrom: string;
  workingDays: number;
  today: string;
  firstEntered: ReadonlyMap<string, string>;
}): ExpectedFigure[] {
  return expectedPeriods(options.collectFrom, options.today).map((period) => {
    const due = dueDate(period, options.workingDays);
    // As at `today`: a figure first entered after it had not been received yet (a report of an earlier day).
    const entered = options.firstEntered.get(period) ?? null;
    const receivedAt = entered !== null && entered.slice(0, 10) <= options.today ? entered : null;
    const status: CollectionStatus = receivedAt ? 'received' : options.today > due ? 'overdue' : 'due';
    return {
      period,
      periodEnd: periodEndDate(period),
      dueDate: due,
      status,
      receivedAt,
      onTime: receivedAt === null ? null : receivedAt.slice(0, 10) <= due,
    };
  });
}

export interface Completeness {
  /** Expected figures whose due date is in the window and has passed. */
  expected: number;
  onTime: number;
  late: number;
  missing: number;
  /** onTime / expected as a percentage (one decimal place), or null when nothing was expected. */
  score: number | null;
  /** Received at all: on time or late. */
  received: number;
  /**
   * received / expected as a percentage (one decimal place), or null when nothing was expected. Shown with the score
   * so that a late figure visibly moves something (the score counts only figures received on time).
   */
  receivedShare: number | null;
}

const share = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

/** The counts' shares and totals. */
function scored(c: { expected: number; onTime: number; late: number }): Completeness {
  const received = c.onTime + c.late;
  return {
    expected: c.expected,
    onTime: c.onTime,
    late: c.late,
    missing: c.expected - received,
    score: share(c.onTime, c.expected),
    received,
    receivedShare: share(received, c.expected),
  };
}

/**
 * The completeness score of expected figures: only those due on or after `from` and before `today` count (a figure
 * not yet due can be neither on time nor late).
 */
export function completeness(figures: readonly ExpectedFigure[], window: { from: string; to: string; today: string }): Completeness {
  let expected = 0;
  let onTime = 0;
  let late = 0;
  for (const f of figures) {
    if (f.dueDate < window.from || f.dueDate > window.to || f.dueDate >= window.today) continue;
    expected += 1;
    if (f.onTime === true) onTime += 1;
    else if (f.onTime === false) late += 1;
  }
  return scored({ expected, onTime, late });
}

/** Adds completeness counts together (an organisation's owners, a partnership's indicators). */
export function sumCompleteness(parts: readonly Completeness[]): Completeness {
  const total = parts.reduce((a, c) => ({ expected: a.expected + c.expected, onTime: a.onTime + c.onTime, late: a.late + c.late }), {
    expected: 0,
    onTime: 0,
    late: 0,
  });
  return scored(total);
}

/** How an indicator's figures for a quarter came in, by the calendar. */
export type QuarterCollectionStatus = 'on_time' | 'late' | 'missing' | 'not_due' | 'not_expected';

export interface QuarterCollection {
  status: QuarterCollectionStatus;
  /** Figures expected for periods ending in the quarter. */
  expected: number;
  onTime: number;
  late: number;
  /** Past their due date and not received. */
  missing: number;
  /** Not received and not yet due. */
  notDue: number;
}

/** The first day of the quarter ending on `quarterEnd` ('2026-06-30' -> '2026-04-01'). */
export function quarterStartDate(quarterEnd: string): string {
  const [y, m] = quarterEnd.split('-').map(Number) as [number, number];
  return `${y}-${String(m - 2).padStart(2, '0')}-01`;
}

/**
 * The collection status of the figures expected for periods ending in a quarter (ending `quarterEnd`), as the
 * calendar that made them judged them:
 * 'missing' when any is past its due date and not received, otherwise 'late' when any came after its due date,
 * otherwise 'not_due' when any is still to come, 'on_time' when all came on time, and 'not_expected' when the
 * calendar expects none (collection starts later, or an annual figure outside the year's last quarter).
 */
export function quarterCollection(figures: readonly ExpectedFigure[], quarterEnd: string): QuarterCollection {
  const start = quarterStartDate(quarterEnd);
  const c = { expected: 0, onTime: 0, late: 0, missing: 0, notDue: 0 };
  for (const f of figures) {
    if (f.periodEnd < start || f.periodEnd > quarterEnd) continue;
    c.expected += 1;
    if (f.onTime === true) c.onTime += 1;
    else if (f.onTime === false) c.late += 1;
    else if (f.status === 'overdue') c.missing += 1;
    else c.notDue += 1;
  }
  const status: QuarterCollectionStatus =
    c.missing > 0 ? 'missing' : c.late > 0 ? 'late' : c.notDue > 0 ? 'not_due' : c.onTime > 0 ? 'on_time' : 'not_expected';
  return { status, ...c };
}

export interface CollectionAsAt {
  /** The day the quarter's collection status is judged as at. */
  date: string;
  /** 'today' for a quarter still being reported; 'following-quarter-end' for an earlier quarter. */
  basis: 'today' | 'following-quarter-end';
}

/**
 * The day a Board pack judges its quarter's collection status as at. A pack of the quarter just ended (or being
 * reported now) is judged as at the day it is made. A pack of an earlier quarter, made after the end of the quarter
 * that followed it (by when its Board pack was due and its figures with it), is judged as at that end, so figures
 * entered later do not rewrite what the Board would have seen: Q1 2025/26 (ending 30 June 2025) made on
 * 2 December 2026 is judged as at 30 September 2025.
 */
export function collectionAsAtForQuarter(quarterEnd: string, today: string): CollectionAsAt {
  const followingEnd = periodEndDate(addMonths(quarterEnd.slice(0, 7), 3));
  return today <= followingEnd ? { date: today, basis: 'today' } : { date: followingEnd, basis: 'following-quarter-end' };
}
