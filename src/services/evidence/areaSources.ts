/**
 * The further official sources for a partnership's area (issue 17 item 6, ADR 0046): its local authorities' codes
 * (the names of its area matched against the names the imported tables give, or codes typed in), their OHID
 * Fingertips series with England beside them, and their killed or seriously injured road collisions by year; and
 * an indicator's figures filled from a Fingertips series (through the figures service, so checked, audited and
 * revised like any other entry).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { ENGLAND_CODE, financialYearOfPeriod, fingertipsSeries, type FingertipsSeries } from '../../domain/fingertips.ts';
import { ksiByYear, type KsiYear } from '../../domain/roadCasualties.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { inTransaction, isStorableId } from '../../adapters/database/database.ts';
import { enterFigures, type FigureInput, type SaveResult } from '../performance/figures.ts';
import { getIndicator, label } from '../performance/indicators.ts';
import { getAssessmentArea } from '../assessment/assessmentAreas.ts';

/** A local authority code as ONS writes it: unitary, district, metropolitan, London borough, county, Welsh. */
const AUTHORITY_CODE = /^(E0[6-9]|E10|W06)\d{6}$/;

export interface AreaAuthority {
  code: string;
  name: string;
}

export interface AreaAuthorities {
  authorities: AreaAuthority[];
  /** Names of the area not found in any imported table. */
  unmatched: string[];
}

/** The codes of the area's local authorities: codes given as they are, names matched (without case) in the imported tables. */
export async function areaAuthorityCodes(db: Kysely<Database>, localAuthorities: readonly string[]): Promise<AreaAuthorities> {
  const found = new Map<string, string>();
  const names = new Map<string, string>();
  for (const raw of localAuthorities) {
    const t = raw.trim();
    if (AUTHORITY_CODE.test(t.toUpperCase())) found.set(t.toUpperCase(), t.toUpperCase());
    else if (t !== '') names.set(t.toLowerCase(), t);
  }
  const wanted = [...names.keys()];
  if (wanted.length) {
    const [fingertips, populations, deprivation] = await Promise.all([
      db
        .selectFrom('official_fingertips')
        .select(['area_code as code', 'area_name as name'])
        .where(sql<string>`lower(area_name)`, 'in', wanted)
        .distinct()
        .execute(),
      db
        .selectFrom('official_populations')
        .select(['area_code as code', 'area_name as name'])
        .where(sql<string>`lower(area_name)`, 'in', wanted)
        .distinct()
        .execute(),
      db
        .selectFrom('official_deprivation')
        .select(['la_code as code', 'la_name as name'])
        .where(sql<string>`lower(la_name)`, 'in', wanted)
        .distinct()
        .execute(),
    ]);
    for (const r of [...fingertips, ...populations, ...deprivation])
      if (AUTHORITY_CODE.test(r.code)) {
        found.set(r.code, r.name);
        names.delete(r.name.toLowerCase());
      }
  }
  const authorities = [...found].map(([code, name]) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code));
  return { authorities, unmatched: [...names.values()] };
}

export interface AreaRoads {
  /** Years of collisions imported (national). */
  yearsHeld: number[];
  years: KsiYear[];
}

export interface AreaSources extends AreaAuthorities {
  /** One series per Fingertips indicator and local authority, by indicator then authority. */
  fingertips: FingertipsSeries[];
  /** Indicators imported (national), for saying what is held when the area has none. */
  fingertipsHeld: number;
  /** Null when no collisions have been imported. */
  roads: AreaRoads | null;
}

/** The Fingertips series of these authorities, with England's values. */
export async function fingertipsForAuthorities(db: Kysely<Database>, codes: readonly string[]): Promise<FingertipsSeries[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('official_fingertips')
    .select([
      'indicator_id as indicatorId',
      'indicator_name as indicatorName',
      'area_code as areaCode',
      'area_name as areaName',
      'sex',
      'age',
      'category_type as categoryType',
      'category',
      'time_period as timePeriod',
      'value',
      'lower95',
      'upper95',
      'lower998',
      'upper998',
      'count',
      'denominator',
      'value_note as valueNote',
      'compared_to_england as comparedToEngland',
    ])
    .where('area_code', 'in', [...codes, ENGLAND_CODE])
    .where('category_type', '=', '')
    .orderBy('indicator_id')
    .execute();
  const byIndicator = new Map<number, typeof rows>();
  for (const r of rows) {
    const n = (v: number | string | null) => (v === null ? null : Number(v));
    const row = {
      ...r,
      indicatorId: Number(r.indicatorId),
      value: n(r.value),
      lower95: n(r.lower95),
      upper95: n(r.upper95),
      lower998: n(r.lower998),
      upper998: n(r.upper998),
      count: n(r.count),
      denominator: n(r.denominator),
    };
    byIndicator.set(row.indicatorId, [...(byIndicator.get(row.indicatorId) ?? []), row]);
  }
  const out: FingertipsSeries[] = [];
  for (const indicatorRows of byIndicator.values())
    for (const code of codes) {
      const s = fingertipsSeries(indicatorRows, code);
      if (s) out.push(s);
    }
  return out;
}

/** KSI collisions by year in these authorities, over every year imported; null when none is. */
export async function roadsForAuthorities(db: Kysely<Database>, codes: readonly string[]): Promise<AreaRoads | null> {
  const held = await db.selectFrom('official_road_collisions').select('year').distinct().orderBy('year').execute();
  if (held.length === 0) return null;
  const yearsHeld = held.map((r) => Number(r.year));
  const rows = codes.length
    ? await db
        .selectFrom('official_road_collisions')
        .select(['year', 'severity', 'casualties'])
        .where('la_code', 'in', [...codes])
        .execute()
    : [];
  return {
    yearsHeld,
    years: ksiByYear(
      rows.map((r) => ({ year: Number(r.year), severity: Number(r.severity) as 1 | 2 | 3, casualties: Number(r.casualties) })),
      yearsHeld,
    ),
  };
}

