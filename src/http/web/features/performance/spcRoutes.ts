/** The SPC summary page (issue 16): one row per live indicator with its Making Data Count icons and what they mean. */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { spcSummary } from '../../../../services/performance/spcSummary.ts';
import type { IndicatorPerformance } from '../../../../services/performance/performance.ts';
import { label } from '../../../../services/performance/indicators.ts';
import { spcReading } from '../../../../presentation/spcIcons.ts';
import { unitFormat } from '../../../../presentation/formats.ts';
import { base, crumbs, pid } from './shared.ts';

/** One row of the summary: the indicator, its latest figure and its SPC reading. */
export function spcRow(p: IndicatorPerformance, basePath: string) {
  const fmt = unitFormat(p.indicator.unit);
  const latest = p.latest;
  return {
    id: p.indicator.id,
    label: label(p.indicator),
    href: `${basePath}/indicators/${p.indicator.id}#spc`,
    latestText: latest?.value !== null && latest?.value !== undefined ? `${fmt(latest.value)} (${latest.label})` : 'No figures',
    ...spcReading(p, latest, p.indicator.polarity, fmt),
  };
}

export function spcRoutes(app: FastifyInstance, { db }: AppServices): void {
  app.get('/partnerships/:partnershipId/performance/spc', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const rows = (await spcSummary(db.kysely, pid(request))).map((p) => spcRow(p, base(request)));
    return reply.render('features/performance/spc-summary.njk', {
      title: 'SPC summary',
      section: 'performance',
      breadcrumbs: crumbs(request, [{ text: 'Performance', href: `${base(request)}/performance` }]),
      rows,
      counts: {
        improving: rows.filter((r) => r.variation?.includes('improvement')).length,
        concerning: rows.filter((r) => r.variation?.includes('concern')).length,
        failing: rows.filter((r) => r.assurance === 'consistently_fail').length,
      },
    });
  });
}
