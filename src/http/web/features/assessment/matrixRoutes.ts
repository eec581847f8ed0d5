/**
 * The strategic assessment's priority-setting matrix: the issues ranked for the window chosen, carrying a ranked
 * issue into a draft plan version as a priority, and the matrix settings (criteria weights, harm weights, public
 * concern, other issues).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import {
  getMatrixSettings,
  harmWeightOf,
  matrixIssueNames,
  MAX_HARM_WEIGHT,
  saveMatrixSettings,
  type MatrixSettings,
} from '../../../../services/assessment/assessmentMatrix.ts';
import { carryRankedIssue, loadMatrixPage, type LoadedMatrixPage } from '../../../../services/assessment/assessmentAnalysis.ts';
import { windowLabel } from '../../../../domain/crimeAssessment.ts';
import { CRITERIA, CRITERION_LABELS, ILLUSTRATIVE_HARM_WEIGHTS } from '../../../../domain/priorityMatrix.ts';
import { renderPageChart } from '../../../../presentation/charts/index.ts';
import { matrixRow, matrixScoresChart, matrixWeights, volumeHeader } from '../../../../presentation/assessmentCharts.ts';
import { assessmentBase, assessmentCrumbs, monthItems } from './pageParts.ts';
import { versionName } from '../../../../domain/planNames.ts';

/** The ranked matrix for the page: the weights, a row per issue, the chart and the choices to carry an issue into a plan. */
function matrixView(m: LoadedMatrixPage): Record<string, unknown> {
  const a = m.assessment;
  return {
    end: m.end,
    months: monthItems(m.months, m.end),
    problem: m.problem,
    gap: m.gap,
    ...(a ? { window: windowLabel(a.current.from, a.current.to), previousWindow: windowLabel(a.previous.from, a.previous.to) } : {}),
    weights: matrixWeights(m.settings.weights),
    volumeLabel: volumeHeader(m.rateBasis),
    rows: m.ranked.map((r) => matrixRow(r, m.rateBasis)),
    chartSvg: m.ranked.length
      ? renderPageChart(matrixScoresChart(m.ranked, { id: 'matrix-scores', title: 'Issues ranked by weighted score' }))
      : '',
    issueItems: m.ranked.map((r, i) => ({ value: r.name, text: `${r.rank}. ${r.name}`, selected: i === 0 })),
    versionItems: m.drafts.map((v) => ({ value: String(v.id), text: `${versionName(v.planTitle, v.label)} (draft)` })),
  };
}

/** The settings form's values: as typed (after a refusal), else as saved, with one row per issue. */
function settingsFormView(settings: MatrixSettings, typed: Record<string, unknown> | null): Record<string, unknown> {
  const names = matrixIssueNames(settings);
  const values = typed ?? {
    weightVolume: String(settings.weights.volume),
    weightTrend: String(settings.weights.trend),
    weightHarm: String(settings.weights.harm),
    weightConcern: String(settings.weights.concern),
    volumeBasis: settings.volumeBasis,
    otherIssues: settings.otherIssues.join('\n'),
    expectedUpdatedAt: settings.updatedAt ?? '',
    ...Object.fromEntries(
      names.flatMap((n, i) => [
        [`harm_${i}`, String(harmWeightOf(settings, n))],
        [`concern_${i}`, settings.concern[n] === undefined ? '' : String(settings.concern[n])],
      ]),
    ),
  };
  const issues = typed
    ? Object.keys(typed)
        .map((k) => /^issue_(\d+)$/.exec(k))
        .filter((x): x is RegExpExecArray => x !== null)
        .map((x) => ({ index: Number(x[1]), name: String(typed[x[0]]) }))
        .sort((a, b) => a.index - b.index)
    : names.map((name, index) => ({ index, name }));
  return {
    values,
    maxHarm: MAX_HARM_WEIGHT,
    issues: issues.map((i) => ({ ...i, illustrative: ILLUSTRATIVE_HARM_WEIGHTS[i.name] })),
    criteria: CRITERIA.map((c) => ({ name: `weight${c.charAt(0).toUpperCase()}${c.slice(1)}`, label: CRITERION_LABELS[c] })),
  };
}

export async function matrixRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const matrixPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    requestedEnd: unknown,
    ctx: Record<string, unknown> = {},
    status = 200,
  ) => {
    const m = await loadMatrixPage(db.kysely, app.crimeData, request.access!.partnership, requestedEnd);
    const page = {
      title: 'Priority-setting matrix',
      section: 'assessment',
      breadcrumbs: assessmentCrumbs(request),
      base: assessmentBase(request),
    };
    return reply.render('features/assessment/matrix.njk', { ...page, ...matrixView(m), ...ctx }, status);
  };

  app.get('/partnerships/:partnershipId/assessment/matrix', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    matrixPage(request, reply, (request.query as { end?: unknown }).end),
  );

  app.post('/partnerships/:partnershipId/assessment/matrix/priorities', { config: { auth: 'plan.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const partnership = request.access!.partnership;
    try {
      const { issue, priority, version } = await carryRankedIssue(db.kysely, app.crimeData, actorOf(request.user!), partnership, body);
      return reply.render('features/assessment/matrix-carried.njk', {
        title: 'Priority added to the plan',
        section: 'assessment',
        breadcrumbs: assessmentCrumbs(request),
        base: assessmentBase(request),
        issue,
        version,
        why: priority.why,
        priorityHref: `/partnerships/${partnership.id}/priorities/${priority.id}`,
        versionHref: `/partnerships/${partnership.id}/plan-versions/${version.id}`,
      });
    } catch (e) {
      if (e instanceof ValidationError) return matrixPage(request, reply, body.end, { errors: e.errors, chosen: body }, 400);
      throw e;
    }
  });

  const settingsForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    typed: Record<string, unknown> | null,
    errors: unknown[] = [],
    status = 200,
  ) => {
    const settings = await getMatrixSettings(db.kysely, request.access!.partnership.id);
    const base = assessmentBase(request);
    const page = {
      title: 'Matrix weights and public concern',
      section: 'assessment',
      breadcrumbs: [...assessmentCrumbs(request), { text: 'Priority-setting matrix', href: `${base}/matrix` }],
      action: `${base}/matrix/settings`,
      errors,
    };
    return reply.render('features/assessment/matrix-settings.njk', { ...page, ...settingsFormView(settings, typed) }, status);
  };

  app.get('/partnerships/:partnershipId/assessment/matrix/settings', { config: { auth: 'assessment.write' } }, async (request, reply) =>
    settingsForm(request, reply, null),
  );

  app.post('/partnerships/:partnershipId/assessment/matrix/settings', { config: { auth: 'assessment.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      await saveMatrixSettings(db.kysely, actorOf(request.user!), request.access!.partnership.id, body);
      return reply.flash('The priority-setting matrix settings have been saved').redirect(`${assessmentBase(request)}/matrix`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return settingsForm(request, reply, body, e.errors, 400);
      throw e;
    }
  });
}
