/**
 * What a whole-partnership export holds, table by table: one entry per database table, listing its columns and
 * what each one is (the row's own id, a reference to another exported row, a user, plain data...). The exporter
 * (partnershipExport.ts), the file validator and the importer (partnershipImport.ts) are driven by this list
 * alone, so exporting a new table is one entry here. Tables and columns deliberately left out are listed with
 * the reason; test/services/partnershipTransfer.test.ts fails when the migrated database has a table or column
 * that is in neither list. The order is the import order: a table comes after every table it refers to (other
 * than itself).
 */
import {
  ACTIVITY_STATUSES,
  DELIVERY_RAGS,
  FREQUENCIES,
  INDICATOR_UNITS,
  OBA_CATEGORIES,
  ORGANISATION_TYPES,
  PLAN_STATUSES,
  POLARITIES,
  RAGS,
  RESOURCE_KINDS,
  RISK_LEVELS,
  RISK_SCORINGS,
  ROLES,
  ACTION_STATUSES,
  AGENDA_ITEM_KINDS,
  ATTENDANCES,
  DUTY_RECURRENCES,
  SCRUTINY_STATUSES,
  TARGET_KINDS,
  TARGET_TIERS,
  TRAJECTORY_PROFILES,
} from '../../adapters/database/schema.ts';

/** The file's format name and the one version this code writes and reads. */
export const TRANSFER_FORMAT = 'csphub-partnership';
export const TRANSFER_FORMAT_VERSION = 1;

/**
 * `figure`: a figure, baseline or target value (finite, 0 to MAX_FIGURE_VALUE); `period`: a period key such as 2019-04;
 * `bytes`: a file's bytes (an uploaded paper), written in the file as base64 text.
 */
export type ValueKind = 'integer' | 'number' | 'figure' | 'period' | 'text' | 'boolean' | 'json' | 'timestamp' | 'date' | 'bytes';

export type ColumnSpec =
  /** The row's own identifier: kept in the file, replaced by a new one on import. */
  | { kind: 'id' }
  /** The exported partnership's id (the tenant column): must equal tables.partnerships[0].id. */
  | { kind: 'partnership' }
  /** The id of a row in another exported table (or this one). */
  | { kind: 'ref'; table: string; nullable?: boolean; /** Used when an older file lacks the column. */ default?: null }
  /**
   * A JSON list of ids of rows in another exported table, stored as JSON text (a review area's indicators). Ids
   * with no row in the file (an indicator deleted since) are dropped on import, as the app ignores them too.
   */
  | { kind: 'ref_list'; table: string }
  /** The id of a person in tables.users, matched on import to an existing account by email. */
  | { kind: 'user'; nullable: boolean; /** Used when an older file lacks the column. */ default?: null }
  /** An entry of the national indicator catalogue, which every instance has: written as its code ("NI 15"). */
  | { kind: 'catalogue' }
  | { kind: ValueKind; nullable?: boolean; enum?: readonly string[]; /** Used when an older file lacks the column. */ default?: unknown };

export interface TableSpec {
  table: string;
  /** How the table's rows that belong to the partnership are found. */
  scope: 'partnership_id' | 'partnership' | 'users';
  /** The primary key, which also orders the rows in the file. */
  key: string;
  columns: Record<string, ColumnSpec>;
  /** What to do on import with a row whose person has no account here (only for tables with a non-null user column). */
  unmatchedUser?: 'leave-out';
  /** Rows read at a time on export when not PAGE_SIZE: a table of files (up to 20 MB each) is read one row at a time. */
  pageSize?: number;
}

