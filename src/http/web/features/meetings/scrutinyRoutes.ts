/** The scrutiny committee's recommendations: the list, recording one, and each one's page with the partnership's response and actions. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { SCRUTINY_STATUSES, type Database } from '../../../../adapters/database/schema.ts';
import { ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import {
  createRecommendation,
  getRecommendation,
  listRecommendations,
  respondToRecommendation,
} from '../../../../services/meetings/scrutiny.ts';
import { listActions, raiseScrutinyAction } from '../../../../services/meetings/actions.ts';
import { meetingChoices } from '../../../../services/meetings/meetings.ts';
import { ACTION_STATUS_LABELS, SCRUTINY_STATUS_LABELS } from '../../../../presentation/meetingLabels.ts';
import { actor, base, crumbs, pid, prefixed, type Body, type Forms } from './meetingPages.ts';

const scrutinyStatusItems = SCRUTINY_STATUSES.map((s) => ({ value: s, text: SCRUTINY_STATUS_LABELS[s] }));

/** The list of recommendations, with the form to record one (its values and errors when shown again). */
async function scrutinyList(
  k: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  values: Body = {},
  errors?: FieldError[],
  status = 200,
) {
  const list = await listRecommendations(k, pid(request));
  return reply.render(
    'features/meetings/scrutiny.njk',
    {
      title: 'Scrutiny recommendations',
      section: 'meetings',
      breadcrumbs: crumbs(request),
      recommendations: list.map((r) => ({ ...r, statusText: SCRUTINY_STATUS_LABELS[r.response_status] })),
      values,
      errors,
      base: base(request),
    },
    status,
  );
}

/** A recommendation's page: the response, the actions raised in answer, and the values and errors of a form shown again. */
async function recommendationPage(k: Kysely<Database>, request: FastifyRequest, reply: FastifyReply, form: Forms = {}, status = 200) {
  const id = assertValidId((request.params as { recommendationId: string }).recommendationId, 'Scrutiny recommendation');
  const rec = await getRecommendation(k, pid(request), id);
  const [actions, choices] = await Promise.all([
    listActions(k, pid(request), { scrutinyRecommendationId: id, status: 'all' }),
    meetingChoices(k, pid(request)),
  ]);
  return reply.render(
    'features/meetings/recommendation.njk',
    {
      title: `Scrutiny recommendation of ${rec.received_on}`,
      section: 'meetings',
      breadcrumbs: [...crumbs(request), { text: 'Scrutiny recommendations', href: `${base(request)}/scrutiny` }],
      rec: { ...rec, statusText: SCRUTINY_STATUS_LABELS[rec.response_status] },
      actions: actions.map((a) => ({ ...a, statusText: ACTION_STATUS_LABELS[a.status] })),
      statusItems: scrutinyStatusItems,
      ownerItems: [
        { value: '', text: 'Not a member (enter a name)' },
        ...choices.members.map((u) => ({ value: String(u.id), text: u.name })),
      ],
      values: form.values ?? {
        response: { responseStatus: rec.response_status, response: rec.response, respondedOn: rec.responded_on ?? '' },
      },
      errors: form.errors,
      href: `${base(request)}/scrutiny/${id}`,
      base: base(request),
    },
    status,
  );
}

export function scrutinyRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get('/partnerships/:partnershipId/scrutiny', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    scrutinyList(k, request, reply),
  );

  app.post('/partnerships/:partnershipId/scrutiny', { config: { auth: 'scrutiny.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    try {
      const r = await createRecommendation(k, actor(request), pid(request), body);
      return reply.flash('The recommendation has been recorded').redirect(`${base(request)}/scrutiny/${r.id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return scrutinyList(k, request, reply, body, e.errors, 400);
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/scrutiny/:recommendationId', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    recommendationPage(k, request, reply),
  );

  app.post(
    '/partnerships/:partnershipId/scrutiny/:recommendationId/response',
    { config: { auth: 'scrutiny.write' } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const id = assertValidId((request.params as { recommendationId: string }).recommendationId, 'Scrutiny recommendation');
      try {
        await respondToRecommendation(k, actor(request), pid(request), id, body);
        return reply.flash("The partnership's response has been saved").redirect(`${base(request)}/scrutiny/${id}`, 303);
      } catch (e) {
        if (e instanceof ValidationError)
          return recommendationPage(k, request, reply, { errors: prefixed('response', e.errors), values: { response: body } }, 400);
        throw e;
      }
    },
  );

  app.post(
    '/partnerships/:partnershipId/scrutiny/:recommendationId/actions',
    { config: { auth: 'scrutiny.write' } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const id = assertValidId((request.params as { recommendationId: string }).recommendationId, 'Scrutiny recommendation');
      try {
        const a = await raiseScrutinyAction(k, actor(request), pid(request), id, body);
        return reply.flash(`The action "${a.title}" has been raised`).redirect(`${base(request)}/scrutiny/${id}`, 303);
      } catch (e) {
        if (e instanceof ValidationError)
          return recommendationPage(k, request, reply, { errors: prefixed('action', e.errors), values: { action: body } }, 400);
        throw e;
      }
    },
  );
}
