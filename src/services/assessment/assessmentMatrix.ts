/**
 * A partnership's priority-setting matrix: its settings (criteria weights, volume on counts or rates, the harm
 * weight and public concern of each issue, other issues added by name), validated and audited; and carrying a
 * ranked issue into a draft plan version as a priority, its 'why' filled in with the evidence. The scoring
 * itself is pure (src/domain/priorityMatrix.ts).
 */
import type { Kysely } from 'kysely';
import type { Database, PlanVersion } from '../../adapters/database/schema.ts';
import { CRIME_TYPES } from '../../domain/policeUkLayout.ts';
import {
  CRITERIA,
  CRITERION_LABELS,
  DEFAULT_CRITERIA_WEIGHTS,
  DEFAULT_OTHER_HARM_WEIGHT,
  ILLUSTRATIVE_HARM_WEIGHTS,
  type CriteriaWeights,
  type MatrixIssue,
  type ScoredIssue,
} from '../../domain/priorityMatrix.ts';
import type { ChangeFigures, StrategicAssessment } from '../../domain/crimeAssessment.ts';
import { ANTI_SOCIAL_BEHAVIOUR } from '../../domain/policeUkLayout.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { nowIso } from '../../adapters/clock.ts';
import { assertFresh, laterTimestamp, lockRows } from '../../adapters/database/concurrency.ts';
import { NotFoundError, ValidationError, Validator } from '../../domain/errors.ts';
import { createPart, getVersionRow, type PartRow } from '../plans/planParts.ts';

export interface MatrixSettings {
  weights: CriteriaWeights;
  volumeBasis: 'count' | 'rate';
  /** Harm weight by issue name, as saved (see {@link harmWeightOf} for the weight used). */
  harmWeights: Record<string, number>;
  /** Public concern (0-100 %) by issue name. */
  concern: Record<string, number>;
  /** Issues added by name, beyond the police.uk crime types. */
  otherIssues: string[];
  /** Null until the partnership first saves its settings. */
  updatedAt: string | null;
}

export const MAX_OTHER_ISSUES = 30;
export const MAX_HARM_WEIGHT = 1000;

const WEIGHT_FIELDS: Record<keyof CriteriaWeights, string> = {
  volume: 'weightVolume',
  trend: 'weightTrend',
  harm: 'weightHarm',
  concern: 'weightConcern',
};

/** The crime types, then the other issues, in the order the settings form lists them. */
export function matrixIssueNames(settings: Pick<MatrixSettings, 'otherIssues'>): string[] {
  return [...CRIME_TYPES, ...settings.otherIssues];
}

/** The harm weight used for an issue: the partnership's own, else the illustrative default. */
export function harmWeightOf(settings: Pick<MatrixSettings, 'harmWeights'>, name: string): number {
  return settings.harmWeights[name] ?? ILLUSTRATIVE_HARM_WEIGHTS[name] ?? DEFAULT_OTHER_HARM_WEIGHT;
}

/** The matrix's issues with the window's figures (police.uk crime types and ASB) and the partnership's weights. */
export function matrixIssues(a: StrategicAssessment, settings: MatrixSettings): MatrixIssue[] {
  const figures = new Map<string, ChangeFigures>(
    [...a.byCrimeType, ...a.totals.filter((t) => t.label === ANTI_SOCIAL_BEHAVIOUR)].map((f) => [f.label, f]),
  );
  return matrixIssueNames(settings).map((name) => {
    const f = figures.get(name);
    return {
      name,
      count: f ? f.current : null,
      previousCount: f ? f.previous : null,
      rate: f ? f.currentRate : null,
      percentageChange: f ? f.percentageChange : null,
      significant: f ? f.significance.significant : false,
      harmWeight: harmWeightOf(settings, name),
      concern: settings.concern[name] ?? null,
    };
  });
}

export async function getMatrixSettings(db: Kysely<Database>, partnershipId: number): Promise<MatrixSettings> {
  const row = await db.selectFrom('assessment_matrix_settings').selectAll().where('partnership_id', '=', partnershipId).executeTakeFirst();
  if (!row)
    return {
      weights: { ...DEFAULT_CRITERIA_WEIGHTS },
      volumeBasis: 'count',
      harmWeights: {},
      concern: {},
      otherIssues: [],
      updatedAt: null,
    };
  return {
    weights: { volume: row.volume_weight, trend: row.trend_weight, harm: row.harm_weight, concern: row.concern_weight },
    volumeBasis: row.volume_basis === 'rate' ? 'rate' : 'count',
    harmWeights: JSON.parse(row.harm_weights_json) as Record<string, number>,
    concern: JSON.parse(row.concern_json) as Record<string, number>,
    otherIssues: JSON.parse(row.other_issues_json) as string[],
    updatedAt: row.updated_at,
  };
}

