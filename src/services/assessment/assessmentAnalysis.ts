/**
 * The strategic assessment of a partnership as the pages, the API and the assessment document all load it: the
 * police.uk months held, the window chosen (the 12 months to `end`, else to the latest month held), the 12-month
 * analysis, the seasonality profile, the ranked priority-setting matrix and the comparison with chosen areas.
 * The records are grouped by the police.uk store (src/adapters/crimeStore/queries.ts) and every figure is made by
 * src/domain; which window is shown is decided by one rule (`chooseWindowEnd`) for every page, the API and the
 * document.
 */
import { areaSources, type AreaSources } from '../evidence/areaSources.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import type { CrimeData } from './crimeData.ts';
import type { CrimeStore } from '../../adapters/crimeStore/store.ts';
import { listImportedFiles } from '../../adapters/crimeStore/store.ts';
import { strategicAssessment } from './strategicAssessment.ts';
import { seasonalProfile } from './seasonality.ts';
import { compareAreas, type ComparisonArea } from './comparison.ts';
import { rankIssues, type ScoredIssue } from '../../domain/priorityMatrix.ts';
import {
  assessmentGap,
  chooseWindowEnd,
  populationFor,
  windowLabel,
  type AssessmentGap,
  type StrategicAssessment,
} from '../../domain/crimeAssessment.ts';
import { todayIso } from '../../adapters/clock.ts';
import type { CalendarMonthProfile } from '../../domain/seasonality.ts';
import type { AreaComparison } from '../../domain/areaComparison.ts';
import { getAssessmentArea, type AssessmentArea } from './assessmentAreas.ts';
import { carryIssueIntoPlan, draftVersions, getMatrixSettings, matrixIssues, type MatrixSettings } from './assessmentMatrix.ts';
import {
  comparablePartnerships,
  MAX_COMPARATORS,
  parseComparatorAuthorities,
  type ComparablePartnership,
} from './assessmentComparators.ts';
import type { PartnershipDetails } from '../partnerships/partnerships.ts';
import type { Actor } from '../platform/audit.ts';
import { ConflictError, ValidationError, Validator, type FieldError } from '../../domain/errors.ts';
import { peerComparison, type PeerComparison } from '../evidence/officialData.ts';
import {
  areaChoropleth,
  areaDeprivation,
  areaHexMap,
  mapKindOf,
  type AreaChoropleth,
  type AreaDeprivation,
  type MapKind,
} from './areaEvidence.ts';
import type { HexGrid } from '../../domain/hexBins.ts';
import { createHash } from 'node:crypto';
import { areaAnalysisGroups, type AreaAnalysisGroups, type AreaRecords } from '../../adapters/crimeStore/queries.ts';
import { areaRecords, type GroupRecords } from './strategicAssessment.ts';
import { dataVersion } from '../platform/snapshotCache.ts';

export interface AssessmentContext {
  partnership: PartnershipDetails;
  area: AssessmentArea | null;
  store: CrimeStore;
  /** Months held (any force), newest first. */
  months: string[];
  /** Forces with data held, by name. */
  forces: string[];
  /** The window's last month: the one asked for when it is held, else the latest held; undefined with no data. */
  end: string | undefined;
}

/** The area, the months held and the window chosen (`requestedEnd` when it is a month held, else the latest). */
export async function assessmentContext(
  db: Kysely<Database>,
  crimeData: CrimeData,
  partnership: PartnershipDetails,
  requestedEnd: unknown,
): Promise<AssessmentContext> {
  const area = await getAssessmentArea(db, partnership.id);
  const store = await crimeData.store();
  const imported = await listImportedFiles(store);
  const months = [...new Set(imported.map((f) => f.month))].sort().reverse();
  const forces = [...new Set(imported.map((f) => f.force))].sort();
  return { partnership, area, store, months, forces, end: chooseWindowEnd(requestedEnd, months) };
}

/**
 * Why there is no assessment for this context (no area, no police.uk data, or none of the area's LSOAs in it when
 * `areaInData` is false), with the months it needs; null when there can be one.
 */
export function missingPrerequisite(c: AssessmentContext, areaInData = true): AssessmentGap | null {
  return assessmentGap({ area: c.area, monthsHeld: c.months, areaInData, windowEnd: c.end, thisMonth: todayIso().slice(0, 7) });
}

/** The gap as the API's problem body tells it: the reason and the months needed. */
function gapDetails(gap: AssessmentGap | null): Record<string, unknown> | undefined {
  return gap ? { reason: gap.reason, months: gap.months } : undefined;
}

