/** The indicator catalogue and the forms to add an indicator (from scratch or the national catalogue) and edit one. */
import { priorityChoices } from '../../../../services/plans/priorityChoices.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { actorOf, type AppServices } from '../../../context.ts';
import {
  FREQUENCIES,
  INDICATOR_UNITS,
  OBA_CATEGORIES,
  POLARITIES,
  TARGET_KINDS,
  TRAJECTORY_PROFILES,
  type Database,
} from '../../../../adapters/database/schema.ts';
import {
  createIndicator,
  getCatalogueIndicator,
  getIndicator,
  indicatorsAndCatalogue,
  inputFromCatalogue,
  inputFromIndicator,
  label,
  updateIndicator,
} from '../../../../services/performance/indicators.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { indicatorList, indicatorListFilter } from '../../../../services/performance/retirement.ts';
import { ConflictError, ValidationError } from '../../../../domain/errors.ts';
import {
  FREQUENCY_LABELS,
  items,
  OBA_LABELS,
  POLARITY_LABELS,
  TARGET_KIND_LABELS,
  TRAJECTORY_FORM_LABELS,
  UNIT_LABELS,
} from '../../../../presentation/labels.ts';
import { base, crumbs, indicatorId, pid } from './shared.ts';

export function indicatorFormRoutes(app: FastifyInstance, { db }: AppServices): void {
  const k = db.kysely;

  app.get('/partnerships/:partnershipId/indicators', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const { indicators, catalogue } = await indicatorsAndCatalogue(k, pid(request));
    const filter = indicatorListFilter((request.query as Record<string, unknown>).status);
    const list = indicatorList(indicators, filter);
    return reply.render('features/performance/indicators.njk', {
      title: 'Indicators',
      section: 'indicators',
      breadcrumbs: crumbs(request),
      filter,
      counts: list.counts,
      indicators: list.entries.map((e) => ({
        ...e.indicator,
        live: e.live,
        retired: e.retired,
        replacedBy: e.replacedBy ? { id: e.replacedBy.id, label: label(e.replacedBy) } : null,
        replaces: e.replaces.map((x) => ({ id: x.id, label: label(x) })),
        unitLabel: UNIT_LABELS[e.indicator.unit],
        polarityLabel: POLARITY_LABELS[e.indicator.polarity],
        frequencyLabel: FREQUENCY_LABELS[e.indicator.frequency],
        obaLabel: OBA_LABELS[e.indicator.oba_category],
      })),
      catalogue,
      base: base(request),
    });
  });

  app.get('/partnerships/:partnershipId/indicators/new', { config: { auth: 'indicator.write' } }, async (request, reply) => {
    const from = (request.query as { from?: string }).from;
    const values = from ? inputFromCatalogue(await getCatalogueIndicator(k, assertValidId(from, 'National indicator'))) : {};
    return renderForm(k, request, reply, { ...newContext(request), values });
  });

  app.post('/partnerships/:partnershipId/indicators/new', { config: { auth: 'indicator.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string | string[]>;
    try {
      const i = await createIndicator(k, actorOf(request.user!), pid(request), body);
      return reply.flash(`${label(i)} has been added`).redirect(`${base(request)}/indicators/${i.id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError)
        return renderForm(k, request, reply, { ...newContext(request), values: body, errors: e.errors }, 400);
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/indicators/:indicatorId/edit', { config: { auth: 'indicator.write' } }, async (request, reply) => {
    const i = await getIndicator(k, pid(request), indicatorId(request));
    return renderForm(k, request, reply, { ...editContext(request, i.id), title: `Edit ${label(i)}`, values: inputFromIndicator(i) });
  });

  app.post('/partnerships/:partnershipId/indicators/:indicatorId/edit', { config: { auth: 'indicator.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string | string[]>;
    const id = indicatorId(request);
    const ctx = editContext(request, id);
    try {
      const i = await updateIndicator(k, actorOf(request.user!), pid(request), id, body);
      return reply.flash(`${label(i)} has been updated`).redirect(`${base(request)}/indicators/${i.id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return renderForm(k, request, reply, { ...ctx, values: body, errors: e.errors }, 400);
      if (e instanceof ConflictError) {
        const latest = await getIndicator(k, pid(request), id);
        const errors = [{ field: 'title', message: e.message }];
        return renderForm(k, request, reply, { ...ctx, values: inputFromIndicator(latest), errors }, 409);
      }
      throw e;
    }
  });
}

const newContext = (request: FastifyRequest) => ({
  title: 'Add an indicator',
  action: `${base(request)}/indicators/new`,
  submitText: 'Add indicator',
});

const editContext = (request: FastifyRequest, id: number) => ({
  title: 'Edit indicator',
  action: `${base(request)}/indicators/${id}/edit`,
  submitText: 'Save changes',
});

/** The indicator form with its choices: units, polarities, frequencies, OBA questions, kinds of target, priorities. */
async function renderForm(k: Kysely<Database>, request: FastifyRequest, reply: FastifyReply, ctx: Record<string, unknown>, status = 200) {
  const chosen = (ctx.values as { priorityIds?: unknown } | undefined)?.priorityIds;
  const keepIds = (Array.isArray(chosen) ? chosen : chosen ? [chosen] : []).map(String);
  return reply.render(
    'features/performance/indicator-form.njk',
    {
      section: 'indicators',
      breadcrumbs: crumbs(request, [{ text: 'Indicators', href: `${base(request)}/indicators` }]),
      unitItems: items(INDICATOR_UNITS, UNIT_LABELS),
      polarityItems: items(POLARITIES, POLARITY_LABELS),
      frequencyItems: items(FREQUENCIES, FREQUENCY_LABELS),
      obaItems: items(OBA_CATEGORIES, OBA_LABELS),
      targetKindItems: [{ value: '', text: 'No target yet' }, ...items(TARGET_KINDS, TARGET_KIND_LABELS)],
      secondTargetKindItems: [{ value: 'none', text: 'No second target' }, ...items(TARGET_KINDS, TARGET_KIND_LABELS)],
      trajectoryItems: [
        { value: '', text: 'No trajectory: judge the projected year end only' },
        ...items(TRAJECTORY_PROFILES, TRAJECTORY_FORM_LABELS),
      ],
      // Priorities named with their plan and version; a chosen one of a superseded version is kept (decision 0021).
      priorityItems: await priorityChoices(k, pid(request), { keepIds }),
      ...ctx,
    },
    status,
  );
}
