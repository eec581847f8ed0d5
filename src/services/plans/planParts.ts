/**
 * The parts of a partnership plan version, described once and handled alike: priorities, objectives, delivery
 * activities and their progress updates, cross-cutting themes, governance groups, resources, risks, community
 * engagement methods, the communications calendar, links to other plans, funding streams and allocations.
 *
 * Each part is a PartSpec: its table, its parent, its fields (which drive validation, the edit form and the API
 * schema alike) and who may change it. Every change is validated, checked against the tenant, refused on an
 * approved or published version where the part is plan content, checked for a newer save (expectedUpdatedAt),
 * and audited in the same transaction.
 */
import { priorityChoices } from './priorityChoices.ts';
import type { Kysely } from 'kysely';
import {
  ACTIVITY_STATUSES,
  DELIVERY_RAGS,
  RESOURCE_KINDS,
  RISK_LEVELS,
  type Database,
  type RiskScoring,
  type PlanVersion,
} from '../../adapters/database/schema.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { nowIso } from '../../adapters/clock.ts';
import { assertFresh as assertUnchanged, laterTimestamp, lockRows } from '../../adapters/database/concurrency.ts';
import { ConflictError, NotFoundError, ValidationError, Validator } from '../../domain/errors.ts';
import type { Action } from '../partnerships/authorisation.ts';
import { assertMayDeliverActivity } from '../cycle/owners.ts';
import { formatDateLong } from '../../domain/dates.ts';
import { LIKELIHOOD_SCALE, SEVERITY_SCALE, threeLevelOf } from '../../domain/riskScores.ts';
import { quoteValue, readMoney } from '../../domain/numbers.ts';

export type FieldKind = 'text' | 'textarea' | 'date' | 'money' | 'choice' | 'reference' | 'yesno' | 'priorities';
/** `owner`: a member of the partnership, by user id (a risk's owner). */
export type ReferenceKind = 'organisation' | 'priority' | 'group' | 'owner';

export interface Choice {
  value: string;
  text: string;
}

export interface FieldSpec {
  /** Form field and JSON property name. */
  name: string;
  column: string;
  label: string;
  /** As in "Enter {noun}". */
  noun: string;
  kind: FieldKind;
  required?: boolean;
  max?: number;
  hint?: string;
  choices?: readonly Choice[];
  reference?: ReferenceKind;
  /**
   * For a text naming who leads or answers for something: the page offers the partnership's organisations and/or
   * members to choose from, and "someone else" with a box (`<name>Other`) for a name not on the list. The stored
   * value stays the name, so the API and older plans' free text keep working.
   */
  pick?: 'organisation' | 'member' | 'both';
  /**
   * For a text listing several organisations (an activity's partners involved): the page offers the partnership's
   * organisations as checkboxes and a box (`<name>Other`) for others. The stored value stays one text, the names
   * joined by commas, so the API and older plans' free text keep working.
   */
  pickMany?: 'organisation';
  /** For a risk's scores: the scoring this field belongs to ('words' 3x3 or 'five' 5x5); the other is not asked. */
  scoring?: RiskScoring;
  /** For a date: the name of another date field of the part that this one may not come before. */
  notBefore?: string;
  /**
   * For an organisation reference: the owner field (`reference: 'owner'`) whose member's organisation it takes when
   * left blank, as an indicator's or activity's owner organisation does (decision 0022).
   */
  organisationOf?: string;
}

export const PART_KINDS = [
  'priority',
  'objective',
  'activity',
  'update',
  'theme',
  'group',
  'resource',
  'risk',
  'engagement',
  'event',
  'link',
  'stream',
  'allocation',
] as const;
export type PartKind = (typeof PART_KINDS)[number];

/** The URL parameter naming each kind of part, the same for pages and the API, e.g. /priorities/:priorityId. */
export const PART_PARAM: Record<PartKind, string> = {
  priority: 'priorityId',
  objective: 'objectiveId',
  activity: 'activityId',
  update: 'updateId',
  theme: 'themeId',
  group: 'groupId',
  resource: 'resourceId',
  risk: 'riskId',
  engagement: 'engagementId',
  event: 'eventId',
  link: 'linkId',
  stream: 'streamId',
  allocation: 'allocationId',
};
export type ParentKind = 'version' | 'priority' | 'objective' | 'activity' | 'stream';

/** Where the parts under each kind of parent are added, for pages and the API alike: /plan-versions/:versionId/priorities/new. */
export const PARENT_PATH: Record<ParentKind, string> = {
  version: 'plan-versions/:versionId',
  priority: 'priorities/:priorityId',
  objective: 'objectives/:objectiveId',
  activity: 'activities/:activityId',
  stream: 'funding-streams/:streamId',
};
/** The URL parameter naming each kind of parent in PARENT_PATH. */
export const PARENT_PARAM: Record<ParentKind, string> = {
  version: 'versionId',
  priority: 'priorityId',
  objective: 'objectiveId',
  activity: 'activityId',
  stream: 'streamId',
};

type PartTable =
  | 'priorities'
  | 'objectives'
  | 'delivery_activities'
  | 'activity_updates'
  | 'cross_cutting_themes'
  | 'governance_groups'
  | 'priority_resources'
  | 'risks'
  | 'engagement_methods'
  | 'communications_events'
  | 'plan_links'
  | 'funding_streams'
  | 'funding_allocations';

export interface PartSpec {
  kind: PartKind;
  table: PartTable;
  /** Audit trail entity type. */
  entityType: string;
  noun: string;
  plural: string;
  /** URL segment of the part's pages and API. */
  segment: string;
  parent: ParentKind;
  parentColumn: string;
  /** Objectives (from 002) find their version through their priority. */
  hasVersionColumn: boolean;
  /** Plan content is fixed once a version is approved; delivery (activities, updates, risks, funding) carries on. */
  lockedOnceApproved: boolean;
  action: Action;
  titleColumn: string;
  /** Column the part is listed by, after position. */
  orderBy?: string;
  fields: FieldSpec[];
  /** Ordered by hand (move up and down). */
  movable: boolean;
}

