/** Partner organisations of a partnership: list, add, edit (with conflict detection) and remove. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ORGANISATION_TYPES } from '../../../../adapters/database/schema.ts';
import { createOrganisation, deleteOrganisation, getOrganisation, listOrganisations, ORGANISATION_TYPE_LABELS, updateOrganisation } from '../../../../services/partnerships/organisations.ts';
import { ConflictError, ValidationError } from '../../../../domain/errors.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';

const typeItems = ORGANISATION_TYPES.map((t) => ({ value: t, text: ORGANISATION_TYPE_LABELS[t] }));

export async function organisationRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const base = (request: FastifyRequest) => `/partnerships/${request.access!.partnership.id}/organisations`;
  const crumbs = (request: FastifyRequest) => [
    { text: 'Home', href: '/' },
    { text: request.access!.partnership.name, href: `/partnerships/${request.access!.partnership.id}` },
    { text: 'Partner organisations', href: base(request) },
  ];
  const orgId = (request: FastifyRequest) => assertValidId((request.params as { organisationId: string }).organisationId, 'Organisation');
  const form = (request: FastifyRequest, reply: FastifyReply, ctx: Record<string, unknown>, status = 200) =>
    reply.render('features/organisations/form.njk', { section: 'organisations', breadcrumbs: crumbs(request), typeItems, ...ctx }, status);

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
    form(request, reply, { title: 'Add a partner organisation', action: `${base(request)}/new`, values: {}, submitText: 'Add organisation' }),
  );

  app.post('/partnerships/:partnershipId/organisations/new', { config: { auth: 'organisation.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      const o = await createOrganisation(db.kysely, actorOf(request.user!), request.access!.partnership.id, body);
      return reply.flash(`${o.name} has been added`).redirect(base(request), 303);
    } catch (e) {
      if (e instanceof ValidationError) return form(request, reply, { title: 'Add a partner organisation', action: `${base(request)}/new`, values: body, errors: e.errors, submitText: 'Add organisation' }, 400);
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/organisations/:organisationId/edit', { config: { auth: 'organisation.write' } }, async (request, reply) => {
    const o = await getOrganisation(db.kysely, request.access!.partnership.id, orgId(request));
    return form(request, reply, {
      title: `Edit ${o.name}`,
      action: `${base(request)}/${o.id}/edit`,
      values: { name: o.name, type: o.type, description: o.description, expectedUpdatedAt: o.updated_at },
      submitText: 'Save changes',
      deleteHref: `${base(request)}/${o.id}/delete`,
    });
  });

  app.post('/partnerships/:partnershipId/organisations/:organisationId/edit', { config: { auth: 'organisation.write' } }, async (request, reply) => {
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
          { ...ctx, values: { name: latest.name, type: latest.type, description: latest.description, expectedUpdatedAt: latest.updated_at }, yours: body, errors: [{ field: 'name', message: e.message }] },
          409,
        );
      }
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/organisations/:organisationId/delete', { config: { auth: 'organisation.write' } }, async (request, reply) => {
    const o = await getOrganisation(db.kysely, request.access!.partnership.id, orgId(request));
    return reply.render('features/organisations/delete.njk', { title: `Remove ${o.name}`, section: 'organisations', breadcrumbs: crumbs(request), organisation: o, action: `${base(request)}/${o.id}/delete` });
  });

  app.post('/partnerships/:partnershipId/organisations/:organisationId/delete', { config: { auth: 'organisation.write' } }, async (request, reply) => {
    const o = await deleteOrganisation(db.kysely, actorOf(request.user!), request.access!.partnership.id, orgId(request));
    return reply.flash(`${o.name} has been removed`).redirect(base(request), 303);
  });
}
