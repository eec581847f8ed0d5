/**
 * Partnership plans over the API: plans, versions (with the whole plan as one document), approval, withdrawal of an
 * approval, publication, refresh and comparison (with the targets), and every part of a version (priorities, objectives, activities, risks...) read and
 * written with the same services, validation, conflict detection and authorisation as the pages.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import type { Plan, PlanVersion } from '../../../adapters/database/schema.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import { ValidationError } from '../../../domain/errors.ts';
import {
  createPart,
  deletePart,
  getPart,
  listParts,
  PART_KINDS,
  PARENT_PARAM,
  PARENT_PATH,
  PART_PARAM,
  PART_SPECS,
  partJson,
  themePriorityIds,
  updatePart,
  versionOfParent,
  type FieldSpec,
  type PartKind,
  type PartRow,
  type PartSpec,
} from '../../../services/plans/planParts.ts';
import { approveVersion, createPlan, getVersion, listPlans, loadPlanDocument, publishVersion, startRefresh, updateVersionText, withdrawApproval, type PlanDocument } from '../../../services/plans/plans.ts';
import { compareVersions } from '../../../services/plans/planComparison.ts';
import { PLAN_STATUSES } from '../../../adapters/database/schema.ts';
import { errors, idParam } from './schemas.ts';

const TAG = 'Plans';

// ---------- Schemas, generated from the parts' fields ----------

function fieldInputSchema(f: FieldSpec): Record<string, unknown> {
  const description = f.label.replace(/ \(optional\)$/, '');
  // anyOf rather than type arrays: Fastify's Ajv runs in strict mode, which refuses union types.
  const orNull = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }], description });
  switch (f.kind) {
    case 'money':
      return { anyOf: [{ type: 'number', minimum: 0 }, { type: 'string' }, { type: 'null' }], description: `${description} (pounds)` };
    case 'reference':
      return orNull({ type: 'integer' });
    case 'yesno':
      return { type: 'boolean', description };
    case 'priorities':
      return { type: 'array', items: { type: 'integer' }, description };
    case 'choice':
      return orNull({ type: 'string', enum: (f.choices ?? []).map((c) => c.value) });
    case 'date':
      return orNull({ type: 'string', description: 'YYYY-MM-DD' });
    default:
      return { type: 'string', description, ...(f.max ? { maxLength: f.max } : {}) };
  }
}

function fieldOutputSchema(f: FieldSpec): Record<string, unknown> {
  switch (f.kind) {
    case 'money':
      return { type: ['number', 'null'] };
    case 'reference':
      return { type: ['integer', 'null'] };
    case 'yesno':
      return { type: 'boolean' };
    case 'priorities':
      return { type: 'array', items: { type: 'integer' } };
    default:
      return { type: ['string', 'null'] };
  }
}

export function partInputSchema(spec: PartSpec) {
  return {
    type: 'object',
    additionalProperties: false,
    required: spec.fields.filter((f) => f.required).map((f) => f.name),
    properties: {
      ...Object.fromEntries(spec.fields.map((f) => [f.name, fieldInputSchema(f)])),
      expectedUpdatedAt: { type: 'string', description: 'The updatedAt you read: the save is refused (409) if someone has changed it since' },
    },
  };
}

export function partOutputSchema(spec: PartSpec, extra: Record<string, unknown> = {}) {
  return {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      [`${spec.parent}Id`]: { type: 'integer' },
      position: { type: 'integer' },
      ...Object.fromEntries(spec.fields.map((f) => [f.name, fieldOutputSchema(f)])),
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      ...extra,
    },
  };
}

const versionSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    planId: { type: 'integer' },
    label: { type: 'string' },
    year: { type: 'integer' },
    status: { type: 'string', enum: PLAN_STATUSES },
    vision: { type: 'string' },
    foreword: { type: 'string' },
    introduction: { type: 'string' },
    approvedBy: { type: ['string', 'null'] },
    approvedOn: { type: ['string', 'null'] },
    approvalMeeting: { type: ['string', 'null'] },
    publishedAt: { type: ['string', 'null'] },
    copiedFromVersionId: { type: ['integer', 'null'] },
    targetsRecordedAt: { type: ['string', 'null'], description: 'When the targets of its indicators were recorded with its approval' },
    withdrawnAt: { type: ['string', 'null'], description: 'When its approval was last withdrawn' },
    withdrawalReason: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const planSchema = {
  type: 'object',
  properties: { id: { type: 'integer' }, title: { type: 'string' }, startYear: { type: 'integer' }, endYear: { type: 'integer' }, versions: { type: 'array', items: versionSchema } },
} as const;

const s = (k: PartKind, extra: Record<string, unknown> = {}) => partOutputSchema(PART_SPECS[k], extra);
const documentSchema = {
  type: 'object',
  properties: {
    ...versionSchema.properties,
    plan: planSchema,
    priorities: {
      type: 'array',
      items: s('priority', {
        leadOrganisation: { type: ['string', 'null'] },
        themes: { type: 'array', items: { type: 'string' } },
        objectives: { type: 'array', items: s('objective', { activities: { type: 'array', items: s('activity', { updates: { type: 'array', items: s('update') } }) } }) },
        resources: { type: 'array', items: s('resource') },
        risks: { type: 'array', items: s('risk') },
      }),
    },
    themes: { type: 'array', items: s('theme') },
    governanceGroups: { type: 'array', items: s('group') },
    engagementMethods: { type: 'array', items: s('engagement') },
    calendarEvents: { type: 'array', items: s('event') },
    planLinks: { type: 'array', items: s('link') },
    fundingStreams: { type: 'array', items: s('stream', { allocations: { type: 'array', items: s('allocation') }, allocated: { type: 'number' }, spent: { type: 'number' } }) },
  },
};

const targetSourceSchema = { type: 'object', properties: { source: { type: 'string', enum: ['recorded', 'current'], description: 'recorded: as recorded when the version was approved; current: the targets held now' }, recordedAt: { type: ['string', 'null'] } } } as const;
const targetSideSchema = { type: ['object', 'null'], properties: { kind: { type: 'string' }, kindLabel: { type: 'string' }, text: { type: 'string' }, period: { type: 'string' } } } as const;
const changeSchema = { type: 'object', properties: { kind: { type: 'string' }, before: { type: ['string', 'null'] }, after: { type: ['string', 'null'] }, details: { type: 'array', items: { type: 'string' } } } } as const;
const comparisonSchema = {
  type: 'object',
  properties: {
    fromVersionId: { type: 'integer' },
    toVersionId: { type: 'integer' },
    text: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, changed: { type: 'boolean' } } } },
    priorities: { type: 'array', items: { type: 'object', properties: { ...changeSchema.properties, objectives: { type: 'array', items: changeSchema } } } },
    themes: { type: 'array', items: changeSchema },
    risks: { type: 'array', items: changeSchema },
    funding: { type: 'array', items: changeSchema },
    counts: { type: 'object', additionalProperties: { type: 'integer' } },
    targets: {
      type: 'object',
      description: 'Targets of the indicators measuring each priority: added, removed or changed',
      properties: {
        from: targetSourceSchema,
        to: targetSourceSchema,
        priorities: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              priority: { type: 'string' },
              indicators: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    indicator: { type: 'string' },
                    changes: { type: 'array', items: { type: 'object', properties: { kind: { type: 'string', enum: ['added', 'removed', 'changed'] }, period: { type: 'string' }, before: targetSideSchema, after: targetSideSchema, details: { type: 'array', items: { type: 'string' } } } } },
                  },
                },
              },
            },
          },
        },
        counts: { type: 'object', additionalProperties: { type: 'integer' } },
      },
    },
  },
} as const;

// ---------- JSON ----------

function versionJson(v: PlanVersion) {
  return {
    id: v.id,
    planId: v.plan_id,
    label: v.label,
    year: v.year,
    status: v.status,
    vision: v.vision,
    foreword: v.foreword,
    introduction: v.introduction,
    approvedBy: v.approved_by,
    approvedOn: v.approved_at,
    approvalMeeting: v.approval_meeting,
    publishedAt: v.published_at,
    copiedFromVersionId: v.copied_from_version_id,
    targetsRecordedAt: v.targets_recorded_at,
    withdrawnAt: v.withdrawn_at,
    withdrawalReason: v.withdrawal_reason,
    createdAt: v.created_at,
    updatedAt: v.updated_at,
  };
}

function planJson(p: Plan, versions: PlanVersion[] = []) {
  return { id: p.id, title: p.title, startYear: p.start_year, endYear: p.end_year, versions: versions.map(versionJson) };
}

const row = (x: object) => x as unknown as PartRow;

function documentJson(doc: PlanDocument) {
  const j = (k: PartKind, x: object, extra: Record<string, unknown> = {}) => ({ ...partJson(PART_SPECS[k], row(x)), ...extra });
  return {
    ...versionJson(doc.version),
    plan: planJson(doc.plan),
    priorities: doc.priorities.map((p) =>
      j('priority', p, {
        leadOrganisation: p.leadOrganisation,
        themes: p.themes,
        objectives: p.objectives.map((o) => j('objective', o, { activities: o.activities.map((a) => j('activity', a, { updates: a.updates.map((u) => j('update', u)) })) })),
        resources: p.resources.map((x) => j('resource', x)),
        risks: p.risks.map((x) => j('risk', x)),
      }),
    ),
    themes: doc.themes.map((t) => ({ ...partJson(PART_SPECS.theme, row(t), t.priorityIds) })),
    governanceGroups: doc.groups.map((x) => j('group', x)),
    engagementMethods: doc.engagement.map((x) => j('engagement', x)),
    calendarEvents: doc.events.map((x) => j('event', x)),
    planLinks: doc.links.map((x) => j('link', x)),
    fundingStreams: doc.streams.map((x) => j('stream', x, { allocations: x.allocations.map((a) => j('allocation', a)), allocated: x.allocatedPence / 100, spent: x.spentPence / 100 })),
  };
}

// ---------- Routes ----------

export async function planApiRoutes(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  const pid = (r: FastifyRequest) => r.access!.partnership.id;
  const param = (r: FastifyRequest, name: string, what: string) => assertValidId((r.params as Record<string, string>)[name], what);
  const params = (...names: string[]) => ({ type: 'object', properties: Object.fromEntries(['partnershipId', ...names].map((n) => [n, idParam])) });
  const vParams = params('versionId');

  app.get('/partnerships/:partnershipId/plans', { config: { auth: 'partnership.read' }, schema: { tags: [TAG], summary: 'Plans of the partnership, with their versions', params: params(), response: { 200: { type: 'array', items: planSchema }, ...errors } } }, async (r) =>
    (await listPlans(k, pid(r))).map((p) => planJson(p, p.versions)),
  );

  app.post(
    '/partnerships/:partnershipId/plans',
    {
      config: { auth: 'plan.write' },
      schema: {
        tags: [TAG],
        summary: 'Create a plan period with its first, draft, version',
        params: params(),
        body: { type: 'object', required: ['title', 'startYear', 'endYear'], additionalProperties: false, properties: { title: { type: 'string', maxLength: 200 }, startYear: { type: 'integer' }, endYear: { type: 'integer' }, label: { type: 'string', maxLength: 100 } } },
        response: { 201: { type: 'object', properties: { plan: planSchema, version: versionSchema } }, ...errors },
      },
    },
    async (r, reply) => {
      const { plan, version } = await createPlan(k, actorOf(r.user!), pid(r), r.body as never);
      return reply.code(201).send({ plan: planJson(plan), version: versionJson(version) });
    },
  );

  app.get('/partnerships/:partnershipId/plan-versions/:versionId', { config: { auth: 'partnership.read' }, schema: { tags: [TAG], summary: 'A version of a plan, with everything in it', params: vParams, response: { 200: documentSchema, ...errors } } }, async (r) =>
    documentJson(await loadPlanDocument(k, pid(r), param(r, 'versionId', 'Plan version'))),
  );

  app.put(
    '/partnerships/:partnershipId/plan-versions/:versionId',
    {
      config: { auth: 'plan.write' },
      schema: {
        tags: [TAG],
        summary: 'Change the label, vision, foreword and introduction of a draft version',
        params: vParams,
        body: { type: 'object', required: ['label'], additionalProperties: false, properties: { label: { type: 'string' }, vision: { type: 'string' }, foreword: { type: 'string' }, introduction: { type: 'string' }, expectedUpdatedAt: { type: 'string' } } },
        response: { 200: versionSchema, ...errors },
      },
    },
    async (r) => versionJson(await updateVersionText(k, actorOf(r.user!), pid(r), param(r, 'versionId', 'Plan version'), r.body as never)),
  );

  app.post(
    '/partnerships/:partnershipId/plan-versions/:versionId/approve',
    {
      config: { auth: 'plan.approve' },
      schema: {
        tags: [TAG],
        summary: 'Record the approval of a draft version (administrators)',
        params: vParams,
        body: { type: 'object', required: ['approvedBy', 'approvedOn', 'meeting'], additionalProperties: false, properties: { approvedBy: { type: 'string' }, approvedOn: { type: 'string', description: 'YYYY-MM-DD' }, meeting: { type: 'string' } } },
        response: { 200: versionSchema, ...errors },
      },
    },
    async (r) => versionJson(await approveVersion(k, actorOf(r.user!), pid(r), param(r, 'versionId', 'Plan version'), r.body as never)),
  );

  app.post(
    '/partnerships/:partnershipId/plan-versions/:versionId/withdraw',
    {
      config: { auth: 'plan.write' },
      schema: {
        tags: [TAG],
        summary: 'Withdraw the approval of an approved or published version, back to draft, with the reason (editors and administrators)',
        params: vParams,
        body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', maxLength: 2000 }, expectedUpdatedAt: { type: 'string', description: 'The updatedAt you read: refused (409) if the version has changed since' } } },
        response: { 200: versionSchema, ...errors },
      },
    },
    async (r) => versionJson(await withdrawApproval(k, actorOf(r.user!), pid(r), param(r, 'versionId', 'Plan version'), r.body as never)),
  );

  app.post('/partnerships/:partnershipId/plan-versions/:versionId/publish', { config: { auth: 'plan.approve' }, schema: { tags: [TAG], summary: 'Publish an approved version (administrators)', params: vParams, response: { 200: versionSchema, ...errors } } }, async (r) =>
    versionJson(await publishVersion(k, actorOf(r.user!), pid(r), param(r, 'versionId', 'Plan version'))),
  );

  app.post(
    '/partnerships/:partnershipId/plan-versions/:versionId/refresh',
    {
      config: { auth: 'plan.write' },
      schema: {
        tags: [TAG],
        summary: "Start next year's refresh as a copy of this version",
        params: vParams,
        body: { type: 'object', required: ['label', 'year'], additionalProperties: false, properties: { label: { type: 'string' }, year: { type: 'integer' } } },
        response: { 201: versionSchema, ...errors },
      },
    },
    async (r, reply) => reply.code(201).send(versionJson(await startRefresh(k, actorOf(r.user!), pid(r), param(r, 'versionId', 'Plan version'), r.body as never))),
  );

  app.get(
    '/partnerships/:partnershipId/plan-versions/:versionId/compare',
    {
      config: { auth: 'partnership.read' },
      schema: { tags: [TAG], summary: 'What changed between this version and another of the same plan', params: vParams, querystring: { type: 'object', properties: { with: { ...idParam, description: 'The other version; the version this one was copied from when not given' } } }, response: { 200: comparisonSchema, ...errors } },
    },
    async (r) => {
      const a = await getVersion(k, pid(r), param(r, 'versionId', 'Plan version'));
      const other = (r.query as { with?: string }).with ?? a.copied_from_version_id;
      if (other === null) throw new ValidationError([{ field: 'with', message: 'Say which version to compare with: this version was not copied from another' }]);
      const b = await getVersion(k, pid(r), assertValidId(other, 'Plan version'));
      const [older, newer] = b.year < a.year || (b.year === a.year && b.id < a.id) ? [b, a] : [a, b];
      const c = await compareVersions(k, pid(r), older.id, newer.id);
      return { ...c, fromVersionId: c.from.id, toVersionId: c.to.id };
    },
  );

  for (const kind of PART_KINDS) {
    const spec = PART_SPECS[kind];
    const idName = PART_PARAM[kind];
    const parentName = PARENT_PARAM[spec.parent];
    const listUrl = `/partnerships/:partnershipId/${PARENT_PATH[spec.parent]}/${spec.segment}`;
    const itemUrl = `/partnerships/:partnershipId/${spec.segment}/:${idName}`;
    const output = partOutputSchema(spec);
    const input = partInputSchema(spec);
    const json = async (r: FastifyRequest, x: PartRow) => partJson(spec, x, kind === 'theme' ? await themePriorityIds(k, pid(r), x.id) : undefined);
    const plural = spec.plural.charAt(0).toUpperCase() + spec.plural.slice(1);

    app.get(listUrl, { config: { auth: 'partnership.read' }, schema: { tags: [TAG], summary: `${plural}`, params: params(parentName), response: { 200: { type: 'array', items: output }, ...errors } } }, async (r) => {
      const parentId = param(r, parentName, 'Parent');
      await versionOfParent(k, pid(r), spec.parent, parentId);
      return Promise.all((await listParts(k, pid(r), kind, parentId)).map((x) => json(r, x)));
    });
    app.post(listUrl, { config: { auth: spec.action }, schema: { tags: [TAG], summary: `Add ${spec.noun}`, params: params(parentName), body: input, response: { 201: output, ...errors } } }, async (r, reply) => {
      const created = await createPart(k, actorOf(r.user!), pid(r), kind, param(r, parentName, 'Parent'), r.body as Record<string, unknown>);
      return reply.code(201).send(await json(r, created));
    });
    app.get(itemUrl, { config: { auth: 'partnership.read' }, schema: { tags: [TAG], summary: `A ${spec.noun}`, params: params(idName), response: { 200: output, ...errors } } }, async (r) =>
      json(r, await getPart(k, pid(r), kind, param(r, idName, spec.noun))),
    );
    app.put(itemUrl, { config: { auth: spec.action }, schema: { tags: [TAG], summary: `Change ${spec.noun}`, params: params(idName), body: input, response: { 200: output, ...errors } } }, async (r) =>
      json(r, await updatePart(k, actorOf(r.user!), pid(r), kind, param(r, idName, spec.noun), r.body as Record<string, unknown>)),
    );
    app.delete(itemUrl, { config: { auth: spec.action }, schema: { tags: [TAG], summary: `Remove ${spec.noun}`, params: params(idName), response: { 204: { type: 'null' }, ...errors } } }, async (r, reply) => {
      await deletePart(k, actorOf(r.user!), pid(r), kind, param(r, idName, spec.noun));
      return reply.code(204).send();
    });
  }
}