/** A number typed in a form: digits with an optional decimal part; null when blank; NaN when not a number. */
function parseNumber(raw: unknown): number | null {
  if (typeof raw === 'number') return raw;
  const s = typeof raw === 'string' ? raw.trim().replace(/%$/, '').trim() : '';
  if (s === '') return null;
  return /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
}

/**
 * Validates the settings form: weightVolume, weightTrend, weightHarm, weightConcern (whole numbers 0-100, at
 * least one above 0), volumeBasis, otherIssues (one per line), and for each issue row i: issue_i (its name),
 * harm_i (0-1,000) and concern_i (0-100 %, optional).
 */
export function validateMatrixSettings(input: Record<string, unknown>): Omit<MatrixSettings, 'updatedAt'> {
  const v = new Validator();
  const weights = { ...DEFAULT_CRITERIA_WEIGHTS };
  for (const c of CRITERIA) {
    const field = WEIGHT_FIELDS[c];
    const n = parseNumber(input[field]);
    const label = CRITERION_LABELS[c].toLowerCase();
    if (n === null) v.add(field, `Enter a weight for ${label}`);
    else if (!Number.isInteger(n) || n < 0 || n > 100) v.add(field, `The weight for ${label} must be a whole number from 0 to 100`);
    else weights[c] = n;
  }
  if (v.errors.length === 0 && CRITERIA.every((c) => weights[c] === 0))
    v.add(WEIGHT_FIELDS.volume, 'Give at least one criterion a weight above 0');
  const volumeBasis = v.oneOf(
    'volumeBasis',
    input.volumeBasis ?? 'count',
    ['count', 'rate'] as const,
    'Choose whether volume is scored on counts or rates',
  );

  const otherIssues: string[] = [];
  const seen = new Set<string>(CRIME_TYPES.map((t) => t.toLowerCase()));
  const lines = (typeof input.otherIssues === 'string' ? input.otherIssues : '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  for (const line of lines) {
    if (line.length > 100) v.add('otherIssues', `"${line.slice(0, 30)}..." must be 100 characters or fewer`);
    else if (seen.has(line.toLowerCase())) v.add('otherIssues', `"${line}" is already in the matrix`);
    else {
      seen.add(line.toLowerCase());
      otherIssues.push(line);
    }
  }
  if (otherIssues.length > MAX_OTHER_ISSUES) v.add('otherIssues', `Add at most ${MAX_OTHER_ISSUES} other issues`);

  const names = new Set<string>([...CRIME_TYPES, ...otherIssues]);
  const harmWeights: Record<string, number> = {};
  const concern: Record<string, number> = {};
  for (const key of Object.keys(input)) {
    const m = /^issue_(\d+)$/.exec(key);
    if (!m) continue;
    const name = typeof input[key] === 'string' ? input[key] : '';
    if (!names.has(name)) continue; // an issue removed from the list
    const harm = parseNumber(input[`harm_${m[1]}`]);
    if (harm === null) v.add(`harm_${m[1]}`, `Enter a harm weight for ${name}`);
    else if (!Number.isFinite(harm) || harm > MAX_HARM_WEIGHT)
      v.add(`harm_${m[1]}`, `The harm weight for ${name} must be a number from 0 to 1,000`);
    else harmWeights[name] = harm;
    const c = parseNumber(input[`concern_${m[1]}`]);
    if (c === null) continue;
    if (!Number.isFinite(c) || c > 100) v.add(`concern_${m[1]}`, `Public concern about ${name} must be a percentage from 0 to 100`);
    else concern[name] = c;
  }
  v.throwIfAny();
  return { weights, volumeBasis, harmWeights, concern, otherIssues };
}

/** The settings as the API sends them (JSON), for {@link saveMatrixSettings}. */
export interface MatrixSettingsJson {
  weights?: Partial<Record<keyof CriteriaWeights, unknown>>;
  volumeBasis?: unknown;
  /** Harm weight by issue name; issues left out get the illustrative default. */
  harmWeights?: Record<string, unknown>;
  /** Public concern (0-100 %) by issue name; issues left out have none recorded. */
  concern?: Record<string, unknown>;
  otherIssues?: unknown;
  expectedUpdatedAt?: unknown;
}

/** A JSON value for the form validator: numbers as they are (negative ones refused), text as typed, else not a number. */
function jsonNumber(x: unknown): number | string | undefined {
  if (x === undefined || x === null) return undefined;
  if (typeof x === 'number') return x < 0 ? NaN : x;
  return typeof x === 'string' ? x : NaN;
}