export interface LoadedAssessment extends AssessmentContext {
  assessment: StrategicAssessment | null;
  /** Why there is no assessment (no area, no data, an area with no LSOAs), or null. */
  problem: string | null;
  /** The same as a reason and the months needed, for a link to put it right; null with an assessment. */
  gap: AssessmentGap | null;
  /** The fields behind a problem with the area (an area with no LSOAs in the data), for an error summary. */
  errors: FieldError[];
}

/**
 * The 12-month analysis for the window, or the reason there is none (`resolve`: the area's records, once looked up;
 * `group`: how they are grouped, when not by {@link strategicAssessment}'s own read).
 */
export async function loadAssessment(
  db: Kysely<Database>,
  crimeData: CrimeData,
  partnership: PartnershipDetails,
  requestedEnd: unknown,
  resolve?: (c: AssessmentContext) => Promise<AreaRecords>,
  group?: GroupRecords,
): Promise<LoadedAssessment> {
  const c = await assessmentContext(db, crimeData, partnership, requestedEnd);
  const gap = missingPrerequisite(c);
  if (gap || !c.area || !c.end) return { ...c, assessment: null, problem: gap?.message ?? null, gap, errors: [] };
  try {
    const request = { area: c.area, windowEnd: c.end, populations: partnership.populations };
    const assessment = await strategicAssessment(c.store, request, resolve ? await resolve(c) : undefined, group);
    return { ...c, assessment, problem: null, gap: null, errors: [] };
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    // An area none of whose LSOAs is in the data held: say which months to import.
    const noRecords = e.errors.some((x) => x.field === 'area') ? missingPrerequisite(c, false) : null;
    if (noRecords) return { ...c, assessment: null, problem: noRecords.message, gap: noRecords, errors: [] };
    return { ...c, assessment: null, problem: e.errors.map((x) => x.message).join('; '), gap: null, errors: e.errors };
  }
}

export interface LoadedAnalysis extends LoadedAssessment {
  /** The month-of-year profile; empty without an assessment. */
  seasonality: CalendarMonthProfile[];
  /** Crime and ASB by IMD decile for the window; null without an assessment. */
  deprivation: AreaDeprivation | null;
  /** The hexagon density of the window's crime or ASB (`mapKind`); null without an assessment. */
  hexMap: HexGrid | null;
  /** The area's LSOAs shaded by the window's crime or ASB (`mapKind`); null without an assessment. */
  choropleth: AreaChoropleth | null;
  mapKind: MapKind;
  /** Fingertips series and road collisions of the area's local authorities (ADR 0046); null without an area. */
  sources: AreaSources | null;
}

/**
 * The analysis page: the 12-month analysis for the window and, with it, seasonality, deprivation and the map. The
 * area's LSOAs and forces are looked up once for all of them, and its records are read once, in one statement that
 * counts them every way the page needs (`areaAnalysisGroups`: by month and type for every month held, and by LSOA,
 * outcome and map point for the window); the parts that do not depend on each other are asked for together.
 */
export async function loadAnalysis(
  db: Kysely<Database>,
  crimeData: CrimeData,
  partnership: PartnershipDetails,
  requestedEnd: unknown,
  options: { map?: unknown } = {},
): Promise<LoadedAnalysis> {
  let records: Promise<AreaRecords> | null = null;
  const resolve = (c: AssessmentContext) => (records ??= areaRecords(c.store, c.area!));
  let counted: Promise<AreaAnalysisGroups> | null = null;
  const group: GroupRecords = async (store, area, months) => (await (counted ??= areaAnalysisGroups(store, area, months))).groups;
  const [loaded, sources] = await Promise.all([
    loadAssessment(db, crimeData, partnership, requestedEnd, resolve, group),
    getAssessmentArea(db, partnership.id).then((area) => (area ? areaSources(db, area.localAuthorities ?? []) : null)),
  ]);
  const mapKind = mapKindOf(options.map);
  if (!loaded.assessment || !loaded.area)
    return { ...loaded, seasonality: [], deprivation: null, hexMap: null, choropleth: null, mapKind, sources };
  const window = loaded.assessment.current;
  const resolved = await resolve(loaded);
  // The assessment was made from this read (an assessment is only made after its records were grouped).
  const counts = await counted!;
  const [seasonality, deprivation, hexMap, choropleth] = await Promise.all([
    seasonalProfile(loaded.store, loaded.area, resolved, counts.byMonth),
    areaDeprivation(db, loaded.store, loaded.area, window, resolved, counts.byLsoa),
    areaHexMap(loaded.store, loaded.area, window, mapKind, resolved, counts.byPoint),
    areaChoropleth(db, loaded.store, loaded.area, window, mapKind, resolved, counts.byLsoa),
  ]);
  return { ...loaded, seasonality, deprivation, hexMap, choropleth, mapKind, sources };
}

