/**
 * Partnerships: the switcher, each partnership's overview and settings; the platform administrator's list and
 * creation are in adminRoutes.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import type { PartnershipDetails } from '../../../../services/partnerships/partnerships.ts';
import {
  assertValidId,
  formatPopulations,
  partnershipOverview,
  partnershipsForUser,
  switchPartnership,
  updatePartnership,
} from '../../../../services/partnerships/partnerships.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { ORGANISATION_TYPE_LABELS, ROLE_LABELS } from '../../../../presentation/labels.ts';
import { partnershipAdminRoutes } from './adminRoutes.ts';
import { overdueDuties } from '../../../../services/meetings/statutoryCalendar.ts';
import { myAttention } from '../../../../services/cycle/attention.ts';

/** The settings form of a partnership, with what was entered and its problems when a save was refused. */
function settingsPage(
  reply: FastifyReply,
  partnership: PartnershipDetails,
  values: Record<string, unknown>,
  errors?: unknown,
  status = 200,
) {
  return reply.render(
    'features/partnerships/form.njk',
    {
      title: 'Partnership settings',
      section: 'settings',
      action: `/partnerships/${partnership.id}/settings`,
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: partnership.name, href: `/partnerships/${partnership.id}` },
      ],
      values,
      errors,
      submitText: 'Save settings',
      exportHref: `/partnerships/${partnership.id}/export.json`,
      publicSettings: true,
      slug: partnership.slug,
    },
    status,
  );
}

export async function partnershipRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  const { db } = services;
  app.get('/partnerships', { config: { auth: 'signed-in' } }, async (request, reply) => {
    const partnerships = await partnershipsForUser(db.kysely, request.user!);
    return reply.render('features/partnerships/list.njk', {
      title: 'Your partnerships',
      partnerships,
      roleLabels: ROLE_LABELS,
      breadcrumbs: [{ text: 'Home', href: '/' }],
    });
  });

  app.post('/switch-partnership', { config: { auth: 'signed-in' } }, async (request, reply) => {
    const id = assertValidId((request.body as { partnershipId?: string } | undefined)?.partnershipId, 'Partnership');
    await switchPartnership(db.kysely, request.user!, request.sessionId, id);
    return reply.redirect(`/partnerships/${id}`, 303);
  });

  app.get('/partnerships/:partnershipId', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const { partnership, role } = request.access!;
    const notCurrent = request.currentPartnershipId !== partnership.id;
    const { organisations, memberCount } = await partnershipOverview(db.kysely, partnership.id, notCurrent ? request.sessionId : null);
    const overdue = await overdueDuties(db.kysely, partnership.id);
    const attention = await myAttention(db.kysely, partnership.id, { id: request.user!.id, role });
    return reply.render('features/partnerships/overview.njk', {
      title: partnership.name,
      section: 'overview',
      partnership,
      role,
      roleLabel: ROLE_LABELS[role],
      organisations,
      typeLabels: ORGANISATION_TYPE_LABELS,
      memberCount,
      overdue,
      attention,
    });
  });

  app.get('/partnerships/:partnershipId/settings', { config: { auth: 'partnership.update' } }, async (request, reply) => {
    const { partnership } = request.access!;
    return settingsPage(reply, partnership, {
      name: partnership.name,
      areaDescription: partnership.area_description,
      populations: formatPopulations(partnership.populations),
      contactEmail: partnership.contact_email,
      contactPhone: partnership.contact_phone,
      contactAddress: partnership.contact_address,
      publicParts: [...(partnership.public_risks ? ['risks'] : []), ...(partnership.public_funding ? ['funding'] : [])],
      riskScoring: partnership.risk_scoring,
    });
  });

  app.post('/partnerships/:partnershipId/settings', { config: { auth: 'partnership.update' } }, async (request, reply) => {
    const { partnership } = request.access!;
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      await updatePartnership(db.kysely, actorOf(request.user!), partnership.id, body);
    } catch (e) {
      if (e instanceof ValidationError) return settingsPage(reply, partnership, body, e.errors, 400);
      throw e;
    }
    return reply.flash('Partnership settings saved').redirect(`/partnerships/${partnership.id}`, 303);
  });

  await partnershipAdminRoutes(app, services);
}
