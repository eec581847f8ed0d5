/**
 * Strategic assessment from police.uk street-level data: the partnership's area, importing police.uk files
 * (with a progress page), and the assessment itself: counts, rates, change and its significance, the monthly
 * trend, hotspots and outcomes, each chart with its table.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { getAssessmentArea, saveAssessmentArea } from '../../../../services/assessment/assessmentAreas.ts';
import { loadAnalysis } from '../../../../services/assessment/assessmentAnalysis.ts';
import type { StrategicAssessment } from '../../../../domain/crimeAssessment.ts';
import { formatPeriodLabel, roundHalfAwayFromZero } from '../../../../domain/index.ts';
import { chartTable, formatNumber, renderChart, tableForChart, type ChartSpec } from '../../../../presentation/charts/index.ts';
import type { CalendarMonthProfile } from '../../../../domain/seasonality.ts';
import { matrixRoutes } from './matrixRoutes.ts';
import { documentRoutes } from './documentRoutes.ts';
import { changeRow } from '../../../../presentation/documents/assessmentDocument.ts';

const UPLOAD_TYPES = ['application/zip', 'application/x-zip-compressed', 'text/csv', 'application/octet-stream'];

function monthLabel(month: string): string {
  return formatPeriodLabel(month);
}

function charts(a: StrategicAssessment) {
  const trend: ChartSpec = {
    type: 'line',
    id: 'trend',
    title: 'Crime and anti-social behaviour by month',
    description: `Records per month from ${monthLabel(a.previous.from)} to ${monthLabel(a.current.to)}.`,
    categories: a.monthly.map((m) => monthLabel(m.month)),
    series: [
      { name: 'All crime (excluding ASB)', values: a.monthly.map((m) => m.crime) },
      { name: 'Anti-social behaviour', values: a.monthly.map((m) => m.asb) },
    ],
    categoryAxisLabel: 'Month',
    units: 'records',
  };
  const hotspots: ChartSpec = {
    type: 'horizontalBar',
    id: 'hotspots',
    title: 'LSOAs with the most crime',
    description: `Crime (excluding ASB) in the ${a.hotspots.top.length} LSOAs with the most, ${monthLabel(a.current.from)} to ${monthLabel(a.current.to)}.`,
    items: a.hotspots.top.map((h) => ({ label: `${h.name} (${h.code})`, value: h.count })),
    seriesName: 'Crimes',
    categoryAxisLabel: 'LSOA',
  };
  const types: ChartSpec = {
    type: 'horizontalBar',
    id: 'types',
    title: 'Crime by type',
    description: `Crimes of each type, ${monthLabel(a.current.from)} to ${monthLabel(a.current.to)}.`,
    items: a.byCrimeType.map((f) => ({ label: f.label, value: f.current })),
    seriesName: 'Crimes',
    categoryAxisLabel: 'Crime type',
  };
  return {
    trendSvg: renderChart(trend),
    trendTable: chartTable({ ...tableForChart(trend), captionSize: 's' }),
    hotspotSvg: a.hotspots.top.length ? renderChart(hotspots) : '',
    hotspotTable: a.hotspots.top.length ? chartTable({ ...tableForChart(hotspots), captionSize: 's' }) : '',
    typesSvg: renderChart(types),
  };
}

function seasonality(profile: CalendarMonthProfile[]) {
  const spec: ChartSpec = {
    type: 'line',
    id: 'seasonality',
    title: 'Average crime and anti-social behaviour by calendar month',
    description: 'The average number of records in each calendar month over every month of police.uk data held for the area.',
    categories: profile.map((p) => p.name),
    series: [
      { name: 'All crime (excluding ASB)', values: profile.map((p) => (p.crimeAverage === null ? null : roundHalfAwayFromZero(p.crimeAverage, 1))) },
      { name: 'Anti-social behaviour', values: profile.map((p) => (p.asbAverage === null ? null : roundHalfAwayFromZero(p.asbAverage, 1))) },
    ],
    categoryAxisLabel: 'Calendar month',
    units: 'average records',
  };
  const one = (n: number | null) => (n === null ? 'No data' : formatNumber(roundHalfAwayFromZero(n, 1), 1));
  return {
    seasonalitySvg: renderChart(spec),
    seasonalityRows: profile.map((p) => ({ name: p.name, years: p.years, crime: one(p.crimeAverage), crimeIndex: one(p.crimeIndex), asb: one(p.asbAverage), asbIndex: one(p.asbIndex) })),
  };
}

export async function assessmentRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  const { db } = services;
  const crimeData = app.crimeData;
  await matrixRoutes(app, services, crimeData);
  await documentRoutes(app, services, crimeData);

  const base = (request: FastifyRequest) => `/partnerships/${request.access!.partnership.id}/assessment`;
  const crumbs = (request: FastifyRequest) => [
    { text: 'Home', href: '/' },
    { text: request.access!.partnership.name, href: `/partnerships/${request.access!.partnership.id}` },
    { text: 'Strategic assessment', href: base(request) },
  ];

  app.get('/partnerships/:partnershipId/assessment', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const loaded = await loadAnalysis(db.kysely, crimeData, request.access!.partnership, (request.query as { end?: unknown }).end);
    const { area, months, forces, end, errors, assessment } = loaded;
    return reply.render('features/assessment/overview.njk', {
      title: 'Strategic assessment',
      section: 'assessment',
      breadcrumbs: crumbs(request).slice(0, 2),
      base: base(request),
      area,
      months: months.map((m) => ({ value: m, text: monthLabel(m), selected: m === end })),
      forces,
      firstMonth: months.at(-1) ? monthLabel(months.at(-1) as string) : null,
      lastMonth: months[0] ? monthLabel(months[0]) : null,
      errors,
      assessment,
      window: assessment
        ? { current: `${monthLabel(assessment.current.from)} to ${monthLabel(assessment.current.to)}`, previous: `${monthLabel(assessment.previous.from)} to ${monthLabel(assessment.previous.to)}` }
        : null,
      totals: assessment?.totals.map(changeRow) ?? [],
      byType: assessment?.byCrimeType.map(changeRow) ?? [],
      missingMonths: assessment?.missingMonths.map(monthLabel) ?? [],
      hotspots: assessment
        ? {
            count: assessment.hotspots.topDecileCount,
            lsoas: assessment.hotspots.lsoaCount,
            share: assessment.hotspots.topDecileShare === null ? null : formatNumber(roundHalfAwayFromZero(assessment.hotspots.topDecileShare * 100, 1), 1),
          }
        : null,
      outcomes: assessment?.outcomes.map((o) => ({ outcome: o.outcome, count: formatNumber(o.count), share: formatNumber(roundHalfAwayFromZero(o.share * 100, 1), 1) })) ?? [],
      ...(assessment ? charts(assessment) : {}),
      ...(assessment ? seasonality(loaded.seasonality) : {}),
    });
  });

  const areaForm = (request: FastifyRequest, reply: FastifyReply, ctx: Record<string, unknown>, status = 200) =>
    reply.render('features/assessment/area.njk', { title: "The partnership's area", section: 'assessment', breadcrumbs: crumbs(request), action: `${base(request)}/area`, ...ctx }, status);

  app.get('/partnerships/:partnershipId/assessment/area', { config: { auth: 'assessment.write' } }, async (request, reply) => {
    const area = await getAssessmentArea(db.kysely, request.access!.partnership.id);
    return areaForm(request, reply, { values: { localAuthorities: area?.localAuthorities.join('\n') ?? '', lsoaCodes: area?.lsoaCodes.join('\n') ?? '' } });
  });

  app.post('/partnerships/:partnershipId/assessment/area', { config: { auth: 'assessment.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      await saveAssessmentArea(db.kysely, actorOf(request.user!), request.access!.partnership.id, body);
      return reply.flash("The partnership's area has been saved").redirect(base(request), 303);
    } catch (e) {
      if (e instanceof ValidationError) return areaForm(request, reply, { values: body, errors: e.errors }, 400);
      throw e;
    }
  });

  const importPage = (request: FastifyRequest, reply: FastifyReply, ctx: Record<string, unknown>, status = 200) => {
    const job = crimeData.jobFor(request.access!.partnership.id);
    const p = job?.progress;
    const percent = p && p.bytesTotal > 0 ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : 0;
    return reply.render(
      'features/assessment/import.njk',
      {
        title: 'Import police.uk data',
        section: 'assessment',
        breadcrumbs: crumbs(request),
        action: `${base(request)}/import`,
        base: base(request),
        sources: crimeData.sources().map((s) => ({ value: s.name, text: s.name, hint: { text: s.kind } })),
        job,
        running: job !== null && !job.finished,
        percent,
        stageText: p ? { reading: 'Reading files', checking: 'Checking every row', replacing: 'Replacing months', committing: 'Saving', done: 'Finished' }[p.stage] : 'Starting',
        ...ctx,
      },
      status,
    );
  };

  app.get('/partnerships/:partnershipId/assessment/import', { config: { auth: 'assessment.import' } }, async (request, reply) => importPage(request, reply, {}));

  app.post('/partnerships/:partnershipId/assessment/import', { config: { auth: 'assessment.import' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      crimeData.startImport(request.access!.partnership.id, body.source, request.user!.email);
      return reply.redirect(`${base(request)}/import`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return importPage(request, reply, { errors: e.errors }, 400);
      throw e;
    }
  });

  // Browser uploads (with JavaScript): each file's bytes are passed on as they arrive to the police.uk imports
  // service, which saves them in the server's police.uk folder to be imported like any other source there.
  await app.register(async (uploads) => {
    for (const type of UPLOAD_TYPES) uploads.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
    uploads.post('/partnerships/:partnershipId/assessment/upload', { config: { auth: 'assessment.import' } }, async (request, reply) => {
      const query = request.query as { name?: unknown; batch?: unknown };
      return reply.send(await crimeData.saveUpload({ name: query.name, batch: query.batch, file: request.body }));
    });
  });
}
