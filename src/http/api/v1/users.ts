/** The users of a partnership and their roles: add or invite, change a role, remove (its administrators). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import { changeRole, getMember, inviteUser, listMembers, removeMember } from '../../../services/partnerships/members.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import * as s from './schemas.ts';

const pid = (r: FastifyRequest) => r.access!.partnership.id;
const param = (r: FastifyRequest, name: string, what: string) => assertValidId((r.params as Record<string, string>)[name], what);
const pParams = { type: 'object', properties: { partnershipId: s.idParam } } as const;

export async function userApi(app: FastifyInstance, { db, config }: Pick<AppServices, 'db' | 'config'>): Promise<void> {
  const k = db.kysely;
  const uParams = { type: 'object', properties: { partnershipId: s.idParam, userId: s.idParam } } as const;
  app.get(
    '/partnerships/:partnershipId/users',
    {
      config: { auth: 'member.manage' },
      schema: {
        tags: ['Users'],
        summary: 'Users of the partnership and their roles',
        params: pParams,
        response: { 200: { type: 'array', items: s.member }, ...s.errors },
      },
    },
    async (r) => listMembers(k, pid(r)),
  );
  app.post(
    '/partnerships/:partnershipId/users',
    {
      config: { auth: 'member.manage' },
      schema: {
        tags: ['Users'],
        summary: 'Add an existing user, or invite a new one (the invitation link is returned once)',
        params: pParams,
        body: {
          type: 'object',
          required: ['email', 'name', 'role'],
          additionalProperties: false,
          properties: {
            email: { type: 'string' },
            name: { type: 'string' },
            role: { type: 'string', enum: [...s.member.properties.role.enum] },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              kind: { type: 'string', enum: ['added', 'invited'] },
              member: s.member,
              invitationLink: { type: 'string' },
              expiresAt: { type: 'string' },
            },
          },
          ...s.errors,
        },
      },
    },
    async (r, reply) => {
      const result = await inviteUser(k, actorOf(r.user!), r.user!, pid(r), r.body as never, { baseUrl: config.baseUrl });
      if (result.kind === 'added') return reply.code(201).send({ kind: 'added', member: result.member });
      return reply
        .code(201)
        .send({ kind: 'invited', invitationLink: `${config.baseUrl}/invitations/${result.token}`, expiresAt: result.invitation.expiresAt });
    },
  );
  app.put(
    '/partnerships/:partnershipId/users/:userId',
    {
      config: { auth: 'member.manage' },
      schema: {
        tags: ['Users'],
        summary: "Change a user's role",
        params: uParams,
        body: { type: 'object', required: ['role'], additionalProperties: false, properties: { role: { type: 'string' } } },
        response: { 200: s.member, ...s.errors },
      },
    },
    async (r) => changeRole(k, actorOf(r.user!), pid(r), param(r, 'userId', 'User'), (r.body as { role: string }).role),
  );
  app.get(
    '/partnerships/:partnershipId/users/:userId',
    {
      config: { auth: 'member.manage' },
      schema: { tags: ['Users'], summary: 'A user of the partnership', params: uParams, response: { 200: s.member, ...s.errors } },
    },
    async (r) => getMember(k, pid(r), param(r, 'userId', 'User')),
  );
  app.delete(
    '/partnerships/:partnershipId/users/:userId',
    {
      config: { auth: 'member.manage' },
      schema: {
        tags: ['Users'],
        summary: 'Remove a user from the partnership',
        params: uParams,
        response: { 204: { type: 'null' }, ...s.errors },
      },
    },
    async (r, reply) => {
      await removeMember(k, actorOf(r.user!), pid(r), param(r, 'userId', 'User'));
      return reply.code(204).send();
    },
  );
}
