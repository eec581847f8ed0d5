/**
 * The evidence base from official data (ADR 0028): the partnership's Home Office counts by offence group and year
 * with the change, its rate per 1,000 with the population estimate named; its CSP and peer group (settings); and the
 * comparison with its peers as a funnel plot with the same figures as a table.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../../adapters/database/schema.ts';
import { actorOf, type AppServices } from '../../../context.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { financialYearLabel } from '../../../../domain/officialData.ts';
import {
  getOfficialLink,
  listCsps,
  officialCounts,
  peerComparison,
  populationSourceText,
  saveOfficialLink,
  suggestCsp,
} from '../../../../services/evidence/officialData.ts';
import { formatNumber } from '../../../../presentation/charts/index.ts';
import { FUNNEL_LEGEND, funnelChart, funnelTable } from '../../../../presentation/charts/funnelChart.ts';
import { assessmentBase, assessmentCrumbs } from './pageParts.ts';

const changeText = (n: number | null) => (n === null ? 'No change figure' : `${n > 0 ? '+' : ''}${formatNumber(n, 1)}%`);

export async function officialRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  officialCountRoutes(app, k);
  peerRoutes(app, k);
  officialSettingsRoutes(app, k);
}

/** The partnership's Home Office counts by offence group and year, and its rates per 1,000. */
function officialCountRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get('/partnerships/:partnershipId/assessment/official', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const c = await officialCounts(k, request.access!.partnership.id);
    return reply.render('features/assessment/official.njk', {
      title: 'Official recorded crime (Home Office)',
      section: 'assessment',
      breadcrumbs: assessmentCrumbs(request),
      base: assessmentBase(request),
      c,
      rows: (c?.rows ?? []).map((r) => ({ group: r.group, counts: r.counts.map((n) => formatNumber(n, 0)), change: changeText(r.change) })),
      rates: (c?.rates ?? []).map((r) => ({
        label: r.label,
        count: formatNumber(r.count, 0),
        population: r.population ? formatNumber(r.population.population, 0) : 'None',
        source: r.population ? populationSourceText(r.population) : 'No population: no rate',
        rate: r.rate === null ? 'No rate' : formatNumber(r.rate, 2),
      })),
    });
  });
}

/** The comparison with the peer group: a funnel plot and the same figures as a table. */
function peerRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get('/partnerships/:partnershipId/assessment/peers', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const cmp = await peerComparison(k, request.access!.partnership.id, { group: query.group, year: query.year });
    const f = cmp?.funnel ?? null;
    const subject = f?.points.find((p) => p.isSubject) ?? null;
    const what = cmp ? `${cmp.group}, ${cmp.yearLabel}` : '';
    return reply.render('features/assessment/peers.njk', {
      title: 'Compare with peer partnerships',
      section: 'assessment',
      breadcrumbs: assessmentCrumbs(request),
      base: assessmentBase(request),
      cmp,
      subject,
      summary:
        subject && f && cmp
          ? `${cmp.cspName}: ${formatNumber(subject.rate, 2)} per 1,000 against a group average of ${formatNumber(f.average, 2)}; ${subject.significance}; ranked ${subject.rank} of ${f.points.length} (1 = highest rate).`
          : null,
      populationText: cmp ? `Populations: ONS mid-${cmp.populationYears.join(', mid-')} estimates` : '',
      groupItems: (cmp?.groups ?? []).map((g) => ({ value: g, text: g, selected: g === cmp?.group })),
      yearItems: (cmp?.years ?? []).map((y) => ({ value: String(y), text: financialYearLabel(y), selected: y === cmp?.year })),
      chartSvg:
        f && cmp
          ? funnelChart({ funnel: f, title: `${what}: rate per 1,000 people against population`, yLabel: 'Per 1,000 people', id: 'funnel' })
          : '',
      legend: FUNNEL_LEGEND,
      table: f && cmp ? funnelTable(f, `${what}: the group's rates, limits and ranks`, 'funnel-table') : '',
      peers: (cmp?.peers ?? []).map((p) => ({ name: p.name, distance: p.distance === null ? '' : formatNumber(p.distance, 2) })),
    });
  });
}

async function settingsPage(
  k: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  values: Record<string, unknown>,
  errors: unknown[] = [],
  status = 200,
) {
  const csps = await listCsps(k);
  const chosen = typeof values.cspName === 'string' ? values.cspName : '';
  return reply.render(
    'features/assessment/official-settings.njk',
    {
      title: 'Home Office CSP and peer group',
      section: 'assessment',
      breadcrumbs: assessmentCrumbs(request),
      action: `${assessmentBase(request)}/official/settings`,
      noTable: csps.length === 0,
      cspItems: [
        { value: '', text: 'Choose a CSP' },
        ...csps.map((c) => ({ value: c.name, text: `${c.name} (${c.force})`, selected: c.name === chosen })),
      ],
      methodItems: [
        {
          value: 'computed',
          text: 'The most similar CSPs, computed',
          hint: { text: 'The 15 CSPs nearest in population and density (ONS estimates)' },
          checked: values.peerMethod !== 'chosen',
        },
        { value: 'chosen', text: 'CSPs chosen by hand', checked: values.peerMethod === 'chosen' },
      ],
      values,
      errors,
    },
    status,
  );
}

/** The partnership's Home Office CSP and its peer group. */
function officialSettingsRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get('/partnerships/:partnershipId/assessment/official/settings', { config: { auth: 'assessment.write' } }, async (request, reply) => {
    const link = await getOfficialLink(k, request.access!.partnership.id);
    const suggested = link ? link.cspName : suggestCsp(request.access!.partnership.name, await listCsps(k));
    return settingsPage(k, request, reply, {
      cspName: suggested ?? '',
      peerMethod: link?.peerMethod ?? 'computed',
      peers: link?.peers.join('\n') ?? '',
    });
  });

  app.post(
    '/partnerships/:partnershipId/assessment/official/settings',
    { config: { auth: 'assessment.write' } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string>;
      try {
        await saveOfficialLink(k, actorOf(request.user!), request.access!.partnership.id, body);
        return reply.flash('The CSP and peer group have been saved').redirect(`${assessmentBase(request)}/peers`, 303);
      } catch (e) {
        if (e instanceof ValidationError) return settingsPage(k, request, reply, body, e.errors, 400);
        throw e;
      }
    },
  );
}
