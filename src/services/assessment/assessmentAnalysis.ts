/**
 * The strategic assessment of a partnership as the pages, the API and the assessment document all load it: the
 * police.uk months held, the window chosen (the 12 months to `end`, else to the latest month held), the 12-month
 * analysis, the seasonality profile, the ranked priority-setting matrix and the comparison with chosen areas.
 * The records are grouped by the police.uk store (src/adapters/crimeStore/queries.ts) and every figure is made by
 * src/domain; which window is shown is decided by one rule (`chooseWindowEnd`) for every page, the API and the
 * document.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import type { CrimeData } from './crimeData.ts';
import type { CrimeStore } from '../../adapters/crimeStore/store.ts';
import { listImportedFiles } from '../../adapters/crimeStore/store.ts';
import { strategicAssessment } from './strategicAssessment.ts';
import { seasonalProfile } from './seasonality.ts';
import { compareAreas, type ComparisonArea } from './comparison.ts';
import { rankIssues, type ScoredIssue } from '../../domain/priorityMatrix.ts';
import { chooseWindowEnd, populationFor, type StrategicAssessment } from '../../domain/crimeAssessment.ts';
import type { CalendarMonthProfile } from '../../domain/seasonality.ts';
import type { AreaComparison } from '../../domain/areaComparison.ts';
import { getAssessmentArea, type AssessmentArea } from './assessmentAreas.ts';
import { getMatrixSettings, matrixIssues, type MatrixSettings } from './assessmentMatrix.ts';
import { comparablePartnerships, MAX_COMPARATORS, parseComparatorAuthorities, type ComparablePartnership } from './assessmentComparators.ts';
import type { PartnershipDetails } from '../partnerships/partnerships.ts';
import { ConflictError, ValidationError, Validator, type FieldError } from '../../domain/errors.ts';

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
export async function assessmentContext(db: Kysely<Database>, crimeData: CrimeData, partnership: PartnershipDetails, requestedEnd: unknown): Promise<AssessmentContext> {
  const area = await getAssessmentArea(db, partnership.id);
  const store = await crimeData.store();
  const imported = await listImportedFiles(store);
  const months = [...new Set(imported.map((f) => f.month))].sort().reverse();
  const forces = [...new Set(imported.map((f) => f.force))].sort();
  return { partnership, area, store, months, forces, end: chooseWindowEnd(requestedEnd, months) };
}

/** Why there is no assessment for this context, or null when there can be one. */
export function missingPrerequisite(c: AssessmentContext): string | null {
  if (!c.area) return "Define the partnership's area first.";
  if (!c.end) return 'No police.uk data has been imported yet.';
  return null;
}

export interface LoadedAssessment extends AssessmentContext {
  assessment: StrategicAssessment | null;
  /** Why there is no assessment (no area, no data, an area with no LSOAs), or null. */
  problem: string | null;
  /** The fields behind a problem with the area (an area with no LSOAs in the data), for an error summary. */
  errors: FieldError[];
}

/** The 12-month analysis for the window, or the reason there is none. */
export async function loadAssessment(db: Kysely<Database>, crimeData: CrimeData, partnership: PartnershipDetails, requestedEnd: unknown): Promise<LoadedAssessment> {
  const c = await assessmentContext(db, crimeData, partnership, requestedEnd);
  const problem = missingPrerequisite(c);
  if (problem || !c.area || !c.end) return { ...c, assessment: null, problem, errors: [] };
  try {
    const assessment = await strategicAssessment(c.store, { area: c.area, windowEnd: c.end, populations: partnership.populations });
    return { ...c, assessment, problem: null, errors: [] };
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return { ...c, assessment: null, problem: e.errors.map((x) => x.message).join('; '), errors: e.errors };
  }
}

export interface LoadedAnalysis extends LoadedAssessment {
  /** The month-of-year profile; empty without an assessment. */
  seasonality: CalendarMonthProfile[];
}

/** The analysis page: the 12-month analysis for the window and, with it, the seasonality profile. */
export async function loadAnalysis(db: Kysely<Database>, crimeData: CrimeData, partnership: PartnershipDetails, requestedEnd: unknown): Promise<LoadedAnalysis> {
  const loaded = await loadAssessment(db, crimeData, partnership, requestedEnd);
  return { ...loaded, seasonality: loaded.assessment ? await loadSeasonality(loaded) : [] };
}

/** The month-of-year profile over every month held for the area's forces; empty without an area. */
export async function loadSeasonality(c: Pick<AssessmentContext, 'area' | 'store'>): Promise<CalendarMonthProfile[]> {
  return c.area ? seasonalProfile(c.store, c.area) : [];
}

export interface LoadedMatrix extends LoadedAssessment {
  settings: MatrixSettings;
  /** Ranked issues, best first; empty without an assessment. */
  ranked: ScoredIssue[];
  /** Whether volume was scored on rates (asked for, and a population is recorded). */
  rateBasis: boolean;
}

/** The priority-setting matrix ranked on the window's figures with the partnership's settings. */
export async function loadMatrix(db: Kysely<Database>, crimeData: CrimeData, partnership: PartnershipDetails, requestedEnd: unknown): Promise<LoadedMatrix> {
  const loaded = await loadAssessment(db, crimeData, partnership, requestedEnd);
  const settings = await getMatrixSettings(db, partnership.id);
  const rateBasis = settings.volumeBasis === 'rate' && !!loaded.assessment?.currentPopulation;
  const ranked = loaded.assessment ? rankIssues(matrixIssues(loaded.assessment, settings), settings.weights, rateBasis ? 'rate' : 'count') : [];
  return { ...loaded, settings, ranked, rateBasis };
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
  const chosenIds = ([] as unknown[]).concat(choice.partnerships ?? []).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter((x) => x !== '');
  const v = new Validator();
  for (const id of chosenIds) if (!others.some((o) => String(o.id) === id)) v.add('partnerships', `Partnership ${id.slice(0, 20)} is not one you can compare with (it must be another partnership with its area defined)`);
  const typed = parseComparatorAuthorities(Array.isArray(choice.authorities) ? choice.authorities.join('\n') : choice.authorities, v);
  const comparators: ComparisonArea[] = [...others.filter((o) => chosenIds.includes(String(o.id))), ...typed];
  if (comparators.length > MAX_COMPARATORS) v.add('authorities', `Compare with at most ${MAX_COMPARATORS} areas`);
  if (options.requireChoice && comparators.length === 0 && v.errors.length === 0) v.add('partnerships', 'Choose partnerships to compare with, or enter local authorities');
  const problem = missingPrerequisite(c);
  let comparison: AreaComparison | null = null;
  if (!problem && c.area && c.end && v.errors.length === 0 && comparators.length > 0) {
    const population = partnership.populations.length ? populationFor(partnership.populations, c.end) : null;
    comparison = await compareAreas(c.store, { name: partnership.name, area: c.area, population }, comparators, c.end);
  }
  return { ...c, others, chosenIds, comparators, errors: v.errors, comparison, problem };
}

/** For the API: a missing area or no data is a conflict with the partnership's state, not a bad request. */
export function requireAssessment<T extends { problem: string | null }>(loaded: T): T {
  if (loaded.problem) throw new ConflictError(`There is no strategic assessment yet: ${loaded.problem}`);
  return loaded;
}
