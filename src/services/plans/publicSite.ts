/**
 * The public site (decision 0021): what anyone can read without signing in. The partnerships with a published plan;
 * for each, its current published plan (the newest published version, as publishedSummary) and the archive of its
 * earlier published versions, each with its own summary and documents; the partnership's public contact details.
 * Drafts, approved-but-unpublished versions and withdrawn approvals are never public.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { loadPlanDocument, type PlanDocument } from './plans.ts';
import { publicPerformance, type PublicPerformance } from '../performance/publicPerformance.ts';

export interface PublicPartnership {
  id: number;
  name: string;
  slug: string;
  area_description: string;
  contact_email: string;
  contact_phone: string;
  contact_address: string;
  public_risks: number;
  public_funding: number;
}

export interface PublishedVersionSummary {
  id: number;
  planTitle: string;
  label: string;
  year: number;
  startYear: number;
  endYear: number;
  publishedAt: string | null;
  approvedAt: string | null;
  supersededAt: string | null;
}

export interface PublicIndexEntry {
  name: string;
  slug: string;
  areaDescription: string;
  current: PublishedVersionSummary;
  archived: number;
}

const PARTNERSHIP_COLUMNS = [
  'id',
  'name',
  'slug',
  'area_description',
  'contact_email',
  'contact_phone',
  'contact_address',
  'public_risks',
  'public_funding',
] as const;

/** Every published version of the partnership's plans, the current one first (newest year, then latest published). */
async function publishedVersionsOf(db: Kysely<Database>, partnershipId: number): Promise<PublishedVersionSummary[]> {
  const rows = await db
    .selectFrom('plan_versions')
    .innerJoin('plans', 'plans.id', 'plan_versions.plan_id')
    .select([
      'plan_versions.id',
      'plans.title as planTitle',
      'plan_versions.label',
      'plan_versions.year',
      'plans.start_year as startYear',
      'plans.end_year as endYear',
      'plan_versions.published_at as publishedAt',
      'plan_versions.approved_at as approvedAt',
      'plan_versions.superseded_at as supersededAt',
    ])
    .where('plan_versions.partnership_id', '=', partnershipId)
    .where('plans.partnership_id', '=', partnershipId)
    .where('plan_versions.status', '=', 'published')
    .orderBy('plan_versions.year', 'desc')
    .orderBy('plan_versions.published_at', 'desc')
    .orderBy('plan_versions.id', 'desc')
    .execute();
  return rows;
}

/** The partnerships with at least one published plan, by name, each with its current plan and how many earlier ones. */
export async function publicIndex(db: Kysely<Database>): Promise<PublicIndexEntry[]> {
  const partnerships = await db
    .selectFrom('partnerships')
    .select(['id', 'name', 'slug', 'area_description'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('plan_versions')
          .select('plan_versions.id')
          .whereRef('plan_versions.partnership_id', '=', 'partnerships.id')
          .where('plan_versions.status', '=', 'published'),
      ),
    )
    .orderBy('name')
    .execute();
  const out: PublicIndexEntry[] = [];
  for (const p of partnerships) {
    const versions = await publishedVersionsOf(db, p.id);
    if (versions.length === 0) continue;
    out.push({ name: p.name, slug: p.slug, areaDescription: p.area_description, current: versions[0]!, archived: versions.length - 1 });
  }
  return out;
}

/** A partnership by its public address, with every published version (current first); NotFound when it has none. */
export async function publicPartnership(
  db: Kysely<Database>,
  slug: string,
): Promise<{ partnership: PublicPartnership; versions: PublishedVersionSummary[] }> {
  const partnership = await db.selectFrom('partnerships').select(PARTNERSHIP_COLUMNS).where('slug', '=', slug).executeTakeFirst();
  if (!partnership) throw new NotFoundError('Partnership');
  const versions = await publishedVersionsOf(db, partnership.id);
  if (versions.length === 0) throw new NotFoundError('Published plan');
  return { partnership, versions };
}

/**
 * One published version of a partnership's plans by its public address: the current one without `versionId`, else
 * the one named, which must be a published version of this partnership (NotFound otherwise: drafts are never public).
 */
export async function publicPlan(
  db: Kysely<Database>,
  slug: string,
  versionId?: number,
): Promise<{
  partnership: PublicPartnership;
  versions: PublishedVersionSummary[];
  version: PublishedVersionSummary;
  current: boolean;
  document: PlanDocument;
}> {
  const { partnership, versions } = await publicPartnership(db, slug);
  const version = versionId === undefined ? versions[0]! : versions.find((v) => v.id === versionId);
  if (!version) throw new NotFoundError('Published plan');
  return {
    partnership,
    versions,
    version,
    current: version.id === versions[0]!.id,
    document: await loadPlanDocument(db, partnership.id, version.id),
  };
}

export interface PublicationPreview {
  document: PlanDocument;
  partnership: PublicPartnership;
  /** "How we are doing" as the public will see it once this version is published (suppression applied). */
  performance: PublicPerformance;
  /** The published version this one replaces on the public page (it moves to the archive), if any. */
  replaces: PublishedVersionSummary | null;
  /** True when this version will be the current public plan (no published version of a later year). */
  becomesCurrent: boolean;
}

/** What will become public when an approved version is published: for the confirmation page. */
export async function publicationPreview(db: Kysely<Database>, partnershipId: number, versionId: number): Promise<PublicationPreview> {
  const document = await loadPlanDocument(db, partnershipId, versionId);
  const partnership = await db
    .selectFrom('partnerships')
    .select(PARTNERSHIP_COLUMNS)
    .where('id', '=', partnershipId)
    .executeTakeFirstOrThrow();
  const published = await publishedVersionsOf(db, partnershipId);
  const current = published[0] ?? null;
  const becomesCurrent = current === null || document.version.year >= current.year;
  return {
    document,
    partnership,
    performance: await publicPerformance(db, partnershipId, document),
    replaces: becomesCurrent ? current : null,
    becomesCurrent,
  };
}
