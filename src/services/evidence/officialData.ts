/**
 * The evidence base from the official tables (ADR 0028): a partnership's Home Office CSP and peer group (saved,
 * audited), its official counts by offence group and year, the populations its rates use (ONS estimates when
 * imported, else those typed in), and the comparison with its peers as a funnel (src/domain/peerGroups.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { nowIso } from '../../adapters/clock.ts';
import { lockRows } from '../../adapters/database/concurrency.ts';
import { ALL_OFFENCES, areaNameKey, financialYearLabel, groupChangeTable, type GroupChangeRow } from '../../domain/officialData.ts';
import { funnel, mostSimilar, type Funnel, type PeerCandidate } from '../../domain/peerGroups.ts';
import { ratePer } from '../../domain/change.ts';
import { Validator } from '../../domain/errors.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';

/** Peers in a computed most-similar group; at most this many chosen by hand. */
export const MOST_SIMILAR_SIZE = 15;
export const MAX_CHOSEN_PEERS = 30;

export interface OfficialLink {
  cspName: string;
  peerMethod: 'computed' | 'chosen';
  peers: string[];
  updatedAt: string;
}

const lines = (s: string) => s.split('\n').filter((x) => x !== '');

export async function listCsps(db: Kysely<Database>): Promise<{ name: string; force: string }[]> {
  const rows = await db.selectFrom('official_csps').select(['name', 'force_name']).orderBy('name').execute();
  return rows.map((r) => ({ name: r.name, force: r.force_name }));
}

export async function getOfficialLink(db: Kysely<Database>, partnershipId: number): Promise<OfficialLink | null> {
  const row = await db.selectFrom('partnership_official_links').selectAll().where('partnership_id', '=', partnershipId).executeTakeFirst();
  return row ? { cspName: row.csp_name, peerMethod: row.peer_method, peers: lines(row.peers), updatedAt: row.updated_at } : null;
}

/** The CSP whose name the partnership's name contains (the longest such), as a suggestion: "Safer Rotherham" → Rotherham. */
export function suggestCsp(partnershipName: string, csps: readonly { name: string }[]): string | null {
  const key = ` ${areaNameKey(partnershipName)} `;
  let best: string | null = null;
  for (const c of csps) {
    const k = areaNameKey(c.name);
    if (k !== '' && key.includes(` ${k} `) && (best === null || k.length > areaNameKey(best).length)) best = c.name;
  }
  return best;
}

export interface OfficialLinkInput {
  cspName?: unknown;
  peerMethod?: unknown;
  peers?: unknown;
}

