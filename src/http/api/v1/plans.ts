/**
 * Partnership plans over the API: plans, versions (with the whole plan as one document), approval, withdrawal of an
 * approval, publication, refresh and comparison (with the targets), and every part of a version (priorities,
 * objectives, activities, risks...) read and written with the same services, validation, conflict detection and
 * authorisation as the pages. The schemas and JSON are in planSchemas.ts; approval and the parts in their own files.
 */
import type { FastifyInstance } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import { createPlan, listPlans, loadPlanDocument, updateVersionText } from '../../../services/plans/plans.ts';
import { errors } from './schemas.ts';
import { documentJson, documentSchema, planJson, planSchema, versionJson, versionSchema } from './planSchemas.ts';
import { planApprovalApi } from './planApproval.ts';
import { planPartApi } from './planPartsApi.ts';
import { planParam, planParams, pid, TAG } from './planRequest.ts';

/** Plans and their versions: list, create, read a whole version, change its text. */
async function planAndVersionApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  const vParams = planParams('versionId');

  app.get(
    '/partnerships/:partnershipId/plans',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: [TAG],
        summary: 'Plans of the partnership, with their versions',
        params: planParams(),
        response: { 200: { type: 'array', items: planSchema }, ...errors },
      },
    },
    async (r) => (await listPlans(k, pid(r))).map((p) => planJson(p, p.versions)),
  );

  app.post(
    '/partnerships/:partnershipId/plans',
    {
      config: { auth: 'plan.write' },
      schema: {
        tags: [TAG],
        summary: 'Create a plan period with its first, draft, version',
        params: planParams(),
        body: {
          type: 'object',
          required: ['title', 'startYear', 'endYear'],
          additionalProperties: false,
          properties: {
            title: { type: 'string', maxLength: 200 },
            startYear: { type: 'integer' },
            endYear: { type: 'integer' },
            label: { type: 'string', maxLength: 100 },
          },
        },
        response: { 201: { type: 'object', properties: { plan: planSchema, version: versionSchema } }, ...errors },
      },
    },
    async (r, reply) => {
      const { plan, version } = await createPlan(k, actorOf(r.user!), pid(r), r.body as never);
      return reply.code(201).send({ plan: planJson(plan), version: versionJson(version) });
    },
  );

  app.get(
    '/partnerships/:partnershipId/plan-versions/:versionId',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: [TAG],
        summary: 'A version of a plan, with everything in it',
        params: vParams,
        response: { 200: documentSchema, ...errors },
      },
    },
    async (r) => documentJson(await loadPlanDocument(k, pid(r), planParam(r, 'versionId', 'Plan version'))),
  );

  app.put(
    '/partnerships/:partnershipId/plan-versions/:versionId',
    {
      config: { auth: 'plan.write' },
      schema: {
        tags: [TAG],
        summary: 'Change the label, vision, foreword and introduction of a draft version',
        params: vParams,
        body: {
          type: 'object',
          required: ['label'],
          additionalProperties: false,
          properties: {
            label: { type: 'string' },
            vision: { type: 'string' },
            foreword: { type: 'string' },
            introduction: { type: 'string' },
            expectedUpdatedAt: { type: 'string' },
          },
        },
        response: { 200: versionSchema, ...errors },
      },
    },
    async (r) =>
      versionJson(await updateVersionText(k, actorOf(r.user!), pid(r), planParam(r, 'versionId', 'Plan version'), r.body as never)),
  );
}

export async function planApiRoutes(app: FastifyInstance, services: Pick<AppServices, 'db'>): Promise<void> {
  await planAndVersionApi(app, services);
  await planApprovalApi(app, services);
  await planPartApi(app, services);
}
