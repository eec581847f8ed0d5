/**
 * Strategic assessment API under /api/v1: the 12-month analysis, the seasonality profile, the comparison with
 * chosen partnerships or local authorities, the ranked priority-setting matrix, and the matrix settings (weights,
 * harm weights and public concern scores) to read and replace. The same loaders as the pages
 * (src/services/assessment/assessmentAnalysis.ts); with no area or no police.uk data the answer is 409 with the reason.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../adapters/database/schema.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import {
  loadAnalysisCached,
  loadAssessment,
  loadComparison,
  loadMatrix,
  requireAssessment,
  requireSeasonality,
} from '../../../services/assessment/assessmentAnalysis.ts';
import {
  getMatrixSettings,
  harmWeightOf,
  matrixIssueNames,
  saveMatrixSettingsJson,
  type MatrixSettings,
  type MatrixSettingsJson,
} from '../../../services/assessment/assessmentMatrix.ts';
import { ValidationError } from '../../../domain/errors.ts';
import type { ChangeFigures } from '../../../domain/crimeAssessment.ts';
import { CRITERIA } from '../../../domain/priorityMatrix.ts';
import { verdictOf } from '../../../domain/significance.ts';
import * as s from './schemas.ts';

const tags = ['Strategic assessment'];
const num = { type: ['number', 'null'] } as const;
const pParams = { type: 'object', properties: { partnershipId: s.idParam } } as const;
const endQuery = {
  type: 'string',
  pattern: '^[0-9]{4}-[0-9]{2}$',
  description: 'Last month of the 12-month window (YYYY-MM); the latest month held when not given or not held',
} as const;
const windowSchema = {
  type: 'object',
  properties: { from: { type: 'string' }, to: { type: 'string' }, months: { type: 'array', items: { type: 'string' } } },
} as const;
const byType = {
  type: 'object',
  additionalProperties: num,
  description: 'By type: all crime (excluding ASB), anti-social behaviour and each crime type',
} as const;

const change = {
  type: 'object',
  properties: {
    label: { type: 'string' },
    previous: { type: 'integer' },
    current: { type: 'integer' },
    previousRate: { ...num, description: 'Per 1,000 people' },
    currentRate: { ...num, description: 'Per 1,000 people' },
    absoluteChange: { type: 'integer' },
    percentageChange: { ...num, description: 'One decimal place; null when the previous count is 0' },
    summary: { type: 'string' },
    significance: {
      type: 'object',
      properties: {
        test: { type: 'string', description: 'The test used (two-sided): the exact conditional binomial test of the two counts' },
        description: { type: 'string', description: 'The verdict, test and p-value in words' },
        label: { type: 'string' },
        significant: { type: 'boolean' },
        pValue: { type: 'number' },
        smallNumbers: { type: 'boolean' },
        rateRatio: num,
      },
    },
  },
} as const;

const analysis = {
  type: 'object',
  properties: {
    current: windowSchema,
    previous: windowSchema,
    currentPopulation: num,
    previousPopulation: num,
    lsoaCount: { type: 'integer' },
    totals: { type: 'array', items: change },
    byCrimeType: { type: 'array', items: change },
    monthly: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          month: { type: 'string' },
          crime: { type: 'integer' },
          asb: { type: 'integer' },
          byType: { type: 'object', additionalProperties: { type: 'integer' } },
        },
      },
    },
    hotspots: {
      type: 'object',
      properties: {
        lsoaCount: { type: 'integer' },
        topDecileCount: { type: 'integer' },
        topDecileShare: num,
        top: {
          type: 'array',
          items: {
            type: 'object',
            properties: { code: { type: 'string' }, name: { type: 'string' }, count: { type: 'integer' }, share: { type: 'number' } },
          },
        },
      },
    },
    outcomes: {
      type: 'array',
      items: { type: 'object', properties: { outcome: { type: 'string' }, count: { type: 'integer' }, share: { type: 'number' } } },
    },
    missingMonths: { type: 'array', items: { type: 'string' } },
  },
} as const;

const seasonality = {
  type: 'object',
  properties: {
    months: { type: 'integer', description: 'Months of police.uk data held for the forces covering the area' },
    profile: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          calendarMonth: { type: 'integer' },
          name: { type: 'string' },
          years: { type: 'integer' },
          crimeAverage: num,
          asbAverage: num,
          crimeIndex: { ...num, description: '100 = an average month' },
          asbIndex: num,
        },
      },
    },
  },
} as const;

const areaFigures = {
  type: 'object',
  properties: { name: { type: 'string' }, population: num, lsoaCount: { type: 'integer' }, counts: byType, rates: byType },
} as const;
const comparison = {
  type: 'object',
  properties: {
    window: windowSchema,
    types: { type: 'array', items: { type: 'string' } },
    subject: areaFigures,
    comparators: { type: 'array', items: areaFigures },
    groupAverage: {
      ...byType,
      description: "Pooled rate per 1,000: the comparators' records added up over their populations added up (those with a population)",
    },
  },
} as const;

const criteria = { type: 'object', properties: Object.fromEntries(CRITERIA.map((c) => [c, { type: 'number' }])) } as const;
const settings = {
  type: 'object',
  properties: {
    weights: criteria,
    volumeBasis: { type: 'string', enum: ['count', 'rate'] },
    harmWeights: {
      type: 'object',
      additionalProperties: { type: 'number' },
      description: 'The harm weight used for every issue (the partnership’s own, else the illustrative default)',
    },
    concern: {
      type: 'object',
      additionalProperties: { type: 'number' },
      description: 'Public concern (% of people consulted) by issue, where recorded',
    },
    otherIssues: { type: 'array', items: { type: 'string' } },
    updatedAt: {
      type: ['string', 'null'],
      description: 'Send back as expectedUpdatedAt to refuse overwriting a newer change; null until first saved',
    },
  },
} as const;

const settingsInput = {
  type: 'object',
  required: ['weights'],
  additionalProperties: false,
  properties: {
    weights: {
      type: 'object',
      additionalProperties: false,
      required: [...CRITERIA],
      properties: Object.fromEntries(CRITERIA.map((c) => [c, { type: 'integer', minimum: 0, maximum: 100 }])),
    },
    volumeBasis: { type: 'string', enum: ['count', 'rate'] },
    harmWeights: {
      type: 'object',
      additionalProperties: { type: 'number', minimum: 0 },
      description: 'By issue name; issues left out get the illustrative default',
    },
    concern: {
      type: 'object',
      additionalProperties: { type: 'number', minimum: 0, maximum: 100 },
      description: 'By issue name; issues left out have none recorded',
    },
    otherIssues: { type: 'array', maxItems: 30, items: { type: 'string', maxLength: 100 } },
    expectedUpdatedAt: { type: 'string' },
  },
} as const;

const rankedIssue = {
  type: 'object',
  properties: {
    rank: { type: 'integer' },
    name: { type: 'string' },
    count: { type: ['integer', 'null'] },
    previousCount: { type: ['integer', 'null'], description: 'The count in the 12 months before' },
    rate: num,
    percentageChange: num,
    significant: { type: 'boolean' },
    supportedChange: {
      type: 'number',
      description:
        "The smallest % change the counts support (the end of the rate ratio's 95% interval nearest no change; 0 when the change is within chance): what the trend score is worked out from",
    },
    harmWeight: { type: 'number' },
    concern: num,
    scores: { ...criteria, description: 'Each criterion scored 0 to 100' },
    score: { type: 'number', description: 'Weighted score, 0 to 100' },
  },
} as const;

const matrix = {
  type: 'object',
  properties: {
    window: windowSchema,
    volumeBasis: { type: 'string', enum: ['count', 'rate'] },
    weights: criteria,
    issues: { type: 'array', items: rankedIssue },
  },
} as const;

function changeJson(f: ChangeFigures) {
  const g = f.significance;
  return {
    ...f,
    significance: { ...verdictOf(g), rateRatio: g.rateRatio },
  };
}

function settingsJson(m: MatrixSettings) {
  return {
    weights: m.weights,
    volumeBasis: m.volumeBasis,
    harmWeights: Object.fromEntries(matrixIssueNames(m).map((n) => [n, harmWeightOf(m, n)])),
    concern: m.concern,
    otherIssues: m.otherIssues,
    updatedAt: m.updatedAt,
  };
}

const partnership = (r: FastifyRequest) => r.access!.partnership;
const end = (r: FastifyRequest) => (r.query as { end?: string }).end;

const mapQuery = { type: 'object', properties: { end: endQuery, kind: { type: 'string', enum: ['crime', 'asb'] } } };
const numberSchema = { type: 'number' } as const;
const nullableNum = { type: ['number', 'null'] } as const;
const deprivation = {
  type: 'object',
  required: ['lsoasHeld', 'profile'],
  properties: {
    lsoasHeld: { type: 'integer', description: 'LSOAs in the imported Indices of Deprivation 2019 (0: not imported)' },
    profile: {
      type: ['object', 'null'],
      properties: {
        deciles: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              decile: { type: 'integer', description: '1 = the most deprived 10% of LSOAs in England' },
              lsoas: numberSchema,
              lsoaShare: nullableNum,
              population: { ...numberSchema, description: 'Residents, mid-2015 (the indices’ denominator)' },
              crime: numberSchema,
              asb: numberSchema,
              crimeRate: { ...nullableNum, description: 'Per 1,000 residents' },
              asbRate: nullableNum,
              crimeShare: nullableNum,
              asbShare: nullableNum,
            },
          },
        },
        lsoasWithDecile: numberSchema,
        lsoasWithout: { type: 'array', items: { type: 'string' } },
        crimeWithout: numberSchema,
        asbWithout: numberSchema,
        mostDeprivedCrimeRatio: nullableNum,
      },
    },
  },
} as const;
const hexMap = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['crime', 'asb'] },
    radius: { ...numberSchema, description: 'A hexagon’s side (centre to corner), metres' },
    total: numberSchema,
    skipped: numberSchema,
    hexagons: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          q: numberSchema,
          r: numberSchema,
          x: numberSchema,
          y: numberSchema,
          longitude: numberSchema,
          latitude: numberSchema,
          count: numberSchema,
        },
      },
    },
  },
} as const;

const lsoaMap = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['crime', 'asb'] },
    boundariesHeld: { ...numberSchema, description: 'LSOA boundaries imported (0: none, and no map)' },
    measure: {
      type: ['string', 'null'],
      enum: ['rate', 'count', null],
      description: 'What the classes shade: rate per 1,000 residents when every LSOA drawn has residents, else count',
    },
    populationSources: { type: 'array', items: { type: 'string' } },
    classes: { type: 'array', items: { type: 'object', properties: { from: numberSchema, to: numberSchema } } },
    total: numberSchema,
    lsoas: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          name: { type: 'string' },
          count: numberSchema,
          population: nullableNum,
          rate: { ...nullableNum, description: 'Per 1,000 residents, one decimal place' },
          class: { ...numberSchema, description: '0-based index into classes' },
        },
      },
    },
    withoutBoundary: { type: 'array', items: { type: 'string' }, description: "The area's LSOAs with no imported boundary (not drawn)" },
    countWithoutBoundary: numberSchema,
  },
} as const;

export async function assessmentApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  analysisEndpoints(app, k);
  evidenceEndpoints(app, k);
  matrixEndpoints(app, k);
}

/** Crime and ASB by deprivation decile, and the hexagon density map, of the window (as on the assessment page). */
function evidenceEndpoints(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/assessment/deprivation',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: "Crime and ASB of the 12-month window by IMD 2019 decile of the area's LSOAs: counts, rates per 1,000 residents, shares",
        params: pParams,
        querystring: { type: 'object', properties: { end: endQuery } },
        response: { 200: deprivation, ...s.errors },
      },
    },
    async (r) =>
      requireAssessment(await loadAnalysisCached(k, app.crimeData, partnership(r), end(r), { version: r.access!.version })).deprivation!,
  );
  /** The analysis with the map of `kind` (crime or ASB), for the two map endpoints. */
  const loadMap = async (r: FastifyRequest) =>
    requireAssessment(
      await loadAnalysisCached(k, app.crimeData, partnership(r), end(r), {
        map: (r.query as { kind?: string }).kind,
        version: r.access!.version,
      }),
    );
  app.get(
    '/partnerships/:partnershipId/assessment/map',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: 'Hexagon density of the 12-month window’s crime or ASB from police.uk map points (the figures of the page’s map)',
        params: pParams,
        querystring: mapQuery,
        response: { 200: hexMap, ...s.errors },
      },
    },
    async (r) => {
      const loaded = await loadMap(r);
      return { kind: loaded.mapKind, ...loaded.hexMap! };
    },
  );
  app.get(
    '/partnerships/:partnershipId/assessment/lsoa-map',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary:
          "The area's LSOAs shaded by the 12-month window's crime or ASB: count, residents, rate per 1,000 and class of each (the figures of the page's map by LSOA)",
        params: pParams,
        querystring: mapQuery,
        response: { 200: lsoaMap, ...s.errors },
      },
    },
    async (r) => {
      const loaded = await loadMap(r);
      const c = loaded.choropleth!;
      const m = c.map;
      return {
        kind: loaded.mapKind,
        boundariesHeld: c.boundariesHeld,
        measure: m?.measure ?? null,
        populationSources: c.populationSources,
        classes: m?.classes ?? [],
        total: m?.total ?? 0,
        lsoas: m?.lsoas ?? [],
        withoutBoundary: m?.withoutBoundary ?? [],
        countWithoutBoundary: m?.countWithoutBoundary ?? 0,
      };
    },
  );
}

