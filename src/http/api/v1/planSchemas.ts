/**
 * The JSON of partnership plans over the API: the request and response schemas (those of the parts generated from
 * each part's fields) that validate requests and make the OpenAPI document, and plans, versions and whole
 * versions written as JSON.
 */
import type { Plan, PlanVersion } from '../../../adapters/database/schema.ts';
import { PLAN_STATUSES } from '../../../adapters/database/schema.ts';
import { PART_SPECS, partJson, type FieldSpec, type PartKind, type PartRow, type PartSpec } from '../../../services/plans/planParts.ts';
import type { PlanDocument } from '../../../services/plans/plans.ts';

// ---------- Schemas, generated from the parts' fields ----------

function fieldInputSchema(f: FieldSpec): Record<string, unknown> {
  const description = f.label.replace(/ \(optional\)$/, '');
  // anyOf rather than type arrays: Fastify's Ajv runs in strict mode, which refuses union types.
  const orNull = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }], description });
  switch (f.kind) {
    case 'money':
      return {
        anyOf: [{ type: 'number', minimum: 0 }, { type: 'string' }, { type: 'null' }],
        description: `${description}: pounds as a number, or as text read as the forms read it ("£1,200,000", "£1.2m", "£1.2 million"; ambiguous text such as "1.200" is refused)`,
      };
    case 'reference':
      return orNull({ type: 'integer' });
    case 'yesno':
      return { type: 'boolean', description };
    case 'priorities':
      return { type: 'array', items: { type: 'integer' }, description };
    case 'choice':
      if (f.scoring === 'five')
        return {
          anyOf: [{ type: 'integer', minimum: 1, maximum: 5 }, { type: 'string' }, { type: 'null' }],
          description: `${description} (1-5, when the partnership scores risks 5x5)`,
        };
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
    case 'choice':
      return f.scoring === 'five' ? { type: ['integer', 'null'] } : { type: ['string', 'null'] };
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
    // A risk's scores are required by the partnership's scoring (words or 1-5), which the service checks.
    required: spec.fields.filter((f) => f.required && !f.scoring).map((f) => f.name),
    properties: {
      ...Object.fromEntries(spec.fields.map((f) => [f.name, fieldInputSchema(f)])),
      expectedUpdatedAt: {
        type: 'string',
        description: 'The updatedAt you read: the save is refused (409) if someone has changed it since',
      },
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

export const versionSchema = {
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
    publicParts: {
      type: ['object', 'null'],
      description:
        'What its public documents show besides the plan, fixed from the partnership settings when it was published; null when not published',
      properties: { risks: { type: 'boolean' }, funding: { type: 'boolean' } },
    },
    copiedFromVersionId: { type: ['integer', 'null'] },
    targetsRecordedAt: { type: ['string', 'null'], description: 'When the targets of its indicators were recorded with its approval' },
    withdrawnAt: { type: ['string', 'null'], description: 'When its approval was last withdrawn' },
    withdrawalReason: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

export const planSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    title: { type: 'string' },
    startYear: { type: 'integer' },
    endYear: { type: 'integer' },
    versions: { type: 'array', items: versionSchema },
  },
} as const;

const s = (k: PartKind, extra: Record<string, unknown> = {}) => partOutputSchema(PART_SPECS[k], extra);
export const documentSchema = {
  type: 'object',
  properties: {
    ...versionSchema.properties,
    plan: planSchema,
    priorities: {
      type: 'array',
      items: s('priority', {
        leadOrganisation: { type: ['string', 'null'] },
        themes: { type: 'array', items: { type: 'string' } },
        objectives: {
          type: 'array',
          items: s('objective', {
            activities: { type: 'array', items: s('activity', { updates: { type: 'array', items: s('update') } }) },
          }),
        },
        resources: { type: 'array', items: s('resource') },
        risks: { type: 'array', items: s('risk') },
      }),
    },
    themes: { type: 'array', items: s('theme') },
    governanceGroups: { type: 'array', items: s('group') },
    engagementMethods: { type: 'array', items: s('engagement') },
    calendarEvents: { type: 'array', items: s('event') },
    planLinks: { type: 'array', items: s('link') },
    fundingStreams: {
      type: 'array',
      items: s('stream', {
        allocations: { type: 'array', items: s('allocation') },
        allocated: { type: 'number' },
        spent: { type: 'number' },
      }),
    },
  },
};

const targetSourceSchema = {
  type: 'object',
  properties: {
    source: {
      type: 'string',
      enum: ['recorded', 'current'],
      description: 'recorded: as recorded when the version was approved; current: the targets held now',
    },
    recordedAt: { type: ['string', 'null'] },
  },
} as const;
const targetSideSchema = {
  type: ['object', 'null'],
  properties: { kind: { type: 'string' }, kindLabel: { type: 'string' }, text: { type: 'string' }, period: { type: 'string' } },
} as const;
const changeSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string' },
    before: { type: ['string', 'null'] },
    after: { type: ['string', 'null'] },
    details: { type: 'array', items: { type: 'string' } },
  },
} as const;
export const comparisonSchema = {
  type: 'object',
  properties: {
    fromVersionId: { type: 'integer' },
    toVersionId: { type: 'integer' },
    text: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, changed: { type: 'boolean' } } } },
    priorities: {
      type: 'array',
      items: { type: 'object', properties: { ...changeSchema.properties, objectives: { type: 'array', items: changeSchema } } },
    },
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
                    changes: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: {
                          kind: { type: 'string', enum: ['added', 'removed', 'changed'] },
                          period: { type: 'string' },
                          before: targetSideSchema,
                          after: targetSideSchema,
                          details: { type: 'array', items: { type: 'string' } },
                        },
                      },
                    },
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

