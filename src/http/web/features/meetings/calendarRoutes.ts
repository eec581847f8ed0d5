/**
 * The statutory calendar (duties, recording one as done with its evidence); calendarRoutes also registers the
 * scrutiny committee's recommendations (scrutinyRoutes.ts) and the meetings calendar feed (feedRoutes.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { AppServices } from '../../../context.ts';
import { DUTY_RECURRENCES, type Database } from '../../../../adapters/database/schema.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { addStandardDuties, createDuty, listDuties, recordDutyDone } from '../../../../services/meetings/statutoryCalendar.ts';
import { listDecisions } from '../../../../services/meetings/meetings.ts';
import { DUTY_STATE_LABELS, RECURRENCE_LABELS } from '../../../../presentation/meetingLabels.ts';
import { actor, base, crumbs, pid, prefixed, type Body, type Forms } from './meetingPages.ts';
import { scrutinyRoutes } from './scrutinyRoutes.ts';
import { calendarFeedRoutes } from './feedRoutes.ts';

export async function calendarRoutes(app: FastifyInstance, { db, config }: AppServices): Promise<void> {
  const k = db.kysely;
  statutoryCalendarRoutes(app, k);
  scrutinyRoutes(app, k);
  calendarFeedRoutes(app, k, config);
}

/** The statutory calendar's page: the duties, and the values and errors of a form shown again. */
async function dutiesPage(k: Kysely<Database>, request: FastifyRequest, reply: FastifyReply, form: Forms = {}, status = 200) {
  const [duties, decisions] = await Promise.all([listDuties(k, pid(request)), listDecisions(k, pid(request))]);
  return reply.render(
    'features/meetings/duties.njk',
    {
      title: 'Statutory calendar',
      section: 'meetings',
      breadcrumbs: crumbs(request),
      duties: duties.map((d) => ({ ...d, stateText: DUTY_STATE_LABELS[d.state], recurrenceText: RECURRENCE_LABELS[d.recurrence] })),
      recurrenceItems: DUTY_RECURRENCES.map((r) => ({ value: r, text: RECURRENCE_LABELS[r] })),
      decisionItems: [
        { value: '', text: 'None' },
        ...decisions.map((d) => ({
          value: String(d.id),
          text: `${d.starts_at.slice(0, 10)} ${d.meeting_title}: ${d.decision.slice(0, 60)}`,
        })),
      ],
      hasStandard: duties.some((d) => d.standard_key !== null),
      values: form.values ?? {},
      errors: form.errors,
      base: base(request),
    },
    status,
  );
}

/** The statutory calendar: its page, adding the standard duties or one of the partnership's own, and recording one as done. */
function statutoryCalendarRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get('/partnerships/:partnershipId/statutory-calendar', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    dutiesPage(k, request, reply),
  );

  app.post('/partnerships/:partnershipId/statutory-calendar/standard', { config: { auth: 'duty.write' } }, async (request, reply) => {
    const added = await addStandardDuties(k, actor(request), pid(request));
    return reply
      .flash(added.length ? `${added.length} standard duties have been added` : 'The partnership already has every standard duty')
      .redirect(`${base(request)}/statutory-calendar`, 303);
  });

  app.post('/partnerships/:partnershipId/statutory-calendar/duties', { config: { auth: 'duty.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    try {
      const d = await createDuty(k, actor(request), pid(request), body);
      return reply.flash(`"${d.title}" has been added to the calendar`).redirect(`${base(request)}/statutory-calendar`, 303);
    } catch (e) {
      if (e instanceof ValidationError)
        return dutiesPage(k, request, reply, { errors: prefixed('duty', e.errors), values: { duty: body } }, 400);
      throw e;
    }
  });

  app.post(
    '/partnerships/:partnershipId/statutory-calendar/duties/:dutyId/completions',
    { config: { auth: 'duty.write' } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const id = assertValidId((request.params as { dutyId: string }).dutyId, 'Statutory duty');
      try {
        const { duty } = await recordDutyDone(k, actor(request), pid(request), id, body);
        return reply.flash(`"${duty.title}" is recorded as done`).redirect(`${base(request)}/statutory-calendar`, 303);
      } catch (e) {
        if (e instanceof ValidationError)
          return dutiesPage(k, request, reply, { errors: prefixed(`done-${id}`, e.errors), values: { [`done-${id}`]: body } }, 400);
        throw e;
      }
    },
  );
}