/** Everything the assessment shows of the further sources for an area given by its local authorities. */
export async function areaSources(db: Kysely<Database>, localAuthorities: readonly string[]): Promise<AreaSources> {
  const a = await areaAuthorityCodes(db, localAuthorities);
  const codes = a.authorities.map((x) => x.code);
  const held = await db
    .selectFrom('official_fingertips')
    .select((eb) => eb.fn.count<number | string>('indicator_id').distinct().as('n'))
    .executeTakeFirst();
  return {
    ...a,
    fingertips: await fingertipsForAuthorities(db, codes),
    fingertipsHeld: Number(held?.n ?? 0),
    roads: await roadsForAuthorities(db, codes),
  };
}

export interface FillRequest {
  indicatorId?: unknown;
  fingertipsIndicatorId?: unknown;
  areaCode?: unknown;
}

export interface FillResult extends SaveResult {
  /** Time periods not entered, each with the reason. */
  skipped: { timePeriod: string; reason: string }[];
}

/**
 * Fills an annual indicator's figures from the Fingertips series of one of the area's local authorities: each
 * financial year's value (a pooled period's under its last year, said in the note); suppressed values and periods
 * that are not financial years are skipped and named. All or nothing, audited; figures already equal are unchanged.
 */
export async function fillFromFingertips(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  request: FillRequest,
): Promise<FillResult> {
  const localAuthorities = (await getAssessmentArea(db, partnershipId))?.localAuthorities ?? [];
  const indicatorId = Number(request.indicatorId);
  // An id no indicator can have (past the largest stored) is a wrong choice, not a question for the database.
  const indicator = isStorableId(indicatorId)
    ? await getIndicator(db, partnershipId, indicatorId).catch((e: unknown) => {
        if (e instanceof NotFoundError) return null;
        throw e;
      })
    : null;
  const fingertipsId = Number(request.fingertipsIndicatorId);
  const errors: { field: string; message: string }[] = [];
  if (!indicator) errors.push({ field: 'indicatorId', message: 'Choose one of the partnership’s indicators' });
  else if (indicator.frequency !== 'annual')
    errors.push({
      field: 'indicatorId',
      message: `${label(indicator)} is ${indicator.frequency}: Fingertips values are yearly, so choose an annual indicator`,
    });
  const { authorities } = await areaAuthorityCodes(db, localAuthorities);
  const areaCode = typeof request.areaCode === 'string' && request.areaCode !== '' ? request.areaCode.toUpperCase() : authorities[0]?.code;
  if (!authorities.some((a) => a.code === areaCode))
    errors.push({
      field: 'areaCode',
      message: `Choose one of the area’s local authorities (${authorities.map((a) => a.code).join(', ') || 'none matched'})`,
    });
  const series = errors.length ? null : (await fingertipsForAuthorities(db, [areaCode!])).find((s) => s.indicatorId === fingertipsId);
  if (!errors.length && !series)
    errors.push({
      field: 'fingertipsIndicatorId',
      message: `No Fingertips indicator ${String(request.fingertipsIndicatorId).slice(0, 20)} is imported for ${areaCode}`,
    });
  if (errors.length) throw new ValidationError(errors);
  const skipped: FillResult['skipped'] = [];
  const rows: FigureInput[] = [];
  for (const p of series!.points) {
    const fy = financialYearOfPeriod(p.timePeriod);
    if (!fy) skipped.push({ timePeriod: p.timePeriod, reason: 'not a financial year' });
    else if (p.value === null) skipped.push({ timePeriod: p.timePeriod, reason: p.valueNote || 'no value' });
    else
      rows.push({
        indicatorId: indicator!.id,
        period: fy.year,
        value: p.value,
        note: [
          fy.pooled ? `Pooled over ${p.timePeriod}.` : '',
          p.lower95 !== null && p.upper95 !== null ? `95% interval ${p.lower95} to ${p.upper95}.` : '',
          p.count !== null && p.denominator !== null ? `Count ${p.count} of ${p.denominator}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
        source: `OHID Fingertips indicator ${series!.indicatorId}, ${series!.areaName} (${series!.areaCode}), ${series!.sex}, ${series!.age}`,
      });
  }
  if (rows.length === 0)
    throw new ValidationError([{ field: 'fingertipsIndicatorId', message: 'The series has no financial-year values to enter' }]);
  // The figures and the record of the fill are written together, or neither is.
  return inTransaction(db, async (trx) => {
    const result = await enterFigures(trx, actor, partnershipId, rows);
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'update',
      entityType: 'indicator',
      entityId: indicator!.id,
      summary: `Filled ${label(indicator!)} from OHID Fingertips indicator ${series!.indicatorId} for ${series!.areaName}: ${result.created} entered, ${result.revised} revised, ${result.unchanged} unchanged`,
      after: { fingertipsIndicatorId: series!.indicatorId, areaCode: series!.areaCode, periods: rows.map((r) => r.period), skipped },
    });
    return { ...result, skipped };
  });
}

/** The sources of a partnership's saved area; a conflict when it has no area yet. */
export async function partnershipSources(db: Kysely<Database>, partnershipId: number): Promise<AreaSources> {
  const area = await getAssessmentArea(db, partnershipId);
  if (!area) throw new ConflictError("Define the partnership's area (its local authorities) first");
  return areaSources(db, area.localAuthorities);
}
