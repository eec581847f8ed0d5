/**
 * Every part of a plan version over the API (priorities, objectives, activities and their progress updates, themes,
 * governance groups, resources, risks, engagement, the calendar, links, funding streams and allocations): list and
 * add under a parent, read, change and remove, each with schemas generated from the part's fields.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import {
  createPart,
  deletePart,
  getPart,
  listParts,
  PARENT_PARAM,
  PARENT_PATH,
  PART_KINDS,
  PART_PARAM,
  PART_SPECS,
  partJson,
  themePriorityIds,
  updatePart,
  versionOfParent,
  type PartRow,
} from '../../../services/plans/planParts.ts';
import { errors } from './schemas.ts';
import { partInputSchema, partOutputSchema } from './planSchemas.ts';
import { planParam, planParams, pid, TAG } from './planRequest.ts';

export async function planPartApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  for (const kind of PART_KINDS) {
    const spec = PART_SPECS[kind];
    const idName = PART_PARAM[kind];
    const parentName = PARENT_PARAM[spec.parent];
    const listUrl = `/partnerships/:partnershipId/${PARENT_PATH[spec.parent]}/${spec.segment}`;
    const itemUrl = `/partnerships/:partnershipId/${spec.segment}/:${idName}`;
    const output = partOutputSchema(spec);
    const input = partInputSchema(spec);
    const json = async (r: FastifyRequest, x: PartRow) =>
      partJson(spec, x, kind === 'theme' ? await themePriorityIds(k, pid(r), x.id) : undefined);
    const plural = spec.plural.charAt(0).toUpperCase() + spec.plural.slice(1);

    app.get(
      listUrl,
      {
        config: { auth: 'partnership.read' },
        schema: {
          tags: [TAG],
          summary: `${plural}`,
          params: planParams(parentName),
          response: { 200: { type: 'array', items: output }, ...errors },
        },
      },
      async (r) => {
        const parentId = planParam(r, parentName, 'Parent');
        await versionOfParent(k, pid(r), spec.parent, parentId);
        return Promise.all((await listParts(k, pid(r), kind, parentId)).map((x) => json(r, x)));
      },
    );
    app.post(
      listUrl,
      {
        config: { auth: spec.action },
        schema: {
          tags: [TAG],
          summary: `Add ${spec.noun}`,
          params: planParams(parentName),
          body: input,
          response: { 201: output, ...errors },
        },
      },
      async (r, reply) => {
        const created = await createPart(
          k,
          actorOf(r.user!),
          pid(r),
          kind,
          planParam(r, parentName, 'Parent'),
          r.body as Record<string, unknown>,
        );
        return reply.code(201).send(await json(r, created));
      },
    );
    app.get(
      itemUrl,
      {
        config: { auth: 'partnership.read' },
        schema: { tags: [TAG], summary: `A ${spec.noun}`, params: planParams(idName), response: { 200: output, ...errors } },
      },
      async (r) => json(r, await getPart(k, pid(r), kind, planParam(r, idName, spec.noun))),
    );
    app.put(
      itemUrl,
      {
        config: { auth: spec.action },
        schema: {
          tags: [TAG],
          summary: `Change ${spec.noun}`,
          params: planParams(idName),
          body: input,
          response: { 200: output, ...errors },
        },
      },
      async (r) =>
        json(r, await updatePart(k, actorOf(r.user!), pid(r), kind, planParam(r, idName, spec.noun), r.body as Record<string, unknown>)),
    );
    app.delete(
      itemUrl,
      {
        config: { auth: spec.action },
        schema: { tags: [TAG], summary: `Remove ${spec.noun}`, params: planParams(idName), response: { 204: { type: 'null' }, ...errors } },
      },
      async (r, reply) => {
        await deletePart(k, actorOf(r.user!), pid(r), kind, planParam(r, idName, spec.noun));
        return reply.code(204).send();
      },
    );
  }
}
