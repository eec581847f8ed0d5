/** The audit trail of a partnership, filtered and paged, for its administrators. */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { auditFilterDates, listAudit } from '../../../../services/platform/audit.ts';
import { ValidationError, type FieldError } from '../../../../domain/errors.ts';

export async function auditRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  app.get('/partnerships/:partnershipId/audit', { config: { auth: 'audit.read' } }, async (request, reply) => {
    const q = (request.query ?? {}) as Record<string, string | undefined>;
    const { partnership } = request.access!;
    // The dates are GOV.UK date inputs (folded into one field each); a wrong one is named and not applied.
    let dates: { from?: string; to?: string } = {};
    let errors: FieldError[] | undefined;
    try {
      dates = auditFilterDates(q);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      errors = e.errors;
    }
    const filters = {
      entityType: q.entityType || undefined,
      action: q.action || undefined,
      actor: q.actor || undefined,
      from: dates.from,
      to: dates.to,
    };
    const result = await listAudit(db.kysely, { partnershipId: partnership.id, ...filters, page: Number(q.page) || 1 });
    const qs = (page: number) => {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(filters)) if (v) p.set(k, v);
      p.set('page', String(page));
      return `?${p.toString()}`;
    };
    return reply.render(
      'features/audit/list.njk',
      {
        title: 'Audit trail',
        section: 'audit',
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: partnership.name, href: `/partnerships/${partnership.id}` },
        ],
        result,
        filters,
        values: { from: q.from ?? filters.from, to: q.to ?? filters.to },
        errors,
        previous: result.page > 1 ? { href: qs(result.page - 1) } : undefined,
        next: result.page < result.pageCount ? { href: qs(result.page + 1) } : undefined,
      },
      errors ? 400 : 200,
    );
  });
}
