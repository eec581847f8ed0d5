/**
 * Retiring an indicator (decision 0021): the form with its last period and the reason, and reinstating it. The
 * indicator's page links here; the service (src/services/performance/retirement.ts) checks and audits.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ConflictError, ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { formatPeriodLabel } from '../../../../domain/index.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { getIndicator, label, PERIOD_EXAMPLES, type IndicatorDetails } from '../../../../services/performance/indicators.ts';
import { listLiveIndicators, reinstateIndicator, retireIndicator, retirementText } from '../../../../services/performance/retirement.ts';

export async function retirementRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  const pid = (r: FastifyRequest) => r.access!.partnership.id;
  const indicatorId = (r: FastifyRequest) => assertValidId((r.params as { indicatorId: string }).indicatorId, 'Indicator');
  const indicatorUrl = (r: FastifyRequest) => `/partnerships/${pid(r)}/indicators/${indicatorId(r)}`;
  const body = (r: FastifyRequest) => (r.body ?? {}) as Record<string, string>;

  const page = async (
    r: FastifyRequest,
    reply: FastifyReply,
    indicator: IndicatorDetails,
    values: Record<string, unknown>,
    errors: FieldError[] = [],
    status = 200,
  ) => {
    // What may replace it: the partnership's other indicators that are still reported.
    const others = (await listLiveIndicators(k, pid(r))).filter((x) => x.id !== indicator.id);
    const given = values.supersededBy;
    const chosen = typeof given === 'string' ? given : String(indicator.superseded_by_indicator_id ?? '');
    const replacements = [
      { value: '', text: 'None', selected: chosen === '' },
      ...others.map((x) => ({ value: String(x.id), text: label(x), selected: chosen === String(x.id) })),
    ];
    return reply.render(
      'features/retirement/retire.njk',
      {
        title: `Retire ${label(indicator)}`,
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: r.access!.partnership.name, href: `/partnerships/${pid(r)}` },
          { text: 'Indicators', href: `/partnerships/${pid(r)}/indicators` },
          { text: label(indicator), href: indicatorUrl(r) },
        ],
        section: 'indicators',
        indicator,
        retired: retirementText(indicator),
        retiredAfterLabel: indicator.retired_after ? formatPeriodLabel(indicator.retired_after) : null,
        example: PERIOD_EXAMPLES[indicator.frequency],
        action: `${indicatorUrl(r)}/retire`,
        reinstateAction: `${indicatorUrl(r)}/reinstate`,
        cancel: indicatorUrl(r),
        values,
        errors,
        replacements,
      },
      status,
    );
  };

  app.get('/partnerships/:partnershipId/indicators/:indicatorId/retire', { config: { auth: 'indicator.write' } }, async (r, reply) => {
    const i = await getIndicator(k, pid(r), indicatorId(r));
    return page(r, reply, i, { expectedUpdatedAt: i.updated_at });
  });

  app.post('/partnerships/:partnershipId/indicators/:indicatorId/retire', { config: { auth: 'indicator.write' } }, async (r, reply) => {
    try {
      const i = await retireIndicator(k, actorOf(r.user!), pid(r), indicatorId(r), body(r));
      return reply.flash(`${label(i)} has been retired after ${formatPeriodLabel(i.retired_after!)}`).redirect(indicatorUrl(r), 303);
    } catch (e) {
      const i = await getIndicator(k, pid(r), indicatorId(r));
      if (e instanceof ValidationError) return page(r, reply, i, body(r), e.errors, 400);
      if (e instanceof ConflictError)
        return page(r, reply, i, { ...body(r), expectedUpdatedAt: i.updated_at }, [{ field: 'reason', message: e.message }], 409);
      throw e;
    }
  });

  app.post('/partnerships/:partnershipId/indicators/:indicatorId/reinstate', { config: { auth: 'indicator.write' } }, async (r, reply) => {
    try {
      const i = await reinstateIndicator(k, actorOf(r.user!), pid(r), indicatorId(r), body(r));
      return reply.flash(`${label(i)} has been reinstated`).redirect(indicatorUrl(r), 303);
    } catch (e) {
      if (e instanceof ConflictError) {
        const i = await getIndicator(k, pid(r), indicatorId(r));
        return page(r, reply, i, { expectedUpdatedAt: i.updated_at }, [{ field: 'reason', message: e.message }], 409);
      }
      throw e;
    }
  });
}
