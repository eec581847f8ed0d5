/**
 * Runs the migrations, in order, on either engine. Migrations are imported statically (no folder scanning)
 * so the same list is used by `npm start`, tests and /health.
 */
import { Migrator, type Migration, type MigrationProvider, type MigrationInfo } from 'kysely';
import type { Db } from './database.ts';
import { foundation } from './migrations/001_foundation.ts';
import { plansCore } from './migrations/002_plans_core.ts';
import { performance } from './migrations/004_performance.ts';
import { plansDetail } from './migrations/003_plans_detail.ts';
import { assessment } from './migrations/005_assessment.ts';
import { assessmentMatrix } from './migrations/006_assessment_matrix.ts';
import { disclosure } from './migrations/007_disclosure.ts';
import { commentaryHighlights } from './migrations/008_commentary_highlights.ts';
import { planTargets } from './migrations/012_plan_targets.ts';
import { documentsReview } from './migrations/009_documents_review.ts';
import { perf } from './migrations/013_perf.ts';
import { documentJobLease } from './migrations/014_document_job_lease.ts';
import { meetings } from './migrations/060_meetings.ts';
import { statutoryCalendar } from './migrations/061_statutory_calendar.ts';
import { documentJobRequestId } from './migrations/070_document_job_request_id.ts';
import { riskScores } from './migrations/095_risk_scores.ts';
import { officialData } from './migrations/050_official_data.ts';
import { collectionOwners } from './migrations/030_collection_owners.ts';
import { jobsMail } from './migrations/031_jobs_mail.ts';
import { passwordResetPreferences } from './migrations/032_password_reset_preferences.ts';
import { weeklyDigest } from './migrations/090_weekly_digest.ts';
import { retireSupersede } from './migrations/023_retire_supersede.ts';
import { publicSite } from './migrations/024_public_site.ts';
import { spcMarks } from './migrations/085_spc_marks.ts';
import { targetTiersTrajectory } from './migrations/086_target_tiers_trajectory.ts';
import { indicatorSupersededBy } from './migrations/100_indicator_superseded_by.ts';
import { figureFractions } from './migrations/120_figure_fractions.ts';
import { meetingPaperFiles } from './migrations/115_meeting_paper_files.ts';
import { officialDeprivation } from './migrations/135_official_deprivation.ts';
import { versionPublicParts } from './migrations/170_version_public_parts.ts';
import { officialLsoaBoundaries } from './migrations/150_official_lsoa_boundaries.ts';
import { officialHealthAndRoads } from './migrations/155_official_health_and_roads.ts';
import { agendaPresenterUser } from './migrations/160_agenda_presenter_user.ts';
import { riskOwners } from './migrations/175_risk_owners.ts';
import { sharedCrimeStore } from './migrations/130_shared_crime_store.ts';
import { crimeImports } from './migrations/131_crime_imports.ts';
import { crimeRecordsByMonth } from './migrations/165_crime_records_by_month.ts';

function migrations(db: Db): Record<string, Migration> {
  return {
    '001_foundation': foundation(db.engine),
    '002_plans_core': plansCore(db.engine),
    '004_performance': performance(db.engine),
    '003_plans_detail': plansDetail(db.engine),
    '005_assessment': assessment(db.engine),
    '006_assessment_matrix': assessmentMatrix(db.engine),
    '007_disclosure': disclosure(db.engine),
    '008_commentary_highlights': commentaryHighlights(db.engine),
    '012_plan_targets': planTargets(db.engine),
    '009_documents_review': documentsReview(db.engine),
    '013_perf': perf(db.engine),
    '014_document_job_lease': documentJobLease(db.engine),
    '060_meetings': meetings(db.engine),
    '061_statutory_calendar': statutoryCalendar(db.engine),
    '070_document_job_request_id': documentJobRequestId(db.engine),
    '095_risk_scores': riskScores(db.engine),
    '050_official_data': officialData(db.engine),
    '030_collection_owners': collectionOwners(db.engine),
    '031_jobs_mail': jobsMail(db.engine),
    '032_password_reset_preferences': passwordResetPreferences(db.engine),
    '023_retire_supersede': retireSupersede(db.engine),
    '024_public_site': publicSite(db.engine),
    '085_spc_marks': spcMarks(db.engine),
    '086_target_tiers_trajectory': targetTiersTrajectory(db.engine),
    '100_indicator_superseded_by': indicatorSupersededBy(db.engine),
    '120_figure_fractions': figureFractions(db.engine),
    '090_weekly_digest': weeklyDigest(db.engine),
    '115_meeting_paper_files': meetingPaperFiles(db.engine),
    '135_official_deprivation': officialDeprivation(db.engine),
    '160_agenda_presenter_user': agendaPresenterUser(db.engine),
    '130_shared_crime_store': sharedCrimeStore(db.engine),
    '131_crime_imports': crimeImports(db.engine),
    '170_version_public_parts': versionPublicParts(db.engine),
    '150_official_lsoa_boundaries': officialLsoaBoundaries(db.engine),
    '155_official_health_and_roads': officialHealthAndRoads(db.engine),
    '165_crime_records_by_month': crimeRecordsByMonth(db.engine),
    '175_risk_owners': riskOwners(db.engine),
  };
}

function migrator(db: Db): Migrator {
  const provider: MigrationProvider = { getMigrations: async () => migrations(db) };
  return new Migrator({ db: db.kysely, provider });
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`Migration failed: ${JSON.stringify(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export interface MigrationState {
  applied: string[];
  pending: string[];
}

export async function migrationState(db: Db): Promise<MigrationState> {
  const all: readonly MigrationInfo[] = await migrator(db).getMigrations();
  return {
    applied: all.filter((m) => m.executedAt !== undefined).map((m) => m.name),
    pending: all.filter((m) => m.executedAt === undefined).map((m) => m.name),
  };
}
