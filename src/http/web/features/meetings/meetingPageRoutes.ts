/**
 * A meeting's page with its attendees, agenda (items, decisions, escalation to another group), papers, actions
 * carried forward and raised, and minutes; and the page's forms, each back to the page at its section.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { AGENDA_ITEM_KINDS, ATTENDANCES, type Database } from '../../../../adapters/database/schema.ts';
import { ConflictError, ValidationError } from '../../../../domain/errors.ts';
import {
  addAgendaItem,
  addAttendee,
  addPaper,
  escalateAgendaItem,
  loadMeeting,
  meetingChoices,
  recordDecision,
  saveMinutes,
} from '../../../../services/meetings/meetings.ts';
import { actionsForMeeting, raiseAction } from '../../../../services/meetings/actions.ts';
import { ACTION_STATUS_LABELS, AGENDA_KIND_LABELS, ATTENDANCE_LABELS, meetingWhen } from '../../../../presentation/meetingLabels.ts';
import { listMeetingPacks, sizeText } from '../../../../services/documents/documentJobs.ts';
import { jobView } from '../documents/routes.ts';
import { actor, base, crumbs, meetingParam, pid, prefixed, type Body, type Forms } from './meetingPages.ts';

/** The meeting's page: its records, the choices of its forms, and the values and errors of a form shown again. */
export async function meetingPage(k: Kysely<Database>, request: FastifyRequest, reply: FastifyReply, form: Forms = {}, status = 200) {
  const details = await loadMeeting(k, pid(request), meetingParam(request));
  const [{ carried, raised }, choices, packs] = await Promise.all([
    actionsForMeeting(k, details.meeting),
    meetingChoices(k, pid(request)),
    listMeetingPacks(k, pid(request), details.meeting.id),
  ]);
  const m = details.meeting;
  const href = `${base(request)}/meetings/${m.id}`;
  const ownLineage = choices.groups.find((g) => m.governance_group_id !== null && g.ids.includes(m.governance_group_id));
  const option = (value: string | number, text: string) => ({ value: String(value), text });
  const none = (text: string) => [{ value: '', text }];
  return reply.render(
    'features/meetings/meeting.njk',
    {
      title: `${m.title}, ${meetingWhen(m.starts_at)}`,
      section: 'meetings',
      breadcrumbs: crumbs(request),
      meeting: m,
      when: meetingWhen(m.starts_at),
      href,
      base: base(request),
      attendees: details.attendees.map((a) => ({ ...a, attendanceText: ATTENDANCE_LABELS[a.attendance] })),
      agenda: details.agenda.map((i) => ({
        ...i,
        kindText: AGENDA_KIND_LABELS[i.kind],
        whenFrom: i.escalatedFrom ? meetingWhen(i.escalatedFrom.startsAt) : '',
      })),
      papers: details.papers.map((p) => ({
        ...p,
        late: m.paper_deadline !== null && p.added_at.slice(0, 10) > m.paper_deadline,
        fileText: p.file_name ? `${p.file_name}, ${sizeText(p.size_bytes)}` : '',
        itemTitle: details.agenda.find((i) => i.id === p.agenda_item_id)?.title ?? '',
      })),
      previous: details.previous ? { ...details.previous, when: meetingWhen(details.previous.starts_at) } : null,
      carried: carried.map((a) => ({ ...a, statusText: ACTION_STATUS_LABELS[a.status] })),
      raised: raised.map((a) => ({ ...a, statusText: ACTION_STATUS_LABELS[a.status] })),
      packs: packs.map(jobView),
      groupHref: ownLineage ? `${base(request)}/actions?group=${ownLineage.id}` : null,
      items: {
        member: [...none('Not a member (enter a name)'), ...choices.members.map((u) => option(u.id, u.name))],
        organisation: [...none('No organisation'), ...choices.organisations.map((o) => option(o.id, o.name))],
        attendance: ATTENDANCES.map((a) => option(a, ATTENDANCE_LABELS[a])),
        kind: AGENDA_ITEM_KINDS.filter((x) => x !== 'escalation').map((x) => option(x, AGENDA_KIND_LABELS[x])),
        highlightReport: [...none('None'), ...choices.highlightReports.map((h) => option(h.id, `${h.title}, ${h.month}`))],
        risk: [...none('None'), ...choices.risks.map((r) => option(r.id, r.risk.slice(0, 80)))],
        indicator: [...none('None'), ...choices.indicators.map((i) => option(i.id, i.title))],
        agendaItem: [...none('Select an item'), ...details.agenda.map((i, n) => option(i.id, `${n + 1}. ${i.title.slice(0, 80)}`))],
        agendaItemOptional: [
          ...none('No particular item'),
          ...details.agenda.map((i, n) => option(i.id, `${n + 1}. ${i.title.slice(0, 80)}`)),
        ],
        targetGroup: [...none('Select a group'), ...choices.groups.filter((g) => g !== ownLineage).map((g) => option(g.id, g.name))],
        owner: [...none('Not a member (enter a name)'), ...choices.members.map((u) => option(u.id, u.name))],
        presenter: [...none('Not a member'), ...choices.members.map((u) => option(u.id, u.name))],
        priority: [...none('None'), ...choices.priorities.map((p) => option(p.id, p.title.slice(0, 80)))],
      },
      values: form.values ?? {},
      errors: form.errors,
    },
    status,
  );
}

