/**
 * Changing a meeting's details (with a conflict check against whoever saved since the form was opened) and deleting
 * it after a page that says what goes with it (attendees, agenda, papers, decisions) and what stays (its actions,
 * in the group's action log).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database, Meeting } from '../../../../adapters/database/schema.ts';
import { ConflictError, ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { deleteMeeting, getMeeting, meetingDeletion, updateMeeting } from '../../../../services/meetings/meetings.ts';
import { meetingWhen } from '../../../../presentation/meetingLabels.ts';
import { actor, base, crumbs, meetingParam, pid, type Body } from './meetingPages.ts';

/** The meeting as the edit form shows it. */
function formValues(m: Meeting): Body {
  return {
    title: m.title,
    date: m.starts_at.slice(0, 10),
    time: m.starts_at.slice(11, 16),
    durationMinutes: String(m.duration_minutes),
    location: m.location,
    paperDeadline: m.paper_deadline ?? '',
    expectedUpdatedAt: m.updated_at,
  };
}

async function editForm(
  k: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  values?: Body,
  errors?: FieldError[],
  status = 200,
) {
  const m = await getMeeting(k, pid(request), meetingParam(request));
  const href = `${base(request)}/meetings/${m.id}`;
  return reply.render(
    'features/meetings/edit.njk',
    {
      title: `Change the meeting of ${m.group_name}`,
      section: 'meetings',
      breadcrumbs: crumbs(request, [{ text: `${m.title}, ${meetingWhen(m.starts_at)}`, href }]),
      meeting: m,
      values: values ?? formValues(m),
      errors,
      href,
    },
    status,
  );
}

async function deletePage(k: Kysely<Database>, request: FastifyRequest, reply: FastifyReply, error?: string, status = 200) {
  const m = await getMeeting(k, pid(request), meetingParam(request));
  const href = `${base(request)}/meetings/${m.id}`;
  return reply.render(
    'features/meetings/delete.njk',
    {
      title: `Delete the meeting of ${m.group_name} on ${meetingWhen(m.starts_at)}?`,
      section: 'meetings',
      breadcrumbs: crumbs(request, [{ text: `${m.title}, ${meetingWhen(m.starts_at)}`, href }]),
      meeting: m,
      effects: await meetingDeletion(k, pid(request), m.id),
      error,
      href,
    },
    status,
  );
}

export function meetingEditRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  const path = '/partnerships/:partnershipId/meetings/:meetingId';
  app.get(`${path}/edit`, { config: { auth: 'meeting.write' } }, async (request, reply) => editForm(k, request, reply));

  app.post(`${path}/edit`, { config: { auth: 'meeting.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    try {
      const m = await updateMeeting(k, actor(request), pid(request), meetingParam(request), body);
      return reply.flash('The meeting has been changed').redirect(`${base(request)}/meetings/${m.id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return editForm(k, request, reply, body, e.errors, 400);
      if (e instanceof ConflictError) return editForm(k, request, reply, undefined, [{ field: 'title', message: e.message }], 409);
      throw e;
    }
  });

  app.get(`${path}/delete`, { config: { auth: 'meeting.write' } }, async (request, reply) => deletePage(k, request, reply));

  app.post(`${path}/delete`, { config: { auth: 'meeting.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    try {
      const m = await getMeeting(k, pid(request), meetingParam(request));
      const effects = await deleteMeeting(k, actor(request), pid(request), m.id, body);
      const kept = effects.actions ? `; its ${effects.actions} action${effects.actions === 1 ? ' stays' : 's stay'} in the action log` : '';
      return reply
        .flash(`The meeting of ${m.group_name} on ${meetingWhen(m.starts_at)} has been deleted${kept}`)
        .redirect(`${base(request)}/meetings`, 303);
    } catch (e) {
      if (e instanceof ConflictError) return deletePage(k, request, reply, e.message, 409);
      throw e;
    }
  });
}
