/**
 * The public site, no sign-in (decision 0021): the index of partnerships with a published plan, each partnership's
 * current published plan with "How we are doing" and the archive of its earlier published plans, each earlier plan's
 * own summary page, and the accessibility statement. The plans' PDF and Word downloads are in
 * features/plans/documentRoutes.ts. They are pages like any other: the app's request set-up gives them their Content
 * Security Policy and nonce (only the static-file routes under /public/ skip it).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { NotFoundError, ValidationError } from '../../../../domain/errors.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { publicPerformance } from '../../../../services/performance/publicPerformance.ts';
import { publicIndex, publicPlan } from '../../../../services/plans/publicSite.ts';
import { versionName } from '../../../../domain/planNames.ts';

export async function publicSiteRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  const notFound = (reply: FastifyReply) => reply.render('features/errors/not-found.njk', { title: 'Page not found' }, 404);

  app.get('/public/partnerships', { config: { auth: 'public' } }, async (r, reply) => {
    return reply.render('features/public-site/index.njk', { title: 'Published partnership plans', partnerships: await publicIndex(k) });
  });

  const planPage = async (r: FastifyRequest, reply: FastifyReply, versionParam: string | undefined) => {
    const slug = (r.params as { slug: string }).slug;
    try {
      const versionId = versionParam === undefined ? undefined : assertValidId(versionParam, 'Plan version');
      const plan = await publicPlan(k, slug, versionId);
      if (versionId !== undefined && plan.current) return reply.redirect(`/public/partnerships/${slug}`, 303);
      const performance = plan.current ? await publicPerformance(k, plan.partnership.id, plan.document) : null;
      const page = `/public/partnerships/${slug}${plan.current ? '' : `/plans/${plan.version.id}`}`;
      return reply.render('features/public-site/plan.njk', {
        title: `${plan.partnership.name}: ${versionName(plan.document.plan.title, plan.document.version.label)}`,
        ...plan,
        archive: plan.versions.slice(1),
        performance,
        page,
        breadcrumbs: [
          { text: 'Published plans', href: '/public/partnerships' },
          ...(plan.current ? [] : [{ text: plan.partnership.name, href: `/public/partnerships/${slug}` }]),
        ],
      });
    } catch (e) {
      if (e instanceof NotFoundError || e instanceof ValidationError) return notFound(reply);
      throw e;
    }
  };
  app.get('/public/partnerships/:slug', { config: { auth: 'public' } }, async (r, reply) => planPage(r, reply, undefined));
  app.get('/public/partnerships/:slug/plans/:versionId', { config: { auth: 'public' } }, async (r, reply) =>
    planPage(r, reply, (r.params as { versionId: string }).versionId),
  );

  app.get('/public/accessibility', { config: { auth: 'public' } }, async (r, reply) => {
    return reply.render('features/public-site/accessibility.njk', { title: 'Accessibility statement' });
  });
}