/** A 1-5 scale field of a risk scored 5x5 (src/domain/riskScores.ts); residual scores are optional. */
function scoreFields(name: string, column: string, label: string, noun: string, scale: readonly string[], residual = false): FieldSpec[] {
  const choices = scale.map((text, i) => ({ value: String(i + 1), text: `${i + 1} ${text}` }));
  return [
    {
      name,
      column,
      label: residual ? `${label}, after the mitigation (optional)` : label,
      noun,
      kind: 'choice',
      required: !residual,
      choices: residual ? [{ value: '', text: 'Not scored' }, ...choices] : choices,
      scoring: 'five',
    },
  ];
}

const LEVEL_CHOICES: Choice[] = RISK_LEVELS.map((l) => ({ value: l, text: l.charAt(0).toUpperCase() + l.slice(1) }));
export const RISK_LEVEL_LABELS: Record<string, string> = Object.fromEntries(LEVEL_CHOICES.map((c) => [c.value, c.text]));
export const RAG_LABELS: Record<string, string> = { red: 'Red', amber: 'Amber', green: 'Green' };
const RAG_CHOICES: Choice[] = [{ value: '', text: 'Not rated' }, ...DELIVERY_RAGS.map((r) => ({ value: r, text: RAG_LABELS[r]! }))];
export const ACTIVITY_STATUS_LABELS: Record<string, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  complete: 'Complete',
  delayed: 'Delayed',
  cancelled: 'Cancelled',
};
export const RESOURCE_KIND_LABELS: Record<string, string> = { money: 'Money', staff_time: 'Staff time', in_kind: 'In kind' };

