/** The partnership's plans: the list of plans with their versions, and the form creating a plan with its first version. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { createPlan, listPlans, periodLabel } from '../../../../services/plans/plans.ts';
import { base, body, crumbs, page, pid, versionUrl } from './planPages.ts';
import { versionName } from '../../../../domain/planNames.ts';

export async function planListRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;

  app.get('/partnerships/:partnershipId/plans', { config: { auth: 'partnership.read' } }, async (r, reply) => {
    const plans = await listPlans(k, pid(r));
    return page(r, reply, 'list.njk', { title: 'Partnership plans', breadcrumbs: crumbs(r).slice(0, 2), plans, periodLabel });
  });

  const planForm = (r: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors?: unknown, status = 200) =>
    page(
      r,
      reply,
      'plan-form.njk',
      { title: 'Create a partnership plan', breadcrumbs: crumbs(r), action: `${base(r)}/plans/new`, values, errors },
      status,
    );

  app.get('/partnerships/:partnershipId/plans/new', { config: { auth: 'plan.write' } }, async (r, reply) => planForm(r, reply, {}));
  app.post('/partnerships/:partnershipId/plans/new', { config: { auth: 'plan.write' } }, async (r, reply) => {
    try {
      const { plan, version } = await createPlan(k, actorOf(r.user!), pid(r), body(r));
      return reply.flash(`${versionName(plan.title, version.label)} has been created`).redirect(versionUrl(r, version.id), 303);
    } catch (e) {
      if (e instanceof ValidationError) return planForm(r, reply, body(r), e.errors, 400);
      throw e;
    }
  });
}
