/** Partnerships: the switcher, each partnership's overview and settings, and creation by the platform administrator. */
import type { FastifyInstance } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { assertValidId, createPartnership, formatPopulations, partnershipsForUser, roleIn, updatePartnership } from '../../../../services/partnerships/partnerships.ts';
import { setCurrentPartnership } from '../../../../services/identity/sessions.ts';
import { listOrganisations, ORGANISATION_TYPE_LABELS } from '../../../../services/partnerships/organisations.ts';
import { listMembers } from '../../../../services/partnerships/members.ts';
import { NotFoundError, ValidationError } from '../../../../domain/errors.ts';
import { ROLE_LABELS } from '../../../../services/partnerships/authorisation.ts';

export async function partnershipRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  app.get('/partnerships', { config: { auth: 'signed-in' } }, async (request, reply) => {
    const partnerships = await partnershipsForUser(db.kysely, request.user!);
    return reply.render('features/partnerships/list.njk', { title: 'Your partnerships', partnerships, roleLabels: ROLE_LABELS, breadcrumbs: [{ text: 'Home', href: '/' }] });
  });

  app.post('/switch-partnership', { config: { auth: 'signed-in' } }, async (request, reply) => {
    const id = assertValidId((request.body as { partnershipId?: string } | undefined)?.partnershipId, 'Partnership');
    if ((await roleIn(db.kysely, request.user!, id)) === null) throw new NotFoundError('Partnership');
    if (request.sessionId) await setCurrentPartnership(db.kysely, request.sessionId, id);
    return reply.redirect(`/partnerships/${id}`, 303);
  });

  app.get('/partnerships/:partnershipId', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const { partnership, role } = request.access!;
    if (request.sessionId && request.currentPartnershipId !== partnership.id) await setCurrentPartnership(db.kysely, request.sessionId, partnership.id);
    const organisations = await listOrganisations(db.kysely, partnership.id);
    const members = await listMembers(db.kysely, partnership.id);
    return reply.render('features/partnerships/overview.njk', {
      title: partnership.name,
      section: 'overview',
      partnership,
      role,
      roleLabel: ROLE_LABELS[role],
      organisations,
      typeLabels: ORGANISATION_TYPE_LABELS,
      memberCount: members.length,
    });
  });

  const settingsCrumbs = (id: number, name: string) => [
    { text: 'Home', href: '/' },
    { text: name, href: `/partnerships/${id}` },
  ];

  app.get('/partnerships/:partnershipId/settings', { config: { auth: 'partnership.update' } }, async (request, reply) => {
    const { partnership } = request.access!;
    return reply.render('features/partnerships/form.njk', {
      title: 'Partnership settings',
      section: 'settings',
      action: `/partnerships/${partnership.id}/settings`,
      breadcrumbs: settingsCrumbs(partnership.id, partnership.name),
      values: { name: partnership.name, areaDescription: partnership.area_description, populations: formatPopulations(partnership.populations) },
      submitText: 'Save settings',
      exportHref: `/partnerships/${partnership.id}/export.json`,
    });
  });

  app.post('/partnerships/:partnershipId/settings', { config: { auth: 'partnership.update' } }, async (request, reply) => {
    const { partnership } = request.access!;
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      await updatePartnership(db.kysely, actorOf(request.user!), partnership.id, body);
    } catch (e) {
      if (e instanceof ValidationError)
        return reply.render(
          'features/partnerships/form.njk',
          { title: 'Partnership settings', section: 'settings', action: `/partnerships/${partnership.id}/settings`, breadcrumbs: settingsCrumbs(partnership.id, partnership.name), values: body, errors: e.errors, submitText: 'Save settings', exportHref: `/partnerships/${partnership.id}/export.json` },
          400,
        );
      throw e;
    }
    return reply.flash('Partnership settings saved').redirect(`/partnerships/${partnership.id}`, 303);
  });

  app.get('/admin/partnerships', { config: { auth: 'platform-admin' } }, async (request, reply) => {
    const partnerships = await partnershipsForUser(db.kysely, request.user!);
    return reply.render('features/partnerships/admin-list.njk', { title: 'All partnerships', partnerships, breadcrumbs: [{ text: 'Home', href: '/' }] });
  });

  const newCrumbs = [{ text: 'Home', href: '/' }, { text: 'All partnerships', href: '/admin/partnerships' }];
  app.get('/admin/partnerships/new', { config: { auth: 'platform-admin' } }, async (_request, reply) =>
    reply.render('features/partnerships/form.njk', { title: 'Create a partnership', action: '/admin/partnerships/new', breadcrumbs: newCrumbs, values: {}, submitText: 'Create partnership' }),
  );

  app.post('/admin/partnerships/new', { config: { auth: 'platform-admin' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      const p = await createPartnership(db.kysely, actorOf(request.user!), request.user, body);
      return reply.flash(`${p.name} has been created`).redirect(`/partnerships/${p.id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError)
        return reply.render('features/partnerships/form.njk', { title: 'Create a partnership', action: '/admin/partnerships/new', breadcrumbs: newCrumbs, values: body, errors: e.errors, submitText: 'Create partnership' }, 400);
      throw e;
    }
  });
}
