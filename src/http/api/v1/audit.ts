/** A partnership's audit trail, filtered and paged, newest first (its administrators). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppServices } from '../../context.ts';
import { auditFilterDates, listAudit } from '../../../services/platform/audit.ts';
import * as s from './schemas.ts';

const pid = (r: FastifyRequest) => r.access!.partnership.id;
const pParams = { type: 'object', properties: { partnershipId: s.idParam } } as const;

export async function auditApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
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
            from: { type: 'string', description: 'First day of changes, YYYY-MM-DD (or 27 March 2026)' },
            to: { type: 'string', description: 'Last day of changes, YYYY-MM-DD (or 27 March 2026)' },
            page: { type: 'integer', minimum: 1 },
            pageSize: { type: 'integer', minimum: 1, maximum: 200 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              total: { type: 'integer' },
              page: { type: 'integer' },
              pageCount: { type: 'integer' },
              events: { type: 'array', items: s.auditEvent },
            },
          },
          ...s.errors,
        },
      },
    },
    async (r) => {
      const q = r.query as Record<string, string | number | undefined>;
      // Dates are read as on the page: a wrong one is refused (400) naming its wrong parts.
      const dates = auditFilterDates(q);
      const result = await listAudit(k, {
        partnershipId: pid(r),
        ...q,
        from: undefined,
        to: undefined,
        ...dates,
        page: Number(q.page ?? 1),
        pageSize: Number(q.pageSize ?? 50),
      });
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
}