export function meetingPageRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get('/partnerships/:partnershipId/meetings/:meetingId', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    meetingPage(k, request, reply),
  );

  /** One of the meeting page's forms: call the service, then back to the page at the form's section, or the page with the form's errors. */
  const formRoute = (segment: string, anchor: string, run: (request: FastifyRequest, body: Body) => Promise<string>) =>
    app.post(
      `/partnerships/:partnershipId/meetings/:meetingId/${segment}`,
      { config: { auth: 'meeting.write' } },
      async (request, reply) => {
        const body = (request.body ?? {}) as Body;
        try {
          const message = await run(request, body);
          return reply.flash(message).redirect(`${base(request)}/meetings/${meetingParam(request)}#${anchor}`, 303);
        } catch (e) {
          if (e instanceof ValidationError)
            return meetingPage(k, request, reply, { errors: prefixed(segment, e.errors), values: { [segment]: body } }, 400);
          if (e instanceof ConflictError)
            return meetingPage(k, request, reply, { errors: [{ field: `${segment}-minutes`, message: e.message }] }, 409);
          throw e;
        }
      },
    );

  formRoute('attendees', 'attendees', async (r, body) => {
    const a = await addAttendee(k, actor(r), pid(r), meetingParam(r), body);
    return `${a.name} has been added (${ATTENDANCE_LABELS[a.attendance].toLowerCase()})`;
  });
  formRoute('agenda-items', 'agenda', async (r, body) => {
    const item = await addAgendaItem(k, actor(r), pid(r), meetingParam(r), body);
    return `"${item.title}" has been added to the agenda`;
  });
  formRoute('decisions', 'agenda', async (r, body) => {
    await recordDecision(k, actor(r), pid(r), meetingParam(r), body);
    return 'The decision has been recorded';
  });
  formRoute('escalations', 'agenda', async (r, body) => {
    const { meeting } = await escalateAgendaItem(k, actor(r), pid(r), meetingParam(r), body);
    return `The item is on the agenda of ${meeting.group_name} on ${meetingWhen(meeting.starts_at)}`;
  });
  formRoute('papers', 'papers', async (r, body) => {
    const p = await addPaper(k, actor(r), pid(r), meetingParam(r), body);
    return `The paper "${p.title}" has been added`;
  });
  formRoute('actions', 'actions', async (r, body) => {
    const a = await raiseAction(k, actor(r), pid(r), meetingParam(r), body);
    return `The action "${a.title}" has been raised for ${a.owner_name}`;
  });
  formRoute('minutes', 'minutes', async (r, body) => {
    await saveMinutes(k, actor(r), pid(r), meetingParam(r), body);
    return 'The minutes have been saved';
  });
}
