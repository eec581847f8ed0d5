/** Partner organisations of a partnership: the list and adding one; editing and removing are in changeRoutes.ts. */
import type { FastifyInstance } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { createOrganisation, listOrganisations } from '../../../../services/partnerships/organisations.ts';
import { ORGANISATION_TYPE_LABELS } from '../../../../presentation/labels.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { base, crumbs, form } from './pages.ts';
import { organisationChangeRoutes } from './changeRoutes.ts';

export async function organisationRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  const { db } = services;

  app.get('/partnerships/:partnershipId/organisations', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const organisations = await listOrganisations(db.kysely, request.access!.partnership.id);
    return reply.render('features/organisations/list.njk', {
      title: 'Partner organisations',
      section: 'organisations',
      breadcrumbs: crumbs(request).slice(0, 2),
      organisations,
      typeLabels: ORGANISATION_TYPE_LABELS,
      base: base(request),
    });
  });

  app.get('/partnerships/:partnershipId/organisations/new', { config: { auth: 'organisation.write' } }, async (request, reply) =>
    form(request, reply, {
      title: 'Add a partner organisation',
      action: `${base(request)}/new`,
      values: {},
      submitText: 'Add organisation',
    }),
  );

  app.post('/partnerships/:partnershipId/organisations/new', { config: { auth: 'organisation.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      const o = await createOrganisation(db.kysely, actorOf(request.user!), request.access!.partnership.id, body);
      return reply.flash(`${o.name} has been added`).redirect(base(request), 303);
    } catch (e) {
      if (e instanceof ValidationError)
        return form(
          request,
          reply,
          {
            title: 'Add a partner organisation',
            action: `${base(request)}/new`,
            values: body,
            errors: e.errors,
            submitText: 'Add organisation',
          },
          400,
        );
      throw e;
    }
  });

  await organisationChangeRoutes(app, services);
}
