/**
 * Meetings, decisions and actions, scrutiny and the statutory calendar on both engines: a JAG meeting raises an
 * action and an exception, the exception is escalated onto the next Strategic Group agenda, the action is carried
 * to the next JAG meetings until closed (and across a plan refresh, whose groups are copies), validation naming
 * field and value, audit records in the same transaction, and another partnership's ids refused.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { createPartnership } from '../../src/services/partnerships/partnerships.ts';
import { listAudit, SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { approveVersion, startRefresh } from '../../src/services/plans/plans.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.ts';
import {
  addAgendaItem,
  addAttendee,
  createMeeting,
  deleteMeeting,
  escalateAgendaItem,
  getMeeting,
  meetingDeletion,
  updateMeeting,
  groupLineages,
  loadMeeting,
  recordDecision,
  saveMinutes,
} from '../../src/services/meetings/meetings.ts';
import { actionsForMeeting, listActions, raiseAction, updateAction } from '../../src/services/meetings/actions.ts';
import { addStandardDuties, listDuties, overdueDuties, recordDutyDone } from '../../src/services/meetings/statutoryCalendar.ts';
import { createFeedToken, meetingsForFeed } from '../../src/services/meetings/calendarFeed.ts';
import { createUser } from '../../src/services/identity/users.ts';
import { addMembership, removeMember } from '../../src/services/partnerships/members.ts';
import { buildMeetingFixture, type MeetingIds } from '../support/meetings.ts';
import { londonToUtc, nextDueDate, parseTimeOfDay } from '../../src/domain/meetings.ts';

async function errorsOf(p: Promise<unknown>): Promise<{ field: string; message: string }[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ValidationError) return e.errors;
    throw e;
  }
  assert.fail('expected a ValidationError');
}

describe('meeting times and due dates', () => {
  it('reads times of day and turns London time into UTC across the clock changes', () => {
    assert.equal(parseTimeOfDay('2pm'), '14:00');
    assert.equal(parseTimeOfDay('9.30am'), '09:30');
    assert.equal(parseTimeOfDay('14:05'), '14:05');
    assert.equal(parseTimeOfDay('25:00'), null);
    assert.equal(parseTimeOfDay('14'), null);
    assert.equal(londonToUtc('2026-01-08T10:00').toISOString(), '2026-01-08T10:00:00.000Z');
    assert.equal(londonToUtc('2026-07-08T10:00').toISOString(), '2026-07-08T09:00:00.000Z');
    assert.equal(londonToUtc('2026-03-29T00:30').toISOString(), '2026-03-29T00:30:00.000Z');
    assert.equal(londonToUtc('2026-03-29T03:00').toISOString(), '2026-03-29T02:00:00.000Z');
    assert.equal(nextDueDate('2024-02-29', 'annual'), '2025-02-28');
    assert.equal(nextDueDate('2026-03-31', 'three_yearly'), '2029-03-31');
    assert.equal(nextDueDate('2026-03-31', 'one_off'), null);
  });
});

for (const engine of ENGINES) {
  describe(`meetings, actions and the statutory calendar on ${engine}`, () => {
    let db: TestDb;
    let pid: number;
    let otherId: number;
    let ids: MeetingIds;
    let other: MeetingIds;

    before(async () => {
      db = await freshDb(engine);
      const k = db.kysely;
      pid = (await createPartnership(k, SYSTEM_ACTOR, null, { name: 'Rutland CSP', areaDescription: 'Rutland' })).id;
      otherId = (await createPartnership(k, SYSTEM_ACTOR, null, { name: 'Other CSP', areaDescription: 'Elsewhere' })).id;
      ids = await buildMeetingFixture(k, pid);
      other = await buildMeetingFixture(k, otherId);
    });
    after(async () => db.drop());

    it('escalates a JAG exception onto the next Strategic Group agenda and carries the action until it is closed', async () => {
      const k = db.kysely;
      const exception = await addAgendaItem(k, SYSTEM_ACTOR, pid, ids.meetingId, {
        kind: 'exception',
        title: 'Rise in ASB at the skate park',
        notes: 'Up 40% on last quarter',
      });
      // No Strategic Group meeting yet: refused, naming the group.
      const none = await errorsOf(
        escalateAgendaItem(k, SYSTEM_ACTOR, pid, ids.meetingId, { agendaItemId: exception.id, targetGroupId: ids.strategicId }),
      );
      assert.equal(none[0]!.field, 'targetGroupId');
      assert.match(none[0]!.message, /Strategic Group has no meeting arranged after 2026-01-08/);
      const earlier = await createMeeting(k, SYSTEM_ACTOR, pid, { groupId: ids.strategicId, date: '2025-12-01', time: '14:00' });
      const sg = await createMeeting(k, SYSTEM_ACTOR, pid, {
        groupId: ids.strategicId,
        date: '2026-02-03',
        time: '2pm',
        paperDeadline: '2026-01-27',
      });
      await createMeeting(k, SYSTEM_ACTOR, pid, { groupId: ids.strategicId, date: '2026-05-03', time: '14:00' });
      const { meeting: target } = await escalateAgendaItem(k, SYSTEM_ACTOR, pid, ids.meetingId, {
        agendaItemId: exception.id,
        targetGroupId: ids.strategicId,
      });
      assert.equal(target.id, sg.id);
      const sgDetails = await loadMeeting(k, pid, sg.id);
      assert.equal(sgDetails.agenda.length, 1);
      assert.equal(sgDetails.agenda[0]!.kind, 'escalation');
      assert.equal(sgDetails.agenda[0]!.title, 'Rise in ASB at the skate park');
      assert.equal(sgDetails.agenda[0]!.escalatedFrom?.groupName, 'Joint Action Group');
      assert.equal(sgDetails.previous?.id, earlier.id);
      const jag = await loadMeeting(k, pid, ids.meetingId);
      assert.equal(jag.agenda.find((i) => i.id === exception.id)!.escalatedTo[0]!.meetingId, sg.id);
      // Escalating to its own group is refused.
      const own = await errorsOf(
        escalateAgendaItem(k, SYSTEM_ACTOR, pid, ids.meetingId, { agendaItemId: exception.id, targetGroupId: ids.jagId }),
      );
      assert.equal(own[0]!.field, 'targetGroupId');

      // The action raised at the first JAG is carried to the next two, and stops once closed.
      const jag2 = await createMeeting(k, SYSTEM_ACTOR, pid, { groupId: ids.jagId, date: '2026-01-22', time: '10:00' });
      const jag3 = await createMeeting(k, SYSTEM_ACTOR, pid, { groupId: ids.jagId, date: '2026-02-05', time: '10:00' });
      const jag4 = await createMeeting(k, SYSTEM_ACTOR, pid, { groupId: ids.jagId, date: '2026-02-19', time: '10:00' });
      assert.deepEqual(
        (await actionsForMeeting(k, jag2)).carried.map((a) => a.id),
        [ids.actionId],
      );
      await updateAction(k, SYSTEM_ACTOR, pid, ids.actionId, {
        note: 'Patrols started',
        status: 'in_progress',
        updateDate: '2026-01-22',
        meetingId: jag2.id,
      });
      await updateAction(k, SYSTEM_ACTOR, pid, ids.actionId, {
        note: 'Done: calls down',
        status: 'closed',
        updateDate: '2026-02-05',
        meetingId: jag3.id,
      });
      const at3 = await actionsForMeeting(k, jag3);
      assert.deepEqual(
        at3.carried.map((a) => [a.id, a.status]),
        [[ids.actionId, 'closed']],
      );
      assert.deepEqual((await actionsForMeeting(k, jag4)).carried, []);
      assert.deepEqual(
        (await listActions(k, pid, { groupId: ids.jagId, status: 'open' })).map((a) => a.id),
        [],
      );
      assert.deepEqual(
        (await listActions(k, pid, { status: 'closed' })).map((a) => a.closed_on),
        ['2026-02-05'],
      );

      const audit = await listAudit(k, { partnershipId: pid, pageSize: 200 });
      for (const type of ['meeting', 'meeting_agenda_item', 'meeting_action'])
        assert.ok(
          audit.events.some((e) => e.entity_type === type),
          type,
        );
      assert.ok(
        audit.events.some((e) => /Escalated "Rise in ASB at the skate park" from Joint Action Group to Strategic Group/.test(e.summary)),
      );
    });

    it('changes a meeting with a conflict check, and deletes one keeping its actions in the action log', async () => {
      const k = db.kysely;
      const m = await createMeeting(k, SYSTEM_ACTOR, pid, { groupId: ids.jagId, date: '2026-05-07', time: '10:00' });
      assert.deepEqual(
        (
          await errorsOf(updateMeeting(k, SYSTEM_ACTOR, pid, m.id, { date: '2026-05-07', time: '25:00', expectedUpdatedAt: m.updated_at }))
        ).map((e) => e.field),
        ['time'],
      );
      const moved = await updateMeeting(k, SYSTEM_ACTOR, pid, m.id, {
        date: '14 May 2026',
        time: '2pm',
        location: 'Victoria Hall',
        paperDeadline: '2026-05-07',
        expectedUpdatedAt: m.updated_at,
      });
      assert.equal(moved.starts_at, '2026-05-14T14:00');
      assert.equal(moved.title, 'Joint Action Group', 'a blank title is the group name');
      // A second writer who opened the meeting before the first saved is refused, and the first save stands.
      await assert.rejects(
        updateMeeting(k, SYSTEM_ACTOR, pid, m.id, { date: '2026-06-01', time: '10:00', expectedUpdatedAt: m.updated_at }),
        ConflictError,
      );
      assert.equal((await getMeeting(k, pid, m.id)).starts_at, '2026-05-14T14:00');
      await assert.rejects(updateMeeting(k, SYSTEM_ACTOR, otherId, m.id, { date: '2026-06-01', time: '10:00' }), NotFoundError);

      // The meeting gets an item with a decision, an attendee, an action (with an update given at it), and an escalation.
      const item = await addAgendaItem(k, SYSTEM_ACTOR, pid, m.id, { kind: 'exception', title: 'Night-time economy violence' });
      await recordDecision(k, SYSTEM_ACTOR, pid, m.id, { agendaItemId: item.id, decision: 'Escalate to the Strategic Group' });
      await addAttendee(k, SYSTEM_ACTOR, pid, m.id, { name: 'Sergeant Oakham', attendance: 'attended' });
      const action = await raiseAction(k, SYSTEM_ACTOR, pid, m.id, {
        title: 'Door staff briefing',
        ownerName: 'Licensing officer',
        agendaItemId: item.id,
        dueDate: '2026-06-30',
      });
      await updateAction(k, SYSTEM_ACTOR, pid, action.id, { note: 'Briefing booked', status: 'in_progress', meetingId: m.id });
      const strategic = await createMeeting(k, SYSTEM_ACTOR, pid, { groupId: ids.strategicId, date: '2026-06-10', time: '14:00' });
      const { item: escalated } = await escalateAgendaItem(k, SYSTEM_ACTOR, pid, m.id, {
        agendaItemId: item.id,
        targetGroupId: ids.strategicId,
      });
      const effects = await meetingDeletion(k, pid, m.id);
      assert.deepEqual(effects, { attendees: 1, agendaItems: 1, papers: 0, decisions: 1, actions: 1, actionUpdates: 1, escalations: 1 });

      await assert.rejects(deleteMeeting(k, SYSTEM_ACTOR, pid, m.id, { expectedUpdatedAt: m.updated_at }), ConflictError);
      await assert.rejects(deleteMeeting(k, SYSTEM_ACTOR, otherId, m.id, {}), NotFoundError);
      assert.deepEqual(await deleteMeeting(k, SYSTEM_ACTOR, pid, m.id, { expectedUpdatedAt: moved.updated_at }), effects);
      await assert.rejects(getMeeting(k, pid, m.id), NotFoundError);
      for (const table of ['meeting_agenda_items', 'meeting_decisions', 'meeting_attendees'] as const)
        assert.equal((await k.selectFrom(table).select('id').where('meeting_id', '=', m.id).execute()).length, 0, table);
      // The action stays in the JAG's log, unlinked from the meeting; its update stays; the escalated item stays.
      const kept = (await listActions(k, pid, { groupId: ids.jagId, status: 'all' })).find((a) => a.id === action.id)!;
      assert.equal(kept.meeting_id, null);
      assert.equal(kept.agenda_item_id, null);
      assert.equal(
        (await k.selectFrom('action_updates').select('meeting_id').where('action_id', '=', action.id).executeTakeFirstOrThrow()).meeting_id,
        null,
      );
      const onStrategic = (await loadMeeting(k, pid, strategic.id)).agenda.find((i) => i.id === escalated.id);
      assert.equal(onStrategic?.title, 'Night-time economy violence');
      const audit = await listAudit(k, { partnershipId: pid, pageSize: 50 });
      const deleted = audit.events.find((r) => r.entity_type === 'meeting' && r.entity_id === String(m.id) && r.action === 'delete');
      assert.match(deleted!.summary, /1 action\(s\) kept in the action log/);
      assert.ok(audit.events.some((r) => r.entity_type === 'meeting' && r.entity_id === String(m.id) && r.action === 'update'));
    });

    it('treats a group and its copy in the refreshed plan as one group', async () => {
      const k = db.kysely;
      await approveVersion(k, SYSTEM_ACTOR, pid, ids.versionId, {
        approvedBy: 'Strategic Group',
        approvedOn: '2025-03-20',
        meeting: 'March meeting',
      });
      const refresh = await startRefresh(k, SYSTEM_ACTOR, pid, ids.versionId, { label: '2026/27 refresh', year: 2026 });
      const jagLineage = (await groupLineages(k, pid)).find((l) => l.name === 'Joint Action Group')!;
      assert.equal(jagLineage.ids.length, 2);
      assert.equal(jagLineage.key, ids.jagId);
      const copyId = jagLineage.id;
      assert.notEqual(copyId, ids.jagId);
      assert.ok(refresh.id > 0);
      const action = await raiseAction(k, SYSTEM_ACTOR, pid, ids.meetingId, { title: 'Still open', ownerName: 'Chair' });
      const later = await createMeeting(k, SYSTEM_ACTOR, pid, { groupId: copyId, date: '2026-06-04', time: '10:00' });
      assert.deepEqual(
        (await actionsForMeeting(k, later)).carried.map((a) => a.id),
        [action.id],
      );
    });

    it('names the field and value of what it refuses, and refuses other partnerships’ ids', async () => {
      const k = db.kysely;
      const e = await errorsOf(
        createMeeting(k, SYSTEM_ACTOR, pid, { groupId: other.jagId, date: '31/02/2026', time: 'noonish', paperDeadline: '2026-03-01' }),
      );
      assert.deepEqual(
        e.map((x) => x.field),
        ['groupId', 'date', 'time'],
      );
      assert.match(e[1]!.message, /31\/02\/2026/);
      const late = await errorsOf(
        createMeeting(k, SYSTEM_ACTOR, pid, { groupId: ids.jagId, date: '2026-03-01', time: '10:00', paperDeadline: '2026-03-02' }),
      );
      assert.deepEqual(
        late.map((x) => x.field),
        ['paperDeadline'],
      );
      await assert.rejects(loadMeeting(k, pid, other.meetingId), NotFoundError);
      assert.deepEqual(
        (await errorsOf(recordDecision(k, SYSTEM_ACTOR, pid, ids.meetingId, { agendaItemId: other.agendaItemId, decision: 'x' }))).map(
          (x) => x.field,
        ),
        ['agendaItemId'],
      );
      await assert.rejects(updateAction(k, SYSTEM_ACTOR, pid, other.actionId, { note: 'x', status: 'closed' }), NotFoundError);
      const a = await errorsOf(
        raiseAction(k, SYSTEM_ACTOR, pid, ids.meetingId, { title: '', ownerUserId: 999999, dueDate: 'soon', priorityId: 999999 }),
      );
      assert.deepEqual(
        a.map((x) => x.field),
        ['title', 'ownerUserId', 'dueDate', 'priorityId'],
      );
      const att = await errorsOf(addAttendee(k, SYSTEM_ACTOR, pid, ids.meetingId, { organisationId: 999999, attendance: 'maybe' }));
      assert.deepEqual(
        att.map((x) => x.field),
        ['attendance', 'organisationId'],
      );
      const minutes = await saveMinutes(k, SYSTEM_ACTOR, pid, ids.meetingId, { minutes: 'Agreed the patrol plan.' });
      await assert.rejects(
        saveMinutes(k, SYSTEM_ACTOR, pid, ids.meetingId, { minutes: 'Stale', expectedUpdatedAt: '2020-01-01T00:00:00.000Z' }),
        /changed by someone else/,
      );
      assert.equal((await loadMeeting(k, pid, ids.meetingId)).meeting.minutes, minutes.minutes);
    });

    it('keeps the statutory calendar: standard duties once, completion moving the due date, overdue flagged', async () => {
      const k = db.kysely;
      const added = await addStandardDuties(k, SYSTEM_ACTOR, pid);
      assert.equal(added.length, 6);
      assert.equal((await addStandardDuties(k, SYSTEM_ACTOR, pid)).length, 0);
      // The fixture's own duty is due 2026-01-31 (past on the test machine's clock in 2026 or later).
      const overdue = await overdueDuties(k, pid);
      assert.ok(overdue.some((d) => d.id === ids.dutyId));
      const e = await errorsOf(recordDutyDone(k, SYSTEM_ACTOR, pid, ids.dutyId, { completedOn: '2999-01-01' }));
      assert.deepEqual(
        e.map((x) => x.field),
        ['completedOn'],
      );
      const { duty } = await recordDutyDone(k, SYSTEM_ACTOR, pid, ids.dutyId, {
        completedOn: '2026-01-30',
        evidence: 'Reviewed at the Strategic Group',
        evidenceUrl: '/partnerships/1/meetings',
      });
      assert.equal(duty.due_date, '2027-01-31');
      const listed = (await listDuties(k, pid)).find((d) => d.id === ids.dutyId)!;
      assert.equal(listed.completions.length, 1);
      assert.equal(listed.completions[0]!.due_date, '2026-01-31');
      await assert.rejects(recordDutyDone(k, SYSTEM_ACTOR, pid, other.dutyId, { completedOn: '2026-01-30', evidence: 'x' }), NotFoundError);
    });

    it('serves the calendar feed only while its owner is a member', async () => {
      const k = db.kysely;
      const u = await createUser(k, SYSTEM_ACTOR, {
        email: `feed-${engine}@example.org`,
        name: 'Feed Person',
        password: 'correct horse battery staple',
      });
      await addMembership(k, SYSTEM_ACTOR, pid, u, 'viewer');
      const token = await createFeedToken(k, SYSTEM_ACTOR, pid, u.id);
      const feed = await meetingsForFeed(k, token);
      assert.equal(feed?.partnership.id, pid);
      assert.ok(feed.meetings.length >= 5);
      assert.ok(feed.meetings.every((m) => m.partnership_id === pid));
      const replaced = await createFeedToken(k, SYSTEM_ACTOR, pid, u.id);
      assert.equal(await meetingsForFeed(k, token), null);
      await removeMember(k, SYSTEM_ACTOR, pid, u.id);
      assert.equal(await meetingsForFeed(k, replaced), null);
      assert.equal(await meetingsForFeed(k, 'cal_nonsense'), null);
    });
  });
}
