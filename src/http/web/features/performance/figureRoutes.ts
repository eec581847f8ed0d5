/** Figures: the entry grid for a financial year (every indicator, each period of its frequency) and the CSV/XLSX upload. */
import { liveIndicatorsIn } from '../../../../services/performance/retirement.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { actorOf, type AppServices } from '../../../context.ts';
import type { Database, Figure, Indicator } from '../../../../adapters/database/schema.ts';
import { label, listIndicators } from '../../../../services/performance/indicators.ts';
import { enterFigures, listPartnershipFigures, readFigureFile, type FigureProblem } from '../../../../services/performance/figures.ts';
import { ValidationError, type FieldError } from '../../../../domain/errors.ts';
import {
  comparePeriods,
  financialYearKey,
  financialYearOfMonth,
  formatPeriodLabel,
  monthsOfFinancialYear,
  parseFinancialYear,
  quarterKey,
} from '../../../../domain/index.ts';
import { FREQUENCY_LABELS, PERIOD_EXAMPLES } from '../../../../presentation/labels.ts';
import type { UploadedFile } from '../../../multipart.ts';
import { base, crumbs, pid } from './shared.ts';

/** Periods of a financial year for an indicator's frequency. */
function periodsOfYear(frequency: Indicator['frequency'], fy: string): string[] {
  if (frequency === 'annual') return [fy];
  if (frequency === 'quarterly') return [1, 2, 3, 4].map((q) => quarterKey(parseFinancialYear(fy), q));
  return monthsOfFinancialYear(fy);
}

/** The form field of one cell of the grid. */
const cellName = (indicatorId: number, period: string) => `f-${indicatorId}-${period.replace(/[^0-9A-Za-z]/g, '_')}`;

/** The financial year asked for, else the one of the latest figure, else this one. */
function gridYear(asked: string, figures: Figure[]): string {
  try {
    return financialYearKey(parseFinancialYear(asked));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
  }
  const latest = [...figures].sort((a, b) => comparePeriods(b.period, a.period))[0];
  if (!latest) return financialYearKey(new Date().getFullYear() - (new Date().getMonth() < 3 ? 1 : 0));
  if (latest.period.includes('/') || latest.period.includes('Q')) return financialYearKey(Number(latest.period.slice(0, 4)));
  return financialYearOfMonth(latest.period);
}

async function renderGrid(
  k: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  extra: Record<string, unknown> = {},
  status = 200,
) {
  const query = request.query as { year?: string };
  const [indicators, figures] = await Promise.all([listIndicators(k, pid(request)), listPartnershipFigures(k, pid(request))]);
  const fy = gridYear(typeof extra.year === 'string' ? extra.year : (query.year ?? ''), figures);
  const current = new Map(figures.map((f) => [`${f.indicator_id}|${f.period}`, f.value]));
  const submitted = (extra.values ?? {}) as Record<string, string>;
  const rows = liveIndicatorsIn(indicators, fy).map((i) => ({
    id: i.id,
    label: label(i),
    frequency: FREQUENCY_LABELS[i.frequency],
    cells: periodsOfYear(i.frequency, fy).map((period) => {
      const name = cellName(i.id, period);
      const saved = current.get(`${i.id}|${period}`);
      return {
        name,
        period,
        label: formatPeriodLabel(period),
        value: name in submitted ? submitted[name] : saved === undefined ? '' : String(saved),
      };
    }),
  }));
  const start = parseFinancialYear(fy);
  return reply.render(
    'features/performance/figures.njk',
    {
      title: 'Enter figures',
      section: 'figures',
      breadcrumbs: crumbs(request),
      year: fy,
      previousYear: financialYearKey(start - 1),
      nextYear: financialYearKey(start + 1),
      rows,
      base: base(request),
      examples: PERIOD_EXAMPLES,
      ...extra,
    },
    status,
  );
}

type GridCell = { name: string; indicatorId: number; period: string; value: string };

/** The filled-in cells of the grid for a financial year. */
function gridCells(indicators: Indicator[], fy: string, body: Record<string, string>): GridCell[] {
  const cells: GridCell[] = [];
  for (const i of indicators)
    for (const period of periodsOfYear(i.frequency, fy)) {
      const name = cellName(i.id, period);
      const value = typeof body[name] === 'string' ? body[name].trim() : '';
      if (value !== '') cells.push({ name, indicatorId: i.id, period, value });
    }
  return cells;
}

/** Each problem of the grid's figures on the cell it is about, naming the indicator and period. */
function gridErrors(e: ValidationError, cells: GridCell[], indicators: Indicator[]): FieldError[] {
  return e.errors.map((err) => {
    const problem = err as FigureProblem;
    const cell = cells[(problem.row ?? 1) - 1];
    if (!cell || problem.row === undefined) return { field: 'grid', message: err.message };
    const i = indicators.find((x) => x.id === cell.indicatorId)!;
    return {
      field: cell.name,
      message: `${label(i)}, ${formatPeriodLabel(cell.period)}: ${err.message.replace(/^Row \d+, column "[^"]+": /, '')}`,
    };
  });
}

const savedText = (r: { created: number; revised: number; unchanged: number }) =>
  `${r.created} new figure${r.created === 1 ? '' : 's'}, ${r.revised} revised, ${r.unchanged} unchanged`;

export function figureRoutes(app: FastifyInstance, { db }: AppServices): void {
  const k = db.kysely;

  app.get('/partnerships/:partnershipId/figures', { config: { auth: 'figure.write' } }, async (request, reply) =>
    renderGrid(k, request, reply),
  );

  app.post('/partnerships/:partnershipId/figures', { config: { auth: 'figure.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    let fy: string;
    try {
      fy = financialYearKey(parseFinancialYear(String(body.year ?? '')));
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      return renderGrid(k, request, reply, { errors: [{ field: 'year', message: 'Choose the financial year, like 2009/10' }] }, 400);
    }
    const indicators = await listIndicators(k, pid(request));
    const cells = gridCells(indicators, fy, body);
    try {
      const rows = cells.map((c, index) => ({ row: index + 1, indicatorId: c.indicatorId, period: c.period, value: c.value }));
      const result = await enterFigures(k, actorOf(request.user!), pid(request), rows, { fieldPrefix: 'grid' });
      return reply.flash(`Saved: ${savedText(result)}`).redirect(`${base(request)}/figures?year=${encodeURIComponent(fy)}`, 303);
    } catch (e) {
      if (e instanceof ValidationError)
        return renderGrid(k, request, reply, { year: fy, values: body, errors: gridErrors(e, cells, indicators) }, 400);
      throw e;
    }
  });

  app.post('/partnerships/:partnershipId/figures/upload', { config: { auth: 'figure.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string | UploadedFile>;
    const file = typeof body.file === 'object' ? body.file : null;
    try {
      if (!file || file.data.length === 0)
        throw new ValidationError([{ field: 'file', message: 'Choose a CSV or Excel (.xlsx) file of figures' }]);
      const rows = await readFigureFile(file.filename, file.data);
      const result = await enterFigures(k, actorOf(request.user!), pid(request), rows);
      return reply.flash(`${file.filename} uploaded: ${savedText(result)}`).redirect(`${base(request)}/performance`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const problems = e.errors.map((err) => ({ ...err, field: 'file' }));
      const uploadProblems = e.errors.filter((x) => (x as FigureProblem).row !== undefined);
      return renderGrid(k, request, reply, { errors: problems, uploadProblems, uploadName: file?.filename }, 400);
    }
  });
}