const P = { kind: 'partnership' } as const;
const ID = { kind: 'id' } as const;
const TEXT = { kind: 'text' } as const;
const TEXT_NULL = { kind: 'text', nullable: true } as const;
const INT = { kind: 'integer' } as const;
const INT_NULL = { kind: 'integer', nullable: true } as const;
const NUM = { kind: 'number' } as const;
const FIGURE = { kind: 'figure' } as const;
const PERIOD = { kind: 'period' } as const;
const TS = { kind: 'timestamp' } as const;
const TS_NULL = { kind: 'timestamp', nullable: true } as const;
const DATE_NULL = { kind: 'date', nullable: true } as const;
const ref = (table: string, nullable = false) => ({ kind: 'ref', table, nullable }) as const;
/** An owner (030_collection_owners, risks 175_risk_owners): a person and an organisation, null in files written before owners existed. */
const owners = {
  owner_user_id: { kind: 'user', nullable: true, default: null },
  owner_organisation_id: { kind: 'ref', table: 'organisations', nullable: true, default: null },
} as const;
const oneOf = (values: readonly string[], nullable = false) => ({ kind: 'text', enum: values, nullable }) as const;

/** Columns every plan part has (003_plans_detail). */
const part = { id: ID, partnership_id: P, plan_version_id: ref('plan_versions'), position: INT } as const;
const stamps = { created_at: TS, updated_at: TS } as const;

