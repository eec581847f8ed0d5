/** Each indicator's page (charts, computed figures with their reasons, stored figures, commentary) and its RAG override. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../../adapters/database/schema.ts';
import { actorOf, type AppServices } from '../../../context.ts';
import { indicatorOverview } from '../../../../services/performance/indicatorOverview.ts';
import { overrideRag } from '../../../../services/performance/ragOverrides.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { indicatorView } from './indicatorView.ts';
import { indicatorCollection } from '../../../../services/cycle/collection.ts';
import { indicatorCollectionView } from '../cycle/routes.ts';
import { mayWriteCommentary } from '../../../../services/cycle/owners.ts';
import { base, crumbs, indicatorId, pid } from './shared.ts';

/** Renders an indicator's page, with a form's values and errors (`extra`) after a refused save. */
export async function renderIndicatorPage(
  k: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  extra: Record<string, unknown> = {},
  status = 200,
) {
  const view = indicatorView(await indicatorOverview(k, pid(request), indicatorId(request)));
  // "Change" on a change date or point opens the SPC form filled with it (indicator-spc-part.njk).
  const wanted = (request.query as Record<string, unknown>).spcMark;
  const editing = view.spcMarkRows.find((r) => typeof wanted === 'string' && String(r.id) === wanted);
  return reply.render(
    'features/performance/indicator.njk',
    {
      ...view,
      // Due, overdue and received by the calendar (src/services/cycle/collection.ts).
      collection: indicatorCollectionView(await indicatorCollection(k, pid(request), indicatorId(request))),
      // A contributor limited to their own indicators is offered commentary only on those.
      commentaryAllowed: await mayWriteCommentary(k, request.user?.id ?? null, pid(request), view.indicator),
      section: 'indicators',
      breadcrumbs: crumbs(request, [{ text: 'Indicators', href: `${base(request)}/indicators` }]),
      base: base(request),
      spcValues: editing?.values ?? {},
      ...extra,
    },
    status,
  );
}

export function indicatorPageRoutes(app: FastifyInstance, { db }: AppServices): void {
  const k = db.kysely;
  const indicatorPage = (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) =>
    renderIndicatorPage(k, request, reply, extra, status);

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
}
