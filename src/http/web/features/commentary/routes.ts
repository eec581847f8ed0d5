/**
 * The lead's commentary on an indicator's period: the form (reached from the indicator page for a chosen period),
 * with the earlier texts of that period as history. The commentary itself is shown on the indicator page, in the
 * quarterly report (the Board pack) and in the exception report.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../../adapters/database/schema.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { getIndicator, label, PERIOD_EXAMPLES, type IndicatorDetails } from '../../../../services/performance/indicators.ts';
import {
  commentaryHistory,
  COMMENTARY_MAX_LENGTH,
  commentaryPeriod,
  currentCommentary,
  writeCommentary,
} from '../../../../services/performance/commentary.ts';
import { listFigures } from '../../../../services/performance/figures.ts';
import { assertMayWriteCommentary } from '../../../../services/cycle/owners.ts';
import { ConflictError, ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { comparePeriods } from '../../../../domain/index.ts';
import { typedPeriod } from '../../../../presentation/formats.ts';
import { formatPeriodLabel } from '../../../../domain/index.ts';

const pid = (r: FastifyRequest) => r.access!.partnership.id;
const base = (r: FastifyRequest) => `/partnerships/${pid(r)}`;
const indicatorId = (r: FastifyRequest) => assertValidId((r.params as { indicatorId: string }).indicatorId, 'Indicator');

interface FormState {
  period: string;
  values: { period: string; text: string; expectedUpdatedAt: string };
  errors?: FieldError[];
  /** The text the writer sent when it was refused for a conflict. */
  theirText?: string;
}

async function form(
  k: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  i: IndicatorDetails,
  state: FormState,
  status = 200,
) {
  const history = state.period ? await commentaryHistory(k, pid(request), i.id, state.period) : [];
  const indicatorHref = `${base(request)}/indicators/${i.id}`;
  return reply.render(
    'features/commentary/commentary.njk',
    {
      title: `Commentary on ${label(i)}`,
      section: 'indicators',
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: request.access!.partnership.name, href: base(request) },
        { text: 'Indicators', href: `${base(request)}/indicators` },
        { text: label(i), href: indicatorHref },
      ],
      indicator: i,
      indicatorHref,
      action: `${indicatorHref}/commentary`,
      periodLabel: state.period ? formatPeriodLabel(state.period) : '',
      periodHint: `A ${i.frequency === 'annual' ? 'financial year' : i.frequency === 'quarterly' ? 'quarter' : 'month'}, like ${typedPeriod(PERIOD_EXAMPLES[i.frequency])}`,
      maxLength: COMMENTARY_MAX_LENGTH,
      history: history.map((h) => ({ ...h, current: h.superseded_at === null })),
      ...state,
    },
    status,
  );
}

async function stateFor(k: Kysely<Database>, request: FastifyRequest, i: IndicatorDetails, period: string): Promise<FormState> {
  const current = await currentCommentary(k, pid(request), i.id, period);
  return { period, values: { period: typedPeriod(period), text: current?.text ?? '', expectedUpdatedAt: current?.written_at ?? '' } };
}

export async function commentaryRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  app.get(
    '/partnerships/:partnershipId/indicators/:indicatorId/commentary',
    { config: { auth: 'commentary.write' } },
    async (request, reply) => {
      const i = await getIndicator(k, pid(request), indicatorId(request));
      // The form is not offered on another's indicator to a contributor limited to their own (403).
      await assertMayWriteCommentary(k, actorOf(request.user!), pid(request), i);
      const raw = (request.query as { period?: unknown }).period;
      if (raw === undefined || raw === '') {
        // Without a period: the latest period with a figure, if any.
        const latest = (await listFigures(k, pid(request), i.id))
          .map((f) => f.period)
          .sort(comparePeriods)
          .pop();
        if (!latest) return form(k, request, reply, i, { period: '', values: { period: '', text: '', expectedUpdatedAt: '' } });
        return form(k, request, reply, i, await stateFor(k, request, i, latest));
      }
      try {
        return form(k, request, reply, i, await stateFor(k, request, i, commentaryPeriod(raw, i.frequency)));
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        return form(
          k,
          request,
          reply,
          i,
          { period: '', values: { period: typeof raw === 'string' ? raw : '', text: '', expectedUpdatedAt: '' }, errors: e.errors },
          400,
        );
      }
    },
  );

  app.post(
    '/partnerships/:partnershipId/indicators/:indicatorId/commentary',
    { config: { auth: 'commentary.write' } },
    async (request, reply) => {
      const i = await getIndicator(k, pid(request), indicatorId(request));
      const body = (request.body ?? {}) as Record<string, unknown>;
      const str = (v: unknown) => (typeof v === 'string' ? v : '');
      try {
        const { commentary, changed } = await writeCommentary(k, actorOf(request.user!), pid(request), i.id, {
          period: body.period,
          text: body.text,
          expectedUpdatedAt: str(body.expectedUpdatedAt),
        });
        const what = `commentary on ${formatPeriodLabel(commentary.period)}`;
        return reply
          .flash(changed ? `The ${what} has been saved` : `The ${what} was already as you wrote it: nothing changed`)
          .redirect(`${base(request)}/indicators/${i.id}#commentary`, 303);
      } catch (e) {
        if (e instanceof ValidationError) {
          let period = '';
          try {
            period = commentaryPeriod(body.period, i.frequency);
          } catch {
            // the period is one of the errors shown
          }
          return form(
            k,
            request,
            reply,
            i,
            {
              period,
              values: { period: str(body.period), text: str(body.text), expectedUpdatedAt: str(body.expectedUpdatedAt) },
              errors: e.errors,
            },
            400,
          );
        }
        if (e instanceof ConflictError) {
          const state = await stateFor(k, request, i, commentaryPeriod(body.period, i.frequency));
          return form(k, request, reply, i, { ...state, errors: [{ field: 'text', message: e.message }], theirText: str(body.text) }, 409);
        }
        throw e;
      }
    },
  );
}
