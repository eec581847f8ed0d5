/**
 * Meetings of the governance groups: the list (upcoming and past, by group) and arranging a meeting. The meeting's
 * page with its forms is in meetingPageRoutes.ts, the meeting pack as PDF or DOCX in packRoutes.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { AppServices } from '../../../context.ts';
import type { Database } from '../../../../adapters/database/schema.ts';
import { ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { createMeeting, listMeetings, meetingChoices } from '../../../../services/meetings/meetings.ts';
import { nowIso } from '../../../../adapters/clock.ts';
import { meetingWhen } from '../../../../presentation/meetingLabels.ts';
import { actor, base, crumbs, pid, type Body } from './meetingPages.ts';
import { meetingPageRoutes } from './meetingPageRoutes.ts';
import { meetingPackRoutes } from './packRoutes.ts';
import { meetingEditRoutes } from './editRoutes.ts';
import { meetingPaperRoutes } from './paperRoutes.ts';

export async function meetingRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
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

  app.get('/partnerships/:partnershipId/meetings/new', { config: { auth: 'meeting.write' } }, async (request, reply) =>
    newForm(k, request, reply, { groupId: String((request.query as { group?: string }).group ?? ''), durationMinutes: '120' }),
  );

  app.post('/partnerships/:partnershipId/meetings/new', { config: { auth: 'meeting.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    try {
      const m = await createMeeting(k, actor(request), pid(request), body);
      return reply
        .flash(`The meeting of ${m.group_name} on ${meetingWhen(m.starts_at)} has been arranged`)
        .redirect(`${base(request)}/meetings/${m.id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return newForm(k, request, reply, body, e.errors, 400);
      throw e;
    }
  });

  meetingPageRoutes(app, k);
  meetingPackRoutes(app, k);
  meetingEditRoutes(app, k);
  await meetingPaperRoutes(app, k);
}

/** The form to arrange a meeting, with the values given and their errors. */
async function newForm(
  k: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  values: Body,
  errors?: FieldError[],
  status = 200,
) {
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
}
