/** JSON schemas of the API's resources: they validate requests and produce the OpenAPI document. */
import { ORGANISATION_TYPES, ROLES } from '../../../adapters/database/schema.ts';

export const idParam = { type: 'string', pattern: '^[0-9]{1,15}$' } as const;

export const problem = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    problems: {
      type: 'array',
      description:
        'What is wrong, one item a field. A date field that is wrong also says which parts of it are (parts): the day, the month, the year, or all three when it is not a real date or is out of order with another date.',
      items: {
        type: 'object',
        additionalProperties: true,
        properties: {
          field: { type: 'string', description: 'The field, as named in the request' },
          message: { type: 'string' },
          parts: { type: 'array', items: { type: 'string', enum: ['day', 'month', 'year'] }, description: 'Only for a date field' },
        },
      },
    },
    reason: {
      type: 'string',
      description:
        "A conflict with the partnership's state, as a code: for the strategic assessment, no-area (define the area), no-police-data (no police.uk data imported) or no-records-for-area (none of the area's LSOAs in the data held)",
    },
    months: {
      type: ['object', 'null'],
      description:
        'For a strategic assessment without police.uk records: the months to import (the 12 months assessed and the 12 before them)',
      properties: { from: { type: 'string', description: 'YYYY-MM' }, to: { type: 'string', description: 'YYYY-MM' } },
    },
  },
} as const;

export const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem } as const;

export const population = {
  type: 'object',
  required: ['year', 'population'],
  properties: { year: { type: 'integer' }, population: { type: 'integer' } },
} as const;

export const partnership = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    slug: { type: 'string' },
    areaDescription: { type: 'string' },
    financialYearStartMonth: { type: 'integer' },
    role: { type: 'string', enum: ROLES },
    populations: { type: 'array', items: population },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const partnershipInput = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 200 },
    areaDescription: { type: 'string', maxLength: 5000 },
    populations: { type: 'array', items: population },
  },
} as const;

export const organisation = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    partnershipId: { type: 'integer' },
    name: { type: 'string' },
    type: { type: 'string', enum: ORGANISATION_TYPES },
    description: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time', description: 'Send back as expectedUpdatedAt to refuse overwriting a newer change' },
  },
} as const;

export const organisationInput = {
  type: 'object',
  required: ['name', 'type'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 200 },
    type: { type: 'string', enum: ORGANISATION_TYPES },
    description: { type: 'string', maxLength: 2000 },
    expectedUpdatedAt: { type: 'string' },
  },
} as const;

export const member = {
  type: 'object',
  properties: {
    userId: { type: 'integer' },
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: ROLES },
    since: { type: 'string', format: 'date-time' },
  },
} as const;

export const auditEvent = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    actor: { type: 'string' },
    action: { type: 'string', enum: ['create', 'update', 'delete'] },
    entityType: { type: 'string' },
    entityId: { type: 'string' },
    summary: { type: 'string' },
    before: {},
    after: {},
  },
} as const;

export const apiToken = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    prefix: { type: 'string' },
    createdAt: { type: 'string' },
    lastUsedAt: { type: ['string', 'null'] },
    revokedAt: { type: ['string', 'null'] },
  },
} as const;
