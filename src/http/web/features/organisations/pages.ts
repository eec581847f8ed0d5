/** What the partner organisation pages share: their address, breadcrumbs and the add/edit form. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ORGANISATION_TYPES } from '../../../../adapters/database/schema.ts';
import { ORGANISATION_TYPE_LABELS } from '../../../../presentation/labels.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';

const typeItems = ORGANISATION_TYPES.map((t) => ({ value: t, text: ORGANISATION_TYPE_LABELS[t] }));

export const base = (request: FastifyRequest) => `/partnerships/${request.access!.partnership.id}/organisations`;

export const crumbs = (request: FastifyRequest) => [
  { text: 'Home', href: '/' },
  { text: request.access!.partnership.name, href: `/partnerships/${request.access!.partnership.id}` },
  { text: 'Partner organisations', href: base(request) },
];

export const orgId = (request: FastifyRequest) =>
  assertValidId((request.params as { organisationId: string }).organisationId, 'Organisation');

/** The form to add or edit an organisation. */
export const form = (request: FastifyRequest, reply: FastifyReply, ctx: Record<string, unknown>, status = 200) =>
  reply.render('features/organisations/form.njk', { section: 'organisations', breadcrumbs: crumbs(request), typeItems, ...ctx }, status);
