/**
 * Meetings of the governance groups: the list (upcoming and past, by group), arranging a meeting, and the meeting's
 * page with its attendees, agenda (items, decisions, escalation to another group), papers, actions carried forward
 * and raised, and minutes; the meeting pack as PDF or DOCX.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { AGENDA_ITEM_KINDS, ATTENDANCES } from '../../../../adapters/database/schema.ts';
import { ConflictError, ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import {
  addAgendaItem,
  addAttendee,
  addPaper,
  createMeeting,
  escalateAgendaItem,
  listMeetings,
  loadMeeting,
  meetingChoices,
  recordDecision,
  saveMinutes,
} from '../../../../services/meetings/meetings.ts';
import { actionsForMeeting, raiseAction } from '../../../../services/meetings/actions.ts';
import { nowIso } from '../../../../adapters/clock.ts';
import { ACTION_STATUS_LABELS, AGENDA_KIND_LABELS, ATTENDANCE_LABELS, meetingWhen } from '../../../../presentation/meetingLabels.ts';
import { loadMeetingPack, meetingPackDocument } from '../../../../presentation/documents/meetingPack.ts';
import { toDocx } from '../../../../presentation/documents/docx.ts';
import { toPrintHtml } from '../../../../presentation/documents/html.ts';
import { attachment } from '../../../../presentation/documents/document.ts';
import { PdfUnavailableError } from '../../../../adapters/chromium/pdfPrinter.ts';

type Body = Record<string, unknown>;

/** Errors of one form on a page of several: their fields prefixed with the form's name, so each links to its own box. */
const prefixed = (prefix: string, errors: FieldError[]) => errors.map((e) => ({ field: `${prefix}-${e.field}`, message: e.message }));

export async function meetingRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  const pid = (r: FastifyRequest) => r.access!.partnership.id;
  const base = (r: FastifyRequest) => `/partnerships/${pid(r)}`;
  const meetingParam = (r: FastifyRequest) => assertValidId((r.params as Record<string, string>).meetingId, 'Meeting');
  const crumbs = (r: FastifyRequest, extra: { text: string; href: string }[] = []) => [
    { text: 'Home', href: '/' },
    { text: r.access!.partnership.name, href: base(r) },
    { text: 'Meetings', href: `${base(r)}/meetings` },
    ...extra,
  ];

  app.get('/partnerships/:partnershipId/meetings', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const [meetings, choices] = await Promise.all([listMeetings(k, pid(request)), meetingChoices(k, pid(request))]);
    const now = nowIso().slice(0, 16);
    const row = (m: (typeof meetings)[number]) => ({ ...m, when: meetingWhen(m.starts_at), href: `${base(request)}/meetings/${m.id}` });
    return reply.render('features/meetings/index.njk', {
      title: 'Meetings',
      section: 'meetings',
      breadcrumbs: crumbs(request).slice(0, -1),
      upcoming: meetings.filter((m) => m.starts_at >= now).map(row),
      past: meetings
        .filter((m) => m.starts_at < now)
        .reverse()
        .map(row),
      groups: choices.groups,
      base: base(request),
    });
  });

  const newForm = async (request: FastifyRequest, reply: FastifyReply, values: Body, errors?: FieldError[], status = 200) => {
    const { groups } = await meetingChoices(k, pid(request));
    return reply.render(
      'features/meetings/new.njk',
      {
        title: 'Arrange a meeting',
        section: 'meetings',
        breadcrumbs: crumbs(request),
        groupItems: [{ value: '', text: 'Select a group' }, ...groups.map((g) => ({ value: String(g.id), text: g.name }))],
        values,
        errors,
        cancelHref: `${base(request)}/meetings`,
      },
      status,
    );
  };

  app.get('/partnerships/:partnershipId/meetings/new', { config: { auth: 'meeting.write' } }, async (request, reply) =>
    newForm(request, reply, { groupId: String((request.query as { group?: string }).group ?? ''), durationMinutes: '120' }),
  );

  app.post('/partnerships/:partnershipId/meetings/new', { config: { auth: 'meeting.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    try {
      const m = await createMeeting(k, actorOf(request.user!), pid(request), body);
      return reply
        .flash(`The meeting of ${m.group_name} on ${meetingWhen(m.starts_at)} has been arranged`)
        .redirect(`${base(request)}/meetings/${m.id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return newForm(request, reply, body, e.errors, 400);
      throw e;
    }
  });

  const meetingPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: { errors?: FieldError[]; values?: Record<string, Body> } = {},
    status = 200,
  ) => {
    const details = await loadMeeting(k, pid(request), meetingParam(request));
    const [{ carried, raised }, choices] = await Promise.all([actionsForMeeting(k, details.meeting), meetingChoices(k, pid(request))]);
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
          itemTitle: details.agenda.find((i) => i.id === p.agenda_item_id)?.title ?? '',
        })),
        previous: details.previous ? { ...details.previous, when: meetingWhen(details.previous.starts_at) } : null,
        carried: carried.map((a) => ({ ...a, statusText: ACTION_STATUS_LABELS[a.status] })),
        raised: raised.map((a) => ({ ...a, statusText: ACTION_STATUS_LABELS[a.status] })),
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
          priority: [...none('None'), ...choices.priorities.map((p) => option(p.id, p.title.slice(0, 80)))],
        },
        values: form.values ?? {},
        errors: form.errors,
      },
      status,
    );
  };

  app.get('/partnerships/:partnershipId/meetings/:meetingId', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    meetingPage(request, reply),
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
            return meetingPage(request, reply, { errors: prefixed(segment, e.errors), values: { [segment]: body } }, 400);
          if (e instanceof ConflictError)
            return meetingPage(request, reply, { errors: [{ field: `${segment}-minutes`, message: e.message }] }, 409);
          throw e;
        }
      },
    );
  const actor = (r: FastifyRequest) => actorOf(r.user!);

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

  app.get(
    '/partnerships/:partnershipId/meetings/:meetingId/pack.docx',
    { config: { auth: 'partnership.read' } },
    async (request, reply) => {
      const pack = await loadMeetingPack(k, pid(request), meetingParam(request));
      const docx = await toDocx(meetingPackDocument(pack));
      return reply
        .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('Content-Disposition', attachment(`${pack.fileName}.docx`))
        .send(docx);
    },
  );

  app.get('/partnerships/:partnershipId/meetings/:meetingId/pack.pdf', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const pack = await loadMeetingPack(k, pid(request), meetingParam(request));
    const document = meetingPackDocument(pack);
    try {
      const pdf = await app.pdfPrinter.print(toPrintHtml(document), { header: document.runningHeader, footer: document.organisation });
      return reply
        .type('application/pdf')
        .header('Content-Disposition', attachment(`${pack.fileName}.pdf`))
        .send(pdf);
    } catch (e) {
      if (!(e instanceof PdfUnavailableError)) throw e;
      request.log.warn({ err: e }, 'PDF unavailable');
      const href = `${base(request)}/meetings/${pack.details.meeting.id}`;
      return reply.render(
        'features/plans/pdf-unavailable.njk',
        {
          title: 'The PDF cannot be made at the moment',
          reason: e.message.replace(/^PDF documents are not available on this server: /, ''),
          docxHref: `${href}/pack.docx`,
          backHref: href,
        },
        503,
      );
    }
  });
}
