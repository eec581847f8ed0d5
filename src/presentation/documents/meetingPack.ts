/**
 * The pack for a governance group's meeting: the agenda (with what each item is about and any decisions), the
 * papers with the paper deadline, the minutes of the group's previous meeting, and the action log (the actions
 * carried forward to this meeting and those raised at it). One ReportDocument, written as DOCX and printed as PDF.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { getPartnership } from '../../services/partnerships/partnerships.ts';
import { loadMeeting, type MeetingDetails } from '../../services/meetings/meetings.ts';
import { actionsForMeeting, type ActionDetails } from '../../services/meetings/actions.ts';
import { ACTION_STATUS_LABELS, AGENDA_KIND_LABELS, ATTENDANCE_LABELS, meetingWhen } from '../meetingLabels.ts';
import { fileNameFor, paragraphs, type Block, type ReportDocument } from './document.ts';
import { ukDate } from '../formats.ts';

export interface MeetingPack {
  partnershipName: string;
  details: MeetingDetails;
  carried: ActionDetails[];
  raised: ActionDetails[];
  fileName: string;
}

export async function loadMeetingPack(db: Kysely<Database>, partnershipId: number, meetingId: number): Promise<MeetingPack> {
  const details = await loadMeeting(db, partnershipId, meetingId);
  const { carried, raised } = await actionsForMeeting(db, details.meeting);
  const partnership = await getPartnership(db, partnershipId);
  return {
    partnershipName: partnership.name,
    details,
    carried,
    raised,
    fileName: fileNameFor(details.meeting.title, 'meeting pack', details.meeting.starts_at.slice(0, 10)),
  };
}

function actionRows(actions: ActionDetails[]): string[][] {
  return actions.map((a) => [
    a.title,
    a.owner_name,
    a.due_date ? ukDate(a.due_date) : 'No date',
    `${ACTION_STATUS_LABELS[a.status]}${a.overdue ? ' (overdue)' : ''}`,
    a.raisedAt ? ukDate(a.raisedAt.slice(0, 10)) : '',
  ]);
}

/** An agenda item whose paper has not come by the deadline (domain paperOverdue), as the pack says it. */
function overdueText(deadline: string | null): string {
  return `Paper overdue: due by ${deadline ? ukDate(deadline) : 'the deadline'}, none added yet`;
}

const ACTION_COLUMNS = [
  { header: 'Action', width: 40 },
  { header: 'Owner' },
  { header: 'Due' },
  { header: 'Status' },
  { header: 'Raised' },
];

export function meetingPackDocument(pack: MeetingPack): ReportDocument {
  const { meeting, attendees, agenda, papers, previous } = pack.details;
  const when = meetingWhen(meeting.starts_at);
  const agendaBlocks: Block[] = [];
  if (agenda.length === 0) agendaBlocks.push({ kind: 'paragraph', text: 'No items have been added to the agenda yet.' });
  agenda.forEach((item, i) => {
    agendaBlocks.push({ kind: 'heading', level: 3, text: `${i + 1}. ${item.title}` });
    agendaBlocks.push({ kind: 'fact', label: 'Type', text: AGENDA_KIND_LABELS[item.kind] });
    if (item.escalatedFrom)
      agendaBlocks.push({
        kind: 'fact',
        label: 'Escalated from',
        text: `${item.escalatedFrom.groupName}, ${ukDate(item.escalatedFrom.startsAt.slice(0, 10))}`,
      });
    if (item.quarter) agendaBlocks.push({ kind: 'fact', label: 'Quarter', text: item.quarter });
    if (item.presenter) agendaBlocks.push({ kind: 'fact', label: 'Presented by', text: item.presenter });
    if (item.paperOverdue) agendaBlocks.push({ kind: 'fact', label: 'Paper', text: overdueText(meeting.paper_deadline) });
    agendaBlocks.push(...paragraphs(item.notes));
    for (const d of item.decisions) agendaBlocks.push({ kind: 'fact', label: 'Decision', text: d.decision });
  });
  const paperBlocks: Block[] = [
    {
      kind: 'paragraph',
      text: meeting.paper_deadline ? `Papers were due by ${ukDate(meeting.paper_deadline)}.` : 'No paper deadline was set.',
    },
  ];
  if (papers.length)
    paperBlocks.push({
      kind: 'table',
      caption: 'Papers',
      columns: [{ header: 'Paper', width: 40 }, { header: 'Agenda item' }, { header: 'Where' }, { header: 'Added' }],
      rows: papers.map((p) => [
        p.title,
        agenda.find((a) => a.id === p.agenda_item_id)?.title ?? '',
        // An uploaded paper's address is only a path within CSP Hub: the pack names the file instead.
        p.file_name ? `Uploaded to CSP Hub: ${p.file_name}` : p.url,
        `${ukDate(p.added_at)}${meeting.paper_deadline && p.added_at.slice(0, 10) > meeting.paper_deadline ? ' (late)' : ''}`,
      ]),
    });
  else paperBlocks.push({ kind: 'paragraph', text: 'No papers have been added.' });
  const overdue = agenda.filter((a) => a.paperOverdue);
  if (overdue.length)
    paperBlocks.push({
      kind: 'table',
      caption: 'Papers overdue',
      columns: [{ header: 'Agenda item', width: 50 }, { header: 'Presented by' }, { header: 'Status' }],
      rows: overdue.map((a) => [a.title, a.presenter, overdueText(meeting.paper_deadline)]),
    });
  const attendance: Block[] = attendees.length
    ? [
        {
          kind: 'table',
          caption: 'Attendees and apologies',
          columns: [{ header: 'Name', width: 60 }, { header: 'Attendance' }],
          rows: attendees.map((a) => [a.name, ATTENDANCE_LABELS[a.attendance]]),
        },
      ]
    : [{ kind: 'paragraph', text: 'No attendees have been recorded.' }];
  return {
    organisation: pack.partnershipName,
    title: `${meeting.title}: meeting pack`,
    subtitle: when,
    titlePageLines: [meeting.group_name, when, ...(meeting.location ? [meeting.location] : [])],
    runningHeader: `${meeting.title}, ${ukDate(meeting.starts_at.slice(0, 10))}`,
    sections: [
      { title: 'Agenda', blocks: agendaBlocks },
      { title: 'Papers', blocks: paperBlocks },
      { title: 'Attendees', blocks: attendance },
      {
        title: 'Minutes of the previous meeting',
        blocks: previous
          ? [
              { kind: 'paragraph', text: `${previous.title}, ${meetingWhen(previous.starts_at)}`, emphasis: 'lead' },
              ...(previous.minutes.trim()
                ? paragraphs(previous.minutes)
                : [{ kind: 'paragraph' as const, text: 'No minutes were recorded.' }]),
            ]
          : [{ kind: 'paragraph', text: 'This is the first meeting of the group recorded in CSP Hub.' }],
      },
      {
        title: 'Action log',
        blocks: [
          pack.carried.length
            ? {
                kind: 'table',
                caption: 'Actions carried forward from earlier meetings',
                columns: ACTION_COLUMNS,
                rows: actionRows(pack.carried),
              }
            : { kind: 'paragraph', text: 'No actions are carried forward from earlier meetings.' },
          pack.raised.length
            ? { kind: 'table', caption: 'Actions raised at this meeting', columns: ACTION_COLUMNS, rows: actionRows(pack.raised) }
            : { kind: 'paragraph', text: 'No actions have been raised at this meeting yet.' },
        ],
      },
    ],
  };
}
