/** Partnerships (the tenants): those you belong to, one partnership, creating (platform administrators) and updating. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import {
  createPartnership,
  partnershipDetailsForUser,
  updatePartnership,
  type PartnershipDetails,
} from '../../../services/partnerships/partnerships.ts';
import * as s from './schemas.ts';

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

const pid = (r: FastifyRequest) => r.access!.partnership.id;
const pParams = { type: 'object', properties: { partnershipId: s.idParam } } as const;

export async function partnershipApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;

  app.get(
    '/partnerships',
    {
      config: { auth: 'signed-in' },
      schema: {
        tags: ['Partnerships'],
        summary: 'The partnerships you belong to, with your role',
        response: { 200: { type: 'array', items: s.partnership } },
      },
    },
    async (r) => {
      const mine = await partnershipDetailsForUser(k, r.user!);
      return mine.map((p) => partnershipJson(p, p.role));
    },
  );

  app.post(
    '/partnerships',
    {
      config: { auth: 'platform-admin' },
      schema: {
        tags: ['Partnerships'],
        summary: 'Create a partnership (platform administrators)',
        body: s.partnershipInput,
        response: { 201: s.partnership, ...s.errors },
      },
    },
    async (r, reply) => {
      const p = await createPartnership(k, actorOf(r.user!), r.user, r.body as never);
      return reply.code(201).send(partnershipJson(p, 'admin'));
    },
  );

  app.get(
    '/partnerships/:partnershipId',
    {
      config: { auth: 'partnership.read' },
      schema: { tags: ['Partnerships'], summary: 'A partnership', params: pParams, response: { 200: s.partnership, ...s.errors } },
    },
    async (r) => partnershipJson(r.access!.partnership, r.access!.role),
  );

  app.put(
    '/partnerships/:partnershipId',
    {
      config: { auth: 'partnership.update' },
      schema: {
        tags: ['Partnerships'],
        summary: 'Update a partnership (administrators)',
        params: pParams,
        body: s.partnershipInput,
        response: { 200: s.partnership, ...s.errors },
      },
    },
    async (r) => partnershipJson(await updatePartnership(k, actorOf(r.user!), pid(r), r.body as never), r.access!.role),
  );
}
