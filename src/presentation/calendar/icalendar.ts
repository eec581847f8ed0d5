/**
 * A partnership's meetings as an iCalendar feed (RFC 5545) that Outlook, Google Calendar and Apple Calendar can
 * subscribe to. Written by hand: text escaped (section 3.3.11), lines folded at 75 octets without splitting a
 * UTF-8 character (3.1), CRLF line ends, times in UTC so no VTIMEZONE is needed.
 */
import { londonToUtc } from '../../domain/meetings.ts';

export interface CalendarMeeting {
  id: number;
  title: string;
  groupName: string;
  /** London local time, 'YYYY-MM-DDTHH:MM'. */
  startsAt: string;
  durationMinutes: number;
  location: string;
  paperDeadline: string | null;
  /** The meeting's page. */
  url: string;
  /** When the meeting was last changed (ISO timestamp). */
  updatedAt: string;
}

/** Escapes a TEXT value: backslash, semicolon, comma and line breaks. */
export function escapeText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line into lines of at most 75 octets, each continuation starting with a space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

function utcStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The feed: one VEVENT per meeting. `host` makes the UIDs globally unique. */
export function meetingsCalendar(opts: { name: string; host: string; meetings: CalendarMeeting[]; now?: Date }): string {
  const stamp = utcStamp(opts.now ?? new Date());
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//CSP Hub//Meetings//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(opts.name)}`,
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
  ];
  for (const m of opts.meetings) {
    const start = londonToUtc(m.startsAt);
    const end = new Date(start.getTime() + m.durationMinutes * 60000);
    const description = [
      `${m.groupName}.`,
      m.paperDeadline ? `Papers due by ${m.paperDeadline}.` : '',
      `Agenda, papers and actions: ${m.url}`,
    ]
      .filter(Boolean)
      .join('\n');
    lines.push(
      'BEGIN:VEVENT',
      `UID:meeting-${m.id}@${opts.host}`,
      `DTSTAMP:${stamp}`,
      `LAST-MODIFIED:${utcStamp(new Date(m.updatedAt))}`,
      `DTSTART:${utcStamp(start)}`,
      `DTEND:${utcStamp(end)}`,
      `SUMMARY:${escapeText(m.title)}`,
      ...(m.location ? [`LOCATION:${escapeText(m.location)}`] : []),
      `DESCRIPTION:${escapeText(description)}`,
      `URL:${m.url}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
