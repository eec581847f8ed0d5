/**
 * The strategic assessment's priority-setting matrix (rank the issues, set the weights, carry a ranked issue
 * into a draft plan as a priority) and the comparison with similar partnerships.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { carryIssueIntoPlan, draftVersions, getMatrixSettings, harmWeightOf, matrixIssueNames, MAX_HARM_WEIGHT, saveMatrixSettings } from '../../../../services/assessment/assessmentMatrix.ts';
import { loadComparison, loadMatrix as loadMatrixFor } from '../../../../services/assessment/assessmentAnalysis.ts';
import type { CrimeData } from '../../../../services/assessment/crimeData.ts';
import { ALL_CRIME, type StrategicAssessment } from '../../../../domain/crimeAssessment.ts';
import { CRITERIA, CRITERION_LABELS, ILLUSTRATIVE_HARM_WEIGHTS } from '../../../../domain/priorityMatrix.ts';
import { formatPeriodLabel, roundHalfAwayFromZero } from '../../../../domain/index.ts';
import { chartTable, formatNumber, renderChart, type ChartSpec } from '../../../../presentation/charts/index.ts';

const oneDecimal = (n: number | null, suffix = '') => (n === null ? 'n/a' : `${formatNumber(roundHalfAwayFromZero(n, 1), 1)}${suffix}`);
const twoDecimals = (n: number | null) => (n === null ? 'No population' : formatNumber(roundHalfAwayFromZero(n, 2), 2));

export async function matrixRoutes(app: FastifyInstance, { db }: AppServices, crimeData: CrimeData): Promise<void> {
  const base = (request: FastifyRequest) => `/partnerships/${request.access!.partnership.id}/assessment`;
  const crumbs = (request: FastifyRequest) => [
    { text: 'Home', href: '/' },
    { text: request.access!.partnership.name, href: `/partnerships/${request.access!.partnership.id}` },
    { text: 'Strategic assessment', href: base(request) },
  ];
  const windowText = (a: StrategicAssessment) => ({
    window: `${formatPeriodLabel(a.current.from)} to ${formatPeriodLabel(a.current.to)}`,
    previousWindow: `${formatPeriodLabel(a.previous.from)} to ${formatPeriodLabel(a.previous.to)}`,
  });

  const loadMatrix = (request: FastifyRequest, requestedEnd: unknown) => loadMatrixFor(db.kysely, crimeData, request.access!.partnership, requestedEnd);

  async function matrixPage(request: FastifyRequest, reply: FastifyReply, requestedEnd: unknown, ctx: Record<string, unknown> = {}, status = 200) {
    const m = await loadMatrix(request, requestedEnd);
    const drafts = await draftVersions(db.kysely, m.partnership.id);
    const rateBasis = m.rateBasis;
    const chart: ChartSpec | null = m.ranked.length
      ? {
          type: 'horizontalBar',
          id: 'matrix-scores',
          title: 'Issues ranked by weighted score',
          description: 'The weighted score (0 to 100) of each issue in the priority-setting matrix, highest first.',
          items: m.ranked.map((r) => ({ label: `${r.rank}. ${r.name}`, value: roundHalfAwayFromZero(r.score, 1) })),
          seriesName: 'Weighted score',
          categoryAxisLabel: 'Issue',
          sort: 'none',
        }
      : null;
    return reply.render(
      'features/assessment/matrix.njk',
      {
        title: 'Priority-setting matrix',
        section: 'assessment',
        breadcrumbs: crumbs(request),
        base: base(request),
        end: m.end,
        months: m.months.map((x) => ({ value: x, text: formatPeriodLabel(x), selected: x === m.end })),
        problem: m.problem,
        ...(m.assessment ? windowText(m.assessment) : {}),
        weights: CRITERIA.map((c) => ({ label: CRITERION_LABELS[c], weight: m.settings.weights[c] })),
        volumeLabel: rateBasis ? 'Rate per 1,000' : 'Count',
        rows: m.ranked.map((r) => ({
          rank: r.rank,
          name: r.name,
          volume: r.count === null ? 'No data' : rateBasis ? twoDecimals(r.rate) : formatNumber(r.count),
          change: r.count === null ? 'No data' : oneDecimal(r.percentageChange, '%'),
          significant: r.count === null ? '' : r.significant ? 'Significant' : 'Not significant',
          harm: formatNumber(r.harmWeight),
          concern: r.concern === null ? 'Not entered' : `${formatNumber(r.concern)}%`,
          scores: CRITERIA.map((c) => oneDecimal(r.scores[c])),
          score: oneDecimal(r.score),
        })),
        chartSvg: chart ? renderChart(chart) : '',
        issueItems: m.ranked.map((r, i) => ({ value: r.name, text: `${r.rank}. ${r.name}`, selected: i === 0 })),
        versionItems: drafts.map((v) => ({ value: String(v.id), text: `${v.planTitle}: ${v.label} (draft)` })),
        ...ctx,
      },
      status,
    );
  }

  app.get('/partnerships/:partnershipId/assessment/matrix', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    matrixPage(request, reply, (request.query as { end?: unknown }).end),
  );

  app.post('/partnerships/:partnershipId/assessment/matrix/priorities', { config: { auth: 'plan.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      const m = await loadMatrix(request, body.end);
      if (!m.assessment) throw new ValidationError([{ field: 'issue', message: m.problem ?? 'There is no assessment to rank' }]);
      const issue = m.ranked.find((r) => r.name === body.issue);
      if (!issue) throw new ValidationError([{ field: 'issue', message: 'Choose an issue from the matrix' }]);
      const { priority, version } = await carryIssueIntoPlan(db.kysely, actorOf(request.user!), m.partnership.id, body.versionId, issue, {
        issues: m.ranked.length,
        ...windowText(m.assessment),
      });
      return reply.render('features/assessment/matrix-carried.njk', {
        title: 'Priority added to the plan',
        section: 'assessment',
        breadcrumbs: crumbs(request),
        base: base(request),
        issue,
        version,
        why: priority.why,
        priorityHref: `/partnerships/${m.partnership.id}/priorities/${priority.id}`,
        versionHref: `/partnerships/${m.partnership.id}/plan-versions/${version.id}`,
      });
    } catch (e) {
      if (e instanceof ValidationError) return matrixPage(request, reply, body.end, { errors: e.errors, chosen: body }, 400);
      throw e;
    }
  });

  const settingsForm = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown> | null, errors: unknown[] = [], status = 200) => {
    const settings = await getMatrixSettings(db.kysely, request.access!.partnership.id);
    const names = matrixIssueNames(settings);
    const v = values ?? {
      weightVolume: String(settings.weights.volume),
      weightTrend: String(settings.weights.trend),
      weightHarm: String(settings.weights.harm),
      weightConcern: String(settings.weights.concern),
      volumeBasis: settings.volumeBasis,
      otherIssues: settings.otherIssues.join('\n'),
      expectedUpdatedAt: settings.updatedAt ?? '',
      ...Object.fromEntries(names.flatMap((n, i) => [[`harm_${i}`, String(harmWeightOf(settings, n))], [`concern_${i}`, settings.concern[n] === undefined ? '' : String(settings.concern[n])]])),
    };
    const issues = values
      ? Object.keys(values)
          .map((k) => /^issue_(\d+)$/.exec(k))
          .filter((x): x is RegExpExecArray => x !== null)
          .map((x) => ({ index: Number(x[1]), name: String(values[x[0]]) }))
          .sort((a, b) => a.index - b.index)
      : names.map((name, index) => ({ index, name }));
    return reply.render(
      'features/assessment/matrix-settings.njk',
      {
        title: 'Matrix weights and public concern',
        section: 'assessment',
        breadcrumbs: [...crumbs(request), { text: 'Priority-setting matrix', href: `${base(request)}/matrix` }],
        action: `${base(request)}/matrix/settings`,
        values: v,
        errors,
        maxHarm: MAX_HARM_WEIGHT,
        issues: issues.map((i) => ({ ...i, illustrative: ILLUSTRATIVE_HARM_WEIGHTS[i.name] })),
        criteria: CRITERIA.map((c) => ({ name: `weight${c.charAt(0).toUpperCase()}${c.slice(1)}`, label: CRITERION_LABELS[c] })),
      },
      status,
    );
  };

  app.get('/partnerships/:partnershipId/assessment/matrix/settings', { config: { auth: 'assessment.write' } }, async (request, reply) => settingsForm(request, reply, null));

  app.post('/partnerships/:partnershipId/assessment/matrix/settings', { config: { auth: 'assessment.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      await saveMatrixSettings(db.kysely, actorOf(request.user!), request.access!.partnership.id, body);
      return reply.flash('The priority-setting matrix settings have been saved').redirect(`${base(request)}/matrix`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return settingsForm(request, reply, body, e.errors, 400);
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/assessment/compare', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const asked = query.compare !== undefined;
    const c = await loadComparison(db.kysely, crimeData, request.access!.partnership, query.end, asked ? query : {}, { requireChoice: asked });
    const { others, chosenIds, comparison } = c;
    const v = { errors: c.errors };
    const problem = c.problem ? c.problem.replace(/ first\.$/, ' to compare it.') : null;
    const type = typeof query.type === 'string' && comparison?.types.includes(query.type) ? query.type : ALL_CRIME;
    let chartSvg = '';
    let table = '';
    if (comparison) {
      const chart: ChartSpec = {
        type: 'horizontalBar',
        id: 'comparison',
        title: `${type}: rate per 1,000 people`,
        description: `${type} per 1,000 people from ${formatPeriodLabel(comparison.window.from)} to ${formatPeriodLabel(comparison.window.to)}: ${c.partnership.name} (highlighted), each comparator and the group average.`,
        items: [
          { label: c.partnership.name, value: comparison.subject.rates[type] ?? null, highlight: true },
          ...comparison.comparators.map((a) => ({ label: a.name, value: a.rates[type] ?? null })),
          { label: 'Group average', value: comparison.groupAverage[type] ?? null },
        ].map((i) => ({ ...i, value: i.value === null ? null : roundHalfAwayFromZero(i.value, 2) })),
        seriesName: 'Rate per 1,000',
        categoryAxisLabel: 'Area',
        units: 'Rate per 1,000 people',
      };
      chartSvg = renderChart(chart);
      const areas = [comparison.subject, ...comparison.comparators];
      table = chartTable({
        caption: `Rates per 1,000 people by type, ${formatPeriodLabel(comparison.window.from)} to ${formatPeriodLabel(comparison.window.to)}`,
        captionSize: 's',
        id: 'comparison-table',
        categoryHeader: 'Type',
        categories: comparison.types,
        columns: [
          ...areas.map((a) => ({ name: a.name, values: comparison.types.map((t) => twoDecimals(a.rates[t] ?? null)) })),
          { name: 'Group average', values: comparison.types.map((t) => twoDecimals(comparison.groupAverage[t] ?? null)) },
        ],
      });
    }
    return reply.render('features/assessment/compare.njk', {
      title: 'Compare with similar partnerships',
      section: 'assessment',
      breadcrumbs: crumbs(request),
      base: base(request),
      problem,
      errors: v.errors,
      months: c.months.map((x) => ({ value: x, text: formatPeriodLabel(x), selected: x === c.end })),
      partnershipItems: others.map((o) => ({
        value: String(o.id),
        text: o.name,
        hint: { text: `${o.localAuthorities.join(', ') || 'LSOA codes only'}${o.population ? `; population ${formatNumber(o.population)}` : '; no population recorded'}` },
        checked: chosenIds.includes(String(o.id)),
      })),
      authorities: typeof query.authorities === 'string' ? query.authorities : '',
      typeItems: (comparison?.types ?? []).map((t) => ({ value: t, text: t, selected: t === type })),
      comparison,
      counts: comparison ? [comparison.subject, ...comparison.comparators].map((a) => ({ name: a.name, population: a.population === null ? 'Not recorded' : formatNumber(a.population), lsoas: formatNumber(a.lsoaCount), crimes: formatNumber(a.counts[ALL_CRIME] ?? 0) })) : [],
      chartSvg,
      table,
    }, v.errors.length ? 400 : 200);
  });
}