export const TRANSFER_TABLES: TableSpec[] = [
  // People are written with their email and name only, so the importing instance can match them to its accounts.
  { table: 'users', scope: 'users', key: 'id', columns: { id: ID, email: TEXT, name: TEXT } },
  {
    table: 'partnerships',
    scope: 'partnership',
    key: 'id',
    columns: {
      id: ID,
      name: TEXT,
      slug: TEXT,
      area_description: TEXT,
      fy_start_month: INT,
      figures_due_working_days: { kind: 'integer', default: 10 },
      contributors_own_only: { kind: 'boolean', default: false },
      contact_email: { kind: 'text', default: '' },
      contact_phone: { kind: 'text', default: '' },
      contact_address: { kind: 'text', default: '' },
      public_risks: { kind: 'boolean', default: false },
      public_funding: { kind: 'boolean', default: false },
      risk_scoring: { kind: 'text', enum: RISK_SCORINGS, default: 'words' },
      ...stamps,
    },
  },
  {
    table: 'partnership_populations',
    scope: 'partnership_id',
    key: 'id',
    columns: { id: ID, partnership_id: P, year: INT, population: INT },
  },
  {
    table: 'organisations',
    scope: 'partnership_id',
    key: 'id',
    columns: { id: ID, partnership_id: P, name: TEXT, type: oneOf(ORGANISATION_TYPES), description: TEXT, ...stamps },
  },
  {
    table: 'memberships',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      user_id: { kind: 'user', nullable: false },
      role: oneOf(ROLES),
      organisation_id: { kind: 'ref', table: 'organisations', nullable: true, default: null },
      created_at: TS,
    },
    unmatchedUser: 'leave-out',
  },
  {
    table: 'plans',
    scope: 'partnership_id',
    key: 'id',
    columns: { id: ID, partnership_id: P, title: TEXT, start_year: INT, end_year: INT, ...stamps },
  },
  {
    table: 'plan_versions',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      plan_id: ref('plans'),
      partnership_id: P,
      label: TEXT,
      year: INT,
      status: oneOf(PLAN_STATUSES),
      vision: TEXT,
      foreword: TEXT,
      introduction: TEXT,
      approved_by: TEXT_NULL,
      approved_at: TS_NULL,
      approval_meeting: TEXT_NULL,
      published_at: TS_NULL,
      targets_recorded_at: { kind: 'timestamp', nullable: true, default: null },
      withdrawn_at: { kind: 'timestamp', nullable: true, default: null },
      withdrawal_reason: { kind: 'text', nullable: true, default: null },
      superseded_at: { kind: 'timestamp', nullable: true, default: null },
      public_risks: { kind: 'boolean', nullable: true, default: null },
      public_funding: { kind: 'boolean', nullable: true, default: null },
      copied_from_version_id: ref('plan_versions', true),
      ...stamps,
    },
  },
  {
    table: 'priorities',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      plan_version_id: ref('plan_versions'),
      partnership_id: P,
      position: INT,
      title: TEXT,
      why: TEXT,
      what_we_will_do: TEXT,
      geographical_context: TEXT,
      lead_organisation_id: ref('organisations', true),
      lead_officer: TEXT,
      copied_from_priority_id: ref('priorities', true),
      ...stamps,
    },
  },
  {
    table: 'objectives',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      priority_id: ref('priorities'),
      partnership_id: P,
      position: INT,
      title: TEXT,
      description: TEXT,
      copied_from_objective_id: ref('objectives', true),
      ...stamps,
    },
  },
  {
    table: 'cross_cutting_themes',
    scope: 'partnership_id',
    key: 'id',
    columns: { ...part, title: TEXT, description: TEXT, copied_from_theme_id: ref('cross_cutting_themes', true), ...stamps },
  },
  {
    table: 'theme_priorities',
    scope: 'partnership_id',
    key: 'id',
    columns: { id: ID, partnership_id: P, theme_id: ref('cross_cutting_themes'), priority_id: ref('priorities') },
  },
  {
    table: 'delivery_activities',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      ...part,
      objective_id: ref('objectives'),
      title: TEXT,
      lead: TEXT,
      partners: TEXT,
      start_date: DATE_NULL,
      due_date: DATE_NULL,
      status: oneOf(ACTIVITY_STATUSES),
      rag: oneOf(DELIVERY_RAGS, true),
      copied_from_activity_id: ref('delivery_activities', true),
      ...owners,
      ...stamps,
    },
  },
  {
    table: 'activity_updates',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      ...part,
      activity_id: ref('delivery_activities'),
      update_date: { kind: 'date' },
      note: TEXT,
      rag: oneOf(DELIVERY_RAGS, true),
      ...stamps,
    },
  },
  {
    table: 'governance_groups',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      ...part,
      name: TEXT,
      purpose: TEXT,
      chair: TEXT,
      member_organisations: TEXT,
      meeting_frequency: TEXT,
      reports_to_group_id: ref('governance_groups', true),
      copied_from_group_id: ref('governance_groups', true),
      ...stamps,
    },
  },
  {
    table: 'priority_resources',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      ...part,
      priority_id: ref('priorities'),
      kind: oneOf(RESOURCE_KINDS),
      description: TEXT,
      amount_pence: INT_NULL,
      funding_source: TEXT,
      ...stamps,
    },
  },
  {
    table: 'risks',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      ...part,
      priority_id: ref('priorities'),
      risk: TEXT,
      severity: oneOf(RISK_LEVELS),
      likelihood: oneOf(RISK_LEVELS),
      mitigation: TEXT,
      responsible_partner: TEXT,
      review_date: DATE_NULL,
      copied_from_risk_id: ref('risks', true),
      severity_score: INT_NULL,
      likelihood_score: INT_NULL,
      residual_severity_score: INT_NULL,
      residual_likelihood_score: INT_NULL,
      ...owners,
      ...stamps,
    },
  },
  { table: 'engagement_methods', scope: 'partnership_id', key: 'id', columns: { ...part, method: TEXT, description: TEXT, ...stamps } },
  {
    table: 'communications_events',
    scope: 'partnership_id',
    key: 'id',
    columns: { ...part, event_date: { kind: 'date' }, event: TEXT, attendees: TEXT, ...stamps },
  },
  { table: 'plan_links', scope: 'partnership_id', key: 'id', columns: { ...part, title: TEXT, url: TEXT, relationship: TEXT, ...stamps } },
  {
    table: 'funding_streams',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      ...part,
      name: TEXT,
      funder: TEXT,
      amount_pence: INT,
      approval_threshold_pence: INT_NULL,
      notes: TEXT,
      copied_from_stream_id: ref('funding_streams', true),
      ...stamps,
    },
  },
  {
    table: 'funding_allocations',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      ...part,
      funding_stream_id: ref('funding_streams'),
      priority_id: ref('priorities', true),
      project: TEXT,
      amount_pence: INT,
      board_approved: { kind: 'boolean' },
      spent_pence: INT,
      ...stamps,
    },
  },
  {
    table: 'indicators',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      catalogue_indicator_id: { kind: 'catalogue' },
      code: TEXT,
      title: TEXT,
      definition: TEXT,
      data_source: TEXT,
      unit: oneOf(INDICATOR_UNITS),
      polarity: oneOf(POLARITIES),
      frequency: oneOf(FREQUENCIES),
      owner: TEXT,
      ...owners,
      due_working_days: { kind: 'integer', nullable: true, default: null },
      collect_from: { kind: 'period', nullable: true, default: null },
      oba_category: oneOf(OBA_CATEGORIES),
      is_public: { kind: 'boolean', default: false },
      retired_after: { kind: 'period', nullable: true, default: null },
      retirement_reason: { kind: 'text', nullable: true, default: null },
      retired_at: { kind: 'timestamp', nullable: true, default: null },
      superseded_by_indicator_id: { kind: 'ref', table: 'indicators', nullable: true, default: null },
      trajectory: { kind: 'text', enum: TRAJECTORY_PROFILES, nullable: true, default: null },
      trajectory_shares: { kind: 'text', nullable: true, default: null },
      ...stamps,
    },
  },
  {
    table: 'indicator_links',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      indicator_id: ref('indicators'),
      partnership_id: P,
      priority_id: ref('priorities', true),
      objective_id: ref('objectives', true),
      created_at: TS,
    },
  },
  {
    table: 'indicator_baselines',
    scope: 'partnership_id',
    key: 'id',
    columns: { id: ID, indicator_id: ref('indicators'), partnership_id: P, value: FIGURE, period: PERIOD, source: TEXT, ...stamps },
  },
  {
    table: 'indicator_targets',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      indicator_id: ref('indicators'),
      partnership_id: P,
      kind: oneOf(TARGET_KINDS),
      value: { kind: 'figure', nullable: true },
      direction: oneOf(['reduce', 'increase'], true),
      rate_per: INT_NULL,
      comparison: oneOf(['at_most', 'at_least'], true),
      by_period: TEXT_NULL,
      span_from: TEXT_NULL,
      span_to: TEXT_NULL,
      note: TEXT,
      tier: { kind: 'text', enum: TARGET_TIERS, default: 'first' },
      label: { kind: 'text', default: '' },
      ...stamps,
    },
  },
  // The targets a plan version was approved with (012_plan_targets); the indicator may since have been deleted.
  {
    table: 'plan_version_targets',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      plan_version_id: ref('plan_versions'),
      partnership_id: P,
      priority_id: ref('priorities'),
      indicator_id: ref('indicators', true),
      indicator_label: TEXT,
      kind: oneOf(TARGET_KINDS),
      value: { kind: 'figure', nullable: true },
      direction: oneOf(['reduce', 'increase'], true),
      rate_per: INT_NULL,
      comparison: oneOf(['at_most', 'at_least'], true),
      by_period: TEXT_NULL,
      span_from: TEXT_NULL,
      span_to: TEXT_NULL,
      note: TEXT,
      created_at: TS,
    },
  },
  {
    table: 'figures',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      indicator_id: ref('indicators'),
      partnership_id: P,
      period: PERIOD,
      value: FIGURE,
      numerator: { kind: 'number', nullable: true, default: null },
      denominator: { kind: 'number', nullable: true, default: null },
      note: TEXT,
      source: TEXT,
      entered_by: TEXT,
      entered_by_user_id: { kind: 'user', nullable: true },
      entered_at: TS,
      superseded_at: TS_NULL,
    },
  },
  {
    table: 'indicator_spc_marks',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      indicator_id: ref('indicators'),
      partnership_id: P,
      kind: oneOf(['phase', 'point']),
      period: TEXT,
      baseline_to: TEXT_NULL,
      excluded: { kind: 'boolean', default: false },
      reason: TEXT,
      note: TEXT,
      created_by: TEXT,
      ...stamps,
    },
  },
  {
    table: 'rag_overrides',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      indicator_id: ref('indicators'),
      partnership_id: P,
      period: TEXT,
      rag: oneOf(RAGS),
      rule_rag: oneOf(RAGS, true),
      reason: TEXT,
      created_by: TEXT,
      created_at: TS,
      removed_at: TS_NULL,
    },
  },
  {
    table: 'indicator_commentary',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      indicator_id: ref('indicators'),
      partnership_id: P,
      period: TEXT,
      text: TEXT,
      written_by: TEXT,
      written_by_user_id: { kind: 'user', nullable: true },
      written_at: TS,
      superseded_at: TS_NULL,
    },
  },
  {
    table: 'highlight_reports',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      priority_id: ref('priorities'),
      month: TEXT,
      progress: TEXT,
      milestones_achieved: TEXT,
      milestones_next: TEXT,
      issues_risks: TEXT,
      board_requests: TEXT,
      rag: oneOf(RAGS, true),
      written_by: TEXT,
      written_by_user_id: { kind: 'user', nullable: true },
      ...stamps,
    },
  },
  {
    table: 'reviews',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      title: TEXT,
      start_year: INT,
      end_year: INT,
      plan_version_id: ref('plan_versions', true),
      introduction: TEXT,
      ...stamps,
    },
  },
  {
    table: 'review_priorities',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      review_id: ref('reviews'),
      partnership_id: P,
      position: INT,
      title: TEXT,
      narrative: TEXT,
      key_outputs: TEXT,
      priority_id: ref('priorities', true),
      ...stamps,
    },
  },
  {
    table: 'review_areas',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      review_priority_id: ref('review_priorities'),
      review_id: ref('reviews'),
      partnership_id: P,
      position: INT,
      title: TEXT,
      narrative: TEXT,
      indicator_ids_json: { kind: 'ref_list', table: 'indicators' },
      objective_id: ref('objectives', true),
      ...stamps,
    },
  },
  {
    table: 'performance_settings',
    scope: 'partnership_id',
    key: 'partnership_id',
    columns: { partnership_id: P, amber_tolerance_percent: NUM, suppression_threshold: { kind: 'integer', default: 5 }, updated_at: TS },
  },
  {
    table: 'assessment_areas',
    scope: 'partnership_id',
    key: 'id',
    columns: { id: ID, partnership_id: P, local_authorities: TEXT, lsoa_codes: TEXT, updated_at: TS },
  },
  {
    table: 'assessment_matrix_settings',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      volume_weight: INT,
      trend_weight: INT,
      harm_weight: INT,
      concern_weight: INT,
      volume_basis: oneOf(['count', 'rate']),
      harm_weights_json: { kind: 'json' },
      concern_json: { kind: 'json' },
      other_issues_json: { kind: 'json' },
      updated_at: TS,
    },
  },
  {
    table: 'meetings',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      governance_group_id: ref('governance_groups', true),
      group_name: TEXT,
      title: TEXT,
      starts_at: TEXT,
      duration_minutes: INT,
      location: TEXT,
      paper_deadline: DATE_NULL,
      minutes: TEXT,
      ...stamps,
    },
  },
  {
    table: 'meeting_attendees',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      meeting_id: ref('meetings'),
      user_id: { kind: 'user', nullable: true },
      organisation_id: ref('organisations', true),
      name: TEXT,
      attendance: oneOf(ATTENDANCES),
      created_at: TS,
    },
  },
  {
    table: 'meeting_agenda_items',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      meeting_id: ref('meetings'),
      position: INT,
      kind: oneOf(AGENDA_ITEM_KINDS),
      title: TEXT,
      notes: TEXT,
      presenter: TEXT,
      presenter_user_id: { kind: 'user', nullable: true, default: null },
      quarter: TEXT_NULL,
      highlight_report_id: ref('highlight_reports', true),
      risk_id: ref('risks', true),
      indicator_id: ref('indicators', true),
      escalated_from_item_id: ref('meeting_agenda_items', true),
      created_at: TS,
    },
  },
  {
    table: 'meeting_papers',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      meeting_id: ref('meetings'),
      agenda_item_id: ref('meeting_agenda_items', true),
      title: TEXT,
      url: TEXT,
      added_by: TEXT,
      added_at: TS,
      file_name: { kind: 'text', nullable: true, default: null },
      content_type: { kind: 'text', nullable: true, default: null },
      size_bytes: { kind: 'integer', nullable: true, default: null },
    },
  },
  {
    // The bytes of uploaded papers (115), one row per paper, keyed by the paper: the paper's new id on import.
    table: 'meeting_paper_files',
    scope: 'partnership_id',
    key: 'paper_id',
    pageSize: 1,
    columns: { paper_id: ref('meeting_papers'), partnership_id: P, content: { kind: 'bytes' } },
  },
  {
    table: 'meeting_decisions',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      meeting_id: ref('meetings'),
      agenda_item_id: ref('meeting_agenda_items'),
      decision: TEXT,
      recorded_by: TEXT,
      created_at: TS,
    },
  },
  {
    table: 'scrutiny_recommendations',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      committee: TEXT,
      received_on: { kind: 'date' },
      recommendation: TEXT,
      response_status: oneOf(SCRUTINY_STATUSES),
      response: TEXT,
      responded_on: DATE_NULL,
      ...stamps,
    },
  },
  {
    table: 'meeting_actions',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      governance_group_id: ref('governance_groups', true),
      group_name: TEXT,
      meeting_id: ref('meetings', true),
      agenda_item_id: ref('meeting_agenda_items', true),
      scrutiny_recommendation_id: ref('scrutiny_recommendations', true),
      title: TEXT,
      owner_user_id: { kind: 'user', nullable: true },
      owner_name: TEXT,
      due_date: DATE_NULL,
      status: oneOf(ACTION_STATUSES),
      closed_on: DATE_NULL,
      priority_id: ref('priorities', true),
      objective_id: ref('objectives', true),
      activity_id: ref('delivery_activities', true),
      ...stamps,
    },
  },
  {
    table: 'action_updates',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      action_id: ref('meeting_actions'),
      meeting_id: ref('meetings', true),
      update_date: { kind: 'date' },
      note: TEXT,
      status: oneOf(ACTION_STATUSES),
      written_by: TEXT,
      written_by_user_id: { kind: 'user', nullable: true },
      created_at: TS,
    },
  },
  {
    table: 'statutory_duties',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      standard_key: TEXT_NULL,
      title: TEXT,
      description: TEXT,
      legal_basis: TEXT,
      recurrence: oneOf(DUTY_RECURRENCES),
      due_date: { kind: 'date' },
      ...stamps,
    },
  },
  {
    table: 'duty_completions',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      duty_id: ref('statutory_duties'),
      due_date: { kind: 'date' },
      completed_on: { kind: 'date' },
      evidence: TEXT,
      evidence_url: TEXT,
      decision_id: ref('meeting_decisions', true),
      recorded_by: TEXT,
      recorded_by_user_id: { kind: 'user', nullable: true },
      created_at: TS,
    },
  },
  {
    table: 'partnership_official_links',
    scope: 'partnership_id',
    key: 'id',
    columns: { id: ID, partnership_id: P, csp_name: TEXT, peer_method: oneOf(['computed', 'chosen']), peers: TEXT, updated_at: TS },
  },
  // Last, so its rows never need a new id for anything else. Entity ids and before/after values inside the
  // events are history: they name rows as they were numbered on the exporting instance.
  {
    table: 'audit_events',
    scope: 'partnership_id',
    key: 'id',
    columns: {
      id: ID,
      partnership_id: P,
      user_id: { kind: 'user', nullable: true },
      actor: TEXT,
      action: oneOf(['create', 'update', 'delete']),
      entity_type: TEXT,
      entity_id: TEXT,
      summary: TEXT,
      before_json: { kind: 'json', nullable: true },
      after_json: { kind: 'json', nullable: true },
      created_at: TS,
    },
  },
];

