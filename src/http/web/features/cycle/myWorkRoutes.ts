/**
 * The person's own page (issue 14): what needs their attention in each partnership they are a member of, grouped by
 * partnership with counts and a link straight to each item, from the same attention service as each partnership's
 * home page. Only their own memberships are read, so it shows nothing of a partnership they do not belong to.
 */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { attentionTotals, myAttentionEverywhere } from '../../../../services/cycle/attention.ts';
import { ROLE_LABELS } from '../../../../presentation/labels.ts';

export async function myWorkRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  app.get('/my-work', { config: { auth: 'signed-in' } }, async (request, reply) => {
    const partnerships = await myAttentionEverywhere(db.kysely, request.user!.id);
    return reply.render('features/cycle/my-work.njk', {
      title: 'Your work in all your partnerships',
      breadcrumbs: [{ text: 'Home', href: '/' }],
      partnerships,
      totals: attentionTotals(partnerships),
      roleLabels: ROLE_LABELS,
    });
  });
}
