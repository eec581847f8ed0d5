/**
 * The strategic assessment of an area from the police.uk records in the analytical store: which LSOAs and
 * forces the area covers, then its 12-month window against the 12 months before. The store groups the records
 * (src/adapters/crimeStore/queries.ts, a few hundred rows come back) and src/domain/crimeAssessment.ts makes
 * every figure from them.
 */
import { assessmentFigures, windows, type Population, type StrategicAssessment } from '../../domain/crimeAssessment.ts';
import { forcesCovering, lsoaCodesOfLocalAuthorities, recordGroups, type AreaRecords } from '../../adapters/crimeStore/queries.ts';
import type { RecordGroups } from '../../domain/crimeAssessment.ts';
import type { CrimeStore } from '../../adapters/crimeStore/store.ts';
import { ValidationError } from '../../domain/errors.ts';

/** A partnership's area: LSOA codes (from a lookup) and/or the local authority names LSOA names start with. */
export interface PartnershipArea {
  lsoaCodes?: readonly string[];
  localAuthorities?: readonly string[];
}

export interface AssessmentRequest {
  area: PartnershipArea;
  /** Last month of the current 12-month window, 'YYYY-MM'. */
  windowEnd: string;
  /** Populations by year (partnership_populations); the year a window ends in is used for its rates. */
  populations?: readonly Population[];
  /** How many top LSOAs to list; default 10. */
  topLsoas?: number;
}

/** The LSOA codes of an area: the codes given plus those whose names start with the local authorities named. */
export async function resolveArea(store: CrimeStore, area: PartnershipArea): Promise<string[]> {
  const codes = new Set(area.lsoaCodes ?? []);
  const names = (area.localAuthorities ?? []).map((n) => n.trim()).filter((n) => n !== '');
  for (const code of await lsoaCodesOfLocalAuthorities(store, names)) codes.add(code);
  return [...codes].sort();
}

/** The area's LSOA codes and the forces covering them. */
export async function areaRecords(store: CrimeStore, area: PartnershipArea): Promise<AreaRecords> {
  const codes = await resolveArea(store, area);
  return { codes, forces: await forcesCovering(store, codes) };
}

/** How the area's records of both windows are grouped: {@link recordGroups}, or a read that also counts other things. */
export type GroupRecords = (
  store: CrimeStore,
  area: AreaRecords,
  months: { from: string; to: string; currentFrom: string },
) => Promise<RecordGroups>;

/**
 * Builds the strategic assessment figures for an area and window (`resolved`: the area's records, when already known;
 * `group`: how they are grouped, by default {@link recordGroups}).
 */
export async function strategicAssessment(
  store: CrimeStore,
  request: AssessmentRequest,
  resolved?: AreaRecords,
  group: GroupRecords = recordGroups,
): Promise<StrategicAssessment> {
  let w: ReturnType<typeof windows>;
  try {
    w = windows(request.windowEnd);
  } catch {
    throw new ValidationError([{ field: 'windowEnd', message: 'Enter the last month of the assessment year as YYYY-MM' }]);
  }
  const area = resolved ?? (await areaRecords(store, request.area));
  if (area.codes.length === 0) {
    throw new ValidationError([
      { field: 'area', message: 'The area has no LSOAs: give LSOA codes or a local authority name found in the imported data' },
    ]);
  }
  const groups = await group(store, area, { from: w.previous.from, to: w.current.to, currentFrom: w.current.from });
  return assessmentFigures(groups, {
    windowEnd: request.windowEnd,
    lsoaCount: area.codes.length,
    populations: request.populations,
    topLsoas: request.topLsoas,
  });
}