/** The analysis, seasonality and comparison of the partnership's area. */
function analysisEndpoints(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/assessment',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: 'The 12-month analysis: counts, rates, change and its significance by type, the monthly trend, hotspots and outcomes',
        params: pParams,
        querystring: { type: 'object', properties: { end: endQuery } },
        response: { 200: analysis, ...s.errors },
      },
    },
    async (r) => {
      const a = requireAssessment(await loadAssessment(k, app.crimeData, partnership(r), end(r))).assessment!;
      return { ...a, totals: a.totals.map(changeJson), byCrimeType: a.byCrimeType.map(changeJson) };
    },
  );

  app.get(
    '/partnerships/:partnershipId/assessment/seasonality',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: 'The month-of-year profile of crime and ASB in the area, with a seasonal index',
        params: pParams,
        response: { 200: seasonality, ...s.errors },
      },
    },
    async (r) => {
      const profile = await requireSeasonality(k, app.crimeData, partnership(r));
      return { months: profile.reduce((sum, p) => sum + p.years, 0), profile };
    },
  );

  app.get(
    '/partnerships/:partnershipId/assessment/comparison',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: 'Rates per 1,000 by type for the partnership, the areas chosen and their group average',
        params: pParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            end: endQuery,
            partnerships: {
              type: 'array',
              items: s.idParam,
              description: 'Other partnerships in CSP Hub whose area is defined (repeat the parameter)',
            },
            authorities: {
              type: 'array',
              items: { type: 'string', maxLength: 200 },
              description: 'Local authorities as "Name, population" (repeat the parameter), like "Barnsley, 246000"',
            },
          },
        },
        response: { 200: comparison, ...s.errors },
      },
    },
    async (r) => {
      const q = r.query as { partnerships?: string[]; authorities?: string[] };
      const loaded = requireAssessment(
        await loadComparison(
          k,
          app.crimeData,
          partnership(r),
          end(r),
          { partnerships: q.partnerships ?? [], authorities: (q.authorities ?? []).join('\n') },
          { requireChoice: true },
        ),
      );
      if (loaded.errors.length) throw new ValidationError(loaded.errors);
      return loaded.comparison!;
    },
  );
}

