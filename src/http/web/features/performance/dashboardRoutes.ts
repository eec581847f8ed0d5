/** The partnership's performance dashboard (with its amber tolerance and small-number settings), scorecard and exceptions. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { cachedForPartnership } from '../../../../services/platform/snapshotCache.ts';
import { setAmberTolerance, setSuppressionThreshold } from '../../../../services/performance/indicators.ts';
import { scorecard } from '../../../../services/performance/scorecard.ts';
import { exceptions, partnershipPerformance, performanceDashboard } from '../../../../services/performance/performance.ts';
import { ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { partnershipCollection } from '../../../../services/cycle/collection.ts';
import { base, crumbs, pid, rowSparkline, rowView } from './shared.ts';
import { spcSummary } from '../../../../services/performance/spcSummary.ts';
import { spcRow } from './spcRoutes.ts';

type DashboardExtra = { tolerance?: unknown; suppressionThreshold?: unknown; errors?: FieldError[] };

export function dashboardRoutes(app: FastifyInstance, { db }: AppServices): void {
  const k = db.kysely;

  /**
   * What the dashboard shows of the partnership's data: the RAG counts, the settings and the indicator table
   * already rendered to HTML. It is the same for every reader of the partnership (links the role decides are
   * outside the table), so it is worked out once per change to the partnership's data and shared.
   */
  const dashboardSnapshot = (request: FastifyRequest) =>
    cachedForPartnership(
      k,
      pid(request),
      'performance-dashboard',
      async () => {
        const { indicators, tolerance, suppressionThreshold } = await performanceDashboard(k, pid(request));
        // Links relative to the dashboard's address (…/performance), 16 bytes a row lighter (issue 15).
        const rows = indicators.map((p) => ({
          ...rowView(p, base(request)),
          href: `indicators/${p.indicator.id}`,
          sparkline: rowSparkline(p),
        }));
        const counts = {
          red: rows.filter((r) => r.rag === 'red').length,
          amber: rows.filter((r) => r.rag === 'amber').length,
          green: rows.filter((r) => r.rag === 'green').length,
        };
        // Kept as UTF-8 bytes: placing it in the page costs a copy, not a render (reply.render's fragments).
        const table = Buffer.from(
          rows.length > 0
            ? app.views.render('features/performance/dashboard-table.njk', {
                // Indicators with no figure yet are a short list under the table, not a row of empty cells (issue 15).
                rows: rows.filter((r) => r.period !== '' || r.problem !== ''),
                waiting: rows.filter((r) => r.period === '' && r.problem === ''),
                base: base(request),
              })
            : '',
        );
        return { rowCount: rows.length, counts, tolerance, suppressionThreshold, table };
      },
      request.access!.version,
    );
  const renderDashboard = async (request: FastifyRequest, reply: FastifyReply, extra: DashboardExtra = {}, status = 200) => {
    const { table, ...snapshot } = await dashboardSnapshot(request);
    return reply.render(
      'features/performance/dashboard.njk',
      {
        title: 'Performance dashboard',
        section: 'performance',
        breadcrumbs: crumbs(request),
        base: base(request),
        ...snapshot,
        ...extra,
        // Figures overdue and due by the calendar, not cached: the day changes them (src/services/cycle/collection.ts).
        collection: await partnershipCollection(k, pid(request)),
        fragments: { table },
      },
      status,
    );
  };

  app.get('/partnerships/:partnershipId/performance', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    renderDashboard(request, reply),
  );

  /** The settings that were on the dashboard (issue 15): the amber tolerance and the small-number threshold. */
  const renderSettings = async (request: FastifyRequest, reply: FastifyReply, extra: DashboardExtra = {}, status = 200) => {
    const { tolerance, suppressionThreshold } = await dashboardSnapshot(request);
    return reply.render(
      'features/performance/settings.njk',
      {
        title: 'Performance settings',
        section: 'performance',
        breadcrumbs: crumbs(request, [{ text: 'Performance dashboard', href: `${base(request)}/performance` }]),
        base: base(request),
        tolerance,
        suppressionThreshold,
        ...extra,
      },
      status,
    );
  };

  app.get('/partnerships/:partnershipId/performance/settings', { config: { auth: 'indicator.write' } }, async (request, reply) =>
    renderSettings(request, reply),
  );

  app.post('/partnerships/:partnershipId/performance/settings', { config: { auth: 'partnership.update' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      await setAmberTolerance(k, actorOf(request.user!), pid(request), body.amberTolerancePercent);
    } catch (e) {
      if (e instanceof ValidationError)
        return renderSettings(request, reply, { tolerance: body.amberTolerancePercent, errors: e.errors }, 400);
      throw e;
    }
    return reply.flash('Amber tolerance saved').redirect(`${base(request)}/performance/settings`, 303);
  });

  app.post('/partnerships/:partnershipId/performance/disclosure', { config: { auth: 'indicator.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      await setSuppressionThreshold(k, actorOf(request.user!), pid(request), body.suppressionThreshold);
    } catch (e) {
      if (e instanceof ValidationError)
        return renderSettings(request, reply, { suppressionThreshold: body.suppressionThreshold, errors: e.errors }, 400);
      throw e;
    }
    return reply.flash('Small-number threshold saved').redirect(`${base(request)}/performance/settings`, 303);
  });
}

/** The scorecard by priority and OBA question, and the exception list. */
export function scorecardRoutes(app: FastifyInstance, { db }: AppServices): void {
  const k = db.kysely;
  app.get('/partnerships/:partnershipId/performance/scorecard', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const sections = (await scorecard(k, pid(request))).map((s) => ({
      title: s.title,
      plan: s.plan,
      groups: s.groups.map((g) => ({ question: g.question, rows: g.indicators.map((p) => rowView(p, base(request))) })),
    }));
    return reply.render('features/performance/scorecard.njk', {
      title: 'Scorecard',
      section: 'performance',
      breadcrumbs: crumbs(request, [{ text: 'Performance', href: `${base(request)}/performance` }]),
      base: base(request),
      sections,
    });
  });

  app.get('/partnerships/:partnershipId/performance/exceptions', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const [all, summary] = await Promise.all([partnershipPerformance(k, pid(request), { latestOnly: true }), spcSummary(k, pid(request))]);
    // Making Data Count's icons as the SPC summary shows them (from its cached full histories).
    const spc = new Map(summary.map((p) => [p.indicator.id, spcRow(p, base(request))]));
    const list = exceptions(all).map((e) => ({
      ...rowView(e.performance, base(request)),
      reasons: e.reasons,
      spc: spc.get(e.performance.indicator.id) ?? null,
    }));
    return reply.render('features/performance/exceptions.njk', {
      title: 'Exceptions',
      section: 'performance',
      breadcrumbs: crumbs(request, [{ text: 'Performance', href: `${base(request)}/performance` }]),
      list,
    });
  });
}