/** Analyses kept in this process (each holds a map and a few tables: tens to hundreds of kilobytes). */
const ANALYSIS_CACHE_ENTRIES = 64;
const analysisCache = new Map<string, LoadedAnalysis>();

/**
 * What the analysis reads besides the partnership's own data, as one short text that changes whenever any of it
 * changes: the police.uk files' record (every import and every retention run changes it: months, forces, rows and
 * the time each was imported) and the official data imports finished (deprivation, boundaries, populations,
 * Fingertips, roads).
 */
export async function analysisSourcesVersion(db: Kysely<Database>, store: CrimeStore): Promise<string> {
  const [files, official] = await Promise.all([
    listImportedFiles(store),
    db
      .selectFrom('official_data_imports')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('id').as('latest')])
      .where('status', '=', 'done')
      .executeTakeFirst(),
  ]);
  const text = JSON.stringify([
    files.map((f) => [f.month, f.force, f.rowsAccepted, f.importedAt]),
    official?.n ?? 0,
    official?.latest ?? 0,
  ]);
  return createHash('sha256').update(text).digest('base64url');
}

/**
 * {@link loadAnalysis}, cached in this process (decision 0053) under everything it depends on: the partnership and
 * its data version (raised by every audited change: its area, populations), the window and map asked for, and
 * {@link analysisSourcesVersion} (raised by every police.uk import, retention run and official data import, on
 * any instance, as they are all read from the database). The two versions are read on every request, so an
 * instance never shows an analysis older than the data; a value computed while an import committed is kept under
 * the versions read before it, which no request asks for once the import is seen.
 */
export async function loadAnalysisCached(
  db: Kysely<Database>,
  crimeData: CrimeData,
  partnership: PartnershipDetails,
  requestedEnd: unknown,
  options: { map?: unknown; version?: number } = {},
): Promise<LoadedAnalysis> {
  const [version, sourcesVersion] = await Promise.all([
    options.version ?? dataVersion(db, partnership.id),
    crimeData.store().then((store) => analysisSourcesVersion(db, store)),
  ]);
  const end = typeof requestedEnd === 'string' ? requestedEnd : '';
  const key = JSON.stringify([partnership.id, version, sourcesVersion, end, mapKindOf(options.map)]);
  const hit = analysisCache.get(key);
  if (hit) {
    analysisCache.delete(key);
    analysisCache.set(key, hit);
    return hit;
  }
  const loaded = await loadAnalysis(db, crimeData, partnership, end, options);
  analysisCache.set(key, loaded);
  while (analysisCache.size > ANALYSIS_CACHE_ENTRIES) analysisCache.delete(analysisCache.keys().next().value!);
  return loaded;
}

/** Empties the analysis cache (tests and benchmarks). */
export function clearAnalysisCache(): void {
  analysisCache.clear();
}

/** The month-of-year profile over every month held for the area's forces; empty without an area. */
export async function loadSeasonality(c: Pick<AssessmentContext, 'area' | 'store'>): Promise<CalendarMonthProfile[]> {
  return c.area ? seasonalProfile(c.store, c.area) : [];
}

/** For the API: the seasonality profile of the partnership's area, or a conflict when there is no area or no data. */
export async function requireSeasonality(
  db: Kysely<Database>,
  crimeData: CrimeData,
  partnership: PartnershipDetails,
): Promise<CalendarMonthProfile[]> {
  const c = await assessmentContext(db, crimeData, partnership, undefined);
  let gap = missingPrerequisite(c);
  if (!gap && c.area && (await areaRecords(c.store, c.area)).codes.length === 0) gap = missingPrerequisite(c, false);
  if (gap) throw new ConflictError(`There is no strategic assessment yet: ${gap.message}`, gapDetails(gap));
  return loadSeasonality(c);
}

export interface LoadedMatrix extends LoadedAssessment {
  settings: MatrixSettings;
  /** Ranked issues, best first; empty without an assessment. */
  ranked: ScoredIssue[];
  /** Whether volume was scored on rates (asked for, and a population is recorded). */
  rateBasis: boolean;
}

