/** The indicator page's SPC settings form (issue 16): add or change a change date or a point, and remove one. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ConflictError, ValidationError } from '../../../../domain/errors.ts';
import { listSpcMarks, removeSpcMark, saveSpcMark } from '../../../../services/performance/spcMarks.ts';
import { renderIndicatorPage } from './indicatorPageRoutes.ts';
import { spcMarkValues } from './indicatorView.ts';
import { base, indicatorId, pid } from './shared.ts';

export function spcMarkRoutes(app: FastifyInstance, { db }: AppServices): void {
  const k = db.kysely;
  const back = (request: FastifyRequest, reply: FastifyReply, message: string) =>
    reply.flash(message).redirect(`${base(request)}/indicators/${indicatorId(request)}#spc`, 303);

  /** After a conflict: the setting as it is now (or the editor's own values when it was removed), with the message. */
  const conflict = async (request: FastifyRequest, reply: FastifyReply, body: Record<string, string>, e: ConflictError) => {
    const marks = await listSpcMarks(k, pid(request), indicatorId(request));
    const now = marks.find(
      (m) =>
        m.kind === body.kind &&
        m.period.toLowerCase() ===
          String(body.period ?? '')
            .trim()
            .toLowerCase(),
    );
    const values = now ? spcMarkValues(now) : { ...body, expectedUpdatedAt: '' };
    return renderIndicatorPage(k, request, reply, { spcValues: values, spcErrors: [{ field: 'period', message: e.message }] }, 409);
  };

  app.post('/partnerships/:partnershipId/indicators/:indicatorId/spc', { config: { auth: 'indicator.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      const row = await saveSpcMark(k, actorOf(request.user!), pid(request), indicatorId(request), body);
      return back(request, reply, row.kind === 'phase' ? 'The change date has been saved' : "The point's setting has been saved");
    } catch (e) {
      if (e instanceof ValidationError) return renderIndicatorPage(k, request, reply, { spcValues: body, spcErrors: e.errors }, 400);
      if (e instanceof ConflictError) return conflict(request, reply, body, e);
      throw e;
    }
  });

  app.post(
    '/partnerships/:partnershipId/indicators/:indicatorId/spc/remove',
    { config: { auth: 'indicator.write' } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string>;
      try {
        await removeSpcMark(k, actorOf(request.user!), pid(request), indicatorId(request), body.id, body.expectedUpdatedAt);
      } catch (e) {
        if (e instanceof ValidationError || e instanceof ConflictError) {
          const errors = e instanceof ValidationError ? e.errors : [{ field: 'period', message: e.message }];
          return renderIndicatorPage(k, request, reply, { spcErrors: errors }, e instanceof ConflictError ? 409 : 400);
        }
        throw e;
      }
      return back(request, reply, 'The setting has been removed');
    },
  );
}
