/** What the pages of a partnership's users share: their address, breadcrumbs, the roles to choose from and the forms. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROLES } from '../../../../adapters/database/schema.ts';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from '../../../../presentation/labels.ts';
import type { Member } from '../../../../services/partnerships/members.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';

export const roleItems = ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], hint: { text: ROLE_DESCRIPTIONS[r] } }));

export const base = (request: FastifyRequest) => `/partnerships/${request.access!.partnership.id}/users`;
export const crumbs = (request: FastifyRequest) => [
  { text: 'Home', href: '/' },
  { text: request.access!.partnership.name, href: `/partnerships/${request.access!.partnership.id}` },
  { text: 'Users', href: base(request) },
];
export const userId = (request: FastifyRequest) => assertValidId((request.params as { userId: string }).userId, 'User');

/** One user's page (role and removal), with the values entered and the problems when a change was refused. */
export function memberPage(
  request: FastifyRequest,
  reply: FastifyReply,
  member: Member,
  values: Record<string, unknown>,
  errors?: unknown,
  status = 200,
) {
  return reply.render(
    'features/users/member.njk',
    { title: member.name, section: 'users', breadcrumbs: crumbs(request), member, roleItems, values, errors, base: base(request) },
    status,
  );
}

/** The form to add or invite someone. */
export function invitePage(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors?: unknown, status = 200) {
  return reply.render(
    'features/users/invite.njk',
    { title: 'Add a user', section: 'users', breadcrumbs: crumbs(request), roleItems, values, errors, action: `${base(request)}/invite` },
    status,
  );
}