/** The priority-setting matrix ranked on the window's figures with the partnership's settings. */
export async function loadMatrix(
  db: Kysely<Database>,
  crimeData: CrimeData,
  partnership: PartnershipDetails,
  requestedEnd: unknown,
): Promise<LoadedMatrix> {
  const loaded = await loadAssessment(db, crimeData, partnership, requestedEnd);
  return { ...loaded, ...(await rankedMatrix(db, partnership.id, loaded)) };
}

/** The matrix of an assessment already made, ranked with the partnership's settings. */
async function rankedMatrix(
  db: Kysely<Database>,
  partnershipId: number,
  loaded: LoadedAssessment,
): Promise<Pick<LoadedMatrix, 'settings' | 'ranked' | 'rateBasis'>> {
  const settings = await getMatrixSettings(db, partnershipId);
  const rateBasis = settings.volumeBasis === 'rate' && !!loaded.assessment?.currentPopulation;
  const ranked = loaded.assessment
    ? rankIssues(matrixIssues(loaded.assessment, settings), settings.weights, rateBasis ? 'rate' : 'count')
    : [];
  return { settings, ranked, rateBasis };
}

export interface LoadedMatrixPage extends LoadedMatrix {
  /** Draft versions of the partnership's plans, newest first, to carry an issue into. */
  drafts: Awaited<ReturnType<typeof draftVersions>>;
}

/** The matrix page: the ranked matrix and the draft plan versions an issue can be carried into. */
export async function loadMatrixPage(
  db: Kysely<Database>,
  crimeData: CrimeData,
  partnership: PartnershipDetails,
  requestedEnd: unknown,
): Promise<LoadedMatrixPage> {
  const matrix = await loadMatrix(db, crimeData, partnership, requestedEnd);
  return { ...matrix, drafts: await draftVersions(db, partnership.id) };
}

/** What the person chose on the matrix page: the window, the issue and the draft plan version. */
export interface CarryChoice {
  end?: unknown;
  issue?: unknown;
  versionId?: unknown;
}

/** Adds an issue of the window's ranked matrix to a draft plan version as a priority, with the evidence as its 'why'. */
export async function carryRankedIssue(
  db: Kysely<Database>,
  crimeData: CrimeData,
  actor: Actor,
  partnership: PartnershipDetails,
  choice: CarryChoice,
): Promise<{ issue: ScoredIssue } & Awaited<ReturnType<typeof carryIssueIntoPlan>>> {
  const m = await loadMatrix(db, crimeData, partnership, choice.end);
  if (!m.assessment) throw new ValidationError([{ field: 'issue', message: m.problem ?? 'There is no assessment to rank' }]);
  const issue = m.ranked.find((r) => r.name === choice.issue);
  if (!issue) throw new ValidationError([{ field: 'issue', message: 'Choose an issue from the matrix' }]);
  const { current, previous } = m.assessment;
  const context = {
    issues: m.ranked.length,
    window: windowLabel(current.from, current.to),
    previousWindow: windowLabel(previous.from, previous.to),
  };
  return { issue, ...(await carryIssueIntoPlan(db, actor, partnership.id, choice.versionId, issue, context)) };
}

export interface ComparatorChoice {
  /** Ids of other partnerships in this CSP Hub (as strings or numbers). */
  partnerships?: unknown;
  /** Local authorities with populations, one per line: "Barnsley, 246000". */
  authorities?: unknown;
}

export interface LoadedComparison extends AssessmentContext {
  /** Other partnerships with an area, to choose from. */
  others: ComparablePartnership[];
  chosenIds: string[];
  comparators: ComparisonArea[];
  errors: FieldError[];
  comparison: AreaComparison | null;
  problem: string | null;
  gap: AssessmentGap | null;
}