export const PART_SPECS: Record<PartKind, PartSpec> = {
  priority: {
    kind: 'priority',
    table: 'priorities',
    entityType: 'priority',
    noun: 'priority',
    plural: 'priorities',
    segment: 'priorities',
    parent: 'version',
    parentColumn: 'plan_version_id',
    hasVersionColumn: true,
    lockedOnceApproved: true,
    action: 'plan.write',
    titleColumn: 'title',
    movable: true,
    fields: [
      {
        name: 'title',
        column: 'title',
        label: 'Priority',
        noun: 'the priority',
        kind: 'text',
        required: true,
        max: 300,
        hint: 'For example, Anti-social behaviour',
      },
      { name: 'why', column: 'why', label: 'Why it is a priority', noun: 'why it is a priority', kind: 'textarea', max: 10000 },
      {
        name: 'whatWeWillDo',
        column: 'what_we_will_do',
        label: 'What we will do',
        noun: 'what the partnership will do',
        kind: 'textarea',
        max: 10000,
      },
      {
        name: 'geographicalContext',
        column: 'geographical_context',
        label: 'Geographical context (optional)',
        noun: 'the geographical context',
        kind: 'textarea',
        max: 5000,
      },
      {
        name: 'leadOrganisationId',
        column: 'lead_organisation_id',
        label: 'Lead organisation (optional)',
        noun: 'the lead organisation',
        kind: 'reference',
        reference: 'organisation',
      },
      {
        name: 'leadOfficer',
        column: 'lead_officer',
        label: 'Lead officer (optional)',
        noun: 'the lead officer',
        kind: 'text',
        max: 200,
        pick: 'member',
      },
    ],
  },
  objective: {
    kind: 'objective',
    table: 'objectives',
    entityType: 'objective',
    noun: 'objective',
    plural: 'objectives',
    segment: 'objectives',
    parent: 'priority',
    parentColumn: 'priority_id',
    hasVersionColumn: false,
    lockedOnceApproved: true,
    action: 'plan.write',
    titleColumn: 'title',
    movable: true,
    fields: [
      {
        name: 'title',
        column: 'title',
        label: 'Objective',
        noun: 'the objective',
        kind: 'text',
        required: true,
        max: 300,
        hint: 'An improvement priority under the priority',
      },
      { name: 'description', column: 'description', label: 'Description (optional)', noun: 'a description', kind: 'textarea', max: 5000 },
    ],
  },
  activity: {
    kind: 'activity',
    table: 'delivery_activities',
    entityType: 'delivery_activity',
    noun: 'delivery activity',
    plural: 'delivery activities',
    segment: 'activities',
    parent: 'objective',
    parentColumn: 'objective_id',
    hasVersionColumn: true,
    lockedOnceApproved: false,
    action: 'activity.update',
    titleColumn: 'title',
    movable: true,
    fields: [
      { name: 'title', column: 'title', label: 'Activity', noun: 'the activity', kind: 'text', required: true, max: 300 },
      { name: 'lead', column: 'lead', label: 'Lead (optional)', noun: 'the lead', kind: 'text', max: 200, pick: 'both' },
      {
        name: 'partners',
        column: 'partners',
        label: 'Partners involved (optional)',
        noun: 'the partners involved',
        kind: 'textarea',
        max: 2000,
        pickMany: 'organisation',
      },
      { name: 'startDate', column: 'start_date', label: 'Start date (optional)', noun: 'the start date', kind: 'date' },
      { name: 'dueDate', column: 'due_date', label: 'Due date (optional)', noun: 'the due date', kind: 'date', notBefore: 'startDate' },
      {
        name: 'status',
        column: 'status',
        label: 'Status',
        noun: 'the status',
        kind: 'choice',
        required: true,
        choices: ACTIVITY_STATUSES.map((s) => ({ value: s, text: ACTIVITY_STATUS_LABELS[s]! })),
      },
      { name: 'rag', column: 'rag', label: 'RAG rating', noun: 'the RAG rating', kind: 'choice', choices: RAG_CHOICES },
    ],
  },
  update: {
    kind: 'update',
    table: 'activity_updates',
    entityType: 'activity_update',
    noun: 'progress update',
    plural: 'progress updates',
    segment: 'progress-updates',
    parent: 'activity',
    parentColumn: 'activity_id',
    hasVersionColumn: true,
    lockedOnceApproved: false,
    action: 'activity.update',
    titleColumn: 'note',
    orderBy: 'update_date',
    movable: false,
    fields: [
      {
        name: 'updateDate',
        column: 'update_date',
        label: 'Date of the update',
        noun: 'the date of the update',
        kind: 'date',
        required: true,
      },
      { name: 'note', column: 'note', label: 'Progress', noun: 'the progress made', kind: 'textarea', required: true, max: 5000 },
      { name: 'rag', column: 'rag', label: 'RAG rating', noun: 'the RAG rating', kind: 'choice', choices: RAG_CHOICES },
    ],
  },
  theme: {
    kind: 'theme',
    table: 'cross_cutting_themes',
    entityType: 'cross_cutting_theme',
    noun: 'cross-cutting theme',
    plural: 'cross-cutting themes',
    segment: 'themes',
    parent: 'version',
    parentColumn: 'plan_version_id',
    hasVersionColumn: true,
    lockedOnceApproved: true,
    action: 'plan.write',
    titleColumn: 'title',
    movable: true,
    fields: [
      {
        name: 'title',
        column: 'title',
        label: 'Theme',
        noun: 'the theme',
        kind: 'text',
        required: true,
        max: 300,
        hint: 'For example, Alcohol misuse',
      },
      { name: 'description', column: 'description', label: 'Description (optional)', noun: 'a description', kind: 'textarea', max: 5000 },
      { name: 'priorityIds', column: '', label: 'Priorities it cuts across', noun: 'the priorities', kind: 'priorities' },
    ],
  },
  group: {
    kind: 'group',
    table: 'governance_groups',
    entityType: 'governance_group',
    noun: 'governance group',
    plural: 'governance groups',
    segment: 'governance-groups',
    parent: 'version',
    parentColumn: 'plan_version_id',
    hasVersionColumn: true,
    lockedOnceApproved: true,
    action: 'plan.write',
    titleColumn: 'name',
    movable: true,
    fields: [
      {
        name: 'name',
        column: 'name',
        label: 'Group name',
        noun: 'the group name',
        kind: 'text',
        required: true,
        max: 200,
        hint: 'For example, Joint Action Group',
      },
      { name: 'purpose', column: 'purpose', label: 'Purpose (optional)', noun: 'the purpose', kind: 'textarea', max: 5000 },
      { name: 'chair', column: 'chair', label: 'Chair (optional)', noun: 'the chair', kind: 'text', max: 200 },
      {
        name: 'memberOrganisations',
        column: 'member_organisations',
        label: 'Member organisations (optional)',
        noun: 'the member organisations',
        kind: 'textarea',
        max: 5000,
        hint: 'One organisation per line',
      },
      {
        name: 'meetingFrequency',
        column: 'meeting_frequency',
        label: 'Meets (optional)',
        noun: 'how often it meets',
        kind: 'text',
        max: 100,
        hint: 'For example, every two weeks',
      },
      {
        name: 'reportsToGroupId',
        column: 'reports_to_group_id',
        label: 'Reports to (optional)',
        noun: 'the group it reports to',
        kind: 'reference',
        reference: 'group',
      },
    ],
  },
  resource: {
    kind: 'resource',
    table: 'priority_resources',
    entityType: 'priority_resource',
    noun: 'resource',
    plural: 'resources',
    segment: 'resources',
    parent: 'priority',
    parentColumn: 'priority_id',
    hasVersionColumn: true,
    lockedOnceApproved: true,
    action: 'plan.write',
    titleColumn: 'description',
    movable: true,
    fields: [
      {
        name: 'kind',
        column: 'kind',
        label: 'Type of resource',
        noun: 'the type of resource',
        kind: 'choice',
        required: true,
        choices: RESOURCE_KINDS.map((k) => ({ value: k, text: RESOURCE_KIND_LABELS[k]! })),
      },
      {
        name: 'description',
        column: 'description',
        label: 'Description',
        noun: 'a description of the resource',
        kind: 'textarea',
        required: true,
        max: 5000,
      },
      {
        name: 'amount',
        column: 'amount_pence',
        label: 'Amount in pounds (optional)',
        noun: 'the amount',
        kind: 'money',
      },
      {
        name: 'fundingSource',
        column: 'funding_source',
        label: 'Funding source (optional)',
        noun: 'the funding source',
        kind: 'text',
        max: 200,
      },
    ],
  },
  risk: {
    kind: 'risk',
    table: 'risks',
    entityType: 'risk',
    noun: 'risk',
    plural: 'risks',
    segment: 'risks',
    parent: 'priority',
    parentColumn: 'priority_id',
    hasVersionColumn: true,
    lockedOnceApproved: false,
    action: 'plan.write',
    titleColumn: 'risk',
    movable: true,
    fields: [
      { name: 'risk', column: 'risk', label: 'Risk', noun: 'the risk', kind: 'textarea', required: true, max: 2000 },
      {
        name: 'severity',
        column: 'severity',
        label: 'Severity',
        noun: 'the severity',
        kind: 'choice',
        required: true,
        choices: LEVEL_CHOICES,
        scoring: 'words',
      },
      {
        name: 'likelihood',
        column: 'likelihood',
        label: 'Likelihood',
        noun: 'the likelihood',
        kind: 'choice',
        required: true,
        choices: LEVEL_CHOICES,
        scoring: 'words',
      },
      ...scoreFields('severityScore', 'severity_score', 'Severity', 'the severity', SEVERITY_SCALE),
      ...scoreFields('likelihoodScore', 'likelihood_score', 'Likelihood', 'the likelihood', LIKELIHOOD_SCALE),
      {
        name: 'mitigation',
        column: 'mitigation',
        label: 'Actions to mitigate (optional)',
        noun: 'the actions to mitigate',
        kind: 'textarea',
        max: 5000,
      },
      {
        name: 'responsiblePartner',
        column: 'responsible_partner',
        label: 'Partner responsible (optional)',
        noun: 'the partner responsible',
        kind: 'text',
        max: 300,
        pick: 'organisation',
      },
      {
        name: 'ownerUserId',
        column: 'owner_user_id',
        label: 'Owner (optional)',
        noun: 'the owner',
        kind: 'reference',
        reference: 'owner',
        hint: 'A member of the partnership, who is reminded when the review is due. For someone without an account, name the partner responsible instead',
      },
      {
        name: 'ownerOrganisationId',
        column: 'owner_organisation_id',
        label: "Owner's organisation (optional)",
        noun: "the owner's organisation",
        kind: 'reference',
        reference: 'organisation',
        organisationOf: 'ownerUserId',
        hint: 'Left as None, the organisation the owner works for',
      },
      ...scoreFields(
        'residualSeverityScore',
        'residual_severity_score',
        'Residual severity',
        'the residual severity',
        SEVERITY_SCALE,
        true,
      ),
      ...scoreFields(
        'residualLikelihoodScore',
        'residual_likelihood_score',
        'Residual likelihood',
        'the residual likelihood',
        LIKELIHOOD_SCALE,
        true,
      ),
      { name: 'reviewDate', column: 'review_date', label: 'Review date (optional)', noun: 'the review date', kind: 'date' },
    ],
  },
  engagement: {
    kind: 'engagement',
    table: 'engagement_methods',
    entityType: 'engagement_method',
    noun: 'engagement method',
    plural: 'community engagement methods',
    segment: 'engagement-methods',
    parent: 'version',
    parentColumn: 'plan_version_id',
    hasVersionColumn: true,
    lockedOnceApproved: true,
    action: 'plan.write',
    titleColumn: 'method',
    movable: true,
    fields: [
      {
        name: 'method',
        column: 'method',
        label: 'Method',
        noun: 'the method',
        kind: 'text',
        required: true,
        max: 300,
        hint: 'For example, Neighbourhood policing consultation',
      },
      { name: 'description', column: 'description', label: 'Description (optional)', noun: 'a description', kind: 'textarea', max: 5000 },
    ],
  },
  event: {
    kind: 'event',
    table: 'communications_events',
    entityType: 'communications_event',
    noun: 'calendar event',
    plural: 'communications calendar',
    segment: 'calendar-events',
    parent: 'version',
    parentColumn: 'plan_version_id',
    hasVersionColumn: true,
    lockedOnceApproved: false,
    action: 'plan.write',
    titleColumn: 'event',
    orderBy: 'event_date',
    movable: false,
    fields: [
      { name: 'eventDate', column: 'event_date', label: 'Date', noun: 'the date', kind: 'date', required: true },
      { name: 'event', column: 'event', label: 'Event', noun: 'the event', kind: 'text', required: true, max: 300 },
      { name: 'attendees', column: 'attendees', label: 'Who attends (optional)', noun: 'who attends', kind: 'text', max: 300 },
    ],
  },
  link: {
    kind: 'link',
    table: 'plan_links',
    entityType: 'plan_link',
    noun: 'link to another plan',
    plural: 'links to other plans and strategies',
    segment: 'plan-links',
    parent: 'version',
    parentColumn: 'plan_version_id',
    hasVersionColumn: true,
    lockedOnceApproved: true,
    action: 'plan.write',
    titleColumn: 'title',
    movable: true,
    fields: [
      {
        name: 'title',
        column: 'title',
        label: 'Plan or strategy',
        noun: 'the name of the plan or strategy',
        kind: 'text',
        required: true,
        max: 300,
      },
      {
        name: 'url',
        column: 'url',
        label: 'Web address (optional)',
        noun: 'the web address',
        kind: 'text',
        max: 1000,
        hint: 'Starting https://',
      },
      {
        name: 'relationship',
        column: 'relationship',
        label: 'How it relates (optional)',
        noun: 'how it relates',
        kind: 'textarea',
        max: 2000,
      },
    ],
  },
  stream: {
    kind: 'stream',
    table: 'funding_streams',
    entityType: 'funding_stream',
    noun: 'funding stream',
    plural: 'funding streams',
    segment: 'funding-streams',
    parent: 'version',
    parentColumn: 'plan_version_id',
    hasVersionColumn: true,
    lockedOnceApproved: false,
    action: 'plan.write',
    titleColumn: 'name',
    movable: true,
    fields: [
      {
        name: 'name',
        column: 'name',
        label: 'Funding stream',
        noun: 'the name of the funding stream',
        kind: 'text',
        required: true,
        max: 200,
        hint: 'For example, Community Safety Fund',
      },
      { name: 'funder', column: 'funder', label: 'Funder (optional)', noun: 'the funder', kind: 'text', max: 200 },
      { name: 'amount', column: 'amount_pence', label: 'Amount in pounds', noun: 'the amount', kind: 'money', required: true },
      {
        name: 'approvalThreshold',
        column: 'approval_threshold_pence',
        label: 'Board approval needed above (optional)',
        noun: 'the approval threshold',
        kind: 'money',
        hint: 'Allocations above this amount need the Board’s approval',
      },
      { name: 'notes', column: 'notes', label: 'Notes (optional)', noun: 'notes', kind: 'textarea', max: 5000 },
    ],
  },
  allocation: {
    kind: 'allocation',
    table: 'funding_allocations',
    entityType: 'funding_allocation',
    noun: 'allocation',
    plural: 'allocations',
    segment: 'allocations',
    parent: 'stream',
    parentColumn: 'funding_stream_id',
    hasVersionColumn: true,
    lockedOnceApproved: false,
    action: 'plan.write',
    titleColumn: 'project',
    movable: true,
    fields: [
      {
        name: 'project',
        column: 'project',
        label: 'Project or purpose',
        noun: 'the project or purpose',
        kind: 'text',
        required: true,
        max: 300,
      },
      {
        name: 'priorityId',
        column: 'priority_id',
        label: 'Priority (optional)',
        noun: 'the priority',
        kind: 'reference',
        reference: 'priority',
      },
      {
        name: 'amount',
        column: 'amount_pence',
        label: 'Amount allocated in pounds',
        noun: 'the amount allocated',
        kind: 'money',
        required: true,
      },
      {
        name: 'boardApproved',
        column: 'board_approved',
        label: 'Approved by the Board',
        noun: 'whether the Board approved it',
        kind: 'yesno',
      },
      { name: 'spent', column: 'spent_pence', label: 'Spent so far in pounds (optional)', noun: 'the amount spent', kind: 'money' },
    ],
  },
};

