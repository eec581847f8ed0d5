/** The collection calendar of every indicator (due, overdue, received) and the completeness score pages. */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../../adapters/database/schema.ts';
import { completenessReport, completenessWindow, partnershipCollection } from '../../../../services/cycle/collection.ts';
import { ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { formatPeriodLabel } from '../../../../domain/index.ts';
import type { Completeness } from '../../../../domain/collection.ts';
import { base, crumbs, expectedView, pid } from './shared.ts';

function percentText(share: number | null): string {
  return share === null ? 'Nothing due yet' : `${share.toLocaleString('en-GB')}%`;
}
const scoreText = (c: Completeness) => percentText(c.score);
const receivedText = (c: Completeness) => percentText(c.receivedShare);

/** The collection calendar of every indicator. */
export function collectionRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get('/partnerships/:partnershipId/collection', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const c = await partnershipCollection(k, pid(request));
    return reply.render('features/cycle/collection.njk', {
      title: 'Figures due and overdue',
      section: 'performance',
      breadcrumbs: crumbs(request, [{ text: 'Performance', href: `${base(request)}/performance` }]),
      base: base(request),
      collection: c,
      rows: c.indicators.map((i) => ({
        ...i,
        ownerLabel: i.ownerName ?? (i.ownerText || 'No owner'),
        nextView: i.next ? expectedView(i.next) : null,
        overdueLabels: i.expected.filter((f) => f.status === 'overdue').map((f) => formatPeriodLabel(f.period)),
      })),
    });
  });
}

/** The completeness score per owner, organisation, indicator and for the partnership. */
export function completenessRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get('/partnerships/:partnershipId/completeness', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const q = request.query as { from?: unknown; to?: unknown };
    let window: { from: string; to: string };
    let errors: FieldError[] | undefined;
    try {
      window = completenessWindow(q);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      errors = e.errors;
      window = completenessWindow({});
    }
    const report = await completenessReport(k, pid(request), window);
    const rowsOf = (list: { name: string; completeness: Completeness }[]) =>
      list.map((r) => ({ ...r, scoreText: scoreText(r.completeness), receivedText: receivedText(r.completeness) }));
    return reply.render(
      'features/cycle/completeness.njk',
      {
        title: 'Data completeness',
        section: 'performance',
        breadcrumbs: crumbs(request, [{ text: 'Performance', href: `${base(request)}/performance` }]),
        base: base(request),
        report,
        // The dates used, or the boxes as typed when they were refused.
        values: errors ? { from: q.from, to: q.to } : window,
        errors,
        partnershipScore: scoreText(report.partnership),
        partnershipReceived: receivedText(report.partnership),
        owners: rowsOf(report.owners),
        organisations: rowsOf(report.organisations),
        indicators: rowsOf(report.indicators),
      },
      errors ? 400 : 200,
    );
  });
}
