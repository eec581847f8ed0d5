/** Words for the meeting, action, scrutiny and statutory calendar values, shared by pages, the API's callers and documents. */
import type { ActionStatus, AgendaItemKind, Attendance, DutyRecurrence, ScrutinyStatus } from '../adapters/database/schema.ts';
import type { DutyState } from '../domain/meetings.ts';

export const ATTENDANCE_LABELS: Record<Attendance, string> = {
  expected: 'Expected',
  attended: 'Attended',
  apologies: 'Apologies',
  absent: 'Absent',
};

export const AGENDA_KIND_LABELS: Record<AgendaItemKind, string> = {
  item: 'Item for discussion',
  board_pack: 'Quarterly report (Board pack)',
  exception_report: 'Exception report',
  highlight_report: 'Highlight report',
  risk: 'Risk',
  indicator: 'Indicator',
  exception: 'Exception raised',
  escalation: 'Escalated from another group',
};

export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = { open: 'Open', in_progress: 'In progress', closed: 'Closed' };

export const SCRUTINY_STATUS_LABELS: Record<ScrutinyStatus, string> = {
  awaiting: 'Awaiting response',
  accepted: 'Accepted',
  partly_accepted: 'Partly accepted',
  not_accepted: 'Not accepted',
};

export const RECURRENCE_LABELS: Record<DutyRecurrence, string> = {
  annual: 'Every year',
  three_yearly: 'Every three years',
  one_off: 'Once',
};

export const DUTY_STATE_LABELS: Record<DutyState, string> = {
  done: 'Done',
  overdue: 'Overdue',
  due_soon: 'Due within 30 days',
  upcoming: 'Upcoming',
};

/** 'Thursday 8 January 2026, 10:00' from a local 'YYYY-MM-DDTHH:MM'. */
export function meetingWhen(startsAt: string): string {
  const [date, time] = startsAt.split('T') as [string, string];
  const d = new Date(`${date}T12:00:00Z`);
  const weekday = d.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
  const day = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return `${weekday} ${day}, ${time}`;
}