export const PARENT_SPEC: Record<Exclude<ParentKind, 'version'>, PartKind> = {
  priority: 'priority',
  objective: 'objective',
  activity: 'activity',
  stream: 'stream',
};

/** A stored row of any part, read loosely: the typed views are in the Database interface. */
export type PartRow = Record<string, unknown> & {
  id: number;
  partnership_id: number;
  position: number;
  updated_at: string;
  created_at: string;
};

// The parts share one code path, so queries here address their table by name: Kysely with a loose row type.
type LooseDb = Kysely<Record<string, Record<string, unknown>>>;
const loose = (db: Kysely<Database>) => db as unknown as LooseDb;

// ---------- Parsing of dates and money ----------

/** Reads 2010-04-01, 1/4/2010 or 1 April 2010 as an ISO date (the one reader is in src/domain/dates.ts). */
export { parseDateText as parseDate } from '../../domain/dates.ts';

/** Reads "£224,550", "224550" or "12.50" as pence; null if it is not an amount of money (src/domain/numbers.ts). */
export function parseMoney(raw: unknown): number | null {
  const reading = readMoney(raw);
  return reading.kind === 'pence' ? reading.pence : null;
}

/** Pence as pounds for a form field: 22455000 → "224,550", 1250 → "12.50". */
export function penceToInput(pence: number | null | undefined): string {
  if (pence === null || pence === undefined) return '';
  return pence % 100 === 0
    ? (pence / 100).toLocaleString('en-GB')
    : (pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Pence as money to read: £224,550 or £12.50; -£5,000 below zero. */
export function formatMoney(pence: number | null | undefined): string {
  if (pence === null || pence === undefined) return '';
  return `${Number(pence) < 0 ? '-' : ''}£${penceToInput(Math.abs(Number(pence)))}`;
}

// ---------- Validation ----------

export type PartInput = Record<string, unknown>;

/** The value of a pick list's "someone else" option; the name is then in the field `<name>Other`. */
export const PICK_OTHER = '(someone else)';

export interface ReferenceOptions {
  organisation: Choice[];
  /** Members of the partnership by name (value and text), for the fields that pick a person. */
  member: Choice[];
  /** Members of the partnership by user id (value) and name (text), for an owner who is a member. */
  owner: Choice[];
  /** The organisation each member works for, by user id (as text), for an owner's organisation left blank. */
  memberOrganisation: Record<string, number | null>;
  /** How the partnership scores risks. */
  scoring: RiskScoring;
  priority: Choice[];
  group: Choice[];
}

/** A date field's value; a date that may not come before another (an activity's due date) is checked against it. */
function dateValue(v: Validator, spec: PartSpec, f: FieldSpec, raw: unknown, values: Record<string, unknown>): string | null {
  const date = v.date(f.name, raw, f.noun, { required: f.required === true });
  const earlier = f.notBefore ? spec.fields.find((x) => x.name === f.notBefore) : undefined;
  const from = earlier ? values[earlier.column] : undefined;
  if (earlier && typeof from === 'string' && date !== null)
    v.dateOrder(f.name, from, date, `${cap(f.noun)} must be the same as or after ${earlier.noun}, ${formatDateLong(from)}`);
  return date;
}

/** The names ticked and typed on a form as one text: each once, in order, joined by commas. */
export function joinNames(ticked: unknown, typed: unknown): string {
  const names = [...([] as unknown[]).concat(ticked ?? []), ...splitNames(typeof typed === 'string' ? typed : '')];
  return [...new Set(names.map((n) => (typeof n === 'string' ? n.trim() : '')).filter((n) => n !== ''))].join(', ');
}

/** A text of names as its names: split at commas, semicolons and new lines. */
export function splitNames(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((n) => n.trim())
    .filter((n) => n !== '');
}

/** Under 5x5 scoring, the 3x3 word of a risk's severity or likelihood, read from its 1-5 score (low when unscored). */
function derivedLevel(spec: PartSpec, f: FieldSpec, input: PartInput): string {
  const score = Number(input[`${f.name}Score`]);
  return Number.isInteger(score) && score >= 1 && score <= 5 ? threeLevelOf(score) : 'low';
}

/** Validates input against the part's fields; returns column values (and, for themes, the linked priority ids). */
export function validatePart(
  spec: PartSpec,
  input: PartInput,
  refs: ReferenceOptions,
): { values: Record<string, unknown>; priorityIds: number[] | null } {
  const v = new Validator();
  const values: Record<string, unknown> = {};
  let priorityIds: number[] | null = null;
  for (const f of spec.fields) {
    if (f.scoring && f.scoring !== refs.scoring) {
      values[f.column] = f.scoring === 'five' ? null : derivedLevel(spec, f, input);
      continue;
    }
    const raw = input[f.name];
    const str =
      typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : raw === undefined || raw === null ? '' : null;
    switch (f.kind) {
      case 'text':
      case 'textarea': {
        if (f.pickMany && (Array.isArray(raw) || input[`${f.name}Other`] !== undefined)) {
          values[f.column] = v.text(f.name, joinNames(raw, input[`${f.name}Other`]), f.noun, { max: f.max });
        } else if (f.pick && str === PICK_OTHER) {
          const other = input[`${f.name}Other`];
          values[f.column] = v.text(`${f.name}Other`, other, `the name of ${f.noun}`, { max: f.max });
        } else if (str === null) v.add(f.name, `${cap(f.noun)} must be text`);
        else values[f.column] = v.text(f.name, str, f.noun, { required: f.required === true, max: f.max });
        if (
          f.name === 'url' &&
          typeof values[f.column] === 'string' &&
          values[f.column] !== '' &&
          !/^https?:\/\/\S+$/i.test(values[f.column] as string)
        ) {
          v.add(f.name, 'Enter a web address starting http:// or https://');
        }
        break;
      }
      case 'date':
        values[f.column] = dateValue(v, spec, f, raw, values);
        break;
      case 'money': {
        if (str === '' || raw === null || raw === undefined) {
          if (f.required) v.add(f.name, `Enter ${f.noun}`);
          values[f.column] = f.required ? 0 : f.column === 'spent_pence' ? 0 : null;
        } else {
          const reading = readMoney(raw);
          if (reading.kind === 'invalid') v.add(f.name, `${cap(f.noun)} ${reading.reason} (got "${quoteValue(raw)}")`);
          values[f.column] = reading.kind === 'pence' ? reading.pence : null;
        }
        break;
      }
      case 'choice': {
        const allowed = (f.choices ?? []).map((c) => c.value);
        const value = str ?? '';
        if (value === '' && !f.required && allowed.includes('')) values[f.column] = null;
        else if (value === '' && f.required) {
          v.add(f.name, `Select ${f.noun}`);
        } else if (!allowed.includes(value)) v.add(f.name, `Select ${f.noun} from the list`);
        else values[f.column] = value === '' ? null : f.scoring === 'five' ? Number(value) : value;
        break;
      }
      case 'reference': {
        const options = refs[f.reference!];
        const owner = f.organisationOf ? asText(input[f.organisationOf]).trim() : '';
        if ((str === null || str === '') && owner !== '') values[f.column] = refs.memberOrganisation[owner] ?? null;
        else if (str === null || str === '') values[f.column] = null;
        else if (!options.some((o) => o.value === str)) v.add(f.name, `Select ${f.noun} from the list`);
        else values[f.column] = Number(str);
        break;
      }
      case 'yesno': {
        values[f.column] = raw === true || raw === 'yes' || raw === 'true' || raw === 1 || raw === '1' ? 1 : 0;
        if (!(
          raw === undefined ||
          raw === null ||
          raw === '' ||
          [true, false, 'yes', 'no', 'true', 'false', 0, 1, '0', '1'].includes(raw as never)
        ))
          v.add(f.name, `Say ${f.noun}`);
        break;
      }
      case 'priorities': {
        const list = raw === undefined || raw === null || raw === '' ? [] : Array.isArray(raw) ? raw : [raw];
        const ids: number[] = [];
        for (const item of list) {
          const s = String(item);
          if (!refs.priority.some((o) => o.value === s)) v.add(f.name, 'Select priorities from the list');
          else if (!ids.includes(Number(s))) ids.push(Number(s));
        }
        priorityIds = ids;
        break;
      }
    }
  }
  v.throwIfAny();
  return { values, priorityIds };
}

/** A stored value as text: strings and numbers as they are, anything else blank. */
export function asText(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---------- Reading ----------

export class VersionLockedError extends ConflictError {
  constructor(version: Pick<PlanVersion, 'label' | 'status'>) {
    super(`${version.label} is ${version.status}, so its content can no longer be changed. Start a refresh to make a new version.`);
    this.name = 'VersionLockedError';
  }
}

export async function getVersionRow(db: Kysely<Database>, partnershipId: number, versionId: number): Promise<PlanVersion> {
  const v = await db
    .selectFrom('plan_versions')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('id', '=', versionId)
    .executeTakeFirst();
  if (!v) throw new NotFoundError('Plan version');
  return v;
}

/** The version a parent belongs to, or NotFound if the parent is not in the partnership. */
export async function versionOfParent(
  db: Kysely<Database>,
  partnershipId: number,
  parent: ParentKind,
  parentId: number,
): Promise<PlanVersion> {
  if (parent === 'version') return getVersionRow(db, partnershipId, parentId);
  if (parent === 'objective') {
    const row = await db
      .selectFrom('objectives')
      .innerJoin('priorities', 'priorities.id', 'objectives.priority_id')
      .select('priorities.plan_version_id')
      .where('objectives.partnership_id', '=', partnershipId)
      .where('objectives.id', '=', parentId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('Objective');
    return getVersionRow(db, partnershipId, row.plan_version_id);
  }
  const spec = PART_SPECS[PARENT_SPEC[parent]];
  const row = await loose(db)
    .selectFrom(spec.table)
    .select('plan_version_id')
    .where('partnership_id', '=', partnershipId)
    .where('id', '=', parentId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(cap(spec.noun));
  return getVersionRow(db, partnershipId, Number(row.plan_version_id));
}

export async function getPart(db: Kysely<Database>, partnershipId: number, kind: PartKind, id: number): Promise<PartRow> {
  const spec = PART_SPECS[kind];
  const row = await loose(db)
    .selectFrom(spec.table)
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(cap(spec.noun));
  return row as PartRow;
}

export async function versionOfPart(db: Kysely<Database>, partnershipId: number, kind: PartKind, row: PartRow): Promise<PlanVersion> {
  const spec = PART_SPECS[kind];
  if (spec.hasVersionColumn) return getVersionRow(db, partnershipId, Number(row.plan_version_id));
  return versionOfParent(db, partnershipId, spec.parent, Number(row[spec.parentColumn]));
}

export async function listParts(db: Kysely<Database>, partnershipId: number, kind: PartKind, parentId: number): Promise<PartRow[]> {
  const spec = PART_SPECS[kind];
  let q = loose(db).selectFrom(spec.table).selectAll().where('partnership_id', '=', partnershipId).where(spec.parentColumn, '=', parentId);
  if (spec.orderBy) q = q.orderBy(spec.orderBy);
  const rows = await q.orderBy('position').orderBy('id').execute();
  return rows as PartRow[];
}

/** Options for the reference fields of a part within a version. */
export async function referenceOptions(
  db: Kysely<Database>,
  partnershipId: number,
  versionId: number,
  exceptGroupId?: number,
): Promise<ReferenceOptions> {
  const orgs = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('partnership_id', '=', partnershipId)
    .orderBy('name')
    .execute();
  const members = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.name', 'memberships.organisation_id'])
    .where('memberships.partnership_id', '=', partnershipId)
    .orderBy('users.name')
    .orderBy('users.id')
    .execute();
  const partnership = await db.selectFrom('partnerships').select('risk_scoring').where('id', '=', partnershipId).executeTakeFirst();
  const priorities = await priorityChoices(db, partnershipId, { versionId });
  let gq = db
    .selectFrom('governance_groups')
    .select(['id', 'name'])
    .where('partnership_id', '=', partnershipId)
    .where('plan_version_id', '=', versionId);
  if (exceptGroupId) gq = gq.where('id', '!=', exceptGroupId);
  const groups = await gq.orderBy('position').execute();
  return {
    organisation: orgs.map((o) => ({ value: String(o.id), text: o.name })),
    scoring: partnership?.risk_scoring === 'five' ? 'five' : 'words',
    member: [...new Set(members.map((m) => m.name).filter((n) => n.trim() !== ''))].map((n) => ({ value: n, text: n })),
    owner: members.map((m) => ({ value: String(m.id), text: m.name })),
    memberOrganisation: Object.fromEntries(members.map((m) => [String(m.id), m.organisation_id])),
    priority: priorities,
    group: groups.map((g) => ({ value: String(g.id), text: g.name })),
  };
}

export async function themePriorityIds(db: Kysely<Database>, partnershipId: number, themeId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('theme_priorities')
    .select('priority_id')
    .where('partnership_id', '=', partnershipId)
    .where('theme_id', '=', themeId)
    .orderBy('priority_id')
    .execute();
  return rows.map((r) => r.priority_id);
}

// ---------- Changing ----------

function assertEditable(spec: PartSpec, version: PlanVersion): void {
  if (spec.lockedOnceApproved && version.status !== 'draft') throw new VersionLockedError(version);
}

function describe(spec: PartSpec, row: Record<string, unknown>): string {
  const title = asText(row[spec.titleColumn]);
  return title.length > 80 ? `${title.slice(0, 77)}...` : title;
}

/** Refuses a save made from an out-of-date copy (someone else saved after the editor opened it). */
function assertFresh(spec: PartSpec, before: PartRow, expected: unknown): void {
  assertUnchanged(
    expected,
    before.updated_at,
    `This ${spec.noun} was changed by someone else after you opened it. Their version is shown; make your changes again.`,
  );
}

/**
 * Inside a change's transaction: the plan version the part is in, kept as it is until the transaction ends (a
 * shared lock, so approving it waits for the change and the change sees an approval that got in first), and
 * checked still open to this kind of part.
 */
async function lockEditableVersion(trx: Kysely<Database>, partnershipId: number, spec: PartSpec, versionId: number): Promise<PlanVersion> {
  await lockRows(trx, 'plan_versions', versionId, 'share');
  const version = await getVersionRow(trx, partnershipId, versionId);
  assertEditable(spec, version);
  return version;
}

export { laterTimestamp };

/**
 * Contributors limited to their own (decision 0022) change only the activities they own and those activities'
 * progress updates: the activity of a part, or null for a new activity.
 */
async function assertMayDeliver(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  kind: PartKind,
  part: { id: number | null; parentId: number | null; row?: PartRow },
): Promise<void> {
  if (kind === 'activity') await assertMayDeliverActivity(db, actor, partnershipId, part.id);
  else if (kind === 'update')
    await assertMayDeliverActivity(db, actor, partnershipId, part.row ? Number(part.row.activity_id) : part.parentId);
}

export async function createPart(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  kind: PartKind,
  parentId: number,
  input: PartInput,
): Promise<PartRow> {
  const spec = PART_SPECS[kind];
  const version = await versionOfParent(db, partnershipId, spec.parent, parentId); // not found before invalid
  assertEditable(spec, version);
  await assertMayDeliver(db, actor, partnershipId, kind, { id: null, parentId });
  const refs = await referenceOptions(db, partnershipId, version.id);
  const { values, priorityIds } = validatePart(spec, input, refs);
  return db.transaction().execute(async (trx) => {
    await lockEditableVersion(trx, partnershipId, spec, (await versionOfParent(trx, partnershipId, spec.parent, parentId)).id);
    const l = loose(trx);
    const max = await l
      .selectFrom(spec.table)
      .select((eb) => eb.fn.max('position').as('max'))
      .where('partnership_id', '=', partnershipId)
      .where(spec.parentColumn, '=', parentId)
      .executeTakeFirst();
    const now = nowIso();
    const row = {
      ...values,
      partnership_id: partnershipId,
      [spec.parentColumn]: parentId,
      ...(spec.hasVersionColumn ? { plan_version_id: version.id } : {}),
      position: Number(max?.max ?? 0) + 1,
      created_at: now,
      updated_at: now,
    };
    const created = (await l.insertInto(spec.table).values(row).returningAll().executeTakeFirstOrThrow()) as PartRow;
    if (priorityIds) await setThemePriorities(trx, partnershipId, created.id, priorityIds);
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: spec.entityType,
      entityId: created.id,
      summary: `Added ${spec.noun} "${describe(spec, created)}" to ${version.label}`,
      after: priorityIds ? { ...created, priority_ids: priorityIds } : created,
    });
    return created;
  });
}

async function setThemePriorities(trx: Kysely<Database>, partnershipId: number, themeId: number, priorityIds: number[]): Promise<void> {
  await trx.deleteFrom('theme_priorities').where('partnership_id', '=', partnershipId).where('theme_id', '=', themeId).execute();
  if (priorityIds.length)
    await trx
      .insertInto('theme_priorities')
      .values(priorityIds.map((priority_id) => ({ partnership_id: partnershipId, theme_id: themeId, priority_id })))
      .execute();
}

export async function updatePart(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  kind: PartKind,
  id: number,
  input: PartInput,
): Promise<PartRow> {
  const spec = PART_SPECS[kind];
  const existing = await getPart(db, partnershipId, kind, id); // not found before invalid
  await assertMayDeliver(db, actor, partnershipId, kind, { id, parentId: null, row: existing });
  const version = await versionOfPart(db, partnershipId, kind, existing);
  assertEditable(spec, version);
  const refs = await referenceOptions(db, partnershipId, version.id, kind === 'group' ? id : undefined);
  const { values, priorityIds } = validatePart(spec, input, refs);
  return db.transaction().execute(async (trx) => {
    await lockRows(trx, spec.table, id);
    const before = await getPart(trx, partnershipId, kind, id);
    await lockEditableVersion(trx, partnershipId, spec, (await versionOfPart(trx, partnershipId, kind, before)).id);
    assertFresh(spec, before, input.expectedUpdatedAt);
    if (
      kind === 'group' &&
      values.reports_to_group_id !== null &&
      (await reportsBackTo(trx, partnershipId, Number(values.reports_to_group_id), id))
    ) {
      throw new ValidationError([{ field: 'reportsToGroupId', message: 'A group cannot report to a group that reports to it' }]);
    }
    const beforeThemes = kind === 'theme' ? await themePriorityIds(trx, partnershipId, id) : null;
    const after = (await loose(trx)
      .updateTable(spec.table)
      .set({ ...values, updated_at: laterTimestamp(before.updated_at) })
      .where('id', '=', id)
      .where('partnership_id', '=', partnershipId)
      .returningAll()
      .executeTakeFirstOrThrow()) as PartRow;
    if (priorityIds) await setThemePriorities(trx, partnershipId, id, priorityIds);
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'update',
      entityType: spec.entityType,
      entityId: id,
      summary: `Updated ${spec.noun} "${describe(spec, after)}" in ${version.label}`,
      before: beforeThemes ? { ...before, priority_ids: beforeThemes } : before,
      after: priorityIds ? { ...after, priority_ids: priorityIds } : after,
    });
    return after;
  });
}

/** True when `target` is `groupId` or reports, directly or through others, to `groupId`. */
async function reportsBackTo(db: Kysely<Database>, partnershipId: number, target: number, groupId: number): Promise<boolean> {
  const seen = new Set<number>();
  let current: number | null = target;
  while (current !== null && !seen.has(current)) {
    if (current === groupId) return true;
    seen.add(current);
    const row: { reports_to_group_id: number | null } | undefined = await db
      .selectFrom('governance_groups')
      .select('reports_to_group_id')
      .where('partnership_id', '=', partnershipId)
      .where('id', '=', current)
      .executeTakeFirst();
    current = row?.reports_to_group_id ?? null;
  }
  return false;
}

export async function deletePart(db: Kysely<Database>, actor: Actor, partnershipId: number, kind: PartKind, id: number): Promise<PartRow> {
  const spec = PART_SPECS[kind];
  await assertMayDeliver(db, actor, partnershipId, kind, { id, parentId: null, row: await getPart(db, partnershipId, kind, id) });
  return db.transaction().execute(async (trx) => {
    await lockRows(trx, spec.table, id);
    const before = await getPart(trx, partnershipId, kind, id);
    const version = await lockEditableVersion(trx, partnershipId, spec, (await versionOfPart(trx, partnershipId, kind, before)).id);
    await loose(trx).deleteFrom(spec.table).where('id', '=', id).where('partnership_id', '=', partnershipId).execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'delete',
      entityType: spec.entityType,
      entityId: id,
      summary: `Removed ${spec.noun} "${describe(spec, before)}" from ${version.label}`,
      before,
    });
    return before;
  });
}

