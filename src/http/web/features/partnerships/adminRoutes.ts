/** The platform administrator's pages: every partnership on this CSP Hub, and creating a new one. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { createPartnership, partnershipsForUser } from '../../../../services/partnerships/partnerships.ts';
import { ValidationError } from '../../../../domain/errors.ts';

const newCrumbs = [
  { text: 'Home', href: '/' },
  { text: 'All partnerships', href: '/admin/partnerships' },
];

/** The form to create a partnership, with what was entered and its problems when creating it was refused. */
function createPage(reply: FastifyReply, values: Record<string, unknown>, errors?: unknown, status = 200) {
  return reply.render(
    'features/partnerships/form.njk',
    {
      title: 'Create a partnership',
      action: '/admin/partnerships/new',
      breadcrumbs: newCrumbs,
      values,
      errors,
      submitText: 'Create partnership',
    },
    status,
  );
}

export async function partnershipAdminRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  app.get('/admin/partnerships', { config: { auth: 'platform-admin' } }, async (request, reply) => {
    const partnerships = await partnershipsForUser(db.kysely, request.user!);
    return reply.render('features/partnerships/admin-list.njk', {
      title: 'All partnerships',
      partnerships,
      breadcrumbs: [{ text: 'Home', href: '/' }],
    });
  });

  app.get('/admin/partnerships/new', { config: { auth: 'platform-admin' } }, async (_request, reply) => createPage(reply, {}));

  app.post('/admin/partnerships/new', { config: { auth: 'platform-admin' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      const p = await createPartnership(db.kysely, actorOf(request.user!), request.user, body);
      return reply.flash(`${p.name} has been created`).redirect(`/partnerships/${p.id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return createPage(reply, body, e.errors, 400);
      throw e;
    }
  });
}