/** The priority-setting matrix and its settings. */
function matrixEndpoints(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/assessment/matrix',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: 'The priority-setting matrix: every issue scored and ranked with the partnership’s settings',
        params: pParams,
        querystring: { type: 'object', properties: { end: endQuery } },
        response: { 200: matrix, ...s.errors },
      },
    },
    async (r) => {
      const m = requireAssessment(await loadMatrix(k, app.crimeData, partnership(r), end(r)));
      return {
        window: m.assessment!.current,
        volumeBasis: m.rateBasis ? 'rate' : 'count',
        weights: m.settings.weights,
        issues: m.ranked.map((x) => ({
          rank: x.rank,
          name: x.name,
          count: x.count,
          previousCount: x.previousCount,
          rate: x.rate,
          percentageChange: x.percentageChange,
          significant: x.significant,
          supportedChange: x.values.trend,
          harmWeight: x.harmWeight,
          concern: x.concern,
          scores: x.scores,
          score: x.score,
        })),
      };
    },
  );

  app.get(
    '/partnerships/:partnershipId/assessment/matrix/settings',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: 'The matrix settings: criteria weights, volume on counts or rates, harm weights, public concern and other issues',
        params: pParams,
        response: { 200: settings, ...s.errors },
      },
    },
    async (r) => settingsJson(await getMatrixSettings(k, partnership(r).id)),
  );

  app.put(
    '/partnerships/:partnershipId/assessment/matrix/settings',
    {
      config: { auth: 'assessment.write' },
      schema: {
        tags,
        summary: 'Replace the matrix settings (audited); send expectedUpdatedAt to refuse overwriting a newer change',
        params: pParams,
        body: settingsInput,
        response: { 200: settings, ...s.errors },
      },
    },
    async (r) => settingsJson(await saveMatrixSettingsJson(k, actorOf(r.user!), partnership(r).id, r.body as MatrixSettingsJson)),
  );
}
