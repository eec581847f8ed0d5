/**
 * Demo meetings for Rutland, whose Joint Action Group "meets every 2 weeks", agrees actions on the issues it
 * identifies and reports exceptions to the Strategic Group (Rutland plan 2008-11, section 3): a JAG meeting with
 * attendees and apologies, its agenda, a decision and two actions (one linked to the anti-social behaviour
 * priority), an exception escalated to the next Strategic Group meeting, the next JAG meeting to which the actions
 * are carried, and the standard statutory duties. Created through the services, like all demo data.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../adapters/database/schema.ts';
import type { Actor } from '../services/platform/audit.ts';
import {
  addAgendaItem,
  addAttendee,
  createMeeting,
  escalateAgendaItem,
  groupLineages,
  recordDecision,
  saveMinutes,
} from '../services/meetings/meetings.ts';
import { raiseAction } from '../services/meetings/actions.ts';
import { addStandardDuties } from '../services/meetings/statutoryCalendar.ts';

export const DEMO_MEETINGS_PARTNERSHIP = 'Rutland Community Safety Partnership';

export async function seedDemoMeetings(db: Kysely<Database>, actor: Actor, partnershipId: number, name: string): Promise<void> {
  if (name !== DEMO_MEETINGS_PARTNERSHIP) return;
  const groups = await groupLineages(db, partnershipId);
  const jag = groups.find((g) => g.name === 'Joint Action Group');
  const strategic = groups.find((g) => g.name === 'Community Safety Strategic Group');
  if (!jag || !strategic) return;
  const place = 'Rutland County Council, Catmose, Oakham';
  const first = await createMeeting(db, actor, partnershipId, {
    groupId: jag.id,
    date: '2008-05-14',
    time: '10:00',
    location: place,
    paperDeadline: '2008-05-09',
  });
  await createMeeting(db, actor, partnershipId, {
    groupId: jag.id,
    date: '2008-05-28',
    time: '10:00',
    location: place,
    paperDeadline: '2008-05-23',
  });
  await createMeeting(db, actor, partnershipId, {
    groupId: strategic.id,
    date: '2008-06-10',
    time: '14:00',
    location: place,
    paperDeadline: '2008-06-03',
  });
  const orgs = await db.selectFrom('organisations').select(['id', 'name']).where('partnership_id', '=', partnershipId).execute();
  for (const [org, attendance] of [
    ['Rutland County Council', 'attended'],
    ['Leicestershire Constabulary', 'attended'],
    ['Youth Offending Service', 'attended'],
    ['Leicestershire and Rutland Probation Service', 'apologies'],
  ] as const) {
    const o = orgs.find((x) => x.name === org);
    if (o) await addAttendee(db, actor, partnershipId, first.id, { organisationId: o.id, attendance });
  }
  await addAgendaItem(db, actor, partnershipId, first.id, { kind: 'item', title: 'Minutes and actions of the last meeting' });
  const tasking = await addAgendaItem(db, actor, partnershipId, first.id, {
    kind: 'item',
    title: 'Tasking: anti-social behaviour in Oakham town centre',
    presenter: 'Leicestershire Constabulary',
    notes: 'Calls about youths gathering near the skate park have risen since Easter.',
  });
  const exception = await addAgendaItem(db, actor, partnershipId, first.id, {
    kind: 'exception',
    title: 'Diversionary activity funding will run out in July',
    notes: 'The JAG cannot resolve this within its own resources: for the Strategic Group to decide.',
  });
  await recordDecision(db, actor, partnershipId, first.id, {
    agendaItemId: tasking.id,
    decision: 'Make the skate park a hotspot for the next four weeks, with joint police and council patrols.',
  });
  const priority = await db
    .selectFrom('priorities')
    .select('id')
    .where('partnership_id', '=', partnershipId)
    .where('title', '=', 'Anti Social Behaviour')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  await raiseAction(db, actor, partnershipId, first.id, {
    title: 'Joint patrols at the skate park on Friday and Saturday evenings',
    ownerName: 'Neighbourhood Policing Inspector, Oakham',
    dueDate: '2008-06-11',
    agendaItemId: tasking.id,
    priorityId: priority?.id,
  });
  await raiseAction(db, actor, partnershipId, first.id, {
    title: 'Ask the Youth Offending Service for a diversionary session at the skate park',
    ownerName: 'Community Safety Officer, Rutland County Council',
    dueDate: '2008-05-28',
    agendaItemId: tasking.id,
  });
  await escalateAgendaItem(db, actor, partnershipId, first.id, { agendaItemId: exception.id, targetGroupId: strategic.id });
  await saveMinutes(db, actor, partnershipId, first.id, {
    minutes:
      'The group reviewed the month’s calls about anti-social behaviour and agreed the skate park as a hotspot. The funding gap for diversionary activity is reported to the Strategic Group as an exception.',
  });
  await addStandardDuties(db, actor, partnershipId);
}
