/**
 * Pure rules of meetings and the statutory calendar: reading a meeting's date and time, turning local (London)
 * time into UTC for calendar feeds, whether an action or a duty is overdue, the next due date of a recurring duty,
 * and the standard duties of a Community Safety Partnership in England.
 */

export const MEETING_TIME_ZONE = 'Europe/London';

/** Reads a time like 14:00, 2pm, 2.30pm or 9:15 as 'HH:MM'; null if it is not a time of day. */
export function parseTimeOfDay(raw: unknown): string | null {
  const s = typeof raw === 'string' ? raw.trim().toLowerCase().replace(/\s+/g, '') : '';
  const m = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(s);
  if (!m) return null;
  let h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (m[3] === undefined && m[2] === undefined) return null;
  if (m[3]) {
    if (h < 1 || h > 12) return null;
    if (m[3] === 'pm' && h !== 12) h += 12;
    if (m[3] === 'am' && h === 12) h = 0;
  }
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** Offset of London from UTC, in minutes, at a UTC instant (0 in winter, 60 in summer). */
function londonOffsetMinutes(utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: MEETING_TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((asUtc - Math.floor(utcMs / 60000) * 60000) / 60000);
}

/** A London local time 'YYYY-MM-DDTHH:MM' as a UTC instant. In the autumn's repeated hour the first (summer) time is taken. */
export function londonToUtc(local: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new RangeError(`Not a local time 'YYYY-MM-DDTHH:MM': '${local}'`);
  const naive = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  const first = naive - londonOffsetMinutes(naive - 60 * 60000) * 60000;
  const offset = londonOffsetMinutes(first);
  return new Date(naive - offset * 60000);
}

/** An ISO date moved by whole years, 29 February becoming 28 February. */
export function addYears(isoDate: string, years: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${y + years}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

export type Recurrence = 'annual' | 'three_yearly' | 'one_off';

/** The due date after a duty was done for `dueDate`: a year or three later, or null for a one-off duty. */
export function nextDueDate(dueDate: string, recurrence: Recurrence): string | null {
  if (recurrence === 'one_off') return null;
  return addYears(dueDate, recurrence === 'annual' ? 1 : 3);
}

export type DutyState = 'done' | 'overdue' | 'due_soon' | 'upcoming';

/** Where a duty stands on `today`: done (a one-off duty completed), overdue, due within 30 days, or later. */
export function dutyState(dueDate: string, today: string, completedOneOff = false): DutyState {
  if (completedOneOff) return 'done';
  if (dueDate < today) return 'overdue';
  const soon = new Date(`${today}T00:00:00Z`);
  soon.setUTCDate(soon.getUTCDate() + 30);
  return dueDate <= soon.toISOString().slice(0, 10) ? 'due_soon' : 'upcoming';
}

/**
 * An agenda item's paper is overdue when the meeting's paper deadline has passed, the meeting is still to come
 * (today included), the item has a presenter (a member or a name: someone is to bring it) and no paper is filed
 * under it. After the meeting it is no longer chased or shown.
 */
export function paperOverdue(
  item: { presenter: string; presenter_user_id: number | null },
  meeting: { paper_deadline: string | null; starts_at: string },
  hasPaper: boolean,
  today: string,
): boolean {
  if (hasPaper || meeting.paper_deadline === null) return false;
  if (item.presenter_user_id === null && item.presenter.trim() === '') return false;
  return meeting.paper_deadline < today && meeting.starts_at.slice(0, 10) >= today;
}

/** An action is overdue when it is not closed and its due date has passed. */
export function actionOverdue(action: { status: string; due_date: string | null }, today: string): boolean {
  return action.status !== 'closed' && action.due_date !== null && action.due_date < today;
}

export interface StandardDuty {
  key: string;
  title: string;
  description: string;
  legalBasis: string;
  recurrence: Recurrence;
  /** Month and day the duty normally falls due, 'MM-DD'. */
  due: string;
}

/**
 * The recurring duties of a Community Safety Partnership in England. The dates are the usual ones for a plan that
 * runs from April; each partnership changes them to its own.
 */
export const STANDARD_DUTIES: readonly StandardDuty[] = [
  {
    key: 'strategic_assessment',
    title: 'Annual strategic assessment',
    description:
      'Prepare the strategic assessment of crime, disorder, substance misuse and reoffending in the area, to set next year’s priorities.',
    legalBasis: 'Crime and Disorder (Formulation and Implementation of Strategy) Regulations 2007, regulation 5',
    recurrence: 'annual',
    due: '12-31',
  },
  {
    key: 'plan_refresh',
    title: 'Partnership plan and its annual refresh',
    description: 'Prepare the three-year partnership plan, and revise it each year in the light of the strategic assessment.',
    legalBasis: 'Crime and Disorder (Formulation and Implementation of Strategy) Regulations 2007, regulations 10 and 11',
    recurrence: 'annual',
    due: '03-31',
  },
  {
    key: 'public_consultation',
    title: 'Public consultation on crime and disorder',
    description: 'Consult people in the area on the levels and patterns of crime, disorder and substance misuse, and on the priorities.',
    legalBasis: 'Crime and Disorder (Formulation and Implementation of Strategy) Regulations 2007, regulation 12',
    recurrence: 'annual',
    due: '11-30',
  },
  {
    key: 'plan_to_pcc',
    title: 'Plan sent to the Police and Crime Commissioner',
    description:
      'Send the partnership plan (and its refresh) to the Police and Crime Commissioner, having regard to the police and crime plan.',
    legalBasis: 'Crime and Disorder Act 1998, section 6, as amended by the Police Reform and Social Responsibility Act 2011',
    recurrence: 'annual',
    due: '04-30',
  },
  {
    key: 'plan_summary',
    title: 'Plan summary published',
    description: 'Publish a summary of the partnership plan for the public.',
    legalBasis: 'Crime and Disorder (Formulation and Implementation of Strategy) Regulations 2007, regulation 11',
    recurrence: 'annual',
    due: '04-30',
  },
  {
    key: 'reoffending_strategy',
    title: 'Reducing reoffending strategy',
    description: 'Formulate and implement a strategy for the reduction of reoffending in the area, and review it.',
    legalBasis: 'Crime and Disorder Act 1998, section 6(1)(c), as amended by the Policing and Crime Act 2009',
    recurrence: 'annual',
    due: '03-31',
  },
];

/** The first date on or after `today` that falls on 'MM-DD'. */
export function nextOccurrence(monthDay: string, today: string): string {
  const year = Number(today.slice(0, 4));
  const thisYear = addYears(`${year}-${monthDay}`, 0);
  return thisYear >= today ? thisYear : addYears(thisYear, 1);
}

/** A value someone sent, as text to quote back in an error message: strings and numbers only, cut short. */
export function shown(raw: unknown, max = 30): string {
  return typeof raw === 'string' || typeof raw === 'number' ? String(raw).slice(0, max) : '';
}
