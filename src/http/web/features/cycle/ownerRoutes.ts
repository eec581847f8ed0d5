/** An indicator's owner and collection schedule, and a delivery activity's owner. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../../adapters/database/schema.ts';
import { actorOf } from '../../../context.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import {
  collectionSettings,
  getActivity,
  MAX_DUE_WORKING_DAYS,
  ownerChoices,
  setActivityOwner,
  setIndicatorCollection,
} from '../../../../services/cycle/owners.ts';
import { getIndicator, label, PERIOD_EXAMPLES } from '../../../../services/performance/indicators.ts';
import { ConflictError, ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { base, crumbs, ownerItems, pid, str } from './shared.ts';

async function indicatorForm(
  k: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  values?: Record<string, string>,
  errors?: FieldError[],
  status = 200,
) {
  const i = await getIndicator(k, pid(request), assertValidId((request.params as { indicatorId: string }).indicatorId, 'Indicator'));
  const choices = await ownerChoices(k, pid(request));
  const settings = await collectionSettings(k, pid(request));
  const v = values ?? {
    ownerUserId: i.owner_user_id ? String(i.owner_user_id) : '',
    ownerOrganisationId: i.owner_organisation_id ? String(i.owner_organisation_id) : '',
    dueWorkingDays: i.due_working_days === null ? '' : String(i.due_working_days),
    collectFrom: i.collect_from ?? '',
    expectedUpdatedAt: i.updated_at,
  };
  return reply.render(
    'features/cycle/indicator-collection.njk',
    {
      title: `Owner and collection of ${label(i)}`,
      section: 'indicators',
      breadcrumbs: crumbs(request, [
        { text: 'Indicators', href: `${base(request)}/indicators` },
        { text: label(i), href: `${base(request)}/indicators/${i.id}` },
      ]),
      indicator: i,
      base: base(request),
      values: v,
      errors,
      defaultDays: settings.dueWorkingDays,
      maxDays: MAX_DUE_WORKING_DAYS,
      periodExample: PERIOD_EXAMPLES[i.frequency],
      ...ownerItems(choices, v),
    },
    status,
  );
}

/** An indicator's owner and schedule. */
export function indicatorOwnerRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/indicators/:indicatorId/collection',
    { config: { auth: 'indicator.write' } },
    async (request, reply) => indicatorForm(k, request, reply),
  );
  app.post(
    '/partnerships/:partnershipId/indicators/:indicatorId/collection',
    { config: { auth: 'indicator.write' } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const id = assertValidId((request.params as { indicatorId: string }).indicatorId, 'Indicator');
      const values = Object.fromEntries(
        ['ownerUserId', 'ownerOrganisationId', 'dueWorkingDays', 'collectFrom', 'expectedUpdatedAt'].map((f) => [f, str(body[f])]),
      );
      try {
        const i = await setIndicatorCollection(k, actorOf(request.user!), pid(request), id, values);
        return reply
          .flash(`The owner and collection schedule of ${label(i)} have been saved`)
          .redirect(`${base(request)}/indicators/${id}#collection`, 303);
      } catch (e) {
        if (e instanceof ValidationError) return indicatorForm(k, request, reply, values, e.errors, 400);
        if (e instanceof ConflictError)
          return indicatorForm(k, request, reply, undefined, [{ field: 'ownerUserId', message: e.message }], 409);
        throw e;
      }
    },
  );
}

async function activityForm(
  k: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  values?: Record<string, string>,
  errors?: FieldError[],
  status = 200,
) {
  const activityId = assertValidId((request.params as { activityId: string }).activityId, 'Activity');
  const a = await getActivity(k, pid(request), activityId);
  const choices = await ownerChoices(k, pid(request));
  const v = values ?? {
    ownerUserId: a.owner_user_id ? String(a.owner_user_id) : '',
    ownerOrganisationId: a.owner_organisation_id ? String(a.owner_organisation_id) : '',
  };
  return reply.render(
    'features/cycle/activity-owner.njk',
    {
      title: `Owner of ${a.title}`,
      section: 'plans',
      breadcrumbs: crumbs(request, [{ text: 'Plans', href: `${base(request)}/plans` }]),
      activity: a,
      base: base(request),
      values: v,
      errors,
      ...ownerItems(choices, v),
    },
    status,
  );
}

/** A delivery activity's owner. */
export function activityOwnerRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get('/partnerships/:partnershipId/activities/:activityId/owner', { config: { auth: 'plan.write' } }, async (request, reply) =>
    activityForm(k, request, reply),
  );
  app.post('/partnerships/:partnershipId/activities/:activityId/owner', { config: { auth: 'plan.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { ownerUserId: str(body.ownerUserId), ownerOrganisationId: str(body.ownerOrganisationId) };
    const activityId = assertValidId((request.params as { activityId: string }).activityId, 'Activity');
    try {
      await setActivityOwner(k, actorOf(request.user!), pid(request), activityId, values);
      return reply.flash('The activity owner has been saved').redirect(`${base(request)}/my-figures`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return activityForm(k, request, reply, values, e.errors, 400);
      throw e;
    }
  });
}
