/** The partnership's collection settings: default due date, contributors' restriction, members' organisations. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../../adapters/database/schema.ts';
import { actorOf } from '../../../context.ts';
import { collectionSettings, MAX_DUE_WORKING_DAYS, ownerChoices, setCollectionSettings } from '../../../../services/cycle/owners.ts';
import { ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { base, crumbs, pid, str } from './shared.ts';

async function settingsPage(
  k: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  values?: Record<string, unknown>,
  errors?: FieldError[],
  status = 200,
) {
  const settings = await collectionSettings(k, pid(request));
  const choices = await ownerChoices(k, pid(request));
  const orgValue = (userId: number, current: number | null) => {
    const sent = values?.[`organisation-${userId}`];
    return typeof sent === 'string' ? sent : current ? String(current) : '';
  };
  return reply.render(
    'features/cycle/settings.njk',
    {
      title: 'Collecting figures',
      section: 'settings',
      breadcrumbs: crumbs(request, [{ text: 'Settings', href: `${base(request)}/settings` }]),
      base: base(request),
      errors,
      dueWorkingDays: values ? str(values.dueWorkingDays) : String(settings.dueWorkingDays),
      contributorsOwnOnly: values ? values.contributorsOwnOnly === 'yes' : settings.contributorsOwnOnly,
      maxDays: MAX_DUE_WORKING_DAYS,
      members: choices.members.map((m) => ({
        ...m,
        field: `organisation-${m.userId}`,
        items: [
          { value: '', text: 'None' },
          ...choices.organisations.map((o) => ({
            value: String(o.id),
            text: o.name,
            selected: orgValue(m.userId, m.organisationId) === String(o.id),
          })),
        ],
      })),
    },
    status,
  );
}

/** Collection settings, with each member's organisation. */
export function settingsRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get('/partnerships/:partnershipId/collection/settings', { config: { auth: 'partnership.update' } }, async (request, reply) =>
    settingsPage(k, request, reply),
  );
  app.post('/partnerships/:partnershipId/collection/settings', { config: { auth: 'partnership.update' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const organisations: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body))
      if (key.startsWith('organisation-')) organisations[key.slice('organisation-'.length)] = value;
    try {
      await setCollectionSettings(k, actorOf(request.user!), pid(request), {
        dueWorkingDays: body.dueWorkingDays,
        contributorsOwnOnly: body.contributorsOwnOnly,
        organisations,
      });
      return reply.flash('Collection settings saved').redirect(`${base(request)}/collection/settings`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return settingsPage(k, request, reply, body, e.errors, 400);
      throw e;
    }
  });
}
