/**
 * Typed schema shared by SQLite and PostgreSQL. Conventions that keep one set of queries on both engines:
 * integer surrogate keys, timestamps as ISO-8601 text, dates as YYYY-MM-DD text, booleans as 0/1 integers,
 * structured values as JSON text.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { FingertipsValues } from '../../domain/fingertips.ts';

export const ROLES = ['admin', 'editor', 'contributor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ORGANISATION_TYPES = ['responsible_authority', 'co_operating_body', 'voluntary_community', 'other'] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string | null;
  is_platform_admin: number;
  disabled: number;
  oidc_subject: string | null;
  /** 0 when the person has unsubscribed from reminders and chasers (032). */
  email_reminders: ColumnType<number, number | undefined, number>;
  /** 1 when the person asked for the weekly digest of what needs their attention (090). */
  weekly_digest: ColumnType<number, number | undefined, number>;
  created_at: string;
  updated_at: string;
}

export interface PartnershipsTable {
  id: Generated<number>;
  name: string;
  slug: string;
  area_description: string;
  /** Month (1-12) in which the partnership's financial year starts: April (4) for English CSPs. */
  fy_start_month: number;
  /** Figures are due this many working days after their period ends, unless an indicator says otherwise (030). */
  figures_due_working_days: ColumnType<number, number | undefined, number>;
  /** 1: contributors enter figures only for indicators they or their organisation own (030). */
  contributors_own_only: ColumnType<number, number | undefined, number>;
  /** Contact details shown on the public pages (024_public_site). */
  contact_email: Generated<string>;
  contact_phone: Generated<string>;
  contact_address: Generated<string>;
  /** 1 when the public plan document includes the risk registers / the funding and resources; 0 (the default) leaves them out. */
  public_risks: Generated<number>;
  public_funding: Generated<number>;
  /** How risks are scored: 'words' (3x3 high, medium, low) or 'five' (severity and likelihood 1-5). */
  risk_scoring: Generated<RiskScoring>;
  created_at: string;
  updated_at: string;
}

export interface PartnershipPopulationsTable {
  id: Generated<number>;
  partnership_id: number;
  year: number;
  population: number;
}

/** LSOA boundaries (150_official_lsoa_boundaries, ADR 0045): national, replaced whole by each import. */
export interface OfficialLsoaBoundariesTable {
  lsoa_code: string;
  lsoa_name: string;
  /** The census year of the codes ('2011' or '2021'), from the property that held them (LSOA11CD, LSOA21CD). */
  code_year: string;
  /** GeoJSON MultiPolygon coordinates: polygons of rings of [longitude, latitude]. */
  coordinates_json: string;
  min_longitude: number;
  min_latitude: number;
  max_longitude: number;
  max_latitude: number;
}

