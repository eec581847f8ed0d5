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
  parsePeriodKey,
  periodKey,
  quarterKey,
  readPeriodText,
} from '../../../../domain/index.ts';
import { recentPeriods } from '../../../../domain/collection.ts';
import { FRACTION_SCALE } from '../../../../domain/figureIntervals.ts';
import { nowIso } from '../../../../adapters/clock.ts';
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

/** How many recent periods the grid of one indicator shows, the latest first. */
const RECENT_PERIODS = 8;
const PERIOD_KIND_FREQUENCY = { month: 'monthly', quarter: 'quarterly', financial_year: 'annual' } as const;

/**
 * The grid's rows and each row's periods: by default a financial year of every indicator; `indicator` gives one
 * indicator's latest periods (several periods of one indicator); `period` one period of every indicator of that
 * frequency, the user's own indicators first.
 */
function gridLayout(indicators: Indicator[], fy: string, ask: { indicator?: string; period?: string }, userId: number) {
  const today = nowIso().slice(0, 10);
  const one = indicators.find((i) => String(i.id) === ask.indicator);
  if (one) return { view: 'indicator', rows: [{ i: one, periods: recentPeriods(today, one.frequency, RECENT_PERIODS) }] };
  let period: string | null = null;
  try {
    period = ask.period ? periodKey(readPeriodText(ask.period)) : null;
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
  }
  if (period) {
    const frequency = PERIOD_KIND_FREQUENCY[parsePeriodKey(period).kind];
    const own = (i: Indicator) => (i.owner_user_id === userId ? 0 : 1);
    const rows = liveIndicatorsIn(indicators, financialYearOfPeriod(period))
      .filter((i) => i.frequency === frequency)
      .sort((a, b) => own(a) - own(b))
      .map((i) => ({ i, periods: [period] }));
    return { view: 'period', period, rows };
  }
  return { view: 'year', rows: liveIndicatorsIn(indicators, fy).map((i) => ({ i, periods: periodsOfYear(i.frequency, fy) })) };
}

const financialYearOfPeriod = (period: string) => {
  const p = parsePeriodKey(period);
  return p.kind === 'month' ? financialYearOfMonth(period) : financialYearKey(p.kind === 'quarter' ? p.financialYearStart : p.startYear);
};

async function renderGrid(
  k: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  extra: Record<string, unknown> = {},
  status = 200,
) {
  const query = request.query as { year?: string; indicator?: string; period?: string };
  const [indicators, figures] = await Promise.all([listIndicators(k, pid(request)), listPartnershipFigures(k, pid(request))]);
  const fy = gridYear(typeof extra.year === 'string' ? extra.year : (query.year ?? ''), figures);
  const current = new Map(figures.map((f) => [`${f.indicator_id}|${f.period}`, f]));
  const submitted = (extra.values ?? {}) as Record<string, string>;
  const ask = {
    indicator: (extra.indicator as string | undefined) ?? query.indicator,
    period: (extra.period as string | undefined) ?? query.period,
  };
  const layout = gridLayout(indicators, fy, ask, request.user!.id);
  const today = nowIso().slice(0, 10);
  const shown = (name: string, saved: number | null | undefined) =>
    name in submitted ? submitted[name] : saved === undefined || saved === null ? '' : String(saved);
  const rows = layout.rows.map(({ i, periods }) => ({
    id: i.id,
    label: label(i),
    frequency: FREQUENCY_LABELS[i.frequency],
    // A percentage or a rate may record its numerator and denominator (decision 0041).
    fraction:
      FRACTION_SCALE[i.unit] === undefined
        ? null
        : i.unit === 'percentage'
          ? { n: 'number counted', d: 'out of' }
          : { n: 'events', d: 'population' },
    cells: periods.map((period) => {
      const name = cellName(i.id, period);
      const saved = current.get(`${i.id}|${period}`);
      return {
        name,
        period,
        label: formatPeriodLabel(period),
        value: shown(name, saved?.value),
        numerator: shown(`${name}-n`, saved?.numerator),
        denominator: shown(`${name}-d`, saved?.denominator),
        key: `${i.id}|${period}`,
      };
    }),
  }));
  const latest = {
    month: recentPeriods(today, 'monthly', 1)[0]!,
    quarter: recentPeriods(today, 'quarterly', 1)[0]!,
    year: recentPeriods(today, 'annual', 1)[0]!,
  };
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
      view: layout.view,
      cellKeys: rows.flatMap((r) => r.cells.map((c) => c.key)).join(';'),
      gridPeriod: layout.view === 'period' ? formatPeriodLabel((layout as { period: string }).period) : null,
      periodKeyAsked: layout.view === 'period' ? (layout as { period: string }).period : null,
      latest: Object.fromEntries(Object.entries(latest).map(([kind, key]) => [kind, { key, label: formatPeriodLabel(key) }])),
      base: base(request),
      examples: PERIOD_EXAMPLES,
      ...extra,
    },
    status,
  );
}

type GridCell = { name: string; indicatorId: number; period: string; value: string; numerator: string; denominator: string };

/** A cell of the grid as filled in (its value and, for a percentage or a rate, numerator and denominator), or null when blank. */
function filledCell(body: Record<string, unknown>, name: string, indicatorId: number, period: string): GridCell | null {
  const read = (n: string) => (typeof body[n] === 'string' ? body[n].trim() : '');
  const cell = { name, indicatorId, period, value: read(name), numerator: read(`${name}-n`), denominator: read(`${name}-d`) };
  return cell.value === '' && cell.numerator === '' && cell.denominator === '' ? null : cell;
}

/** The filled-in cells of the grid for a financial year. */
function gridCells(indicators: Indicator[], fy: string, body: Record<string, string>): GridCell[] {
  const cells: GridCell[] = [];
  for (const i of indicators)
    for (const period of periodsOfYear(i.frequency, fy)) {
      const cell = filledCell(body, cellName(i.id, period), i.id, period);
      if (cell) cells.push(cell);
    }
  return cells;
}

/** The filled-in cells the form listed (`cells` = "indicatorId|period;..."), for the grids of one indicator or one period. */
function listedCells(indicators: Indicator[], body: Record<string, unknown>): GridCell[] {
  const listed = String(body.cells).split(';');
  const cells: GridCell[] = [];
  for (const key of listed) {
    const [id, period] = key.split('|') as [string, string | undefined];
    const i = indicators.find((x) => String(x.id) === id);
    if (!i || period === undefined) continue;
    const cell = filledCell(body, cellName(i.id, period), i.id, period);
    if (cell) cells.push(cell);
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
      field: problem.column === 'numerator' ? `${cell.name}-n` : problem.column === 'denominator' ? `${cell.name}-d` : cell.name,
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
    const cells = typeof body.cells === 'string' ? listedCells(indicators, body) : gridCells(indicators, fy, body);
    try {
      const rows = cells.map((c, index) => ({
        row: index + 1,
        indicatorId: c.indicatorId,
        period: c.period,
        value: c.value,
        numerator: c.numerator,
        denominator: c.denominator,
      }));
      const result = await enterFigures(k, actorOf(request.user!), pid(request), rows, { fieldPrefix: 'grid' });
      return reply.flash(`Saved: ${savedText(result)}`).redirect(`${base(request)}/figures?year=${encodeURIComponent(fy)}`, 303);
    } catch (e) {
      if (e instanceof ValidationError)
        return renderGrid(
          k,
          request,
          reply,
          { year: fy, indicator: body.indicator, period: body.period, values: body, errors: gridErrors(e, cells, indicators) },
          400,
        );
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
