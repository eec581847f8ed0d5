/**
 * Performance management pages: the indicator catalogue, indicator forms (with baseline and target), each
 * indicator's page (line chart, XmR chart and their tables, RAG override), the figure entry grid and upload,
 * the partnership dashboard, the scorecard by priority and OBA question, and the exception list.
 */
import { priorityChoices } from '../../../../services/plans/priorityChoices.ts';
import { liveIndicatorsIn } from '../../../../services/performance/retirement.ts';
import { cachedForPartnership } from '../../../../services/platform/snapshotCache.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import {
  FREQUENCIES,
  INDICATOR_UNITS,
  OBA_CATEGORIES,
  POLARITIES,
  RAGS,
  TARGET_KINDS,
  type Indicator,
} from '../../../../adapters/database/schema.ts';
import {
  amberTolerance,
  createIndicator,
  FREQUENCY_LABELS,
  getCatalogueIndicator,
  getIndicator,
  inputFromCatalogue,
  inputFromIndicator,
  label,
  listCatalogue,
  listIndicators,
  OBA_LABELS,
  PERIOD_EXAMPLES,
  POLARITY_LABELS,
  setAmberTolerance,
  setSuppressionThreshold,
  suppressionThreshold,
  TARGET_KIND_LABELS,
  UNIT_LABELS,
  targetText as describeIndicatorTarget,
  updateIndicator,
} from '../../../../services/performance/indicators.ts';
import { scorecardSections } from '../../../../services/performance/scorecard.ts';
import {
  enterFigures,
  figureHistory,
  listPartnershipFigures,
  readFigureFile,
  type FigureProblem,
} from '../../../../services/performance/figures.ts';
import {
  comparePeriods,
  exceptions,
  indicatorPerformance,
  overrideRag,
  partnershipPerformance,
  quarterByYear,
  type IndicatorPerformance,
  type PeriodPerformance,
} from '../../../../services/performance/performance.ts';
import { ConflictError, ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import {
  figureValueProblem,
  financialYearKey,
  formatPeriodLabel,
  monthsOfFinancialYear,
  parseFinancialYear,
  quarterKey,
  quoteValue,
} from '../../../../domain/index.ts';
import { chartTable, renderChart, sparkline, tableForChart, type ChartSpec } from '../../../../presentation/charts/index.ts';
import { registerMultipart, type UploadedFile } from '../../../multipart.ts';
import { listCommentary } from '../../../../services/performance/commentary.ts';
import { typedPeriod } from '../commentary/routes.ts';

const items = <T extends string>(values: readonly T[], labels: Record<T, string>) => values.map((v) => ({ value: v, text: labels[v] }));
const RAG_LABELS: Record<string, string> = { red: 'Red', amber: 'Amber', green: 'Green' };
const DIRECTION_LABELS: Record<string, string> = {
  improving: 'Improving',
  worsening: 'Worsening',
  'no change': 'No change',
  increasing: 'Increasing',
  decreasing: 'Decreasing',
};

function fmt(n: number | null | undefined, decimals = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  return n.toLocaleString('en-GB', { maximumFractionDigits: decimals });
}

function unitFormat(unit: Indicator['unit']) {
  return (n: number) => (unit === 'percentage' ? `${fmt(n, 1)}%` : unit === 'money' ? `£${fmt(n, 2)}` : fmt(n, 2));
}

/** A period's label, or its key as stored when it is not a period (a row written by another tool). */
function periodLabelOrKey(period: string): string {
  try {
    return formatPeriodLabel(period);
  } catch {
    return period;
  }
}

/** Periods of a financial year for an indicator's frequency. */
function periodsOfYear(frequency: Indicator['frequency'], fy: string): string[] {
  if (frequency === 'annual') return [fy];
  if (frequency === 'quarterly') return [1, 2, 3, 4].map((q) => quarterKey(parseFinancialYear(fy), q));
  return monthsOfFinancialYear(fy);
}

/** The target shown before any figure is in: the latest one set. */
function currentTargetText(i: IndicatorPerformance['indicator']): string {
  const t = i.targets[i.targets.length - 1];
  return t ? describeIndicatorTarget(t) : 'No target';
}

function rowView(p: IndicatorPerformance, base: string) {
  const l = p.latest;
  const fmtU = unitFormat(p.indicator.unit);
  return {
    id: p.indicator.id,
    href: `${base}/indicators/${p.indicator.id}`,
    label: label(p.indicator),
    oba: p.indicator.oba_category,
    period: l?.label ?? '',
    value: l?.value !== null && l?.value !== undefined ? fmtU(l.value) : p.problems.length > 0 ? 'No usable figures' : 'No figures',
    target: l?.targetText ?? currentTargetText(p.indicator),
    rag: l?.rag ?? null,
    ragText: l?.rag
      ? `${RAG_LABELS[l.rag]}${l.overridden ? ' (overridden)' : ''}`
      : p.problems.length > 0
        ? 'No RAG: check the figures'
        : p.indicator.polarity === 'monitor'
          ? 'Monitor only'
          : 'No RAG',
    /** Stored figures that cannot be used: shown with the indicator so the rest of the page is unaffected. */
    problem: p.problems.join(' '),
    overridden: l?.overridden ?? false,
    direction: l?.direction ? DIRECTION_LABELS[l.direction] : '',
    percentChange:
      l?.percentChange !== null && l?.percentChange !== undefined ? `${l.percentChange > 0 ? '+' : ''}${l.percentChange.toFixed(1)}%` : '',
  };
}

/** The last 12 figures as a sparkline for a dashboard row (whose header names the indicator). */
function rowSparkline(p: IndicatorPerformance): string {
  const last = p.series.slice(-12);
  if (last.length === 0) return '';
  const fmtU = unitFormat(p.indicator.unit);
  return sparkline({
    title: 'Trend',
    values: last.map((x) => x.value),
    categories: last.map((x) => x.label),
    formatValue: fmtU,
    target: p.latest?.target?.threshold,
    inline: true,
  });
}

export async function performanceRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  await app.register(async (scope) => {
    registerMultipart(scope);
    await routes(scope, services);
  });
}