/** Moves a part one place up or down among its siblings. */
export async function movePart(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  kind: PartKind,
  id: number,
  direction: unknown,
): Promise<void> {
  const spec = PART_SPECS[kind];
  if (direction !== 'up' && direction !== 'down')
    throw new ValidationError([{ field: 'direction', message: 'Choose to move it up or down' }]);
  await assertMayDeliver(db, actor, partnershipId, kind, { id, parentId: null, row: await getPart(db, partnershipId, kind, id) });
  await db.transaction().execute(async (trx) => {
    const row = await getPart(trx, partnershipId, kind, id);
    const version = await lockEditableVersion(trx, partnershipId, spec, (await versionOfPart(trx, partnershipId, kind, row)).id);
    const siblings = await listParts(trx, partnershipId, kind, Number(row[spec.parentColumn]));
    const i = siblings.findIndex((s) => s.id === id);
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= siblings.length) return;
    const order = siblings.map((s) => s.id);
    [order[i], order[j]] = [order[j]!, order[i]!];
    const l = loose(trx);
    for (const [n, sid] of order.entries())
      await l
        .updateTable(spec.table)
        .set({ position: n + 1 })
        .where('id', '=', sid)
        .where('partnership_id', '=', partnershipId)
        .execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'update',
      entityType: spec.entityType,
      entityId: id,
      summary: `Moved ${spec.noun} "${describe(spec, row)}" ${direction} in ${version.label}`,
    });
  });
}

