/** The partner organisations of a partnership: list and read (its members), add, update and remove (editors). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import type { Organisation } from '../../../adapters/database/schema.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import {
  createOrganisation,
  deleteOrganisation,
  getOrganisation,
  listOrganisations,
  updateOrganisation,
} from '../../../services/partnerships/organisations.ts';
import * as s from './schemas.ts';

function organisationJson(o: Organisation) {
  return {
    id: o.id,
    partnershipId: o.partnership_id,
    name: o.name,
    type: o.type,
    description: o.description,
    createdAt: o.created_at,
    updatedAt: o.updated_at,
  };
}

const pid = (r: FastifyRequest) => r.access!.partnership.id;
const param = (r: FastifyRequest, name: string, what: string) => assertValidId((r.params as Record<string, string>)[name], what);
const pParams = { type: 'object', properties: { partnershipId: s.idParam } } as const;

export async function organisationApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;

  const oParams = { type: 'object', properties: { partnershipId: s.idParam, organisationId: s.idParam } } as const;
  app.get(
    '/partnerships/:partnershipId/organisations',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: ['Organisations'],
        summary: 'Partner organisations',
        params: pParams,
        response: { 200: { type: 'array', items: s.organisation }, ...s.errors },
      },
    },
    async (r) => (await listOrganisations(k, pid(r))).map(organisationJson),
  );
  app.post(
    '/partnerships/:partnershipId/organisations',
    {
      config: { auth: 'organisation.write' },
      schema: {
        tags: ['Organisations'],
        summary: 'Add a partner organisation',
        params: pParams,
        body: s.organisationInput,
        response: { 201: s.organisation, ...s.errors },
      },
    },
    async (r, reply) => reply.code(201).send(organisationJson(await createOrganisation(k, actorOf(r.user!), pid(r), r.body as never))),
  );
  app.get(
    '/partnerships/:partnershipId/organisations/:organisationId',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: ['Organisations'],
        summary: 'A partner organisation',
        params: oParams,
        response: { 200: s.organisation, ...s.errors },
      },
    },
    async (r) => organisationJson(await getOrganisation(k, pid(r), param(r, 'organisationId', 'Organisation'))),
  );
  app.put(
    '/partnerships/:partnershipId/organisations/:organisationId',
    {
      config: { auth: 'organisation.write' },
      schema: {
        tags: ['Organisations'],
        summary: 'Update a partner organisation',
        params: oParams,
        body: s.organisationInput,
        response: { 200: s.organisation, ...s.errors },
      },
    },
    async (r) =>
      organisationJson(await updateOrganisation(k, actorOf(r.user!), pid(r), param(r, 'organisationId', 'Organisation'), r.body as never)),
  );
  app.delete(
    '/partnerships/:partnershipId/organisations/:organisationId',
    {
      config: { auth: 'organisation.write' },
      schema: {
        tags: ['Organisations'],
        summary: 'Remove a partner organisation',
        params: oParams,
        response: { 204: { type: 'null' }, ...s.errors },
      },
    },
    async (r, reply) => {
      await deleteOrganisation(k, actorOf(r.user!), pid(r), param(r, 'organisationId', 'Organisation'));
      return reply.code(204).send();
    },
  );
}