async function routes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  const pid = (r: FastifyRequest) => r.access!.partnership.id;
  const base = (r: FastifyRequest) => `/partnerships/${pid(r)}`;
  const crumbs = (r: FastifyRequest, extra: { text: string; href: string }[] = []) => [
    { text: 'Home', href: '/' },
    { text: r.access!.partnership.name, href: base(r) },
    ...extra,
  ];
  const indicatorId = (r: FastifyRequest) => assertValidId((r.params as { indicatorId: string }).indicatorId, 'Indicator');

  // ---- Dashboard, scorecard, exceptions ----

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
        const [all, tolerance, threshold] = await Promise.all([
          partnershipPerformance(k, pid(request), { latestOnly: true }),
          amberTolerance(k, pid(request)),
          suppressionThreshold(k, pid(request)),
        ]);
        const rows = all.map((p) => ({ ...rowView(p, base(request)), sparkline: rowSparkline(p) }));
        const counts = {
          red: rows.filter((r) => r.rag === 'red').length,
          amber: rows.filter((r) => r.rag === 'amber').length,
          green: rows.filter((r) => r.rag === 'green').length,
        };
        // Kept as UTF-8 bytes: placing it in the page costs a copy, not a render (reply.render's fragments).
        const table = Buffer.from(
          rows.length > 0 ? app.views.render('features/performance/dashboard-table.njk', { rows, base: base(request) }) : '',
        );
        return { rowCount: rows.length, counts, tolerance, suppressionThreshold: threshold, table };
      },
      request.access!.version,
    );
  const renderDashboard = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { tolerance?: unknown; suppressionThreshold?: unknown; errors?: FieldError[] } = {},
    status = 200,
  ) => {
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
        fragments: { table },
      },
      status,
    );
  };

  app.get('/partnerships/:partnershipId/performance', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    renderDashboard(request, reply),
  );

  app.get('/partnerships/:partnershipId/performance/scorecard', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const all = await partnershipPerformance(k, pid(request), { latestOnly: true });
    const sections = (await scorecardSections(k, pid(request), all)).map((s) => ({
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
    const list = exceptions(await partnershipPerformance(k, pid(request), { latestOnly: true })).map((e) => ({
      ...rowView(e.performance, base(request)),
      reasons: e.reasons,
    }));
    return reply.render('features/performance/exceptions.njk', {
      title: 'Exceptions',
      section: 'performance',
      breadcrumbs: crumbs(request, [{ text: 'Performance', href: `${base(request)}/performance` }]),
      list,
    });
  });

  app.post('/partnerships/:partnershipId/performance/settings', { config: { auth: 'partnership.update' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      await setAmberTolerance(k, actorOf(request.user!), pid(request), body.amberTolerancePercent);
    } catch (e) {
      if (e instanceof ValidationError)
        return renderDashboard(request, reply, { tolerance: body.amberTolerancePercent, errors: e.errors }, 400);
      throw e;
    }
    return reply.flash('Amber tolerance saved').redirect(`${base(request)}/performance`, 303);
  });

  app.post('/partnerships/:partnershipId/performance/disclosure', { config: { auth: 'indicator.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      await setSuppressionThreshold(k, actorOf(request.user!), pid(request), body.suppressionThreshold);
    } catch (e) {
      if (e instanceof ValidationError)
        return renderDashboard(request, reply, { suppressionThreshold: body.suppressionThreshold, errors: e.errors }, 400);
      throw e;
    }
    return reply.flash('Small-number threshold saved').redirect(`${base(request)}/performance`, 303);
  });

  // ---- Indicators ----

  app.get('/partnerships/:partnershipId/indicators', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const indicators = await listIndicators(k, pid(request));
    const catalogue = await listCatalogue(k);
    return reply.render('features/performance/indicators.njk', {
      title: 'Indicators',
      section: 'indicators',
      breadcrumbs: crumbs(request),
      indicators: indicators.map((i) => ({
        ...i,
        unitLabel: UNIT_LABELS[i.unit],
        polarityLabel: POLARITY_LABELS[i.polarity],
        frequencyLabel: FREQUENCY_LABELS[i.frequency],
        obaLabel: OBA_LABELS[i.oba_category],
      })),
      catalogue: catalogue.map((c) => ({ ...c, adopted: indicators.some((i) => i.catalogue_indicator_id === c.id) })),
      base: base(request),
    });
  });

  const formContext = async (request: FastifyRequest, chosen: unknown) => {
    const keepIds = (Array.isArray(chosen) ? chosen : chosen ? [chosen] : []).map(String);
    return {
      section: 'indicators',
      breadcrumbs: crumbs(request, [{ text: 'Indicators', href: `${base(request)}/indicators` }]),
      unitItems: items(INDICATOR_UNITS, UNIT_LABELS),
      polarityItems: items(POLARITIES, POLARITY_LABELS),
      frequencyItems: items(FREQUENCIES, FREQUENCY_LABELS),
      obaItems: items(OBA_CATEGORIES, OBA_LABELS),
      targetKindItems: [{ value: '', text: 'No target yet' }, ...items(TARGET_KINDS, TARGET_KIND_LABELS)],
      priorityItems: await priorityChoices(k, pid(request), { keepIds }),
    };
  };
  const form = async (request: FastifyRequest, reply: FastifyReply, ctx: Record<string, unknown>, status = 200) =>
    reply.render(
      'features/performance/indicator-form.njk',
      { ...(await formContext(request, (ctx.values as { priorityIds?: unknown } | undefined)?.priorityIds)), ...ctx },
      status,
    );

  app.get('/partnerships/:partnershipId/indicators/new', { config: { auth: 'indicator.write' } }, async (request, reply) => {
    const from = (request.query as { from?: string }).from;
    const values = from ? inputFromCatalogue(await getCatalogueIndicator(k, assertValidId(from, 'National indicator'))) : {};
    return form(request, reply, {
      title: 'Add an indicator',
      action: `${base(request)}/indicators/new`,
      values,
      submitText: 'Add indicator',
    });
  });

  app.post('/partnerships/:partnershipId/indicators/new', { config: { auth: 'indicator.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string | string[]>;
    try {
      const i = await createIndicator(k, actorOf(request.user!), pid(request), body);
      return reply.flash(`${label(i)} has been added`).redirect(`${base(request)}/indicators/${i.id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError)
        return form(
          request,
          reply,
          {
            title: 'Add an indicator',
            action: `${base(request)}/indicators/new`,
            values: body,
            errors: e.errors,
            submitText: 'Add indicator',
          },
          400,
        );
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/indicators/:indicatorId/edit', { config: { auth: 'indicator.write' } }, async (request, reply) => {
    const i = await getIndicator(k, pid(request), indicatorId(request));
    return form(request, reply, {
      title: `Edit ${label(i)}`,
      action: `${base(request)}/indicators/${i.id}/edit`,
      values: inputFromIndicator(i),
      submitText: 'Save changes',
    });
  });

  app.post('/partnerships/:partnershipId/indicators/:indicatorId/edit', { config: { auth: 'indicator.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string | string[]>;
    const id = indicatorId(request);
    const ctx = { title: 'Edit indicator', action: `${base(request)}/indicators/${id}/edit`, submitText: 'Save changes' };
    try {
      const i = await updateIndicator(k, actorOf(request.user!), pid(request), id, body);
      return reply.flash(`${label(i)} has been updated`).redirect(`${base(request)}/indicators/${i.id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return form(request, reply, { ...ctx, values: body, errors: e.errors }, 400);
      if (e instanceof ConflictError) {
        const latest = await getIndicator(k, pid(request), id);
        return form(request, reply, { ...ctx, values: inputFromIndicator(latest), errors: [{ field: 'title', message: e.message }] }, 409);
      }
      throw e;
    }
  });

  const indicatorPage = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) => {
    const perf = await indicatorPerformance(k, pid(request), indicatorId(request));
    const i = perf.indicator;
    const fmtU = unitFormat(i.unit);
    const periods = perf.periods;
    const threshold = perf.latest?.target && perf.latest.assessedAs === 'value' ? perf.latest.target.threshold : undefined;
    const line: ChartSpec = {
      type: 'line',
      title: `${label(i)}: figures by period`,
      description: `${periods.length} figures from ${periods[0]?.label ?? 'no period'} to ${perf.latest?.label ?? 'no period'}.`,
      categories: periods.map((p) => p.label),
      series: [{ name: label(i), values: periods.map((p) => p.value) }],
      target: threshold !== undefined ? { value: threshold, label: `Target: ${fmtU(threshold)}` } : undefined,
      formatValue: fmtU,
      units: UNIT_LABELS[i.unit],
      categoryAxisLabel: 'Period',
    };
    const xmr: ChartSpec | null = perf.xmr
      ? {
          type: 'xmr',
          title: `${label(i)}: statistical process control (XmR)`,
          description: `Mean ${fmtU(perf.xmr.mean)}, process limits ${fmtU(perf.xmr.lowerProcessLimit)} to ${fmtU(perf.xmr.upperProcessLimit)}.`,
          categories: periods.map((p) => p.label),
          values: periods.map((p) => p.value),
          mean: perf.xmr.mean,
          upperLimit: perf.xmr.upperProcessLimit,
          lowerLimit: perf.xmr.lowerProcessLimit,
          specialCause: perf.xmr.points.map((p) => p.specialCause),
          improvement: i.polarity === 'higher_is_better' ? 'higher' : i.polarity === 'lower_is_better' ? 'lower' : undefined,
          formatValue: fmtU,
          categoryAxisLabel: 'Period',
        }
      : null;
    // Quarter by year (as in the Rotherham 2018-21 review): Q1 to Q4 along the axis, a bar for each financial year.
    const years = quarterByYear(perf);
    const additive = i.unit === 'count' || i.unit === 'money';
    const quarterChart: ChartSpec | null = years
      ? {
          type: 'groupedBar',
          title: `${label(i)}: quarter by year`,
          description: `${i.frequency === 'monthly' ? (additive ? 'Monthly figures added up by quarter' : 'Mean of the monthly figures of each quarter') : 'Quarterly figures'}, one bar for each financial year from ${years[0]!.year} to ${years[years.length - 1]!.year}.`,
          categories: ['Q1', 'Q2', 'Q3', 'Q4'],
          series: years.map((y) => ({ name: y.year, values: y.quarters })),
          formatValue: fmtU,
          units: UNIT_LABELS[i.unit],
          categoryAxisLabel: 'Quarter',
        }
      : null;
    const yearRows = (years ?? []).map((y) => ({
      year: y.year,
      summaryText:
        y.total !== null
          ? fmtU(y.total)
          : y.mean !== null
            ? `${fmtU(y.mean)} (mean of ${y.complete} quarter${y.complete === 1 ? '' : 's'})`
            : `Incomplete (${y.complete} of 4 quarters)`,
      changeText: y.change === null ? '' : `${y.change > 0 ? '+' : ''}${fmt(y.change)}`,
      percentText: y.percentChange === null ? '' : `${y.percentChange > 0 ? '+' : ''}${y.percentChange.toFixed(1)}%`,
    }));
    const rows = [...periods].reverse().map((p: PeriodPerformance) => ({
      ...p,
      valueText: p.value === null ? '' : fmtU(p.value),
      lastYearText: p.lastYear === null ? '' : fmtU(p.lastYear),
      changeText: p.change === null ? '' : `${p.change > 0 ? '+' : ''}${fmt(p.change)}`,
      percentText: p.percentChange === null ? '' : `${p.percentChange > 0 ? '+' : ''}${p.percentChange.toFixed(1)}%`,
      ytdText: p.yearToDate === null ? '' : fmtU(p.yearToDate),
      rateText: p.ratePer1000 === null ? '' : fmt(p.ratePer1000, 2),
      thresholdText: p.target ? fmtU(p.target.threshold) : '',
      assessedText:
        p.assessed === null
          ? ''
          : `${fmtU(p.assessed)}${p.assessedAs === 'projected_year_end' ? ' (projected year end)' : p.assessedAs === 'span_total' ? ' (total over span)' : ''}`,
      ragText: p.rag ? `${RAG_LABELS[p.rag]}${p.overridden ? ' (overridden)' : ''}` : '',
      directionText: p.direction ? DIRECTION_LABELS[p.direction] : '',
    }));
    return reply.render(
      'features/performance/indicator.njk',
      {
        title: label(i),
        section: 'indicators',
        breadcrumbs: crumbs(request, [{ text: 'Indicators', href: `${base(request)}/indicators` }]),
        indicator: {
          ...i,
          unitLabel: UNIT_LABELS[i.unit],
          polarityLabel: POLARITY_LABELS[i.polarity],
          frequencyLabel: FREQUENCY_LABELS[i.frequency],
          obaLabel: OBA_LABELS[i.oba_category],
        },
        baselineText: i.baseline
          ? `${fmtU(i.baseline.value)} in ${formatPeriodLabel(i.baseline.period)}${i.baseline.source ? ` (${i.baseline.source})` : ''}`
          : 'No baseline',
        targetText: perf.latest?.targetText ?? currentTargetText(i),
        latest: rows[0] ?? null,
        rows,
        lineSvg: periods.length > 0 ? renderChart(line) : '',
        lineTable: periods.length > 0 ? chartTable(tableForChart(line)) : '',
        xmrSvg: xmr ? renderChart(xmr) : '',
        quarterSvg: quarterChart ? renderChart(quarterChart) : '',
        quarterTable: quarterChart ? chartTable({ ...tableForChart(quarterChart), captionSize: 's' }) : '',
        yearSummaryHeading: additive ? 'Year total' : 'Year mean',
        yearRows,
        xmrTable: xmr ? chartTable(tableForChart(xmr)) : '',
        history: (await figureHistory(k, pid(request), i.id)).map((f) => ({
          ...f,
          periodLabel: periodLabelOrKey(f.period),
          valueText: figureValueProblem(f.value) === null ? fmtU(f.value) : `${quoteValue(f.value)} (cannot be used)`,
        })),
        problems: perf.problems,
        periodItems: rows.map((r) => ({ value: r.period, text: r.label })),
        commentary: (await listCommentary(k, pid(request), i.id)).map((c) => ({ ...c, periodLabel: formatPeriodLabel(c.period) })),
        commentaryPeriodValue: perf.latest ? typedPeriod(perf.latest.period) : '',
        commentaryHint: `A ${i.frequency === 'annual' ? 'financial year' : i.frequency === 'quarterly' ? 'quarter' : 'month'}, like ${typedPeriod(PERIOD_EXAMPLES[i.frequency])}`,
        ragItems: RAGS.map((r) => ({ value: r, text: RAG_LABELS[r] })),
        base: base(request),
        ...extra,
      },
      status,
    );
  };

  app.get('/partnerships/:partnershipId/indicators/:indicatorId', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    indicatorPage(request, reply),
  );

  app.post('/partnerships/:partnershipId/indicators/:indicatorId/rag', { config: { auth: 'rag.override' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      await overrideRag(k, actorOf(request.user!), pid(request), indicatorId(request), body);
    } catch (e) {
      if (e instanceof ValidationError) return indicatorPage(request, reply, { errors: e.errors, overrideValues: body }, 400);
      throw e;
    }
    return reply.flash('The RAG status has been overridden').redirect(`${base(request)}/indicators/${indicatorId(request)}`, 303);
  });

  // ---- Figures: entry grid and upload ----

  const gridPage = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) => {
    const query = request.query as { year?: string };
    const indicators = await listIndicators(k, pid(request));
    const figures = await listPartnershipFigures(k, pid(request));
    let fy: string;
    try {
      fy = financialYearKey(parseFinancialYear(typeof extra.year === 'string' ? extra.year : (query.year ?? '')));
    } catch {
      const latest = [...figures].sort((a, b) => comparePeriods(b.period, a.period))[0];
      const m = latest ? /^(\d{4})/.exec(latest.period) : null;
      const start = latest
        ? latest.period.includes('/') || latest.period.includes('Q')
          ? Number(m![1])
          : (() => {
              const [y, mo] = latest.period.split('-').map(Number);
              return mo! >= 4 ? y! : y! - 1;
            })()
        : new Date().getFullYear() - (new Date().getMonth() < 3 ? 1 : 0);
      fy = financialYearKey(start);
    }
    const current = new Map(figures.map((f) => [`${f.indicator_id}|${f.period}`, f.value]));
    const submitted = (extra.values ?? {}) as Record<string, string>;
    const rows = liveIndicatorsIn(indicators, fy).map((i) => ({
      id: i.id,
      label: label(i),
      frequency: FREQUENCY_LABELS[i.frequency],
      cells: periodsOfYear(i.frequency, fy).map((period) => {
        const name = `f-${i.id}-${period.replace(/[^0-9A-Za-z]/g, '_')}`;
        const saved = current.get(`${i.id}|${period}`);
        return {
          name,
          period,
          label: formatPeriodLabel(period),
          value: name in submitted ? submitted[name] : saved === undefined ? '' : String(saved),
        };
      }),
    }));
    const start = parseFinancialYear(fy);
    return reply.render(
      'features/performance/figures.njk',
      {
        title: 'Enter figures',
        section: 'figures',
        breadcrumbs: crumbs(request),
        year: fy,
        previousYear: financialYearKey(start - 1),
        nextYear: financialYearKey(start + 1),
        rows,
        base: base(request),
        examples: PERIOD_EXAMPLES,
        ...extra,
      },
      status,
    );
  };

  app.get('/partnerships/:partnershipId/figures', { config: { auth: 'figure.write' } }, async (request, reply) => gridPage(request, reply));

  app.post('/partnerships/:partnershipId/figures', { config: { auth: 'figure.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    const indicators = await listIndicators(k, pid(request));
    let fy: string;
    try {
      fy = financialYearKey(parseFinancialYear(String(body.year ?? '')));
    } catch {
      return gridPage(request, reply, { errors: [{ field: 'year', message: 'Choose the financial year, like 2009/10' }] }, 400);
    }
    const cells: { name: string; indicatorId: number; period: string; value: string }[] = [];
    for (const i of indicators) {
      for (const period of periodsOfYear(i.frequency, fy)) {
        const name = `f-${i.id}-${period.replace(/[^0-9A-Za-z]/g, '_')}`;
        const value = typeof body[name] === 'string' ? body[name].trim() : '';
        if (value !== '') cells.push({ name, indicatorId: i.id, period, value });
      }
    }
    try {
      const result = await enterFigures(
        k,
        actorOf(request.user!),
        pid(request),
        cells.map((c, index) => ({ row: index + 1, indicatorId: c.indicatorId, period: c.period, value: c.value })),
        { fieldPrefix: 'grid' },
      );
      return reply
        .flash(
          `Saved: ${result.created} new figure${result.created === 1 ? '' : 's'}, ${result.revised} revised, ${result.unchanged} unchanged`,
        )
        .redirect(`${base(request)}/figures?year=${encodeURIComponent(fy)}`, 303);
    } catch (e) {
      if (e instanceof ValidationError) {
        const errors: FieldError[] = e.errors.map((err) => {
          const problem = err as FigureProblem;
          const cell = cells[(problem.row ?? 1) - 1];
          if (!cell || problem.row === undefined) return { field: 'grid', message: err.message };
          const i = indicators.find((x) => x.id === cell.indicatorId)!;
          return {
            field: cell.name,
            message: `${label(i)}, ${formatPeriodLabel(cell.period)}: ${err.message.replace(/^Row \d+, column "[^"]+": /, '')}`,
          };
        });
        return gridPage(request, reply, { year: fy, values: body, errors }, 400);
      }
      throw e;
    }
  });

  app.post('/partnerships/:partnershipId/figures/upload', { config: { auth: 'figure.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string | UploadedFile>;
    const file = typeof body.file === 'object' ? body.file : null;
    try {
      if (!file || file.data.length === 0)
        throw new ValidationError([{ field: 'file', message: 'Choose a CSV or Excel (.xlsx) file of figures' }]);
      const rows = await readFigureFile(file.filename, file.data);
      const result = await enterFigures(k, actorOf(request.user!), pid(request), rows);
      return reply
        .flash(
          `${file.filename} uploaded: ${result.created} new figure${result.created === 1 ? '' : 's'}, ${result.revised} revised, ${result.unchanged} unchanged`,
        )
        .redirect(`${base(request)}/performance`, 303);
    } catch (e) {
      if (e instanceof ValidationError) {
        const problems = e.errors.map((err) => ({ ...err, field: 'file' }));
        return gridPage(
          request,
          reply,
          { errors: problems, uploadProblems: e.errors.filter((x) => (x as FigureProblem).row !== undefined), uploadName: file?.filename },
          400,
        );
      }
      throw e;
    }
  });
}
