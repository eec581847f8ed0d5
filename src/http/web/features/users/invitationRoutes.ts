/** Accepting an invitation to a partnership: the link is the credential, so these pages are public. */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { acceptInvitation, findInvitation } from '../../../../services/partnerships/members.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { startSession } from '../sign-in/sessionCookie.ts';

export async function invitationRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  const { db } = services;
  const invalid = { title: 'This invitation cannot be used' };

  app.get('/invitations/:token', { config: { auth: 'public' } }, async (request, reply) => {
    const token = (request.params as { token: string }).token;
    const inv = await findInvitation(db.kysely, token);
    if (!inv) return reply.render('features/users/invitation-invalid.njk', invalid, 404);
    return reply.render('features/users/accept.njk', {
      title: 'Accept your invitation',
      invitation: inv,
      values: { name: inv.name },
      action: `/invitations/${token}`,
    });
  });

  app.post('/invitations/:token', { config: { auth: 'public' } }, async (request, reply) => {
    const token = (request.params as { token: string }).token;
    const inv = await findInvitation(db.kysely, token);
    if (!inv) return reply.render('features/users/invitation-invalid.njk', invalid, 404);
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      const user = await acceptInvitation(db.kysely, token, body);
      await startSession(services, reply, user.id);
      return reply
        .flash(`Welcome to CSP Hub. You have joined ${inv.partnership_name}.`)
        .redirect(`/partnerships/${inv.partnership_id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError)
        return reply.render(
          'features/users/accept.njk',
          { title: 'Accept your invitation', invitation: inv, values: body, errors: e.errors, action: `/invitations/${token}` },
          400,
        );
      throw e;
    }
  });
}