// ---------- Presenting ----------

/** A part's values as form field values (strings). */
export function formValues(spec: PartSpec, row: PartRow, priorityIds: number[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = { expectedUpdatedAt: row.updated_at };
  for (const f of spec.fields) {
    const v = row[f.column];
    if (f.kind === 'money') out[f.name] = penceToInput(v as number | null);
    else if (f.kind === 'yesno') out[f.name] = Number(v) === 1 ? 'yes' : 'no';
    else if (f.kind === 'priorities') out[f.name] = priorityIds.map(String);
    else out[f.name] = asText(v);
  }
  return out;
}

/** A part as JSON for the API: camelCase names, money in pounds. */
export function partJson(spec: PartSpec, row: PartRow, priorityIds?: number[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: row.id, [`${spec.parent}Id`]: Number(row[spec.parentColumn]), position: row.position };
  for (const f of spec.fields) {
    const v = row[f.column];
    if (f.kind === 'money') out[f.name] = v === null || v === undefined ? null : Number(v) / 100;
    else if (f.kind === 'yesno') out[f.name] = Number(v) === 1;
    else if (f.kind === 'reference') out[f.name] = v === null || v === undefined ? null : Number(v);
    else if (f.kind === 'priorities') out[f.name] = priorityIds ?? [];
    else out[f.name] = v ?? null;
  }
  out.createdAt = row.created_at;
  out.updatedAt = row.updated_at;
  return out;
}
