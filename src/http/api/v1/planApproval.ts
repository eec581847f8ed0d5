/** A plan version's life over the API: approval, withdrawal of an approval, publication, next year's refresh, and the comparison with another version. */
import type { Kysely } from 'kysely';
import type { Database } from '../../../adapters/database/schema.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import { ValidationError } from '../../../domain/errors.ts';
import { approveVersion, publishVersion, startRefresh, withdrawApproval } from '../../../services/plans/plans.ts';
import { compareVersionWith } from '../../../services/plans/planComparison.ts';
import { errors, idParam } from './schemas.ts';
import { comparisonSchema, versionJson, versionSchema } from './planSchemas.ts';
import { planParam, planParams, pid, TAG } from './planRequest.ts';

const vParams = planParams('versionId');
const versionId = (r: FastifyRequest) => planParam(r, 'versionId', 'Plan version');

export async function planApprovalApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  approvalEndpoints(app, k);
  approvalReadEndpoints(app, k);
}

/** Submitting, approving, publishing and withdrawing a plan version. */
function approvalEndpoints(app: FastifyInstance, k: Kysely<Database>): void {
  app.post(
    '/partnerships/:partnershipId/plan-versions/:versionId/approve',
    {
      config: { auth: 'plan.approve' },
      schema: {
        tags: [TAG],
        summary: 'Record the approval of a draft version (administrators)',
        params: vParams,
        body: {
          type: 'object',
          required: ['approvedBy', 'approvedOn', 'meeting'],
          additionalProperties: false,
          properties: {
            approvedBy: { type: 'string' },
            approvedOn: { type: 'string', description: 'YYYY-MM-DD' },
            meeting: { type: 'string' },
          },
        },
        response: { 200: versionSchema, ...errors },
      },
    },
    async (r) => versionJson(await approveVersion(k, actorOf(r.user!), pid(r), versionId(r), r.body as never)),
  );

  app.post(
    '/partnerships/:partnershipId/plan-versions/:versionId/withdraw',
    {
      config: { auth: 'plan.write' },
      schema: {
        tags: [TAG],
        summary: 'Withdraw the approval of an approved or published version, back to draft, with the reason (editors and administrators)',
        params: vParams,
        body: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: {
            reason: { type: 'string', maxLength: 2000 },
            expectedUpdatedAt: { type: 'string', description: 'The updatedAt you read: refused (409) if the version has changed since' },
          },
        },
        response: { 200: versionSchema, ...errors },
      },
    },
    async (r) => versionJson(await withdrawApproval(k, actorOf(r.user!), pid(r), versionId(r), r.body as never)),
  );

  app.post(
    '/partnerships/:partnershipId/plan-versions/:versionId/publish',
    {
      config: { auth: 'plan.approve' },
      schema: {
        tags: [TAG],
        summary: 'Publish an approved version (administrators)',
        params: vParams,
        response: { 200: versionSchema, ...errors },
      },
    },
    async (r) => versionJson(await publishVersion(k, actorOf(r.user!), pid(r), versionId(r))),
  );

  app.post(
    '/partnerships/:partnershipId/plan-versions/:versionId/refresh',
    {
      config: { auth: 'plan.write' },
      schema: {
        tags: [TAG],
        summary: "Start next year's refresh as a copy of this version",
        params: vParams,
        body: {
          type: 'object',
          required: ['label', 'year'],
          additionalProperties: false,
          properties: { label: { type: 'string' }, year: { type: 'integer' } },
        },
        response: { 201: versionSchema, ...errors },
      },
    },
    async (r, reply) => reply.code(201).send(versionJson(await startRefresh(k, actorOf(r.user!), pid(r), versionId(r), r.body as never))),
  );
}

/** What an approval recorded. */
function approvalReadEndpoints(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/plan-versions/:versionId/compare',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: [TAG],
        summary: 'What changed between this version and another of the same plan',
        params: vParams,
        querystring: {
          type: 'object',
          properties: { with: { ...idParam, description: 'The other version; the version this one was copied from when not given' } },
        },
        response: { 200: comparisonSchema, ...errors },
      },
    },
    async (r) => {
      const asked = (r.query as { with?: string }).with;
      const { comparison: c } = await compareVersionWith(
        k,
        pid(r),
        versionId(r),
        asked === undefined ? undefined : assertValidId(asked, 'Plan version'),
        { orLatest: false },
      );
      if (!c)
        throw new ValidationError([
          { field: 'with', message: 'Say which version to compare with: this version was not copied from another' },
        ]);
      return { ...c, fromVersionId: c.from.id, toVersionId: c.to.id };
    },
  );
}
