/**
 * The statutory calendar (duties, recording one as done with its evidence), the scrutiny committee's
 * recommendations with the partnership's response and actions, and the meetings calendar feed: the page that
 * makes a person's secret subscription link, and the feed itself (public: the secret link is the permission).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { DUTY_RECURRENCES, SCRUTINY_STATUSES } from '../../../../adapters/database/schema.ts';
import { ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { addStandardDuties, createDuty, listDuties, recordDutyDone } from '../../../../services/meetings/statutoryCalendar.ts';
import {
  createRecommendation,
  getRecommendation,
  listRecommendations,
  respondToRecommendation,
} from '../../../../services/meetings/scrutiny.ts';
import { listActions, raiseScrutinyAction } from '../../../../services/meetings/actions.ts';
import { listDecisions, meetingChoices } from '../../../../services/meetings/meetings.ts';
import { createFeedToken, hasFeedToken, meetingsForFeed } from '../../../../services/meetings/calendarFeed.ts';
import { meetingsCalendar } from '../../../../presentation/calendar/icalendar.ts';
import {
  ACTION_STATUS_LABELS,
  DUTY_STATE_LABELS,
  RECURRENCE_LABELS,
  SCRUTINY_STATUS_LABELS,
} from '../../../../presentation/meetingLabels.ts';

type Body = Record<string, unknown>;
const prefixed = (prefix: string, errors: FieldError[]) => errors.map((e) => ({ field: `${prefix}-${e.field}`, message: e.message }));

export async function calendarRoutes(app: FastifyInstance, { db, config }: AppServices): Promise<void> {
  const k = db.kysely;
  const pid = (r: FastifyRequest) => r.access!.partnership.id;
  const base = (r: FastifyRequest) => `/partnerships/${pid(r)}`;
  const crumbs = (r: FastifyRequest) => [
    { text: 'Home', href: '/' },
    { text: r.access!.partnership.name, href: base(r) },
    { text: 'Meetings', href: `${base(r)}/meetings` },
  ];

  // ---------- Statutory calendar ----------

  const dutiesPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: { errors?: FieldError[]; values?: Record<string, Body> } = {},
    status = 200,
  ) => {
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
  };

  app.get('/partnerships/:partnershipId/statutory-calendar', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    dutiesPage(request, reply),
  );

  app.post('/partnerships/:partnershipId/statutory-calendar/standard', { config: { auth: 'duty.write' } }, async (request, reply) => {
    const added = await addStandardDuties(k, actorOf(request.user!), pid(request));
    return reply
      .flash(added.length ? `${added.length} standard duties have been added` : 'The partnership already has every standard duty')
      .redirect(`${base(request)}/statutory-calendar`, 303);
  });

  app.post('/partnerships/:partnershipId/statutory-calendar/duties', { config: { auth: 'duty.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    try {
      const d = await createDuty(k, actorOf(request.user!), pid(request), body);
      return reply.flash(`"${d.title}" has been added to the calendar`).redirect(`${base(request)}/statutory-calendar`, 303);
    } catch (e) {
      if (e instanceof ValidationError)
        return dutiesPage(request, reply, { errors: prefixed('duty', e.errors), values: { duty: body } }, 400);
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
        const { duty } = await recordDutyDone(k, actorOf(request.user!), pid(request), id, body);
        return reply.flash(`"${duty.title}" is recorded as done`).redirect(`${base(request)}/statutory-calendar`, 303);
      } catch (e) {
        if (e instanceof ValidationError)
          return dutiesPage(request, reply, { errors: prefixed(`done-${id}`, e.errors), values: { [`done-${id}`]: body } }, 400);
        throw e;
      }
    },
  );

  // ---------- Scrutiny ----------

  const scrutinyStatusItems = SCRUTINY_STATUSES.map((s) => ({ value: s, text: SCRUTINY_STATUS_LABELS[s] }));

  const scrutinyList = async (request: FastifyRequest, reply: FastifyReply, values: Body = {}, errors?: FieldError[], status = 200) => {
    const list = await listRecommendations(k, pid(request));
    return reply.render(
      'features/meetings/scrutiny.njk',
      {
        title: 'Scrutiny recommendations',
        section: 'meetings',
        breadcrumbs: crumbs(request),
        recommendations: list.map((r) => ({ ...r, statusText: SCRUTINY_STATUS_LABELS[r.response_status] })),
        values,
        errors,
        base: base(request),
      },
      status,
    );
  };

  app.get('/partnerships/:partnershipId/scrutiny', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    scrutinyList(request, reply),
  );

  app.post('/partnerships/:partnershipId/scrutiny', { config: { auth: 'scrutiny.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    try {
      const r = await createRecommendation(k, actorOf(request.user!), pid(request), body);
      return reply.flash('The recommendation has been recorded').redirect(`${base(request)}/scrutiny/${r.id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return scrutinyList(request, reply, body, e.errors, 400);
      throw e;
    }
  });

  const recommendationPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: { errors?: FieldError[]; values?: Record<string, Body> } = {},
    status = 200,
  ) => {
    const id = assertValidId((request.params as { recommendationId: string }).recommendationId, 'Scrutiny recommendation');
    const rec = await getRecommendation(k, pid(request), id);
    const [actions, choices] = await Promise.all([
      listActions(k, pid(request), { scrutinyRecommendationId: id, status: 'all' }),
      meetingChoices(k, pid(request)),
    ]);
    return reply.render(
      'features/meetings/recommendation.njk',
      {
        title: `Scrutiny recommendation of ${rec.received_on}`,
        section: 'meetings',
        breadcrumbs: [...crumbs(request), { text: 'Scrutiny recommendations', href: `${base(request)}/scrutiny` }],
        rec: { ...rec, statusText: SCRUTINY_STATUS_LABELS[rec.response_status] },
        actions: actions.map((a) => ({ ...a, statusText: ACTION_STATUS_LABELS[a.status] })),
        statusItems: scrutinyStatusItems,
        ownerItems: [
          { value: '', text: 'Not a member (enter a name)' },
          ...choices.members.map((u) => ({ value: String(u.id), text: u.name })),
        ],
        values: form.values ?? {
          response: { responseStatus: rec.response_status, response: rec.response, respondedOn: rec.responded_on ?? '' },
        },
        errors: form.errors,
        href: `${base(request)}/scrutiny/${id}`,
        base: base(request),
      },
      status,
    );
  };

  app.get('/partnerships/:partnershipId/scrutiny/:recommendationId', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    recommendationPage(request, reply),
  );

  app.post(
    '/partnerships/:partnershipId/scrutiny/:recommendationId/response',
    { config: { auth: 'scrutiny.write' } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const id = assertValidId((request.params as { recommendationId: string }).recommendationId, 'Scrutiny recommendation');
      try {
        await respondToRecommendation(k, actorOf(request.user!), pid(request), id, body);
        return reply.flash("The partnership's response has been saved").redirect(`${base(request)}/scrutiny/${id}`, 303);
      } catch (e) {
        if (e instanceof ValidationError)
          return recommendationPage(request, reply, { errors: prefixed('response', e.errors), values: { response: body } }, 400);
        throw e;
      }
    },
  );

  app.post(
    '/partnerships/:partnershipId/scrutiny/:recommendationId/actions',
    { config: { auth: 'scrutiny.write' } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const id = assertValidId((request.params as { recommendationId: string }).recommendationId, 'Scrutiny recommendation');
      try {
        const a = await raiseScrutinyAction(k, actorOf(request.user!), pid(request), id, body);
        return reply.flash(`The action "${a.title}" has been raised`).redirect(`${base(request)}/scrutiny/${id}`, 303);
      } catch (e) {
        if (e instanceof ValidationError)
          return recommendationPage(request, reply, { errors: prefixed('action', e.errors), values: { action: body } }, 400);
        throw e;
      }
    },
  );

  // ---------- Calendar feed ----------

  const feedUrl = (token: string) => `${config.baseUrl.replace(/\/$/, '')}/calendar-feeds/${token}/meetings.ics`;

  const feedPage = async (request: FastifyRequest, reply: FastifyReply, token: string | null) =>
    reply.render('features/meetings/feed.njk', {
      title: 'Subscribe to the meetings',
      section: 'meetings',
      breadcrumbs: crumbs(request),
      madeAt: await hasFeedToken(k, pid(request), request.user!.id),
      url: token ? feedUrl(token) : null,
      base: base(request),
    });

  app.get('/partnerships/:partnershipId/calendar-feed', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    feedPage(request, reply, null),
  );

  app.post('/partnerships/:partnershipId/calendar-feed', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const token = await createFeedToken(k, actorOf(request.user!), pid(request), request.user!.id);
    return feedPage(request, reply, token);
  });

  app.get('/calendar-feeds/:token/meetings.ics', { config: { auth: 'public' } }, async (request, reply) => {
    const feed = await meetingsForFeed(k, (request.params as { token: string }).token);
    if (!feed) return reply.code(404).type('text/plain; charset=utf-8').send('This calendar link is not valid: make a new one in CSP Hub.');
    const root = config.baseUrl.replace(/\/$/, '');
    const ics = meetingsCalendar({
      name: `${feed.partnership.name} meetings`,
      host: new URL(root).host,
      meetings: feed.meetings.map((m) => ({
        id: m.id,
        title: m.title,
        groupName: m.group_name,
        startsAt: m.starts_at,
        durationMinutes: m.duration_minutes,
        location: m.location,
        paperDeadline: m.paper_deadline,
        url: `${root}/partnerships/${feed.partnership.id}/meetings/${m.id}`,
        updatedAt: m.updated_at,
      })),
    });
    return reply.type('text/calendar; charset=utf-8').header('Content-Disposition', 'inline; filename="meetings.ics"').send(ics);
  });
}
