/**
 * Governance groups with meetings, an action, a duty and a scrutiny recommendation, built through the services,
 * and valid API bodies for the meeting routes: what the meeting tests and the authorisation walk need.
 */
import type { Kysely } from 'kysely';
import type { Database, User } from '../../src/adapters/database/schema.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { createPlan } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { validPartInput } from './plans.ts';
import {
  addAgendaItem,
  addAttendee,
  addPaper,
  createMeeting,
  escalateAgendaItem,
  recordDecision,
} from '../../src/services/meetings/meetings.ts';
import { raiseAction, raiseScrutinyAction, updateAction } from '../../src/services/meetings/actions.ts';
import { createDuty, recordDutyDone } from '../../src/services/meetings/statutoryCalendar.ts';
import { createRecommendation } from '../../src/services/meetings/scrutiny.ts';
import { uploadPaper } from '../../src/services/meetings/papers.ts';
import type { RouteRecord } from '../../src/http/app.ts';

export interface MeetingIds {
  versionId: number;
  planPriorityId: number;
  jagId: number;
  strategicId: number;
  meetingId: number;
  agendaItemId: number;
  actionId: number;
  dutyId: number;
  recommendationId: number;
}

/** A plan whose Joint Action Group reports to the Strategic Group; a JAG meeting with an item and an action; a duty; a recommendation. */
export async function buildMeetingFixture(k: Kysely<Database>, partnershipId: number): Promise<MeetingIds> {
  const { version } = await createPlan(k, SYSTEM_ACTOR, partnershipId, {
    title: `Meetings plan ${Math.random().toFixed(6)}`,
    startYear: 2025,
    endYear: 2028,
  });
  const priority = await createPart(k, SYSTEM_ACTOR, partnershipId, 'priority', version.id, {
    ...validPartInput('priority'),
    title: 'Anti-social behaviour',
  });
  const strategic = await createPart(k, SYSTEM_ACTOR, partnershipId, 'group', version.id, { name: 'Strategic Group' });
  const jag = await createPart(k, SYSTEM_ACTOR, partnershipId, 'group', version.id, {
    name: 'Joint Action Group',
    meetingFrequency: 'Every 2 weeks',
    reportsToGroupId: String(strategic.id),
  });
  const meeting = await createMeeting(k, SYSTEM_ACTOR, partnershipId, {
    groupId: jag.id,
    date: '2026-01-08',
    time: '10:00',
    location: 'Council Offices, Oakham',
  });
  const item = await addAgendaItem(k, SYSTEM_ACTOR, partnershipId, meeting.id, { kind: 'item', title: 'Tasking: ASB hotspots' });
  const action = await raiseAction(k, SYSTEM_ACTOR, partnershipId, meeting.id, {
    title: 'Patrol plan for the skate park',
    ownerName: 'Inspector Rutland',
    dueDate: '2026-01-20',
  });
  const duty = await createDuty(k, SYSTEM_ACTOR, partnershipId, {
    title: 'Serious Violence Duty strategy review',
    recurrence: 'annual',
    dueDate: '2026-01-31',
  });
  const rec = await createRecommendation(k, SYSTEM_ACTOR, partnershipId, {
    committee: 'Scrutiny Panel',
    receivedOn: '2025-11-12',
    recommendation: 'Publish ASB case review figures',
  });
  return {
    versionId: version.id,
    planPriorityId: priority.id,
    jagId: jag.id,
    strategicId: strategic.id,
    meetingId: meeting.id,
    agendaItemId: item.id,
    actionId: action.id,
    dutyId: duty.id,
    recommendationId: rec.id,
  };
}

/** Names of the URL parameters of meeting routes. */
export const MEETING_PARAMS = ['meetingId', 'actionId', 'dutyId', 'recommendationId'];