/** Reads the comparators chosen (partnership ids and typed local authorities) and compares the areas. */
export async function loadComparison(
  db: Kysely<Database>,
  crimeData: CrimeData,
  partnership: PartnershipDetails,
  requestedEnd: unknown,
  choice: ComparatorChoice,
  options: { requireChoice?: boolean } = {},
): Promise<LoadedComparison> {
  const c = await assessmentContext(db, crimeData, partnership, requestedEnd);
  const others = c.end ? await comparablePartnerships(db, partnership.id, c.end) : [];
  const chosenIds = ([] as unknown[])
    .concat(choice.partnerships ?? [])
    .flatMap((x) => String(x).split(','))
    .map((x) => x.trim())
    .filter((x) => x !== '');
  const v = new Validator();
  for (const id of chosenIds)
    if (!others.some((o) => String(o.id) === id))
      v.add(
        'partnerships',
        `Partnership ${id.slice(0, 20)} is not one you can compare with (it must be another partnership with its area defined)`,
      );
  const typed = parseComparatorAuthorities(Array.isArray(choice.authorities) ? choice.authorities.join('\n') : choice.authorities, v);
  const comparators: ComparisonArea[] = [...others.filter((o) => chosenIds.includes(String(o.id))), ...typed];
  if (comparators.length > MAX_COMPARATORS) v.add('authorities', `Compare with at most ${MAX_COMPARATORS} areas`);
  if (options.requireChoice && comparators.length === 0 && v.errors.length === 0)
    v.add('partnerships', 'Choose partnerships to compare with, or enter local authorities');
  // No area, no data, or an area none of whose LSOAs is in the data: nothing to compare (as on the analysis page).
  let gap = missingPrerequisite(c);
  if (!gap && c.area && (await areaRecords(c.store, c.area)).codes.length === 0) gap = missingPrerequisite(c, false);
  let comparison: AreaComparison | null = null;
  if (!gap && c.area && c.end && v.errors.length === 0 && comparators.length > 0) {
    const population = partnership.populations.length ? populationFor(partnership.populations, c.end) : null;
    comparison = await compareAreas(c.store, { name: partnership.name, area: c.area, population }, comparators, c.end);
  }
  return { ...c, others, chosenIds, comparators, errors: v.errors, comparison, problem: gap?.message ?? null, gap };
}

/** For the API: a missing area or no data is a conflict with the partnership's state, not a bad request. */
export function requireAssessment<T extends { problem: string | null; gap: AssessmentGap | null }>(loaded: T): T {
  if (loaded.problem) throw new ConflictError(`There is no strategic assessment yet: ${loaded.problem}`, gapDetails(loaded.gap));
  return loaded;
}

/** Everything the strategic assessment document shows: the figures of the window, the matrix and the comparison. */
export interface AssessmentDocumentData {
  partnershipName: string;
  area: AssessmentArea;
  assessment: StrategicAssessment;
  seasonality: CalendarMonthProfile[];
  matrix: { ranked: ScoredIssue[]; settings: MatrixSettings; rateBasis: boolean };
  /** Null when no comparators were chosen. */
  comparison: AreaComparison | null;
  /** All recorded crime against the peer group (Home Office counts, latest year); null without a CSP or its figures. */
  peers: PeerComparison | null;
  /** Crime and ASB by IMD decile (profile null when the indices are not imported). */
  deprivation: AreaDeprivation;
  /** The hexagon density of the window's crime. */
  hexMap: HexGrid;
  /** The area's LSOAs shaded by the window's crime (map null without boundaries of the area). */
  choropleth: AreaChoropleth;
  /** Fingertips series and road collisions of the area's local authorities (ADR 0046). */
  sources: AreaSources;
}

export interface LoadedAssessmentDocument {
  data: AssessmentDocumentData | null;
  /** Why there is no document (no area, no data), or null. */
  problem: string | null;
  /** The same as a reason and the months needed, for a link to put it right. */
  gap: AssessmentGap | null;
  /** The comparators offered and chosen, and any problems with the choice. */
  choice: LoadedComparison;
}

/**
 * Everything the document needs for the window ending `end` (else the latest) and the comparators chosen. Its figures
 * come from the analysis page's own load ({@link loadAnalysis}, the area's records read once, the map of crime), so
 * the document and the page cannot disagree; the matrix is ranked from that assessment.
 */
export async function loadAssessmentDocument(
  db: Kysely<Database>,
  crimeData: CrimeData,
  partnership: PartnershipDetails,
  end: unknown,
  choice: ComparatorChoice,
): Promise<LoadedAssessmentDocument> {
  const analysis = await loadAnalysis(db, crimeData, partnership, end, { map: 'crime' });
  const comparison = await loadComparison(db, crimeData, partnership, analysis.end, choice);
  const { assessment, area, deprivation, hexMap, choropleth, sources } = analysis;
  if (!assessment || !area || !deprivation || !hexMap || !choropleth || !sources || comparison.errors.length)
    return { data: null, problem: analysis.problem, gap: analysis.gap, choice: comparison };
  const data: AssessmentDocumentData = {
    partnershipName: partnership.name,
    area,
    assessment,
    seasonality: analysis.seasonality,
    matrix: await rankedMatrix(db, partnership.id, analysis),
    comparison: comparison.comparison,
    peers: await peerComparison(db, partnership.id, {}),
    deprivation,
    hexMap,
    choropleth,
    sources,
  };
  return { data, problem: null, gap: null, choice: comparison };
}
