/**
 * Comparison with similar partnerships: the partnership's crime rates per 1,000 people by type in the window
 * chosen, against other partnerships in CSP Hub and local authorities typed with their population, with the
 * group average; one type charted.
 */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { loadComparison, type LoadedComparison } from '../../../../services/assessment/assessmentAnalysis.ts';
import { ALL_CRIME, windowLabel } from '../../../../domain/crimeAssessment.ts';
import { chartTable, renderPageChart } from '../../../../presentation/charts/index.ts';
import { areasComparedRows, comparisonChart, comparisonRatesTable } from '../../../../presentation/assessmentCharts.ts';
import { assessmentBase, assessmentCrumbs, comparatorItems, monthItems } from './pageParts.ts';

/** The chart of the type chosen (all crime unless another type of the comparison is asked for) and the table of every type. */
function comparisonView(c: LoadedComparison, requestedType: unknown): Record<string, unknown> {
  const comparison = c.comparison;
  const type = typeof requestedType === 'string' && comparison?.types.includes(requestedType) ? requestedType : ALL_CRIME;
  return {
    comparison,
    typeItems: (comparison?.types ?? []).map((t) => ({ value: t, text: t, selected: t === type })),
    counts: comparison ? areasComparedRows(comparison) : [],
    chartSvg: comparison ? renderPageChart(comparisonChart(comparison, c.partnership.name, type, { id: 'comparison' })) : '',
    table: comparison
      ? chartTable({
          caption: `Rates per 1,000 people by type, ${windowLabel(comparison.window.from, comparison.window.to)}`,
          captionSize: 's',
          id: 'comparison-table',
          ...comparisonRatesTable(comparison),
        })
      : '',
  };
}

export async function comparisonRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  app.get('/partnerships/:partnershipId/assessment/compare', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    // The form says compare=1: then a choice of comparators is needed; a first visit shows only the form.
    const asked = query.compare !== undefined;
    const c = await loadComparison(db.kysely, app.crimeData, request.access!.partnership, query.end, asked ? query : {}, {
      requireChoice: asked,
    });
    return reply.render(
      'features/assessment/compare.njk',
      {
        title: 'Compare with similar partnerships',
        section: 'assessment',
        breadcrumbs: assessmentCrumbs(request),
        base: assessmentBase(request),
        problem: c.problem,
        gap: c.gap,
        errors: c.errors,
        months: monthItems(c.months, c.end),
        partnershipItems: comparatorItems(c.others, c.chosenIds),
        authorities: typeof query.authorities === 'string' ? query.authorities : '',
        ...comparisonView(c, query.type),
      },
      c.errors.length ? 400 : 200,
    );
  });
}
