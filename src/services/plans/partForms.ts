/**
 * What the pages about one part of a plan need, each in one call: the part, the version it is in (with its plan),
 * where it sits (the priority it comes under, if any: the page to go back to) and the choices of its form's
 * reference fields. Changing a part is in planParts.ts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import {
  getPart,
  PARENT_SPEC,
  referenceOptions,
  themePriorityIds,
  versionOfParent,
  versionOfPart,
  type ParentKind,
  type PartKind,
  type PartRow,
  type ReferenceOptions,
} from './planParts.ts';
import { getVersion, type VersionWithPlan } from './plans.ts';

/** Where a part sits: its version, and the priority it comes under (the priority itself for a priority; none for version-wide parts). */
export interface PartPlace {
  versionId: number;
  priorityId: number | null;
}

/** Where a part sits in its plan. */
export async function placeOfPart(db: Kysely<Database>, partnershipId: number, kind: PartKind, row: PartRow): Promise<PartPlace> {
  let priorityId: number | null = null;
  if (kind === 'priority') priorityId = row.id;
  else if (kind === 'objective' || kind === 'resource' || kind === 'risk') priorityId = Number(row.priority_id);
  else if (kind === 'activity' || kind === 'update') {
    const activity = kind === 'activity' ? row : await getPart(db, partnershipId, 'activity', Number(row.activity_id));
    priorityId = Number((await getPart(db, partnershipId, 'objective', Number(activity.objective_id))).priority_id);
  }
  const version = await versionOfPart(db, partnershipId, kind, row);
  return { versionId: version.id, priorityId };
}

/** Where the part with this id sits; NotFound if it is not the partnership's. */
export async function partPlace(db: Kysely<Database>, partnershipId: number, kind: PartKind, id: number): Promise<PartPlace> {
  return placeOfPart(db, partnershipId, kind, await getPart(db, partnershipId, kind, id));
}

/** Where a part's parent sits: a version is its own place; a priority, objective, activity or stream as placeOfPart. */
export async function placeOfParent(db: Kysely<Database>, partnershipId: number, parent: ParentKind, parentId: number): Promise<PartPlace> {
  if (parent === 'version') return { versionId: parentId, priorityId: null };
  const kind = PARENT_SPEC[parent];
  return placeOfPart(db, partnershipId, kind, await getPart(db, partnershipId, kind, parentId));
}

/** A part with its version and its place; NotFound if it is not the partnership's. */
export interface PartInPlan {
  row: PartRow;
  version: VersionWithPlan;
  place: PartPlace;
}

export async function partInPlan(db: Kysely<Database>, partnershipId: number, kind: PartKind, id: number): Promise<PartInPlan> {
  const row = await getPart(db, partnershipId, kind, id);
  const place = await placeOfPart(db, partnershipId, kind, row);
  return { row, version: await getVersion(db, partnershipId, place.versionId), place };
}

/** The edit form of a part: as partInPlan, with a theme's priorities and the choices of its reference fields. */
export interface PartEditing extends PartInPlan {
  priorityIds: number[];
  refs: ReferenceOptions;
}

export async function partForEditing(db: Kysely<Database>, partnershipId: number, kind: PartKind, id: number): Promise<PartEditing> {
  const part = await partInPlan(db, partnershipId, kind, id);
  const priorityIds = kind === 'theme' ? await themePriorityIds(db, partnershipId, id) : [];
  // A group cannot report to itself: it is left out of its own "reports to" choices.
  const refs = await referenceOptions(db, partnershipId, part.version.id, kind === 'group' ? id : undefined);
  return { ...part, priorityIds, refs };
}

/** The form adding a part under a parent: the version, where the parent sits, and the choices of the reference fields. */
export interface NewPartForm {
  version: VersionWithPlan;
  parent: PartPlace;
  refs: ReferenceOptions;
}

export async function newPartForm(db: Kysely<Database>, partnershipId: number, parent: ParentKind, parentId: number): Promise<NewPartForm> {
  const { id: versionId } = await versionOfParent(db, partnershipId, parent, parentId);
  const refs = await referenceOptions(db, partnershipId, versionId);
  return {
    version: await getVersion(db, partnershipId, versionId),
    parent: await placeOfParent(db, partnershipId, parent, parentId),
    refs,
  };
}
