/** My figures: what is the signed-in person's to do, and one form for all their figures. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../../adapters/database/schema.ts';
import { actorOf } from '../../../context.ts';
import { myWork } from '../../../../services/cycle/collection.ts';
import { enterFigures, readFigureFile, type FigureProblem } from '../../../../services/performance/figures.ts';
import { CSV_TYPE, toCsv } from '../../../../presentation/tables/tableExport.ts';
import { attachment } from '../../../../presentation/documents/document.ts';
import { registerMultipart, type UploadedFile } from '../../../multipart.ts';
import { ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { formatPeriodLabel } from '../../../../domain/index.ts';
import { base, crumbs, expectedView, pid, str } from './shared.ts';

async function myFigures(
  k: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  values?: Record<string, string>,
  errors?: FieldError[],
  status = 200,
  extra: Record<string, unknown> = {},
) {
  const work = await myWork(k, pid(request), request.user!.id);
  const periodFilter = str((request.query as { period?: unknown }).period);
  const figures = work.figures
    .filter((f) => !periodFilter || f.period === periodFilter)
    .map((f, index) => ({ ...expectedView(f), row: index + 1, field: `value-${f.indicatorId}-${f.period.replace(' ', '_')}` }));
  return reply.render(
    'features/cycle/my-figures.njk',
    {
      title: 'My figures',
      section: 'my-figures',
      breadcrumbs: crumbs(request),
      base: base(request),
      work,
      figures,
      periods: [...new Set(work.figures.map((f) => f.period))].map((p) => ({
        value: p,
        text: formatPeriodLabel(p),
        selected: p === periodFilter,
      })),
      periodFilter,
      overdue: work.figures.filter((f) => f.status === 'overdue').length,
      values: values ?? {},
      errors,
      ...extra,
    },
    status,
  );
}

/** The form's filled-in inputs (value-<indicator>-<period>) as the values to show again and the rows to save. */
function figureRows(body: Record<string, unknown>) {
  const values: Record<string, string> = {};
  const rows: { row: number; indicatorId: string; period: string; value: string }[] = [];
  let row = 0;
  for (const [key, raw] of Object.entries(body)) {
    const m = /^value-(\d{1,9})-(.+)$/.exec(key);
    if (!m) continue;
    row += 1;
    const value = str(raw).trim();
    values[key] = value;
    if (value !== '') rows.push({ row, indicatorId: m[1]!, period: m[2]!.replace('_', ' '), value });
  }
  return { values, rows };
}

/** My figures: the list and the one form to enter them all. */
export function myFiguresRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get('/partnerships/:partnershipId/my-figures', { config: { auth: 'figure.write' } }, async (request, reply) =>
    myFigures(k, request, reply),
  );
  app.post('/partnerships/:partnershipId/my-figures', { config: { auth: 'figure.write' } }, async (request, reply) => {
    const { values, rows } = figureRows((request.body ?? {}) as Record<string, unknown>);
    try {
      const result = await enterFigures(k, actorOf(request.user!), pid(request), rows, { fieldPrefix: 'figure' });
      return reply
        .flash(`${result.created + result.revised} figure${result.created + result.revised === 1 ? '' : 's'} saved`)
        .redirect(`${base(request)}/my-figures`, 303);
    } catch (e) {
      if (e instanceof ValidationError) {
        // The grid's field names (figure-<row>-value) point at the form's inputs.
        const byRow = new Map(rows.map((r) => [r.row, `value-${r.indicatorId}-${r.period.replace(' ', '_')}`]));
        const errors = e.errors.map((x) => {
          const m = /^figure-(\d+)-/.exec(x.field);
          return m && byRow.has(Number(m[1])) ? { ...x, field: byRow.get(Number(m[1]))! } : x;
        });
        return myFigures(k, request, reply, values, errors, 400);
      }
      throw e;
    }
  });

  // The CSV template: one row per figure of theirs still to come, to fill in and upload back.
  app.get('/partnerships/:partnershipId/my-figures/template.csv', { config: { auth: 'figure.write' } }, async (request, reply) => {
    const work = await myWork(k, pid(request), request.user!.id);
    const byId = new Map(work.indicators.map((i) => [i.indicatorId, i]));
    const csv = toCsv({
      title: 'My figures',
      columns: ['indicator', 'title', 'period', 'due', 'value', 'numerator', 'denominator', 'note', 'source'].map((header) => ({
        header,
        type: 'text' as const,
      })),
      rows: work.figures.map((f) => [
        byId.get(f.indicatorId)?.code ?? '',
        byId.get(f.indicatorId)?.title ?? '',
        f.period,
        f.dueDate,
        '',
        '',
        '',
        '',
        '',
      ]),
    });
    return reply
      .type(CSV_TYPE)
      .header('Content-Disposition', attachment(`my-figures-${work.today}.csv`))
      .send(csv);
  });

  // The filled-in template (or any figures file): the rows with a value are saved, all or nothing. Multipart
  // bodies are read only in this route's own scope.
  void app.register(async (scope) => {
    registerMultipart(scope);
    scope.post('/partnerships/:partnershipId/my-figures/upload', { config: { auth: 'figure.write' } }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string | UploadedFile>;
      const file = typeof body.file === 'object' ? body.file : null;
      try {
        if (!file || file.data.length === 0)
          throw new ValidationError([{ field: 'file', message: 'Choose the filled-in template (CSV) or an Excel (.xlsx) file' }]);
        const rows = (await readFigureFile(file.filename, file.data)).filter(
          (r) => !(r.value === undefined || r.value === null || (typeof r.value === 'string' && r.value.trim() === '')),
        );
        if (rows.length === 0)
          throw new ValidationError([
            { field: 'file', message: `${file.filename} has no values filled in: enter them in the value column` },
          ]);
        const result = await enterFigures(k, actorOf(request.user!), pid(request), rows);
        return reply
          .flash(
            `${file.filename} uploaded: ${result.created + result.revised} figure${result.created + result.revised === 1 ? '' : 's'} saved`,
          )
          .redirect(`${base(request)}/my-figures`, 303);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        const uploadProblems = e.errors.filter((x) => (x as FigureProblem).row !== undefined);
        return myFigures(
          k,
          request,
          reply,
          {},
          e.errors.map((x) => ({ ...x, field: 'file' })),
          400,
          { uploadProblems, uploadName: file?.filename },
        );
      }
    });
  });
}