export function versionJson(v: PlanVersion) {
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
    publicParts: v.public_risks === null ? null : { risks: v.public_risks === 1, funding: v.public_funding === 1 },
    copiedFromVersionId: v.copied_from_version_id,
    targetsRecordedAt: v.targets_recorded_at,
    withdrawnAt: v.withdrawn_at,
    withdrawalReason: v.withdrawal_reason,
    createdAt: v.created_at,
    updatedAt: v.updated_at,
  };
}

export function planJson(p: Plan, versions: PlanVersion[] = []) {
  return { id: p.id, title: p.title, startYear: p.start_year, endYear: p.end_year, versions: versions.map(versionJson) };
}

const row = (x: object) => x as unknown as PartRow;

export function documentJson(doc: PlanDocument) {
  const j = (k: PartKind, x: object, extra: Record<string, unknown> = {}) => ({ ...partJson(PART_SPECS[k], row(x)), ...extra });
  return {
    ...versionJson(doc.version),
    plan: planJson(doc.plan),
    priorities: doc.priorities.map((p) =>
      j('priority', p, {
        leadOrganisation: p.leadOrganisation,
        themes: p.themes,
        objectives: p.objectives.map((o) =>
          j('objective', o, { activities: o.activities.map((a) => j('activity', a, { updates: a.updates.map((u) => j('update', u)) })) }),
        ),
        resources: p.resources.map((x) => j('resource', x)),
        risks: p.risks.map((x) => j('risk', x)),
      }),
    ),
    themes: doc.themes.map((t) => ({ ...partJson(PART_SPECS.theme, row(t), t.priorityIds) })),
    governanceGroups: doc.groups.map((x) => j('group', x)),
    engagementMethods: doc.engagement.map((x) => j('engagement', x)),
    calendarEvents: doc.events.map((x) => j('event', x)),
    planLinks: doc.links.map((x) => j('link', x)),
    fundingStreams: doc.streams.map((x) =>
      j('stream', x, {
        allocations: x.allocations.map((a) => j('allocation', a)),
        allocated: x.allocatedPence / 100,
        spent: x.spentPence / 100,
      }),
    ),
  };
}
