/**
 * The strategic assessment page: the area and the police.uk data held, and for the 12-month window chosen the
 * counts, rates, change and its significance, the monthly trend, seasonality, hotspots and outcomes, each chart
 * with its table. Loaded through the same service as the API and the document (loadAnalysis, here cached).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { loadAnalysisCached, type LoadedAnalysis } from '../../../../services/assessment/assessmentAnalysis.ts';
import { windowLabel, type StrategicAssessment } from '../../../../domain/crimeAssessment.ts';
import type { CalendarMonthProfile } from '../../../../domain/seasonality.ts';
import { formatPeriodLabel } from '../../../../domain/index.ts';
import { chartTable, renderPageChart, tableForChart } from '../../../../presentation/charts/index.ts';
import {
  changeRow,
  crimeTypesChart,
  hotspotsChart,
  monthlyTrendChart,
  outcomeRows,
  seasonalityChart,
  seasonalityRows,
  topDecileShareText,
  decileRows,
  deprivationChart,
  deprivationSummary,
  hexMapText,
  hexRows,
  MAP_KIND_LABELS,
} from '../../../../presentation/assessmentCharts.ts';
import { hexLegend, hexMapSvg } from '../../../../presentation/charts/hexMap.ts';
import { choroplethView } from '../../../../presentation/lsoaMap.ts';
import { fingertipsChart, fingertipsRows, roadsChart } from '../../../../presentation/sourceCharts.ts';
import { fillFromFingertips, type AreaSources } from '../../../../services/evidence/areaSources.ts';
import { listLiveIndicators } from '../../../../services/performance/retirement.ts';
import { assessmentBase, assessmentCrumbs, monthItems } from './pageParts.ts';

export async function analysisRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const overview = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) => {
    const query = request.query as { end?: unknown; map?: unknown };
    // Cached under the partnership's data version and the police.uk and official data imported (decision 0053).
    const loaded = await loadAnalysisCached(db.kysely, app.crimeData, request.access!.partnership, query.end, {
      map: query.map,
      version: request.access!.version,
    });
    return reply.render(
      'features/assessment/overview.njk',
      {
        title: 'Strategic assessment',
        section: 'assessment',
        breadcrumbs: assessmentCrumbs(request).slice(0, 2),
        base: assessmentBase(request),
        ...overviewView(loaded),
        sources: loaded.sources ? sourcesView(loaded.sources) : null,
        // The indicators still reported now, as every picker offers them (one retired after a later year still is).
        annualIndicators: (await listLiveIndicators(db.kysely, request.access!.partnership.id))
          .filter((i) => i.frequency === 'annual')
          .map((i) => ({ value: String(i.id), text: i.code ? `${i.code} ${i.title}` : i.title })),
        ...extra,
      },
      status,
    );
  };
  app.get('/partnerships/:partnershipId/assessment', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    overview(request, reply),
  );

  // An annual indicator's figures filled from a Fingertips series of the area (ADR 0046): checked and audited as any entry.
  app.post('/partnerships/:partnershipId/assessment/fingertips/fill', { config: { auth: 'figure.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    const partnershipId = request.access!.partnership.id;
    try {
      const r = await fillFromFingertips(db.kysely, actorOf(request.user!), partnershipId, body);
      const skipped = r.skipped.length ? `; not entered: ${r.skipped.map((x) => `${x.timePeriod} (${x.reason})`).join(', ')}` : '';
      return reply
        .flash(
          `Filled from Fingertips indicator ${String(body.fingertipsIndicatorId)}: ${r.created} entered, ${r.revised} revised, ${r.unchanged} unchanged${skipped}`,
        )
        .redirect(`/partnerships/${partnershipId}/indicators/${Number(body.indicatorId)}`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return overview(request, reply, { errors: e.errors }, 400);
      throw e;
    }
  });
}

/** The area, the data held and the window chooser; the figures when there is an assessment. */
function overviewView(loaded: LoadedAnalysis): Record<string, unknown> {
  const { area, months, forces, end, errors, assessment, gap } = loaded;
  const first = months.at(-1);
  return {
    area,
    months: monthItems(months, end),
    forces,
    firstMonth: first ? formatPeriodLabel(first) : null,
    lastMonth: months[0] ? formatPeriodLabel(months[0]) : null,
    errors,
    assessment,
    gap,
    ...(assessment
      ? { ...figuresView(assessment, loaded.seasonality), ...evidenceView(loaded, assessment) }
      : { window: null, totals: [], byType: [], missingMonths: [], hotspots: null, outcomes: [] }),
  };
}

