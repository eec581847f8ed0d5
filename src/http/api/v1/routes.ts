/**
 * JSON API under /api/v1: everything the pages can do, with the same services and the same authorisation
 * (a personal API token acts as its owner). The OpenAPI document is generated from these route schemas.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import { actorOf, type AppServices } from '../../context.ts';
import type { Organisation } from '../../../adapters/database/schema.ts';
import { assertValidId, createPartnership, getPartnership, partnershipsForUser, updatePartnership, type PartnershipDetails } from '../../../services/partnerships/partnerships.ts';
import { createOrganisation, deleteOrganisation, getOrganisation, listOrganisations, updateOrganisation } from '../../../services/partnerships/organisations.ts';
import { changeRole, getMember, inviteUser, listMembers, removeMember } from '../../../services/partnerships/members.ts';
import { listAudit } from '../../../services/platform/audit.ts';
import { createToken, listTokens, revokeToken, type ApiTokenSummary } from '../../../services/identity/apiTokens.ts';
import { publicUser } from '../../../services/identity/users.ts';
import * as s from './schemas.ts';
import { planApiRoutes } from './plans.ts';
import { performanceApi } from './performance.ts';
import { commentaryApi } from './commentary.ts';
import { transferApi } from './transfer.ts';
import { planDocumentApi } from './planDocuments.ts';
import { documentApi } from './documents.ts';
import { assessmentApi } from './assessment.ts';

const bearer = [{ bearerAuth: [] }];

function partnershipJson(p: PartnershipDetails, role?: string) {
  return {
    id: p.id,
    name: p.name,
    slug: p.slug,
    areaDescription: p.area_description,
    financialYearStartMonth: p.fy_start_month,
    role,
    populations: p.populations,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

function organisationJson(o: Organisation) {
  return { id: o.id, partnershipId: o.partnership_id, name: o.name, type: o.type, description: o.description, createdAt: o.created_at, updatedAt: o.updated_at };
}

function tokenJson(t: ApiTokenSummary) {
  return { id: t.id, name: t.name, prefix: t.prefix, createdAt: t.created_at, lastUsedAt: t.last_used_at, revokedAt: t.revoked_at };
}

const pid = (r: FastifyRequest) => r.access!.partnership.id;
const param = (r: FastifyRequest, name: string, what: string) => assertValidId((r.params as Record<string, string>)[name], what);

export async function apiRoutes(app: FastifyInstance, { db, config }: AppServices): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'CSP Hub API', version: '1.0.0', description: 'Planning and performance data of Community Safety Partnerships. Authenticate with a personal API token created on your account page.' },
      servers: [{ url: config.baseUrl }],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'A personal API token (csphub_...)' } } },
      security: bearer,
    },
    hideUntagged: true,
  });

  app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  const k = db.kysely;

  app.get('/me', { config: { auth: 'signed-in' }, schema: { tags: ['Account'], summary: 'The user the token belongs to' } }, async (r) => {
    const u = publicUser(r.user!);
    return { id: u.id, email: u.email, name: u.name, isPlatformAdmin: u.is_platform_admin === 1 };
  });

  app.get('/tokens', { config: { auth: 'signed-in' }, schema: { tags: ['Account'], summary: 'Your personal API tokens', response: { 200: { type: 'array', items: s.apiToken } } } }, async (r) =>
    (await listTokens(k, r.user!.id)).map(tokenJson),
  );
  app.post(
    '/tokens',
    {
      config: { auth: 'signed-in' },
      schema: { tags: ['Account'], summary: 'Create a personal API token (the token is returned once)', body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string' } } }, response: { 201: { type: 'object', properties: { token: { type: 'string' }, summary: s.apiToken } }, ...s.errors } },
    },
    async (r, reply) => {
      const { token, summary } = await createToken(k, r.user!, (r.body as { name: string }).name);
      return reply.code(201).send({ token, summary: tokenJson(summary) });
    },
  );
  app.delete('/tokens/:tokenId', { config: { auth: 'signed-in' }, schema: { tags: ['Account'], summary: 'Revoke a personal API token', params: { type: 'object', properties: { tokenId: s.idParam } }, response: { 204: { type: 'null' }, ...s.errors } } }, async (r, reply) => {
    await revokeToken(k, r.user!, param(r, 'tokenId', 'API token'));
    return reply.code(204).send();
  });

  app.get('/partnerships', { config: { auth: 'signed-in' }, schema: { tags: ['Partnerships'], summary: 'The partnerships you belong to, with your role', response: { 200: { type: 'array', items: s.partnership } } } }, async (r) => {
    const mine = await partnershipsForUser(k, r.user!);
    return Promise.all(mine.map(async (p) => partnershipJson(await getPartnership(k, p.id), p.role)));
  });

  app.post('/partnerships', { config: { auth: 'platform-admin' }, schema: { tags: ['Partnerships'], summary: 'Create a partnership (platform administrators)', body: s.partnershipInput, response: { 201: s.partnership, ...s.errors } } }, async (r, reply) => {
    const p = await createPartnership(k, actorOf(r.user!), r.user, r.body as never);
    return reply.code(201).send(partnershipJson(p, 'admin'));
  });

  const pParams = { type: 'object', properties: { partnershipId: s.idParam } } as const;
  app.get('/partnerships/:partnershipId', { config: { auth: 'partnership.read' }, schema: { tags: ['Partnerships'], summary: 'A partnership', params: pParams, response: { 200: s.partnership, ...s.errors } } }, async (r) =>
    partnershipJson(r.access!.partnership, r.access!.role),
  );

  app.put('/partnerships/:partnershipId', { config: { auth: 'partnership.update' }, schema: { tags: ['Partnerships'], summary: 'Update a partnership (administrators)', params: pParams, body: s.partnershipInput, response: { 200: s.partnership, ...s.errors } } }, async (r) =>
    partnershipJson(await updatePartnership(k, actorOf(r.user!), pid(r), r.body as never), r.access!.role),
  );

  const oParams = { type: 'object', properties: { partnershipId: s.idParam, organisationId: s.idParam } } as const;
  app.get('/partnerships/:partnershipId/organisations', { config: { auth: 'partnership.read' }, schema: { tags: ['Organisations'], summary: 'Partner organisations', params: pParams, response: { 200: { type: 'array', items: s.organisation }, ...s.errors } } }, async (r) =>
    (await listOrganisations(k, pid(r))).map(organisationJson),
  );
  app.post('/partnerships/:partnershipId/organisations', { config: { auth: 'organisation.write' }, schema: { tags: ['Organisations'], summary: 'Add a partner organisation', params: pParams, body: s.organisationInput, response: { 201: s.organisation, ...s.errors } } }, async (r, reply) =>
    reply.code(201).send(organisationJson(await createOrganisation(k, actorOf(r.user!), pid(r), r.body as never))),
  );
  app.get('/partnerships/:partnershipId/organisations/:organisationId', { config: { auth: 'partnership.read' }, schema: { tags: ['Organisations'], summary: 'A partner organisation', params: oParams, response: { 200: s.organisation, ...s.errors } } }, async (r) =>
    organisationJson(await getOrganisation(k, pid(r), param(r, 'organisationId', 'Organisation'))),
  );
  app.put('/partnerships/:partnershipId/organisations/:organisationId', { config: { auth: 'organisation.write' }, schema: { tags: ['Organisations'], summary: 'Update a partner organisation', params: oParams, body: s.organisationInput, response: { 200: s.organisation, ...s.errors } } }, async (r) =>
    organisationJson(await updateOrganisation(k, actorOf(r.user!), pid(r), param(r, 'organisationId', 'Organisation'), r.body as never)),
  );
  app.delete('/partnerships/:partnershipId/organisations/:organisationId', { config: { auth: 'organisation.write' }, schema: { tags: ['Organisations'], summary: 'Remove a partner organisation', params: oParams, response: { 204: { type: 'null' }, ...s.errors } } }, async (r, reply) => {
    await deleteOrganisation(k, actorOf(r.user!), pid(r), param(r, 'organisationId', 'Organisation'));
    return reply.code(204).send();
  });

  const uParams = { type: 'object', properties: { partnershipId: s.idParam, userId: s.idParam } } as const;
  app.get('/partnerships/:partnershipId/users', { config: { auth: 'member.manage' }, schema: { tags: ['Users'], summary: 'Users of the partnership and their roles', params: pParams, response: { 200: { type: 'array', items: s.member }, ...s.errors } } }, async (r) =>
    listMembers(k, pid(r)),
  );
  app.post(
    '/partnerships/:partnershipId/users',
    {
      config: { auth: 'member.manage' },
      schema: {
        tags: ['Users'],
        summary: 'Add an existing user, or invite a new one (the invitation link is returned once)',
        params: pParams,
        body: { type: 'object', required: ['email', 'name', 'role'], additionalProperties: false, properties: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', enum: [...s.member.properties.role.enum] } } },
        response: { 201: { type: 'object', properties: { kind: { type: 'string', enum: ['added', 'invited'] }, member: s.member, invitationLink: { type: 'string' }, expiresAt: { type: 'string' } } }, ...s.errors },
      },
    },
    async (r, reply) => {
      const result = await inviteUser(k, actorOf(r.user!), r.user!, pid(r), r.body as never);
      if (result.kind === 'added') return reply.code(201).send({ kind: 'added', member: result.member });
      return reply.code(201).send({ kind: 'invited', invitationLink: `${config.baseUrl}/invitations/${result.token}`, expiresAt: result.invitation.expiresAt });
    },
  );
  app.put(
    '/partnerships/:partnershipId/users/:userId',
    { config: { auth: 'member.manage' }, schema: { tags: ['Users'], summary: "Change a user's role", params: uParams, body: { type: 'object', required: ['role'], additionalProperties: false, properties: { role: { type: 'string' } } }, response: { 200: s.member, ...s.errors } } },
    async (r) => changeRole(k, actorOf(r.user!), pid(r), param(r, 'userId', 'User'), (r.body as { role: string }).role),
  );
  app.get('/partnerships/:partnershipId/users/:userId', { config: { auth: 'member.manage' }, schema: { tags: ['Users'], summary: 'A user of the partnership', params: uParams, response: { 200: s.member, ...s.errors } } }, async (r) =>
    getMember(k, pid(r), param(r, 'userId', 'User')),
  );
  app.delete('/partnerships/:partnershipId/users/:userId', { config: { auth: 'member.manage' }, schema: { tags: ['Users'], summary: 'Remove a user from the partnership', params: uParams, response: { 204: { type: 'null' }, ...s.errors } } }, async (r, reply) => {
    await removeMember(k, actorOf(r.user!), pid(r), param(r, 'userId', 'User'));
    return reply.code(204).send();
  });

  app.get(
    '/partnerships/:partnershipId/audit',
    {
      config: { auth: 'audit.read' },
      schema: {
        tags: ['Audit'],
        summary: 'The audit trail, newest first',
        params: pParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            entityType: { type: 'string' },
            action: { type: 'string', enum: ['create', 'update', 'delete'] },
            actor: { type: 'string' },
            from: { type: 'string', format: 'date' },
            to: { type: 'string', format: 'date' },
            page: { type: 'integer', minimum: 1 },
            pageSize: { type: 'integer', minimum: 1, maximum: 200 },
          },
        },
        response: { 200: { type: 'object', properties: { total: { type: 'integer' }, page: { type: 'integer' }, pageCount: { type: 'integer' }, events: { type: 'array', items: s.auditEvent } } }, ...s.errors },
      },
    },
    async (r) => {
      const q = r.query as Record<string, string | number | undefined>;
      const result = await listAudit(k, { partnershipId: pid(r), ...q, page: Number(q.page ?? 1), pageSize: Number(q.pageSize ?? 50) });
      return {
        total: result.total,
        page: result.page,
        pageCount: result.pageCount,
        events: result.events.map((e) => ({
          id: e.id,
          createdAt: e.created_at,
          actor: e.actor,
          action: e.action,
          entityType: e.entity_type,
          entityId: e.entity_id,
          summary: e.summary,
          before: e.before_json ? (JSON.parse(e.before_json) as unknown) : null,
          after: e.after_json ? (JSON.parse(e.after_json) as unknown) : null,
        })),
      };
    },
  );

  await performanceApi(app, { db });
  await commentaryApi(app, { db });
  await planApiRoutes(app, { db });
  await transferApi(app, { db });
  await planDocumentApi(app, { db });
  await documentApi(app, { db });
  await assessmentApi(app, { db });
}

export type { PartnershipDetails };