/** Saves the partnership's CSP and peer group; every name must be a CSP of the imported Home Office table. */
export async function saveOfficialLink(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  input: OfficialLinkInput,
): Promise<OfficialLink> {
  const v = new Validator();
  const known = new Map((await listCsps(db)).map((c) => [c.name.toLowerCase(), c.name]));
  const cspText = typeof input.cspName === 'string' ? input.cspName.trim() : '';
  const cspName = known.get(cspText.toLowerCase());
  if (known.size === 0)
    v.add('cspName', 'No Home Office table of crime by CSP has been imported yet: ask a platform administrator to import one');
  else if (cspText === '') v.add('cspName', 'Choose the Community Safety Partnership in the Home Office table');
  else if (!cspName) v.add('cspName', `"${cspText.slice(0, 100)}" is not a CSP in the Home Office table`);
  const method = input.peerMethod === 'chosen' ? 'chosen' : input.peerMethod === 'computed' ? 'computed' : null;
  if (!method)
    v.add('peerMethod', `Choose how the peer group is made (got "${typeof input.peerMethod === 'string' ? input.peerMethod : ''}")`);
  const peers: string[] = [];
  if (method === 'chosen') {
    const raw = Array.isArray(input.peers) ? input.peers.map(String).join('\n') : typeof input.peers === 'string' ? input.peers : '';
    raw.split(/\r?\n/).forEach((line, i) => {
      const t = line.trim();
      if (t === '') return;
      const name = known.get(t.toLowerCase());
      if (!name) v.add('peers', `Line ${i + 1}: "${t.slice(0, 100)}" is not a CSP in the Home Office table`);
      else if (name === cspName) v.add('peers', `Line ${i + 1}: "${t}" is the partnership's own CSP`);
      else if (!peers.includes(name)) peers.push(name);
    });
    if (peers.length === 0 && !v.errors.some((e) => e.field === 'peers')) v.add('peers', 'Give at least one peer CSP, one per line');
    if (peers.length > MAX_CHOSEN_PEERS) v.add('peers', `Give at most ${MAX_CHOSEN_PEERS} peers (got ${peers.length})`);
  }
  v.throwIfAny();
  const link: OfficialLink = { cspName: cspName!, peerMethod: method!, peers, updatedAt: nowIso() };
  return db.transaction().execute(async (trx) => {
    await lockRows(trx, 'partnerships', partnershipId);
    const before = await getOfficialLink(trx, partnershipId);
    const values = { csp_name: link.cspName, peer_method: link.peerMethod, peers: peers.join('\n'), updated_at: link.updatedAt };
    if (before) await trx.updateTable('partnership_official_links').set(values).where('partnership_id', '=', partnershipId).execute();
    else
      await trx
        .insertInto('partnership_official_links')
        .values({ partnership_id: partnershipId, ...values })
        .execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: before ? 'update' : 'create',
      entityType: 'official_link',
      entityId: partnershipId,
      summary: `Set the Home Office CSP to ${link.cspName} and the peer group to ${link.peerMethod === 'computed' ? 'the most similar CSPs' : `${peers.length} chosen CSPs`}`,
      before: before ? { cspName: before.cspName, peerMethod: before.peerMethod, peers: before.peers } : undefined,
      after: { cspName: link.cspName, peerMethod: link.peerMethod, peers },
    });
    return link;
  });
}

export interface AreaPopulation {
  population: number;
  /** The mid-year estimate used. */
  year: number;
  areaSqKm: number | null;
}

/**
 * ONS populations of CSPs by name (their local authority of the same name), for a year: the mid-year estimate of
 * that year, or else the latest earlier one (the year used is given).
 */
export async function cspPopulations(db: Kysely<Database>, year: number): Promise<Map<string, AreaPopulation>> {
  const rows = await db
    .selectFrom('official_populations')
    .select(['area_name', 'year', 'population', 'area_sq_km'])
    .where('year', '<=', year)
    .where('geography', '!=', 'LSOA')
    .orderBy('year')
    .execute();
  const out = new Map<string, AreaPopulation>();
  for (const r of rows) out.set(areaNameKey(r.area_name), { population: r.population, year: r.year, areaSqKm: r.area_sq_km });
  return out;
}

export interface RatePopulation {
  year: number;
  population: number;
  source: 'ons' | 'entered';
}

/**
 * The populations a partnership's rates use, by year: the ONS mid-year estimates of its CSP's area (its linked CSP,
 * or the local authorities of its assessment area added up) where imported, and the figures typed in for the other
 * years.
 */