export interface OrganisationsTable {
  id: Generated<number>;
  partnership_id: number;
  name: string;
  type: OrganisationType;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface MembershipsTable {
  id: Generated<number>;
  partnership_id: number;
  user_id: number;
  role: Role;
  /** The partner organisation the member works for (030), which can own indicators and activities. */
  organisation_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: string;
}

export interface InvitationsTable {
  id: Generated<number>;
  partnership_id: number;
  email: string;
  name: string;
  role: Role;
  token_hash: string;
  invited_by: number;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
}

export interface SessionsTable {
  /** SHA-256 of the token held in the cookie: a stolen database does not yield live sessions. */
  id: string;
  user_id: number;
  current_partnership_id: number | null;
  created_at: string;
  expires_at: string;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  email: string;
  ip: string;
  succeeded: number;
  attempted_at: string;
}

export interface AuditEventsTable {
  id: Generated<number>;
  partnership_id: number | null;
  user_id: number | null;
  actor: string;
  action: 'create' | 'update' | 'delete';
  entity_type: string;
  entity_id: string;
  summary: string;
  before_json: string | null;
  after_json: string | null;
  created_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export const PLAN_STATUSES = ['draft', 'approved', 'published'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export interface PlansTable {
  id: Generated<number>;
  partnership_id: number;
  title: string;
  start_year: number;
  end_year: number;
  created_at: string;
  updated_at: string;
}

/** The original plan and each annual refresh of it. */
export interface PlanVersionsTable {
  id: Generated<number>;
  plan_id: number;
  partnership_id: number;
  label: string;
  /** Financial year the version covers, by its starting calendar year (2010 for 2010/11). */
  year: number;
  status: PlanStatus;
  vision: string;
  foreword: string;
  introduction: string;
  approved_by: string | null;
  approved_at: string | null;
  approval_meeting: string | null;
  published_at: string | null;
  copied_from_version_id: number | null;
  /** When the targets of its indicators were recorded in plan_version_targets (at approval); null while draft. */
  targets_recorded_at: string | null;
  /** When an approval was last withdrawn (back to draft), and why. */
  withdrawn_at: string | null;
  withdrawal_reason: string | null;
  /** When a newer version of the same plan was approved (023_retire_supersede); null while this is the plan's newest approved version. */
  superseded_at: Generated<string | null>;
  /** Whether the public documents of this version show its risk registers and its funding, fixed when it is published from the partnership's settings (170_version_public_parts); null while never published. */
  public_risks: Generated<number | null>;
  public_funding: Generated<number | null>;
  created_at: string;
  updated_at: string;
}

/** A target in force for an indicator serving a priority of the version when the version was approved (012_plan_targets). */
/** A target as recorded with a plan version when it is approved: the target fields of an indicator target. */
export interface PlanVersionTargetsTable extends TargetFields {
  id: Generated<number>;
  plan_version_id: number;
  partnership_id: number;
  priority_id: number;
  indicator_id: number | null;
  indicator_label: string;
  created_at: string;
}
// Declaration merging: the plan version targets table joins Database without editing the interface below.
export interface Database {
  plan_version_targets: PlanVersionTargetsTable;
}
export type PlanVersionTarget = Selectable<PlanVersionTargetsTable>;

export interface PrioritiesTable {
  id: Generated<number>;
  plan_version_id: number;
  partnership_id: number;
  position: number;
  title: string;
  why: string;
  what_we_will_do: string;
  geographical_context: string;
  lead_organisation_id: number | null;
  lead_officer: string;
  copied_from_priority_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface ObjectivesTable {
  id: Generated<number>;
  priority_id: number;
  partnership_id: number;
  position: number;
  title: string;
  description: string;
  copied_from_objective_id: number | null;
  created_at: string;
  updated_at: string;
}

/** A partnership's priority-setting matrix settings (006_assessment_matrix); JSON columns as text. */
export interface AssessmentMatrixSettingsTable {
  id: Generated<number>;
  partnership_id: number;
  volume_weight: number;
  trend_weight: number;
  harm_weight: number;
  concern_weight: number;
  volume_basis: 'count' | 'rate';
  harm_weights_json: string;
  concern_json: string;
  other_issues_json: string;
  updated_at: string;
}

export interface Database {
  users: UsersTable;
  partnerships: PartnershipsTable;
  partnership_populations: PartnershipPopulationsTable;
  organisations: OrganisationsTable;
  memberships: MembershipsTable;
  invitations: InvitationsTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  audit_events: AuditEventsTable;
  api_tokens: ApiTokensTable;
  plans: PlansTable;
  plan_versions: PlanVersionsTable;
  priorities: PrioritiesTable;
  objectives: ObjectivesTable;
  indicators: IndicatorsTable;
  indicator_links: IndicatorLinksTable;
  indicator_baselines: IndicatorBaselinesTable;
  indicator_targets: IndicatorTargetsTable;
  indicator_spc_marks: IndicatorSpcMarksTable;
  figures: FiguresTable;
  rag_overrides: RagOverridesTable;
  performance_settings: PerformanceSettingsTable;
  assessment_matrix_settings: AssessmentMatrixSettingsTable;
}

export type User = Selectable<UsersTable>;
export type Partnership = Selectable<PartnershipsTable>;
export type Organisation = Selectable<OrganisationsTable>;
export type NewOrganisation = Insertable<OrganisationsTable>;
export type OrganisationUpdate = Updateable<OrganisationsTable>;
export type Membership = Selectable<MembershipsTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
export type ApiToken = Selectable<ApiTokensTable>;
export type Plan = Selectable<PlansTable>;
export type PlanVersion = Selectable<PlanVersionsTable>;
export type Priority = Selectable<PrioritiesTable>;
export type Objective = Selectable<ObjectivesTable>;

// ---- Partnership plan detail (migration 003_plans_detail) ----
// Money is integer pence; dates are YYYY-MM-DD text; every table has partnership_id and plan_version_id.

export const RISK_LEVELS = ['high', 'medium', 'low'] as const;
export const RISK_SCORINGS = ['words', 'five'] as const;
export type RiskScoring = (typeof RISK_SCORINGS)[number];
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const DELIVERY_RAGS = ['red', 'amber', 'green'] as const;
export type DeliveryRag = (typeof DELIVERY_RAGS)[number];
export const ACTIVITY_STATUSES = ['not_started', 'in_progress', 'complete', 'delayed', 'cancelled'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
export const RESOURCE_KINDS = ['money', 'staff_time', 'in_kind'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

interface PlanPartRow {
  id: Generated<number>;
  partnership_id: number;
  plan_version_id: number;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface CrossCuttingThemesTable extends PlanPartRow {
  title: string;
  description: string;
  copied_from_theme_id: number | null;
}

export interface ThemePrioritiesTable {
  id: Generated<number>;
  partnership_id: number;
  theme_id: number;
  priority_id: number;
}

export interface DeliveryActivitiesTable extends PlanPartRow {
  objective_id: number;
  title: string;
  lead: string;
  partners: string;
  start_date: string | null;
  due_date: string | null;
  status: ActivityStatus;
  rag: DeliveryRag | null;
  copied_from_activity_id: number | null;
  /** The owner as a user, and their organisation (030); `lead` stays for people without an account. */
  owner_user_id: ColumnType<number | null, number | null | undefined, number | null>;
  owner_organisation_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ActivityUpdatesTable extends PlanPartRow {
  activity_id: number;
  update_date: string;
  note: string;
  rag: DeliveryRag | null;
}

export interface GovernanceGroupsTable extends PlanPartRow {
  name: string;
  purpose: string;
  chair: string;
  /** One organisation per line. */
  member_organisations: string;
  meeting_frequency: string;
  reports_to_group_id: number | null;
  copied_from_group_id: number | null;
}

export interface PriorityResourcesTable extends PlanPartRow {
  priority_id: number;
  kind: ResourceKind;
  description: string;
  amount_pence: number | null;
  funding_source: string;
}

export interface RisksTable extends PlanPartRow {
  priority_id: number;
  risk: string;
  severity: RiskLevel;
  likelihood: RiskLevel;
  mitigation: string;
  responsible_partner: string;
  review_date: string | null;
  copied_from_risk_id: number | null;
  /** 1-5 when the partnership scores risks 5x5 (migration 095): inherent severity and likelihood, and residual. */
  severity_score: number | null;
  likelihood_score: number | null;
  residual_severity_score: number | null;
  residual_likelihood_score: number | null;
  /** The member who owns the risk and their organisation (175_risk_owners); `responsible_partner` stays free text. */
  owner_user_id: ColumnType<number | null, number | null | undefined, number | null>;
  owner_organisation_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface EngagementMethodsTable extends PlanPartRow {
  method: string;
  description: string;
}

export interface CommunicationsEventsTable extends PlanPartRow {
  event_date: string;
  event: string;
  attendees: string;
}

export interface PlanLinksTable extends PlanPartRow {
  title: string;
  url: string;
  relationship: string;
}

export interface FundingStreamsTable extends PlanPartRow {
  name: string;
  funder: string;
  amount_pence: number;
  approval_threshold_pence: number | null;
  notes: string;
  copied_from_stream_id: number | null;
}

export interface FundingAllocationsTable extends PlanPartRow {
  funding_stream_id: number;
  priority_id: number | null;
  project: string;
  amount_pence: number;
  board_approved: number;
  spent_pence: number;
}

// Declaration merging adds the plan detail tables to Database without reorganising the interface above.
export interface Database {
  cross_cutting_themes: CrossCuttingThemesTable;
  theme_priorities: ThemePrioritiesTable;
  delivery_activities: DeliveryActivitiesTable;
  activity_updates: ActivityUpdatesTable;
  governance_groups: GovernanceGroupsTable;
  priority_resources: PriorityResourcesTable;
  risks: RisksTable;
  engagement_methods: EngagementMethodsTable;
  communications_events: CommunicationsEventsTable;
  plan_links: PlanLinksTable;
  funding_streams: FundingStreamsTable;
  funding_allocations: FundingAllocationsTable;
}

export type CrossCuttingTheme = Selectable<CrossCuttingThemesTable>;
export type DeliveryActivity = Selectable<DeliveryActivitiesTable>;
export type ActivityUpdate = Selectable<ActivityUpdatesTable>;
export type GovernanceGroup = Selectable<GovernanceGroupsTable>;
export type PriorityResource = Selectable<PriorityResourcesTable>;
export type Risk = Selectable<RisksTable>;
export type EngagementMethod = Selectable<EngagementMethodsTable>;
export type CommunicationsEvent = Selectable<CommunicationsEventsTable>;
export type PlanLink = Selectable<PlanLinksTable>;
export type FundingStream = Selectable<FundingStreamsTable>;
export type FundingAllocation = Selectable<FundingAllocationsTable>;

export const INDICATOR_UNITS = ['count', 'percentage', 'rate_per_1000', 'rate_per_100000', 'money', 'score'] as const;
export type IndicatorUnit = (typeof INDICATOR_UNITS)[number];
export const POLARITIES = ['higher_is_better', 'lower_is_better', 'monitor'] as const;
export type IndicatorPolarity = (typeof POLARITIES)[number];
export const FREQUENCIES = ['monthly', 'quarterly', 'annual'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const OBA_CATEGORIES = ['how_much', 'how_well', 'better_off'] as const;
export type ObaCategory = (typeof OBA_CATEGORIES)[number];
export const TARGET_KINDS = [
  'absolute',
  'percentage_change',
  'amount_change',
  'rate',
  'cumulative_limit',
  'maintain',
  'to_be_agreed',
] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
export const TARGET_TIERS = ['first', 'second'] as const;
export type TargetTier = (typeof TARGET_TIERS)[number];
export const TRAJECTORY_PROFILES = ['even', 'custom', 'seasonal'] as const;
export type TrajectoryProfile = (typeof TRAJECTORY_PROFILES)[number];
export const RAGS = ['red', 'amber', 'green'] as const;
export type RagStatus = (typeof RAGS)[number];

/** An indicator: a national catalogue entry (partnership_id null, read-only) or a partnership's own. */
export interface IndicatorsTable {
  id: Generated<number>;
  partnership_id: number | null;
  catalogue_indicator_id: number | null;
  code: string;
  title: string;
  definition: string;
  data_source: string;
  unit: IndicatorUnit;
  polarity: IndicatorPolarity;
  frequency: Frequency;
  owner: string;
  /** The owner as a user, and their organisation (030); `owner` stays for people without an account. */
  owner_user_id: ColumnType<number | null, number | null | undefined, number | null>;
  owner_organisation_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Working days after the period ends when figures are due; null: the partnership's default (030). */
  due_working_days: ColumnType<number | null, number | null | undefined, number | null>;
  /** First period whose figure is expected; null: from the start of the current financial year (030). */
  collect_from: ColumnType<string | null, string | null | undefined, string | null>;
  oba_category: ObaCategory;
  /** 1 when the indicator's latest figure appears on the public summary (with small-number suppression). */
  is_public: Generated<number>;
  /** The last period the indicator is reported for (a period key), once retired; null while live (023_retire_supersede). */
  retired_after: Generated<string | null>;
  retirement_reason: Generated<string | null>;
  retired_at: Generated<string | null>;
  /** The indicator that replaces this retired one, if any (100_indicator_superseded_by). */
  superseded_by_indicator_id: Generated<number | null>;
  /** How the annual target is spread over the year: 'even', 'custom' or 'seasonal'; null for none (086). */
  trajectory: ColumnType<TrajectoryProfile | null, TrajectoryProfile | null | undefined, TrajectoryProfile | null>;
  /** A custom trajectory's percentages of the year, period by period, like "20,25,30,25" (086). */
  trajectory_shares: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: string;
  updated_at: string;
}

export interface IndicatorLinksTable {
  id: Generated<number>;
  indicator_id: number;
  partnership_id: number;
  priority_id: number | null;
  objective_id: number | null;
  created_at: string;
}

export interface IndicatorBaselinesTable {
  id: Generated<number>;
  indicator_id: number;
  partnership_id: number;
  value: number;
  period: string;
  source: string;
  created_at: string;
  updated_at: string;
}

/** What a target says (its kind, value, direction, period...), shared by indicator targets and recorded plan targets. */
export type TargetFields = Pick<
  IndicatorTargetsTable,
  'kind' | 'value' | 'direction' | 'rate_per' | 'comparison' | 'by_period' | 'span_from' | 'span_to' | 'note'
>;

export interface IndicatorTargetsTable {
  id: Generated<number>;
  indicator_id: number;
  partnership_id: number;
  kind: TargetKind;
  value: number | null;
  direction: 'reduce' | 'increase' | null;
  rate_per: number | null;
  comparison: 'at_most' | 'at_least' | null;
  by_period: string | null;
  span_from: string | null;
  span_to: string | null;
  note: string;
  /** 'first', or 'second' for a target judged beside the first (a national one beside a local stretch) (086). */
  tier: ColumnType<TargetTier, TargetTier | undefined, TargetTier>;
  /** The target's own name, like "Local stretch"; empty for none (086). */
  label: ColumnType<string, string | undefined, string>;
  created_at: string;
  updated_at: string;
}

/** An indicator's XmR setting (issue 16): a change date starting a new phase, or an excluded or annotated point. */
export interface IndicatorSpcMarksTable {
  id: Generated<number>;
  indicator_id: number;
  partnership_id: number;
  kind: 'phase' | 'point';
  period: string;
  baseline_to: string | null;
  excluded: 0 | 1;
  reason: string;
  note: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** A figure for one period; a revision supersedes the previous figure, which is kept as history. */
export interface FiguresTable {
  id: Generated<number>;
  indicator_id: number;
  partnership_id: number;
  period: string;
  value: number;
  /** A percentage's or a rate's numerator and denominator (81 of 263; 152 in a population of 87,000), or null (120). */
  numerator: number | null;
  denominator: number | null;
  note: string;
  source: string;
  entered_by: string;
  entered_by_user_id: number | null;
  entered_at: string;
  superseded_at: string | null;
}

export interface RagOverridesTable {
  id: Generated<number>;
  indicator_id: number;
  partnership_id: number;
  period: string;
  rag: RagStatus;
  rule_rag: RagStatus | null;
  reason: string;
  created_by: string;
  created_at: string;
  removed_at: string | null;
}

export interface PerformanceSettingsTable {
  partnership_id: number;
  amber_tolerance_percent: number;
  /** Counts from 1 to one below this are published as "<threshold" (default 5). */
  suppression_threshold: Generated<number>;
  updated_at: string;
}

export type Indicator = Selectable<IndicatorsTable>;
export type IndicatorBaseline = Selectable<IndicatorBaselinesTable>;
export type IndicatorTarget = Selectable<IndicatorTargetsTable>;
export type IndicatorSpcMark = Selectable<IndicatorSpcMarksTable>;
export type Figure = Selectable<FiguresTable>;
export type RagOverrideRecord = Selectable<RagOverridesTable>;

// ---- Commentary and highlight reports (migration 008_commentary_highlights) ----

/** The lead's commentary on one period of an indicator; a revision supersedes the current text, kept as history. */
export interface IndicatorCommentaryTable {
  id: Generated<number>;
  indicator_id: number;
  partnership_id: number;
  period: string;
  text: string;
  written_by: string;
  written_by_user_id: number | null;
  written_at: string;
  superseded_at: string | null;
}

/** A priority group's monthly highlight report to the Board: one per priority and month. */
export interface HighlightReportsTable {
  id: Generated<number>;
  partnership_id: number;
  priority_id: number;
  /** 'YYYY-MM' */
  month: string;
  progress: string;
  milestones_achieved: string;
  milestones_next: string;
  issues_risks: string;
  board_requests: string;
  rag: RagStatus | null;
  written_by: string;
  written_by_user_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  indicator_commentary: IndicatorCommentaryTable;
  highlight_reports: HighlightReportsTable;
}

export type IndicatorCommentary = Selectable<IndicatorCommentaryTable>;
export type HighlightReport = Selectable<HighlightReportsTable>;

// ---- Annual reviews and generated documents (migration 009_documents_review) ----

/** The review of a plan over a span of financial years (2018 to 2021 for 2018/19 to 2020/21). */
export interface ReviewsTable {
  id: Generated<number>;
  partnership_id: number;
  title: string;
  start_year: number;
  /** The year after the last financial year covered, as for plans: 2021 for a review to 2020/21. */
  end_year: number;
  plan_version_id: number | null;
  introduction: string;
  created_at: string;
  updated_at: string;
}

export interface ReviewPrioritiesTable {
  id: Generated<number>;
  review_id: number;
  partnership_id: number;
  position: number;
  title: string;
  narrative: string;
  /** One key output per line. */
  key_outputs: string;
  priority_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface ReviewAreasTable {
  id: Generated<number>;
  review_priority_id: number;
  review_id: number;
  partnership_id: number;
  position: number;
  title: string;
  narrative: string;
  indicator_ids_json: string;
  objective_id: number | null;
  created_at: string;
  updated_at: string;
}

export const DOCUMENT_KINDS = ['board_pack', 'annual_review', 'plan_document', 'meeting_pack'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const DOCUMENT_FORMATS = ['pdf', 'docx'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
export const JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A document generation: asked for, then queued, running, done (with the file) or failed (with the reason). */
export interface DocumentJobsTable {
  id: Generated<number>;
  partnership_id: number;
  kind: DocumentKind;
  format: DocumentFormat;
  title: string;
  params_json: string;
  status: JobStatus;
  progress: number;
  stage: string;
  error: string | null;
  requested_by_user_id: number | null;
  requested_by: string;
  requested_by_name: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  heartbeat_at: string;
  /** How many times an instance has claimed the job (014_document_job_lease). */
  attempts: ColumnType<number, number | undefined, number>;
  /** Until when the instance that claimed it holds it; renewed while it works. */
  lease_expires_at: string | null;
  /** Which runner holds it (host, process and a random part), while running. */
  claimed_by: string | null;
  /** The request that asked for the job (its X-Request-Id), carried into the job's log lines (070). */
  request_id: string | null;
  file_name: string | null;
  content_type: string | null;
  size_bytes: number | null;
  content: Buffer | null;
}

export interface Database {
  reviews: ReviewsTable;
  review_priorities: ReviewPrioritiesTable;
  review_areas: ReviewAreasTable;
  document_jobs: DocumentJobsTable;
}

export type Review = Selectable<ReviewsTable>;
export type ReviewPriority = Selectable<ReviewPrioritiesTable>;
export type ReviewArea = Selectable<ReviewAreasTable>;
export type DocumentJob = Selectable<DocumentJobsTable>;
/** Raised with every audited change to a partnership's data; caches are keyed on it (migration 013_perf). */
export interface PartnershipVersionsTable {
  partnership_id: number;
  version: number;
}

export interface Database {
  partnership_versions: PartnershipVersionsTable;
}

// ---------- Meetings, decisions and actions; scrutiny; the statutory calendar (060_meetings, 061_statutory_calendar) ----------

export const ATTENDANCES = ['expected', 'attended', 'apologies', 'absent'] as const;
export type Attendance = (typeof ATTENDANCES)[number];
/** What an agenda item is about: a plain item, something the app holds, an exception raised, or an item escalated from another group. */
export const AGENDA_ITEM_KINDS = [
  'item',
  'board_pack',
  'exception_report',
  'highlight_report',
  'risk',
  'indicator',
  'exception',
  'escalation',
] as const;
export type AgendaItemKind = (typeof AGENDA_ITEM_KINDS)[number];
export const ACTION_STATUSES = ['open', 'in_progress', 'closed'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const SCRUTINY_STATUSES = ['awaiting', 'accepted', 'partly_accepted', 'not_accepted'] as const;
export type ScrutinyStatus = (typeof SCRUTINY_STATUSES)[number];
export const DUTY_RECURRENCES = ['annual', 'three_yearly', 'one_off'] as const;
export type DutyRecurrence = (typeof DUTY_RECURRENCES)[number];

export interface MeetingsTable {
  id: Generated<number>;
  partnership_id: number;
  governance_group_id: number | null;
  group_name: string;
  title: string;
  starts_at: string;
  duration_minutes: number;
  location: string;
  paper_deadline: string | null;
  minutes: string;
  created_at: string;
  updated_at: string;
}

export interface MeetingAttendeesTable {
  id: Generated<number>;
  partnership_id: number;
  meeting_id: number;
  user_id: number | null;
  organisation_id: number | null;
  name: string;
  attendance: Attendance;
  created_at: string;
}

export interface MeetingAgendaItemsTable {
  id: Generated<number>;
  partnership_id: number;
  meeting_id: number;
  position: number;
  kind: AgendaItemKind;
  title: string;
  notes: string;
  presenter: string;
  /** The member who presents it (160), if one was chosen: reminded before the paper deadline. */
  presenter_user_id: number | null;
  quarter: string | null;
  highlight_report_id: number | null;
  risk_id: number | null;
  indicator_id: number | null;
  escalated_from_item_id: number | null;
  created_at: string;
}

export interface MeetingPapersTable {
  id: Generated<number>;
  partnership_id: number;
  meeting_id: number;
  agenda_item_id: number | null;
  title: string;
  url: string;
  document_job_id: number | null;
  added_by: string;
  added_at: string;
  /** An uploaded paper: the file's name, type and size (its bytes are in meeting_paper_files); null for a link. */
  file_name: string | null;
  content_type: string | null;
  size_bytes: number | null;
}

export interface MeetingPaperFilesTable {
  paper_id: number;
  partnership_id: number;
  content: Buffer;
}

export interface MeetingDecisionsTable {
  id: Generated<number>;
  partnership_id: number;
  meeting_id: number;
  agenda_item_id: number;
  decision: string;
  recorded_by: string;
  created_at: string;
}

export interface ScrutinyRecommendationsTable {
  id: Generated<number>;
  partnership_id: number;
  committee: string;
  received_on: string;
  recommendation: string;
  response_status: ScrutinyStatus;
  response: string;
  responded_on: string | null;
  created_at: string;
  updated_at: string;
}

export interface MeetingActionsTable {
  id: Generated<number>;
  partnership_id: number;
  governance_group_id: number | null;
  group_name: string;
  meeting_id: number | null;
  agenda_item_id: number | null;
  scrutiny_recommendation_id: number | null;
  title: string;
  owner_user_id: number | null;
  owner_name: string;
  due_date: string | null;
  status: ActionStatus;
  closed_on: string | null;
  priority_id: number | null;
  objective_id: number | null;
  activity_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface ActionUpdatesTable {
  id: Generated<number>;
  partnership_id: number;
  action_id: number;
  meeting_id: number | null;
  update_date: string;
  note: string;
  status: ActionStatus;
  written_by: string;
  written_by_user_id: number | null;
  created_at: string;
}

export interface StatutoryDutiesTable {
  id: Generated<number>;
  partnership_id: number;
  standard_key: string | null;
  title: string;
  description: string;
  legal_basis: string;
  recurrence: DutyRecurrence;
  due_date: string;
  created_at: string;
  updated_at: string;
}

export interface DutyCompletionsTable {
  id: Generated<number>;
  partnership_id: number;
  duty_id: number;
  due_date: string;
  completed_on: string;
  evidence: string;
  evidence_url: string;
  decision_id: number | null;
  recorded_by: string;
  recorded_by_user_id: number | null;
  created_at: string;
}

export interface CalendarFeedTokensTable {
  id: Generated<number>;
  partnership_id: number;
  user_id: number;
  token_hash: string;
  created_at: string;
}

export interface Database {
  meetings: MeetingsTable;
  meeting_attendees: MeetingAttendeesTable;
  meeting_agenda_items: MeetingAgendaItemsTable;
  meeting_papers: MeetingPapersTable;
  meeting_paper_files: MeetingPaperFilesTable;
  meeting_decisions: MeetingDecisionsTable;
  scrutiny_recommendations: ScrutinyRecommendationsTable;
  meeting_actions: MeetingActionsTable;
  action_updates: ActionUpdatesTable;
  statutory_duties: StatutoryDutiesTable;
  duty_completions: DutyCompletionsTable;
  calendar_feed_tokens: CalendarFeedTokensTable;
}

export type Meeting = Selectable<MeetingsTable>;
export type MeetingAttendee = Selectable<MeetingAttendeesTable>;
export type MeetingAgendaItem = Selectable<MeetingAgendaItemsTable>;
export type MeetingPaper = Selectable<MeetingPapersTable>;
export type MeetingDecision = Selectable<MeetingDecisionsTable>;
export type ScrutinyRecommendation = Selectable<ScrutinyRecommendationsTable>;
export type MeetingAction = Selectable<MeetingActionsTable>;
export type ActionUpdate = Selectable<ActionUpdatesTable>;
export type StatutoryDuty = Selectable<StatutoryDutiesTable>;
export type DutyCompletion = Selectable<DutyCompletionsTable>;

/** Official data for the evidence base (050_official_data, ADR 0028): national tables, not a partnership's. */
export interface OfficialCspsTable {
  id: Generated<number>;
  name: string;
  force_name: string;
}

export interface OfficialOffencesTable {
  id: Generated<number>;
  code: string;
  description: string;
  offence_group: string;
  offence_subgroup: string;
}

export interface OfficialCrimeCountsTable {
  csp_id: number;
  offence_id: number;
  /** The year the financial year starts in: 2022 for 2022/23. */
  financial_year: number;
  quarter: number;
  count: number;
}

export interface OfficialPopulationsTable {
  id: Generated<number>;
  area_code: string;
  area_name: string;
  geography: string;
  /** Mid-year: 2022 for the mid-2022 estimate. */
  year: number;
  population: number;
  area_sq_km: number | null;
}

/** The English Indices of Deprivation 2019 by LSOA (File 7, migration 135, ADR 0044). */
export interface OfficialDeprivationTable {
  lsoa_code: string;
  lsoa_name: string;
  la_code: string;
  la_name: string;
  imd_score: number;
  imd_rank: number;
  /** 1 = the most deprived 10% of LSOAs in England. */
  imd_decile: number;
  crime_score: number;
  crime_rank: number;
  crime_decile: number;
  /** Total population mid-2015 (excluding prisoners), the indices' denominator. */
  population: number;
}

/** OHID Fingertips indicator values by area and time period (migration 155, ADR 0046). */
/** The value columns are named as FingertipsValues' fields. */
export interface OfficialFingertipsTable extends FingertipsValues {
  id: Generated<number>;
  indicator_id: number;
  indicator_name: string;
  area_code: string;
  area_name: string;
  area_type: string;
  sex: string;
  age: string;
  /** Empty for the headline value; else a breakdown such as a deprivation decile. */
  category_type: string;
  category: string;
  /** As Fingertips writes it: 2022, 2022/23, 2020/21 - 22/23. */
  time_period: string;
  value_note: string;
  compared_to_england: string;
}

/** DfT road casualty statistics (STATS19): one row per reported collision (migration 155, ADR 0046). */
export interface OfficialRoadCollisionsTable {
  collision_index: string;
  year: number;
  /** YYYY-MM-DD. */
  collision_date: string;
  /** 1 fatal, 2 serious, 3 slight (the most severe casualty's). */
  severity: number;
  casualties: number;
  /** ONS local authority district code; empty when the file gives none. */
  la_code: string;
  lsoa_code: string;
  police_force: number | null;
  longitude: number | null;
  latitude: number | null;
}

export interface OfficialDataImportsTable {
  id: Generated<number>;
  kind: 'crime' | 'population' | 'deprivation' | 'boundaries' | 'fingertips' | 'roads';
  file_name: string;
  status: 'running' | 'done' | 'failed';
  stage: string;
  rows_read: number;
  rows_written: number;
  /** The years the file held, comma-separated. */
  years: string;
  message: string;
  /** Row-level problems: [{ row, sheet?, column, value, message }]. */
  errors_json: string;
  started_by: number | null;
  started_at: string;
  finished_at: string | null;
}

/** A partnership's Home Office CSP and its peer group: computed most-similar, or CSP names chosen by hand. */
export interface PartnershipOfficialLinksTable {
  id: Generated<number>;
  partnership_id: number;
  csp_name: string;
  peer_method: 'computed' | 'chosen';
  /** CSP names, one per line (chosen peers). */
  peers: string;
  updated_at: string;
}

export interface Database {
  official_csps: OfficialCspsTable;
  official_offences: OfficialOffencesTable;
  official_crime_counts: OfficialCrimeCountsTable;
  official_populations: OfficialPopulationsTable;
  official_deprivation: OfficialDeprivationTable;
  official_lsoa_boundaries: OfficialLsoaBoundariesTable;
  official_data_imports: OfficialDataImportsTable;
  official_fingertips: OfficialFingertipsTable;
  official_road_collisions: OfficialRoadCollisionsTable;
  partnership_official_links: PartnershipOfficialLinksTable;
}

// ---- Durable jobs and email (migration 031_jobs_mail, decision 0023) ----

/** Work any instance may do, claimed with a lease (src/adapters/jobs/jobQueue.ts). */
export interface JobsTable {
  id: Generated<number>;
  /** What to do: 'email' sends payload_json's message. */
  kind: string;
  partnership_id: number | null;
  /** Unique: the same reminder scheduled twice (two instances) is one job. */
  dedupe_key: string | null;
  payload_json: string;
  status: JobStatus;
  attempts: ColumnType<number, number | undefined, number>;
  /** Not claimed before this time (retries back off by moving it). */
  run_at: string;
  lease_expires_at: string | null;
  claimed_by: string | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

/** Every email sent, or logged when no SMTP server is configured (the outbox). */
export interface EmailsTable {
  id: Generated<number>;
  job_id: number | null;
  partnership_id: number | null;
  to_address: string;
  subject: string;
  text_body: string;
  status: 'sent' | 'logged';
  message_id: string | null;
  created_at: string;
}

export interface Database {
  jobs: JobsTable;
  emails: EmailsTable;
}

// ---- Police.uk imports seen by every instance (migration 131_crime_imports, decision 0038) ----

/** One police.uk import: its progress, summary and errors as JSON; the running instance renews heartbeat_at. */
export interface CrimeImportsTable {
  id: string;
  partnership_id: number;
  source: string;
  started_by: string;
  started_at: string;
  heartbeat_at: string;
  finished: ColumnType<number, number | undefined, number>;
  progress: string | null;
  summary: string | null;
  errors: ColumnType<string, string | undefined, string>;
}

/** A (month, force) being imported: one import at a time each, across instances; lease_until lets a stopped instance's claim go. */
export interface CrimeImportClaimsTable {
  month: string;
  force: string;
  import_id: string;
  lease_until: string;
}

export interface Database {
  crime_imports: CrimeImportsTable;
  crime_import_claims: CrimeImportClaimsTable;
}

export type Job = Selectable<JobsTable>;
export type Email = Selectable<EmailsTable>;

/** A forgotten-password request (032): the emailed token's hash when the address has an account; used once. */
export interface PasswordResetsTable {
  id: Generated<number>;
  email: string;
  user_id: number | null;
  token_hash: string | null;
  ip: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface Database {
  password_resets: PasswordResetsTable;
}
