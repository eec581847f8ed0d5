/** Partner organisations of a partnership: responsible authorities, co-operating bodies, voluntary groups. */
import type { Kysely } from 'kysely';
import { ORGANISATION_TYPES, type Database, type Organisation } from '../../adapters/database/schema.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { nowIso } from '../../adapters/clock.ts';
import { updatePartnershipRow } from '../platform/conflictCheckedUpdate.ts';
import { NotFoundError, ValidationError, Validator } from '../../domain/errors.ts';

export interface OrganisationInput {
  name?: unknown;
  type?: unknown;
  description?: unknown;
  /** updated_at the editor saw, to refuse a save over someone else's newer change. */
  expectedUpdatedAt?: unknown;
}

function validate(input: OrganisationInput) {
  const v = new Validator();
  const name = v.text('name', input.name, 'the organisation name', { max: 200 });
  const type = v.oneOf('type', input.type, ORGANISATION_TYPES, 'Select the type of organisation');
  const description = v.text('description', input.description ?? '', 'a description', { required: false, max: 2000 });
  v.throwIfAny();
  return { name, type, description };
}

async function assertNameFree(db: Kysely<Database>, partnershipId: number, name: string, exceptId?: number) {
  let q = db.selectFrom('organisations').select('id').where('partnership_id', '=', partnershipId).where('name', '=', name);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst())
    throw new ValidationError([{ field: 'name', message: 'An organisation with this name is already in the partnership' }]);
}

export async function listOrganisations(db: Kysely<Database>, partnershipId: number): Promise<Organisation[]> {
  return db.selectFrom('organisations').selectAll().where('partnership_id', '=', partnershipId).orderBy('type').orderBy('name').execute();
}

/** Loads an organisation only if it belongs to the partnership: the tenant boundary for every organisation route. */
export async function getOrganisation(db: Kysely<Database>, partnershipId: number, id: number): Promise<Organisation> {
  const o = await db
    .selectFrom('organisations')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!o) throw new NotFoundError('Organisation');
  return o;
}

export async function createOrganisation(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  input: OrganisationInput,
): Promise<Organisation> {
  const data = validate(input);
  return db.transaction().execute(async (trx) => {
    await assertNameFree(trx, partnershipId, data.name);
    const now = nowIso();
    const o = await trx
      .insertInto('organisations')
      .values({ partnership_id: partnershipId, ...data, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'organisation',
      entityId: o.id,
      summary: `Added partner organisation ${o.name}`,
      after: o,
    });
    return o;
  });
}

export async function updateOrganisation(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  id: number,
  input: OrganisationInput,
): Promise<Organisation> {
  await getOrganisation(db, partnershipId, id); // not found before invalid: outsiders learn nothing from validation
  const data = validate(input);
  return updatePartnershipRow(db, actor, {
    table: 'organisations',
    partnershipId,
    id,
    read: (trx) => getOrganisation(trx, partnershipId, id),
    expectedUpdatedAt: input.expectedUpdatedAt,
    conflictMessage: (before) =>
      `${before.name} was changed by someone else after you opened it. Their version is shown below; make your changes again.`,
    values: async (trx) => {
      await assertNameFree(trx, partnershipId, data.name, id);
      return data;
    },
    entityType: 'organisation',
    summary: (_before, after) => `Updated partner organisation ${after.name}`,
  });
}

/** Removes an organisation from the partnership; returns it as it was. */
export async function deleteOrganisation(db: Kysely<Database>, actor: Actor, partnershipId: number, id: number): Promise<Organisation> {
  return db.transaction().execute(async (trx) => {
    const before = await getOrganisation(trx, partnershipId, id);
    await trx.deleteFrom('organisations').where('id', '=', id).where('partnership_id', '=', partnershipId).execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'delete',
      entityType: 'organisation',
      entityId: id,
      summary: `Removed partner organisation ${before.name}`,
      before,
    });
    return before;
  });
}
