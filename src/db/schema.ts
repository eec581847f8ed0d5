/**
 * Typed schema shared by SQLite and PostgreSQL. Conventions that keep one set of queries on both engines:
 * integer surrogate keys, timestamps as ISO-8601 text, dates as YYYY-MM-DD text, booleans as 0/1 integers,
 * structured values as JSON text.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

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
  created_at: string;
  updated_at: string;
}

export interface PartnershipPopulationsTable {
  id: Generated<number>;
  partnership_id: number;
  year: number;
  population: number;
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
  created_at: string;
  updated_at: string;
}

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
