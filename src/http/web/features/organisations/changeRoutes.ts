/** Editing a partner organisation (refused when someone else saved it meanwhile, showing their version) and removing it. */
import type { FastifyInstance } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { deleteOrganisation, getOrganisation, updateOrganisation } from '../../../../services/partnerships/organisations.ts';
import { ConflictError, ValidationError } from '../../../../domain/errors.ts';
import { base, crumbs, form, orgId } from './pages.ts';

export async function organisationChangeRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  app.get(
    '/partnerships/:partnershipId/organisations/:organisationId/edit',
    { config: { auth: 'organisation.write' } },
    async (request, reply) => {
      const o = await getOrganisation(db.kysely, request.access!.partnership.id, orgId(request));
      return form(request, reply, {
        title: `Edit ${o.name}`,
        action: `${base(request)}/${o.id}/edit`,
        values: { name: o.name, type: o.type, description: o.description, expectedUpdatedAt: o.updated_at },
        submitText: 'Save changes',
        deleteHref: `${base(request)}/${o.id}/delete`,
      });
    },
  );

  app.post(
    '/partnerships/:partnershipId/organisations/:organisationId/edit',
    { config: { auth: 'organisation.write' } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string>;
      const id = orgId(request);
      const pid = request.access!.partnership.id;
      try {
        const o = await updateOrganisation(db.kysely, actorOf(request.user!), pid, id, body);
        return reply.flash(`${o.name} has been updated`).redirect(base(request), 303);
      } catch (e) {
        const ctx = { title: 'Edit partner organisation', action: `${base(request)}/${id}/edit`, submitText: 'Save changes' };
        if (e instanceof ValidationError) return form(request, reply, { ...ctx, values: body, errors: e.errors }, 400);
        if (e instanceof ConflictError) {
          const latest = await getOrganisation(db.kysely, pid, id);
          return form(
            request,
            reply,
            {
              ...ctx,
              values: { name: latest.name, type: latest.type, description: latest.description, expectedUpdatedAt: latest.updated_at },
              yours: body,
              errors: [{ field: 'name', message: e.message }],
            },
            409,
          );
        }
        throw e;
      }
    },
  );

  app.get(
    '/partnerships/:partnershipId/organisations/:organisationId/delete',
    { config: { auth: 'organisation.write' } },
    async (request, reply) => {
      const o = await getOrganisation(db.kysely, request.access!.partnership.id, orgId(request));
      return reply.render('features/organisations/delete.njk', {
        title: `Remove ${o.name}`,
        section: 'organisations',
        breadcrumbs: crumbs(request),
        organisation: o,
        action: `${base(request)}/${o.id}/delete`,
      });
    },
  );

  app.post(
    '/partnerships/:partnershipId/organisations/:organisationId/delete',
    { config: { auth: 'organisation.write' } },
    async (request, reply) => {
      const o = await deleteOrganisation(db.kysely, actorOf(request.user!), request.access!.partnership.id, orgId(request));
      return reply.flash(`${o.name} has been removed`).redirect(base(request), 303);
    },
  );
}