/** A valid API body for a meeting route, or undefined when the route is not one. */
export function meetingApiBody(route: RouteRecord, ids?: Partial<MeetingIds>): { body: unknown } | undefined {
  const url = route.url;
  if (url.endsWith('/meetings')) return { body: { groupId: ids?.jagId ?? 1, date: '2026-02-05', time: '10:00' } };
  if (url.endsWith('/attendees')) return { body: { name: 'Walk attendee', attendance: 'apologies' } };
  if (url.endsWith('/agenda-items')) return { body: { kind: 'item', title: `Walk item ${Math.random()}` } };
  if (url.endsWith('/papers')) return { body: { title: 'Walk paper', url: 'https://example.org/paper.pdf' } };
  if (url.endsWith('/decisions')) return { body: { agendaItemId: ids?.agendaItemId ?? 1, decision: 'Walk decision' } };
  if (url.endsWith('/meetings/:meetingId/actions')) return { body: { title: 'Walk action', ownerName: 'Walk owner' } };
  if (url.endsWith('/escalations')) return { body: { agendaItemId: ids?.agendaItemId ?? 1, targetGroupId: ids?.strategicId ?? 1 } };
  if (url.endsWith('/minutes')) return { body: { minutes: 'Walk minutes' } };
  if (url.endsWith('/updates')) return { body: { note: 'Walk update', status: 'in_progress' } };
  if (url.endsWith('/statutory-duties')) return { body: { title: 'Walk duty', recurrence: 'annual', dueDate: '2027-03-31' } };
  if (url.endsWith('/statutory-duties/standard')) return { body: {} };
  if (url.endsWith('/completions')) return { body: { completedOn: '2025-12-01', evidence: 'Walk evidence' } };
  if (url.endsWith('/scrutiny-recommendations'))
    return { body: { committee: 'Walk committee', receivedOn: '2025-12-01', recommendation: 'Walk' } };
  if (url.endsWith('/response')) return { body: { responseStatus: 'accepted', response: 'Walk response', respondedOn: '2025-12-10' } };
  if (url.endsWith('/scrutiny-recommendations/:recommendationId/actions'))
    return { body: { title: 'Walk scrutiny action', ownerName: 'Walk owner' } };
  if (url.endsWith('/calendar-feed')) return { body: {} };
  if (url.endsWith('/meetings/:meetingId') && route.method === 'PUT') return { body: { date: '2026-03-12', time: '14:00' } };
  if (url.endsWith('/paper-files'))
    return { body: { fileName: 'walk.csv', contentBase64: Buffer.from('area,count\nOakham,3\n').toString('base64') } };
  return undefined;
}

/** Every meeting table with rows, people and cross-references in them: what the export and import test needs. */
export async function enrichMeetingsForTransfer(k: Kysely<Database>, partnershipId: number, person: User): Promise<void> {
  const a = { userId: person.id, label: person.email };
  const ids = await buildMeetingFixture(k, partnershipId);
  const org = await k.selectFrom('organisations').select('id').where('partnership_id', '=', partnershipId).executeTakeFirst();
  await addAttendee(k, a, partnershipId, ids.meetingId, { userId: person.id, attendance: 'attended' });
  if (org) await addAttendee(k, a, partnershipId, ids.meetingId, { organisationId: org.id, attendance: 'apologies' });
  await addPaper(k, a, partnershipId, ids.meetingId, {
    title: 'Tasking paper',
    url: 'https://example.org/tasking.pdf',
    agendaItemId: ids.agendaItemId,
  });
  // An uploaded file, whose bytes the export carries as base64.
  await uploadPaper(k, a, partnershipId, ids.meetingId, {
    title: 'Hotspot map',
    file: { filename: 'hotspots.csv', data: Buffer.from('ward,incidents\nOakham North,12\n') },
  });
  const decision = await recordDecision(k, a, partnershipId, ids.meetingId, {
    agendaItemId: ids.agendaItemId,
    decision: 'Agreed the tasking',
  });
  const sg = await createMeeting(k, a, partnershipId, { groupId: ids.strategicId, date: '2026-02-03', time: '14:00' });
  await escalateAgendaItem(k, a, partnershipId, ids.meetingId, { agendaItemId: ids.agendaItemId, targetGroupId: ids.strategicId });
  await updateAction(k, a, partnershipId, ids.actionId, {
    note: 'Started',
    status: 'in_progress',
    updateDate: '2026-01-15',
    meetingId: sg.id,
  });
  await raiseScrutinyAction(k, a, partnershipId, ids.recommendationId, {
    title: 'Publish the figures',
    ownerUserId: person.id,
    priorityId: ids.planPriorityId,
  });
  await recordDutyDone(k, a, partnershipId, ids.dutyId, { completedOn: '2025-12-01', decisionId: decision.id });
}