/**
 * Validates settings sent as JSON with the same rules as the form ({@link validateMatrixSettings}), naming
 * fields as the JSON does: weights.volume, harmWeights.<issue>, concern.<issue>. An issue that is neither a
 * police.uk crime type nor in otherIssues is refused rather than ignored.
 */
export function matrixSettingsFormFromJson(body: MatrixSettingsJson): {
  form: Record<string, unknown>;
  fieldName: (field: string) => string;
} {
  const otherIssues = Array.isArray(body.otherIssues) ? body.otherIssues.map(String) : [];
  const form: Record<string, unknown> = {
    volumeBasis: body.volumeBasis ?? 'count',
    otherIssues: otherIssues.join('\n'),
    expectedUpdatedAt: body.expectedUpdatedAt,
  };
  for (const c of CRITERIA) form[WEIGHT_FIELDS[c]] = jsonNumber(body.weights?.[c]);
  const known = new Set([...CRIME_TYPES, ...otherIssues.map((x) => x.trim())].map((x) => x.toLowerCase()));
  const harm = body.harmWeights ?? {};
  const concern = body.concern ?? {};
  const names = [...new Set([...Object.keys(harm), ...Object.keys(concern)])];
  const v = new Validator();
  const byField = new Map<string, string>();
  names.forEach((name, i) => {
    if (!known.has(name.toLowerCase())) {
      v.add(
        name in harm ? `harmWeights.${name}` : `concern.${name}`,
        `${name.slice(0, 100)} is not an issue in the matrix: use a police.uk crime type or add it to otherIssues`,
      );
      return;
    }
    form[`issue_${i}`] = name;
    form[`harm_${i}`] = harm[name] === undefined ? (ILLUSTRATIVE_HARM_WEIGHTS[name] ?? DEFAULT_OTHER_HARM_WEIGHT) : jsonNumber(harm[name]);
    form[`concern_${i}`] = jsonNumber(concern[name]) ?? '';
    byField.set(`harm_${i}`, `harmWeights.${name}`);
    byField.set(`concern_${i}`, `concern.${name}`);
  });
  v.throwIfAny();
  const weightNames = Object.fromEntries(CRITERIA.map((c) => [WEIGHT_FIELDS[c], `weights.${c}`]));
  return { form, fieldName: (field) => byField.get(field) ?? weightNames[field] ?? field };
}

/** Saves settings sent as JSON; errors name the JSON fields. */
export async function saveMatrixSettingsJson(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  body: MatrixSettingsJson,
): Promise<MatrixSettings> {
  const { form, fieldName } = matrixSettingsFormFromJson(body);
  try {
    return await saveMatrixSettings(db, actor, partnershipId, form);
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(e.errors.map((x) => ({ field: fieldName(x.field), message: x.message })));
    throw e;
  }
}

/**
 * Saves the settings form (see {@link validateMatrixSettings}), audited. With `expectedUpdatedAt` (the
 * updatedAt the editor saw), a save over someone else's newer change is refused with a ConflictError.
 */
export async function saveMatrixSettings(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  input: Record<string, unknown>,
): Promise<MatrixSettings> {
  const data = validateMatrixSettings(input);
  return db.transaction().execute(async (trx) => {
    await lockRows(trx, 'partnerships', partnershipId); // one settings row per partnership, perhaps not made yet
    const before = await getMatrixSettings(trx, partnershipId);
    assertFresh(
      input.expectedUpdatedAt,
      before.updatedAt ?? 'never',
      'The matrix settings were changed by someone else after you opened them: load them again and make your changes again.',
    );
    const updatedAt = before.updatedAt ? laterTimestamp(before.updatedAt) : nowIso();
    const values = {
      volume_weight: data.weights.volume,
      trend_weight: data.weights.trend,
      harm_weight: data.weights.harm,
      concern_weight: data.weights.concern,
      volume_basis: data.volumeBasis,
      harm_weights_json: JSON.stringify(data.harmWeights),
      concern_json: JSON.stringify(data.concern),
      other_issues_json: JSON.stringify(data.otherIssues),
      updated_at: updatedAt,
    };
    if (before.updatedAt)
      await trx.updateTable('assessment_matrix_settings').set(values).where('partnership_id', '=', partnershipId).execute();
    else
      await trx
        .insertInto('assessment_matrix_settings')
        .values({ partnership_id: partnershipId, ...values })
        .execute();
    const after: MatrixSettings = { ...data, updatedAt };
    const w = data.weights;
    await recordAudit(trx, actor, {
      partnershipId,
      action: before.updatedAt ? 'update' : 'create',
      entityType: 'assessment_matrix',
      entityId: partnershipId,
      summary: `Set the priority-setting matrix: weights volume ${w.volume}, trend ${w.trend}, harm ${w.harm}, public concern ${w.concern}; ${data.otherIssues.length} other issues`,
      before: before.updatedAt ? before : undefined,
      after,
    });
    return after;
  });
}