/** Crime and ASB by deprivation decile, and the density map of the kind chosen, each with its table. */
function evidenceView(loaded: LoadedAnalysis, a: StrategicAssessment): Record<string, unknown> {
  const window = windowLabel(a.current.from, a.current.to);
  const p = loaded.deprivation?.profile ?? null;
  const grid = loaded.hexMap;
  const mapText = grid ? hexMapText(grid, loaded.mapKind, window) : null;
  const ch = loaded.choropleth;
  return {
    choropleth: ch
      ? {
          boundariesHeld: ch.boundariesHeld,
          view: ch.map ? choroplethView(ch.map, loaded.mapKind, window, ch.populationSources, 'lsoa-map') : null,
        }
      : null,
    deprivation: p
      ? {
          summary: deprivationSummary(p),
          svg: renderPageChart(deprivationChart(p, window, 'deprivation')),
          rows: decileRows(p),
        }
      : null,
    hexMap:
      grid && mapText
        ? {
            kind: loaded.mapKind,
            kindItems: (['crime', 'asb'] as const).map((k) => ({ value: k, text: MAP_KIND_LABELS[k], checked: k === loaded.mapKind })),
            svg: grid.hexagons.length ? hexMapSvg({ grid, id: 'density-map', ...mapText }) : '',
            ...mapText,
            legend: hexLegend(grid),
            rows: hexRows(grid),
            shown: Math.min(15, grid.hexagons.length),
            hexagons: grid.hexagons.length,
          }
        : null,
  };
}

/** The figures of the window: the change tables, the charts with their tables, seasonality, hotspots and outcomes. */
function figuresView(a: StrategicAssessment, seasonality: CalendarMonthProfile[]): Record<string, unknown> {
  const trend = monthlyTrendChart(a, 'trend');
  const hotspots = hotspotsChart(a, 'hotspots');
  const hasHotspots = a.hotspots.top.length > 0;
  return {
    window: { current: windowLabel(a.current.from, a.current.to), previous: windowLabel(a.previous.from, a.previous.to) },
    totals: a.totals.map(changeRow),
    byType: a.byCrimeType.map(changeRow),
    missingMonths: a.missingMonths.map(formatPeriodLabel),
    hotspots: { count: a.hotspots.topDecileCount, lsoas: a.hotspots.lsoaCount, share: topDecileShareText(a) },
    outcomes: outcomeRows(a),
    trendSvg: renderPageChart(trend),
    trendTable: chartTable({ ...tableForChart(trend), captionSize: 's' }),
    hotspotSvg: hasHotspots ? renderPageChart(hotspots) : '',
    hotspotTable: hasHotspots ? chartTable({ ...tableForChart(hotspots), captionSize: 's' }) : '',
    typesSvg: renderPageChart(crimeTypesChart(a, 'types')),
    seasonalitySvg: renderPageChart(seasonalityChart(seasonality, 'seasonality')),
    seasonalityRows: seasonalityRows(seasonality),
  };
}

/** Fingertips series and KSI collisions of the area's local authorities, each chart with its table (ADR 0046). */
export function sourcesView(s: AreaSources): Record<string, unknown> {
  return {
    authorities: s.authorities,
    unmatched: s.unmatched,
    fingertipsHeld: s.fingertipsHeld,
    fingertips: s.fingertips.map((series, i) => ({
      ...series,
      key: `${series.indicatorId}-${series.areaCode}`,
      svg: renderPageChart(fingertipsChart(series, `fingertips-${i}`)),
      rows: fingertipsRows(series),
    })),
    roads: s.roads
      ? {
          yearsHeld: s.roads.yearsHeld,
          svg: renderPageChart(roadsChart(s.roads.years, 'roads')),
          rows: s.roads.years.map((y) => ({
            ...y,
            text: Object.fromEntries(
              Object.entries(y).map(([k, v]) => [k, k === 'year' ? String(v) : (v as number).toLocaleString('en-GB')]),
            ),
          })),
        }
      : null,
  };
}