/** Tables that are not in the file, and why. */
export const EXCLUDED_TABLES: Record<string, string> = {
  sessions: 'Sign-in sessions belong to one instance and hold hashed secrets; people sign in again on the new instance.',
  login_attempts: "The instance's sign-in rate-limit log: about email addresses and IP addresses, not about any partnership.",
  api_tokens: 'Personal secrets of a user, not of the partnership; people create new tokens on the new instance.',
  invitations: 'Pending invitation links are single-use secrets that only work on the instance that sent them; invite again.',
  document_jobs:
    'Generated PDF and Word files and their job records: outputs made from the exported data, kept per instance; generate them again on the new instance.',
  password_resets:
    'Forgotten-password requests: single-use secrets and rate-limit records of the instance, about people rather than a partnership.',
  jobs: 'Background work of the instance (reminder emails waiting or sent, 031_jobs_mail): the importing instance schedules its own reminders from the imported owners and figures.',
  emails:
    "The instance's outbox of emails sent or logged (031_jobs_mail): messages to people at the time, not partnership data; the importing instance keeps its own.",
  partnership_versions:
    'A counter each instance raises on every audited change so its caches know when to refresh (013_perf); the importing instance starts its own.',
  calendar_feed_tokens:
    'Secret calendar subscription links of people on the exporting instance (only their hashes); each person makes a new link on the new instance.',
  official_csps:
    'National Home Office table of Community Safety Partnerships, imported on each instance (ADR 0028); not a partnership’s data.',
  official_offences: 'National Home Office list of offences, imported on each instance (ADR 0028); not a partnership’s data.',
  official_crime_counts: 'National Home Office recorded crime by CSP, imported on each instance (ADR 0028); not a partnership’s data.',
  official_populations: 'National ONS mid-year population estimates, imported on each instance (ADR 0028); not a partnership’s data.',
  official_deprivation:
    'National English Indices of Deprivation 2019 by LSOA, imported on each instance (ADR 0044); not a partnership’s data.',
  official_lsoa_boundaries: 'National LSOA boundaries (GeoJSON), imported on each instance (ADR 0045); not a partnership’s data.',
  official_fingertips: 'National OHID Fingertips indicator values by area, imported on each instance (ADR 0046); not a partnership’s data.',
  official_road_collisions:
    'National DfT road casualty statistics (STATS19 collisions), imported on each instance (ADR 0046); not a partnership’s data.',
  official_data_imports: 'The instance’s record of its imports of national official data, not about any partnership.',
  crime_imports:
    'The instance’s record of its police.uk imports and their progress (131_crime_imports, decision 0038): the records imported are national open data, imported again on the new instance.',
  crime_import_claims: 'Which police.uk months and forces an import is writing just now (131_crime_imports): short-lived locks, not data.',
  street_records:
    'National police.uk street-level records of the shared crime store (PostgreSQL only, decision 0038): open data, imported on each instance.',
  lsoas: 'LSOAs seen in the police.uk records of the shared crime store (PostgreSQL only, decision 0038): open data, not a partnership’s.',
  lsoa_forces: 'Forces reporting in each LSOA, from the police.uk records of the shared crime store (PostgreSQL only, decision 0038).',
  street_files:
    'The police.uk months and forces held by the shared crime store (PostgreSQL only, decision 0038): open data, imported on each instance.',
  kysely_migration: 'Schema bookkeeping of the instance (which migrations ran), not data.',
  kysely_migration_lock: 'Schema bookkeeping of the instance (the migration lock), not data.',
};

/** Excluded tables that only PostgreSQL databases have (the shared crime store, migration 130). */
export const POSTGRES_ONLY_TABLES: readonly string[] = ['street_records', 'lsoas', 'lsoa_forces', 'street_files'];

/** Columns of exported tables that are not in the file, and why. */
export const EXCLUDED_COLUMNS: Record<string, Record<string, string>> = {
  users: {
    password_hash: 'A secret; people keep their account (and password) on each instance.',
    is_platform_admin: 'A privilege on the exporting instance, never carried to another.',
    disabled: 'Account state on the exporting instance; the importing instance has its own.',
    oidc_subject: 'Identity at the exporting instance’s sign-in provider.',
    email_reminders: 'A personal email preference on the exporting instance (032); people choose again on the new one.',
    weekly_digest: 'A personal email preference on the exporting instance (090); people choose again on the new one.',
    created_at: 'Account history on the exporting instance.',
    updated_at: 'Account history on the exporting instance.',
  },
  meeting_papers: {
    document_job_id: 'Generated documents are not exported (see document_jobs); the paper keeps its title and link.',
  },
};

/** Rows come out of the database and go back in these pages, so no table is ever held whole as objects. */
export const PAGE_SIZE = 500;
