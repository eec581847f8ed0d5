/** The public summary of a partnership's published plan, with "How we are doing": no sign-in. The plan's PDF beside it is in documentRoutes.ts. */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { NotFoundError } from '../../../../domain/errors.ts';
import { contentSecurityPolicy, newNonce } from '../../security.ts';
import { publicPerformance } from '../../../../services/performance/publicPerformance.ts';
import { publishedSummary, type PlanDocument } from '../../../../services/plans/plans.ts';
import { labels } from './planPages.ts';

export async function publicPlanRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;

  app.get('/public/partnerships/:slug', { config: { auth: 'public' } }, async (r, reply) => {
    // /public/ routes skip the app's request set-up (they are static assets otherwise): set the page's CSP here.
    r.cspNonce = newNonce();
    reply.header('Content-Security-Policy', contentSecurityPolicy(r.cspNonce));
    const slug = (r.params as { slug: string }).slug;
    let summary: { partnership: { id: number; name: string; area_description: string }; document: PlanDocument };
    try {
      summary = await publishedSummary(k, slug);
    } catch (e) {
      if (e instanceof NotFoundError) return reply.render('features/errors/not-found.njk', { title: 'Page not found' }, 404);
      throw e;
    }
    const performance = await publicPerformance(k, summary.partnership.id);
    return reply.render('features/plans/public.njk', {
      title: `${summary.partnership.name}: ${summary.document.plan.title} ${summary.document.version.label}`,
      ...summary,
      labels,
      performance,
    });
  });
}
