/**
 * What the performance and assessment pages set that the API did not cover (issue 16, item 7): the partnership's
 * amber tolerance and small-number suppression threshold, and its strategic assessment area. The same services
 * and the same `config.auth` as the pages (the dashboard's two forms, the area page).
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../adapters/database/schema.ts';
import { getAssessmentArea, saveAssessmentArea } from '../../../services/assessment/assessmentAreas.ts';
import {
  amberTolerance,
  setAmberTolerance,
  setSuppressionThreshold,
  suppressionThreshold,
} from '../../../services/performance/indicators.ts';
import { MAX_SUPPRESSION_THRESHOLD, MIN_SUPPRESSION_THRESHOLD } from '../../../domain/suppression.ts';
import * as s from './schemas.ts';
import { body, list, obj, str, strNull } from './meetingsSchemas.ts';
import { actor, input, params, pid } from './meetingsRequest.ts';

const settings = obj({
  amberTolerancePercent: { type: 'number', description: 'The amber band, as a percentage of the target figure' },
  suppressionThreshold: {
    type: 'integer',
    description: 'Counts from 1 to one below this are published as "<threshold" on the public summary',
  },
});

const area = obj({
  localAuthorities: list(str),
  lsoaCodes: list(str),
  updatedAt: strNull,
});

async function settingsJson(k: Kysely<Database>, partnershipId: number) {
  return {
    amberTolerancePercent: await amberTolerance(k, partnershipId),
    suppressionThreshold: await suppressionThreshold(k, partnershipId),
  };
}

function performanceSettingsApi(app: FastifyInstance, k: Kysely<Database>): void {
  const tags = ['Performance'];
  app.get(
    '/partnerships/:partnershipId/performance/settings',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: 'The amber tolerance and the small-number suppression threshold',
        params: params(),
        response: { 200: settings, ...s.errors },
      },
    },
    async (r) => settingsJson(k, pid(r)),
  );
  app.put(
    '/partnerships/:partnershipId/performance/settings/amber-tolerance',
    {
      config: { auth: 'partnership.update' },
      schema: {
        tags,
        summary: 'Set the amber tolerance (as the dashboard form does)',
        params: params(),
        body: body(['amberTolerancePercent'], { amberTolerancePercent: { type: 'number', description: '0 to 100' } }),
        response: { 200: settings, ...s.errors },
      },
    },
    async (r) => {
      await setAmberTolerance(k, actor(r), pid(r), input(r).amberTolerancePercent);
      return settingsJson(k, pid(r));
    },
  );
  app.put(
    '/partnerships/:partnershipId/performance/settings/suppression-threshold',
    {
      config: { auth: 'indicator.write' },
      schema: {
        tags,
        summary: 'Set the small-number suppression threshold for public outputs (as the dashboard form does)',
        params: params(),
        body: body(['suppressionThreshold'], {
          suppressionThreshold: { type: 'integer', description: `${MIN_SUPPRESSION_THRESHOLD} to ${MAX_SUPPRESSION_THRESHOLD}` },
        }),
        response: { 200: settings, ...s.errors },
      },
    },
    async (r) => {
      await setSuppressionThreshold(k, actor(r), pid(r), input(r).suppressionThreshold);
      return settingsJson(k, pid(r));
    },
  );
}

function assessmentAreaApi(app: FastifyInstance, k: Kysely<Database>): void {
  const tags = ['Strategic assessment'];
  app.get(
    '/partnerships/:partnershipId/assessment/area',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: "The partnership's area for its strategic assessment: local authorities and LSOA codes (empty lists before it is defined)",
        params: params(),
        response: { 200: area, ...s.errors },
      },
    },
    async (r) => (await getAssessmentArea(k, pid(r))) ?? { localAuthorities: [], lsoaCodes: [], updatedAt: null },
  );
  app.put(
    '/partnerships/:partnershipId/assessment/area',
    {
      config: { auth: 'assessment.write' },
      schema: {
        tags,
        summary: "Define the partnership's area: local authorities (their LSOAs by name) and/or LSOA codes, as the area page does",
        params: params(),
        body: body([], {
          localAuthorities: { ...list({ type: 'string', maxLength: 200 }), maxItems: 1000 },
          lsoaCodes: { ...list({ type: 'string', maxLength: 20 }), maxItems: 100_000 },
        }),
        response: { 200: area, ...s.errors },
      },
    },
    async (r) => {
      const b = input(r) as { localAuthorities?: string[]; lsoaCodes?: string[] };
      // The page's form gives one a line; the service reads them so.
      return saveAssessmentArea(k, actor(r), pid(r), {
        localAuthorities: (b.localAuthorities ?? []).join('\n'),
        lsoaCodes: (b.lsoaCodes ?? []).join('\n'),
      });
    },
  );
}

export function settingsApi(app: FastifyInstance, { db }: { db: { kysely: Kysely<Database> } }): void {
  performanceSettingsApi(app, db.kysely);
  assessmentAreaApi(app, db.kysely);
}