const formatted = (n: number, digits = 0) => n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The evidence for a ranked issue, in words, for the 'why' of a priority. */
export function priorityEvidence(issue: ScoredIssue, context: { issues: number; window: string; previousWindow: string }): string {
  const parts: string[] = [];
  parts.push(
    `The strategic assessment's priority-setting matrix ranks ${issue.name} ${issue.rank} of ${context.issues} issues, with a weighted score of ${formatted(issue.score, 1)} out of 100.`,
  );
  if (issue.count !== null) {
    const rate = issue.rate === null ? '' : ` (${formatted(issue.rate, 2)} per 1,000 people)`;
    parts.push(`Police.uk recorded ${formatted(issue.count)} in the partnership's area from ${context.window}${rate}.`);
    if (issue.percentageChange === null)
      parts.push(`There were none in the previous 12 months (${context.previousWindow}), so no percentage change can be given.`);
    else {
      const change =
        issue.percentageChange === 0
          ? 'no change'
          : `a ${formatted(Math.abs(issue.percentageChange), 1)}% ${issue.percentageChange > 0 ? 'increase' : 'decrease'}`;
      parts.push(
        `That is ${change} on the previous 12 months (${context.previousWindow}), ${issue.significant ? 'a statistically significant change' : 'not statistically significant'}.`,
      );
    }
  } else parts.push('Police.uk data does not cover this issue: it was added to the matrix by name.');
  parts.push(
    `Harm weight ${formatted(issue.harmWeight, issue.harmWeight % 1 ? 1 : 0)}; public concern ${issue.concern === null ? 'not recorded' : `${formatted(issue.concern, issue.concern % 1 ? 1 : 0)}% of people consulted`}.`,
  );
  return parts.join(' ');
}

/** Draft versions of the partnership's plans, newest first, for the 'carry into the plan' choice. */
export async function draftVersions(db: Kysely<Database>, partnershipId: number): Promise<(PlanVersion & { planTitle: string })[]> {
  const rows = await db
    .selectFrom('plan_versions')
    .innerJoin('plans', 'plans.id', 'plan_versions.plan_id')
    .selectAll('plan_versions')
    .select('plans.title as planTitle')
    .where('plan_versions.partnership_id', '=', partnershipId)
    .where('plan_versions.status', '=', 'draft')
    .orderBy('plan_versions.year', 'desc')
    .orderBy('plan_versions.id', 'desc')
    .execute();
  return rows;
}

/**
 * Adds a ranked issue to a draft plan version as a priority (title: the issue; why: the evidence), through the
 * plan services, and records that it came from the matrix. Refused unless the version is a draft.
 */
export async function carryIssueIntoPlan(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  rawVersionId: unknown,
  issue: ScoredIssue,
  context: { issues: number; window: string; previousWindow: string },
): Promise<{ priority: PartRow; version: PlanVersion }> {
  const versionId =
    typeof rawVersionId === 'string' && /^\d{1,9}$/.test(rawVersionId)
      ? Number(rawVersionId)
      : typeof rawVersionId === 'number'
        ? rawVersionId
        : NaN;
  if (!Number.isInteger(versionId))
    throw new ValidationError([{ field: 'versionId', message: 'Choose the draft plan version to add the priority to' }]);
  let version: PlanVersion;
  try {
    version = await getVersionRow(db, partnershipId, versionId);
  } catch (e) {
    if (e instanceof NotFoundError)
      throw new ValidationError([{ field: 'versionId', message: 'Choose the draft plan version to add the priority to' }]);
    throw e;
  }
  if (version.status !== 'draft') {
    throw new ValidationError([
      { field: 'versionId', message: `${version.label} is ${version.status}: priorities can only be added to a draft version` },
    ]);
  }
  const why = priorityEvidence(issue, context);
  const priority = await createPart(db, actor, partnershipId, 'priority', versionId, { title: issue.name, why });
  await recordAudit(db, actor, {
    partnershipId,
    action: 'create',
    entityType: 'priority',
    entityId: priority.id,
    summary: `Carried ${issue.name} (ranked ${issue.rank} of ${context.issues} in the priority-setting matrix) into ${version.label} as a priority`,
    after: { issue: issue.name, rank: issue.rank, score: issue.score, versionId, priorityId: priority.id },
  });
  return { priority, version };
}
