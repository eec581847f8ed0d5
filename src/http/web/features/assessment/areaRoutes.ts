/** The partnership's area for its strategic assessment: local authorities and/or LSOA codes (or a lookup CSV). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { getAssessmentArea, saveAssessmentArea } from '../../../../services/assessment/assessmentAreas.ts';
import { assessmentBase, assessmentCrumbs } from './pageParts.ts';

function areaForm(request: FastifyRequest, reply: FastifyReply, ctx: Record<string, unknown>, status = 200) {
  return reply.render(
    'features/assessment/area.njk',
    {
      title: "The partnership's area",
      section: 'assessment',
      breadcrumbs: assessmentCrumbs(request),
      action: `${assessmentBase(request)}/area`,
      ...ctx,
    },
    status,
  );
}

export async function areaRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  app.get('/partnerships/:partnershipId/assessment/area', { config: { auth: 'assessment.write' } }, async (request, reply) => {
    const area = await getAssessmentArea(db.kysely, request.access!.partnership.id);
    return areaForm(request, reply, {
      values: { localAuthorities: area?.localAuthorities.join('\n') ?? '', lsoaCodes: area?.lsoaCodes.join('\n') ?? '' },
    });
  });

  app.post('/partnerships/:partnershipId/assessment/area', { config: { auth: 'assessment.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      await saveAssessmentArea(db.kysely, actorOf(request.user!), request.access!.partnership.id, body);
      return reply.flash("The partnership's area has been saved").redirect(assessmentBase(request), 303);
    } catch (e) {
      if (e instanceof ValidationError) return areaForm(request, reply, { values: body, errors: e.errors }, 400);
      throw e;
    }
  });
}