export async function populationsForRates(db: Kysely<Database>, partnershipId: number): Promise<RatePopulation[]> {
  const typed = await db
    .selectFrom('partnership_populations')
    .select(['year', 'population'])
    .where('partnership_id', '=', partnershipId)
    .execute();
  const link = await getOfficialLink(db, partnershipId);
  let names: string[] = link ? [link.cspName] : [];
  if (names.length === 0) {
    const area = await db
      .withTables<{ assessment_areas: { partnership_id: number; local_authorities: string } }>()
      .selectFrom('assessment_areas')
      .select('local_authorities')
      .where('partnership_id', '=', partnershipId)
      .executeTakeFirst();
    names = area ? lines(area.local_authorities) : [];
  }
  const byYear = new Map<number, RatePopulation>(typed.map((t) => [t.year, { ...t, source: 'entered' as const }]));
  if (names.length) {
    const keys = new Set(names.map(areaNameKey));
    const rows = await db
      .selectFrom('official_populations')
      .select(['area_name', 'year', 'population'])
      .where('geography', '!=', 'LSOA')
      .execute();
    const sums = new Map<number, { total: number; found: Set<string> }>();
    for (const r of rows) {
      const k = areaNameKey(r.area_name);
      if (!keys.has(k)) continue;
      const s = sums.get(r.year) ?? { total: 0, found: new Set<string>() };
      if (!s.found.has(k)) {
        s.total += r.population;
        s.found.add(k);
      }
      sums.set(r.year, s);
    }
    for (const [year, s] of sums) if (s.found.size === keys.size) byYear.set(year, { year, population: s.total, source: 'ons' });
  }
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

/** "ONS mid-2022 estimate" or "entered for 2022". */
export function populationSourceText(p: RatePopulation): string {
  return p.source === 'ons' ? `ONS mid-${p.year} estimate` : `population entered for ${p.year}`;
}

export interface OfficialCounts {
  cspName: string;
  force: string;
  years: number[];
  yearLabels: string[];
  rows: GroupChangeRow[];
  /** All offences per 1,000 people by year, with the population and the estimate used; null without one. */
  rates: { year: number; label: string; count: number; population: RatePopulation | null; rate: number | null }[];
}

async function cspOf(db: Kysely<Database>, partnershipId: number) {
  const link = await getOfficialLink(db, partnershipId);
  if (!link) return null;
  const csp = await db.selectFrom('official_csps').select(['id', 'name', 'force_name']).where('name', '=', link.cspName).executeTakeFirst();
  return csp ? { link, csp } : null;
}

/** The partnership's official counts by offence group and financial year, with the change in the last year; null without a CSP. */
export async function officialCounts(db: Kysely<Database>, partnershipId: number): Promise<OfficialCounts | null> {
  const found = await cspOf(db, partnershipId);
  if (!found) return null;
  const rows = await db
    .selectFrom('official_crime_counts as c')
    .innerJoin('official_offences as o', 'o.id', 'c.offence_id')
    .select(['o.offence_group as group', 'c.financial_year as year', (eb) => eb.fn.sum<number | string>('c.count').as('count')])
    .where('c.csp_id', '=', found.csp.id)
    .groupBy(['o.offence_group', 'c.financial_year'])
    .execute();
  const table = groupChangeTable(rows.map((r) => ({ group: r.group, year: r.year, count: Number(r.count) })));
  const populations = await populationsForRates(db, partnershipId);
  const all = table.rows.find((r) => r.group === ALL_OFFENCES);
  return {
    cspName: found.csp.name,
    force: found.csp.force_name,
    years: table.years,
    yearLabels: table.years.map(financialYearLabel),
    rows: table.rows,
    rates: table.years.map((year, i) => {
      const population = [...populations].reverse().find((p) => p.year <= year) ?? null;
      const count = all?.counts[i] ?? 0;
      return { year, label: financialYearLabel(year), count, population, rate: population ? ratePer(count, population.population) : null };
    }),
  };
}

export interface PeerComparison {
  cspName: string;
  method: 'computed' | 'chosen';
  /** The features of the most-similar method (computed groups). */
  features: string[];
  peers: { name: string; distance: number | null }[];
  /** Peers left out: no population for the year, or not in the table any more. */
  missing: string[];
  groups: string[];
  group: string;
  years: number[];
  year: number;
  yearLabel: string;
  /** The mid-year estimates used (usually the year the financial year starts in). */
  populationYears: number[];
  funnel: Funnel | null;
}

/**
 * The partnership's rate for an offence group (or all offences) in a financial year against its peer group as a
 * funnel; null without a CSP or any counts.
 */
export async function peerComparison(
  db: Kysely<Database>,
  partnershipId: number,
  request: { group?: unknown; year?: unknown },
): Promise<PeerComparison | null> {
  const found = await cspOf(db, partnershipId);
  if (!found) return null;
  const years = (await db.selectFrom('official_crime_counts').select('financial_year').distinct().orderBy('financial_year').execute()).map(
    (r) => r.financial_year,
  );
  if (years.length === 0) return null;
  const groups = [
    ALL_OFFENCES,
    ...(await db.selectFrom('official_offences').select('offence_group').distinct().orderBy('offence_group').execute()).map(
      (r) => r.offence_group,
    ),
  ];
  const group = typeof request.group === 'string' && groups.includes(request.group) ? request.group : ALL_OFFENCES;
  const asked = Number(request.year);
  const year = years.includes(asked) ? asked : years.at(-1)!;

  const populations = await cspPopulations(db, year);
  const csps = await db.selectFrom('official_csps').select(['id', 'name']).execute();
  const withPopulation = csps.filter((c) => populations.has(areaNameKey(c.name)));
  let peers: { name: string; distance: number | null }[];
  let features: string[] = [];
  const missing: string[] = [];
  if (found.link.peerMethod === 'computed') {
    const candidates: PeerCandidate[] = withPopulation.map((c) => {
      const p = populations.get(areaNameKey(c.name))!;
      return { name: c.name, population: p.population, areaSqKm: p.areaSqKm };
    });
    const similar = mostSimilar(found.csp.name, candidates, MOST_SIMILAR_SIZE);
    features = similar.features;
    peers = similar.peers;
  } else {
    peers = found.link.peers.map((name) => ({ name, distance: null }));
  }
  const ids = new Map(csps.map((c) => [c.name, c.id]));
  const members = [found.csp.name, ...peers.map((p) => p.name)].filter((n) => {
    const ok = ids.has(n) && populations.has(areaNameKey(n));
    if (!ok) missing.push(n);
    return ok;
  });
  let q = db
    .selectFrom('official_crime_counts as c')
    .select(['c.csp_id as cspId', (eb) => eb.fn.sum<number | string>('c.count').as('count')])
    .where('c.financial_year', '=', year)
    .where(
      'c.csp_id',
      'in',
      members.map((n) => ids.get(n)!),
    )
    .groupBy('c.csp_id');
  if (group !== ALL_OFFENCES)
    q = q.where('c.offence_id', 'in', (eb) => eb.selectFrom('official_offences').select('id').where('offence_group', '=', group));
  const counts = new Map((await q.execute()).map((r) => [r.cspId, Number(r.count)]));
  const usedYears = new Set<number>();
  const f =
    members.length > 0
      ? funnel(
          members.map((name) => {
            const p = populations.get(areaNameKey(name))!;
            usedYears.add(p.year);
            return { name, count: counts.get(ids.get(name)!) ?? 0, population: p.population, isSubject: name === found.csp.name };
          }),
        )
      : null;
  return {
    cspName: found.csp.name,
    method: found.link.peerMethod,
    features,
    peers,
    missing,
    groups,
    group,
    years,
    year,
    yearLabel: financialYearLabel(year),
    populationYears: [...usedYears].sort(),
    funnel: f,
  };
}

const nameKey = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * The Home Office offence group an indicator measures, matched by name: its title is the group's name or contains
 * it ("Violence against the person", "SR 2 Robbery offences"), or it counts all recorded crime ("All offences",
 * "Total recorded crime"). Null when nothing matches: the indicator page then shows no peer comparison.
 */
export function offenceGroupOf(indicatorTitle: string, groups: readonly string[]): string | null {
  const title = ` ${nameKey(indicatorTitle)} `;
  if (/ (all offences|total recorded crime|all recorded crime) /.test(title)) return ALL_OFFENCES;
  const matches = groups.filter((g) => g !== ALL_OFFENCES && title.includes(` ${nameKey(g)} `));
  // The longest name that matches: "Theft offences" before "Theft".
  return matches.sort((a, b) => b.length - a.length)[0] ?? null;
}

/** The peer comparison (latest year) of the offence group an indicator measures; null without a CSP, counts or a matching group. */
export async function indicatorPeerComparison(
  db: Kysely<Database>,
  partnershipId: number,
  indicatorTitle: string,
): Promise<PeerComparison | null> {
  if (!(await getOfficialLink(db, partnershipId))) return null;
  const groups = (await db.selectFrom('official_offences').select('offence_group').distinct().execute()).map((r) => r.offence_group);
  const group = offenceGroupOf(indicatorTitle, groups);
  if (group === null) return null;
  const cmp = await peerComparison(db, partnershipId, { group });
  return cmp && cmp.group === group && cmp.funnel ? cmp : null;
}
