/**
 * The meetings calendar feed: the page that makes a person's secret subscription link, and the feed itself
 * (public: the secret link is the permission).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../../adapters/database/schema.ts';
import type { Config } from '../../../../config.ts';
import { createFeedToken, hasFeedToken, meetingsForFeed } from '../../../../services/meetings/calendarFeed.ts';
import { meetingsCalendar } from '../../../../presentation/calendar/icalendar.ts';
import { actor, base, crumbs, pid } from './meetingPages.ts';

const feedUrl = (config: Config, token: string) => `${config.baseUrl.replace(/\/$/, '')}/calendar-feeds/${token}/meetings.ics`;

/** The subscription page: whether a link has been made, and the link just made (shown once). */
const feedPage = async (k: Kysely<Database>, config: Config, request: FastifyRequest, reply: FastifyReply, token: string | null) =>
  reply.render('features/meetings/feed.njk', {
    title: 'Subscribe to the meetings',
    section: 'meetings',
    breadcrumbs: crumbs(request),
    madeAt: await hasFeedToken(k, pid(request), request.user!.id),
    url: token ? feedUrl(config, token) : null,
    base: base(request),
  });

export function calendarFeedRoutes(app: FastifyInstance, k: Kysely<Database>, config: Config): void {
  app.get('/partnerships/:partnershipId/calendar-feed', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    feedPage(k, config, request, reply, null),
  );

  app.post('/partnerships/:partnershipId/calendar-feed', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const token = await createFeedToken(k, actor(request), pid(request), request.user!.id);
    return feedPage(k, config, request, reply, token);
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
