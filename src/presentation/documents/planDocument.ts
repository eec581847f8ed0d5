/**
 * The whole plan version as a document, laid out like the partnership plans in the seeds: title page, contents,
 * foreword, introduction, vision, the partnership's structure, each priority (why, what we will do, objectives,
 * delivery activities, risk register, resources), cross-cutting themes, performance management (the indicators
 * serving the priorities, with baselines and targets: as recorded at approval once the version is approved), funding, engagement and the communications calendar,
 * links to other plans, and approval and contacts. One ReportDocument, written as DOCX and printed as PDF (for
 * downloads, by planDocumentFile.ts; for generated documents, by generateDocument.ts).
 */
import type { Kysely } from 'kysely';
import type { Database, IndicatorTarget } from '../../adapters/database/schema.ts';
import { getPartnership } from '../../services/partnerships/partnerships.ts';
import { loadPlanDocument, periodLabel, PLAN_STATUS_LABELS, type PlanDocument, type PriorityDocument } from '../../services/plans/plans.ts';
import { ACTIVITY_STATUS_LABELS, RAG_LABELS, RESOURCE_KIND_LABELS } from '../labels.ts';
import { riskScoreColumns } from '../riskScores.ts';
import {
  FREQUENCY_LABELS,
  label as indicatorLabel,
  listIndicatorDetails,
  targetText,
  type IndicatorDetails,
} from '../../services/performance/indicators.ts';
import { governanceSvg, governanceTree } from './governanceDiagram.ts';
import { money, moneyLeft, ukDate } from '../formats.ts';
import { alreadySaid, fileNameFor, paragraphs, planName, type Block, type ReportDocument, type Section } from './document.ts';
import { suppressCount } from '../../domain/index.ts';
import { suppressionThreshold } from '../../services/performance/indicators.ts';
import { publicFigure, publicIndicatorIds } from '../../services/performance/publicPerformance.ts';
import { servingIndicators, versionTargets, type VersionTargets } from '../../services/plans/planTargets.ts';

export interface PlanReport {
  document: ReportDocument;
  /** File name without extension: "Rutland-Community-Safety-Partnership-plan-2008-11". */
  fileName: string;
  plan: PlanDocument;
}

const none = (what: string): Block => ({ kind: 'paragraph', text: `No ${what} recorded in this version of the plan.`, emphasis: 'note' });
const dash = (s: string | null | undefined) => (s && s.trim() !== '' ? s : '');

/**
 * What the public version of the document leaves out or hides (decision 0021): the risk registers and the funding and
 * resources unless the partnership chose to publish them; indicators not marked public; small counts (baselines and
 * targets below the partnership's threshold) shown as "<5".
 */
export interface PublicAudience {
  threshold: number;
  risks: boolean;
  funding: boolean;
  publicIndicatorIds: Set<number>;
}

function prioritySection(p: PriorityDocument, n: number, audience: PublicAudience | null = null, fiveByFive = false): Section {
  const blocks: Block[] = [];
  if (p.why) blocks.push({ kind: 'heading', level: 2, text: 'Why this is a priority' }, ...paragraphs(p.why));
  if (p.geographical_context)
    blocks.push({ kind: 'heading', level: 2, text: 'Geographical context' }, ...paragraphs(p.geographical_context));
  if (p.what_we_will_do) blocks.push({ kind: 'heading', level: 2, text: 'What we will do' }, ...paragraphs(p.what_we_will_do));
  if (p.leadOrganisation) blocks.push({ kind: 'fact', label: 'Lead organisation', text: p.leadOrganisation });
  if (p.lead_officer) blocks.push({ kind: 'fact', label: 'Lead officer', text: p.lead_officer });
  if (p.themes.length) blocks.push({ kind: 'fact', label: 'Cross-cutting themes', text: p.themes.join('; ') });

  blocks.push({ kind: 'heading', level: 2, text: 'Objectives' });
  if (p.objectives.length) {
    blocks.push({
      kind: 'list',
      items: p.objectives.map((o, i) => `${n}.${i + 1} ${o.title}${o.description ? `: ${o.description}` : ''}`),
    });
  } else blocks.push(none('objectives'));

  // Numbered within their objective: objective 1.2's activities are 1.2.1, 1.2.2, 1.2.3.
  const activities = p.objectives.flatMap((o, i) => o.activities.map((a, j) => ({ o, i, j, a })));
  blocks.push({ kind: 'heading', level: 2, text: 'Delivery activities' });
  if (activities.length) {
    blocks.push({
      kind: 'table',
      caption: `Delivery activities: ${p.title}`,
      columns: [
        { header: 'Ref', width: 8 },
        { header: 'Activity and latest progress', width: 40 },
        { header: 'Lead and partners', width: 22 },
        { header: 'Dates', width: 16 },
        { header: 'Status' },
      ],
      rows: activities.map(({ i, j, a }) => {
        const latest = a.updates[0];
        const dates = [a.start_date ? `Start ${ukDate(a.start_date)}` : '', a.due_date ? `Due ${ukDate(a.due_date)}` : '']
          .filter(Boolean)
          .join('\n');
        const status = [ACTIVITY_STATUS_LABELS[a.status] ?? a.status, a.rag ? `RAG: ${RAG_LABELS[a.rag] ?? a.rag}` : '']
          .filter(Boolean)
          .join('\n');
        return [
          `${n}.${i + 1}.${j + 1}`,
          latest ? `${a.title}\nProgress, ${ukDate(latest.update_date)}: ${latest.note}` : a.title,
          [dash(a.lead), a.partners ? `With: ${a.partners}` : ''].filter(Boolean).join('\n'),
          dates,
          status,
        ];
      }),
    });
  } else blocks.push(none('delivery activities'));

  if (audience && !audience.risks) return { title: `Priority ${n}: ${p.title}`, blocks };
  blocks.push({ kind: 'heading', level: 2, text: 'Risk register' });
  const scores = riskScoreColumns(fiveByFive);
  if (p.risks.length) {
    blocks.push({
      kind: 'table',
      caption: `Risk register: ${p.title}`,
      columns: [
        { header: 'Risk', width: 26 },
        { header: scores.headers[0], width: 11 },
        { header: scores.headers[1], width: 12 },
        { header: 'Actions to mitigate', width: 23 },
        { header: 'Partner responsible', width: 17 },
        { header: 'Review date' },
      ],
      rows: p.risks.map((r) => [r.risk, ...scores.cells(r), dash(r.mitigation), dash(r.responsible_partner), ukDate(r.review_date)]),
    });
  } else blocks.push(none('risks'));

  if (audience && !audience.funding) return { title: `Priority ${n}: ${p.title}`, blocks };
  blocks.push({ kind: 'heading', level: 2, text: 'Resources' });
  if (p.resources.length) {
    blocks.push({
      kind: 'table',
      caption: `Resources: ${p.title}`,
      columns: [
        { header: 'Type', width: 14 },
        { header: 'Resource', width: 46 },
        { header: 'Amount', width: 14 },
        { header: 'Funding source' },
      ],
      rows: p.resources.map((r) => [RESOURCE_KIND_LABELS[r.kind] ?? r.kind, r.description, money(r.amount_pence), dash(r.funding_source)]),
    });
  } else blocks.push(none('resources'));
  return { title: `Priority ${n}: ${p.title}`, blocks };
}

function performanceSection(
  plan: PlanDocument,
  indicators: IndicatorDetails[],
  serving: Map<number, Set<number>>,
  targets: VersionTargets,
  audience: PublicAudience | null = null,
): Section {
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: 'The partnership measures its progress against each priority with indicators, each with a baseline and a target. Figures are reported to the partnership as they become available, rated red, amber or green against the target, and the groups responsible for each priority explain what is being done where performance is off track.',
    },
  ];
  if (targets.source === 'recorded')
    blocks.push({
      kind: 'paragraph',
      text: `The targets are those recorded when this version of the plan was approved (${ukDate(targets.recordedAt)}).`,
      emphasis: 'note',
    });
  // An approved version shows the targets it was approved with; a draft the targets held now (decision 0014).
  // For the public, a count's target or baseline below the threshold is a small number: withheld (decision 0021).
  const smallCount = (i: IndicatorDetails, value: number | null) =>
    audience !== null &&
    i.unit === 'count' &&
    value !== null &&
    suppressCount(Math.round(value), { threshold: audience.threshold }).suppressed !== null;
  const shownTarget = (i: IndicatorDetails, t: IndicatorTarget) =>
    smallCount(i, t.value) ? `A count below ${audience!.threshold} (small numbers are not published)` : targetText(t);
  const targetsOf = (p: PriorityDocument, i: IndicatorDetails) => {
    if (targets.source === 'current') return i.targets.length ? i.targets.map((t) => shownTarget(i, t)).join('\n') : 'No target set';
    const recorded = targets.targets.filter((t) => t.priorityId === p.id && t.indicatorId === i.id);
    return recorded.length
      ? recorded.map((t) => shownTarget(i, t as unknown as IndicatorTarget)).join('\n')
      : 'No target recorded at approval';
  };
  const baselineOf = (i: IndicatorDetails) => {
    if (!i.baseline) return '';
    const value =
      audience && i.unit === 'count'
        ? publicFigure(i.baseline.value, 'count', audience.threshold).display
        : Number(i.baseline.value).toLocaleString('en-GB');
    return `${value} (${i.baseline.period})`;
  };
  let any = false;
  for (const p of plan.priorities) {
    const linked = indicators.filter((i) => serving.get(p.id)?.has(i.id) && (audience === null || audience.publicIndicatorIds.has(i.id)));
    if (!linked.length) continue;
    any = true;
    blocks.push(
      { kind: 'heading', level: 2, text: p.title },
      {
        kind: 'table',
        caption: `Indicators: ${p.title}`,
        columns: [
          { header: 'Indicator', width: 34 },
          { header: 'Baseline', width: 18 },
          { header: 'Target', width: 28 },
          { header: 'Reported' },
        ],
        rows: linked.map((i) => [
          indicatorLabel(i),
          baselineOf(i),
          targetsOf(p, i),
          [FREQUENCY_LABELS[i.frequency], i.owner ? `Owner: ${i.owner}` : ''].filter(Boolean).join('\n'),
        ]),
      },
    );
  }
  if (!any) blocks.push({ kind: 'paragraph', text: 'No indicators are linked to the priorities of this plan yet.', emphasis: 'note' });
  return { title: 'Performance management', blocks };
}

function fundingSection(plan: PlanDocument): Section {
  const blocks: Block[] = [];
  if (!plan.streams.length) blocks.push(none('funding streams'));

  const priorityTitle = (id: number | null) => plan.priorities.find((p) => p.id === id)?.title ?? '';
  for (const s of plan.streams) {
    blocks.push({ kind: 'heading', level: 2, text: `${s.name}: ${money(s.amount_pence)}` });
    if (s.funder) blocks.push({ kind: 'fact', label: 'Funder', text: s.funder });
    blocks.push({ kind: 'fact', label: 'Amount', text: money(s.amount_pence) });
    blocks.push({
      kind: 'fact',
      label: 'Allocated',
      text: `${money(s.allocatedPence)}, of which ${money(s.spentPence)} spent; ${moneyLeft(s.amount_pence - s.allocatedPence, { left: 'not yet allocated', over: 'over-allocated' })}`,
    });
    if (s.approval_threshold_pence !== null)
      blocks.push({
        kind: 'fact',
        label: 'Approval threshold',
        text: `Projects over ${money(s.approval_threshold_pence)} must be approved by the Board`,
      });
    blocks.push(...paragraphs(s.notes));
    if (s.allocations.length) {
      blocks.push({
        kind: 'table',
        caption: `Allocations from the ${s.name}`,
        columns: [
          { header: 'Project or purpose', width: 34 },
          { header: 'Priority', width: 24 },
          { header: 'Allocated', width: 13 },
          { header: 'Board approved', width: 15 },
          { header: 'Spent' },
        ],
        rows: [
          ...s.allocations.map((a) => {
            const needs = s.approval_threshold_pence !== null && a.amount_pence > s.approval_threshold_pence;
            return [
              a.project,
              priorityTitle(a.priority_id),
              money(a.amount_pence),
              Number(a.board_approved) === 1 ? 'Yes' : needs ? 'Needed, not yet' : 'Not needed',
              money(a.spent_pence),
            ];
          }),
          ['Total', '', money(s.allocatedPence), '', money(s.spentPence)],
        ],
      });
    } else blocks.push(none(`allocations from the ${s.name}`));
  }
  const moneyResources = plan.priorities.flatMap((p) => p.resources.filter((r) => r.amount_pence !== null).map((r) => ({ p, r })));
  if (moneyResources.length) {
    blocks.push(
      { kind: 'heading', level: 2, text: 'Money in the priorities' },
      {
        kind: 'table',
        caption: "Money committed to each priority (from the priorities' resources)",
        columns: [
          { header: 'Priority', width: 26 },
          { header: 'Resource', width: 40 },
          { header: 'Amount', width: 14 },
          { header: 'Funding source' },
        ],
        rows: [
          ...moneyResources.map(({ p, r }) => [p.title, r.description, money(r.amount_pence), dash(r.funding_source)]),
          ['Total', '', money(moneyResources.reduce((sum, { r }) => sum + Number(r.amount_pence), 0)), ''],
        ],
      },
    );
  }
  return { title: 'Funding', blocks };
}

type Partnership = Awaited<ReturnType<typeof getPartnership>>;

function introductionSection(plan: PlanDocument, partnership: Partnership): Section {
  const v = plan.version;
  return {
    title: 'Introduction',
    blocks: [
      ...(v.introduction
        ? paragraphs(v.introduction)
        : [
            {
              kind: 'paragraph' as const,
              text: `This is the ${planName(plan.plan.title, periodLabel(plan.plan.start_year, plan.plan.end_year), v.label)}.`,
            },
          ]),
      ...(partnership.area_description
        ? [{ kind: 'heading' as const, level: 2 as const, text: 'Our area' }, ...paragraphs(partnership.area_description)]
        : []),
      { kind: 'heading', level: 2, text: 'Our vision' },
      ...(v.vision ? paragraphs(v.vision, 'lead') : [none('vision')]),
      { kind: 'heading', level: 2, text: 'Our priorities' },
      plan.priorities.length ? { kind: 'list', items: plan.priorities.map((p, i) => `${i + 1}. ${p.title}`) } : none('priorities'),
    ],
  };
}

function structureSection(plan: PlanDocument): Section {
  const groupName = (id: number | null) => plan.groups.find((g) => g.id === id)?.name ?? '';
  return {
    title: 'Partnership structure',
    blocks: plan.groups.length
      ? [
          {
            kind: 'paragraph',
            text: 'The partnership works through the groups below. Each group reports to the group shown in the last column.',
          },
          {
            kind: 'figure',
            svg: governanceSvg(governanceTree(plan.groups)),
            alt: 'Diagram of the governance structure: who reports to whom, shown in full in the table',
          },
          {
            kind: 'table',
            caption: 'Governance groups',
            columns: [
              { header: 'Group', width: 18 },
              { header: 'Purpose', width: 26 },
              { header: 'Chair', width: 12 },
              { header: 'Member organisations', width: 18 },
              { header: 'Meets', width: 10 },
              { header: 'Reports to' },
            ],
            rows: plan.groups.map((g) => [
              g.name,
              dash(g.purpose),
              dash(g.chair),
              dash(g.member_organisations),
              dash(g.meeting_frequency),
              groupName(g.reports_to_group_id),
            ]),
          },
        ]
      : [none('governance groups')],
  };
}

function themesSection(plan: PlanDocument): Section {
  return {
    title: 'Cross-cutting themes',
    blocks: plan.themes.length
      ? plan.themes.flatMap((t): Block[] => [
          { kind: 'heading', level: 2, text: t.title },
          ...paragraphs(t.description),
          {
            kind: 'fact',
            label: 'Cuts across',
            text:
              plan.priorities
                .filter((p) => t.priorityIds.includes(p.id))
                .map((p) => p.title)
                .join('; ') || 'No priorities linked',
          },
        ])
      : [none('cross-cutting themes')],
  };
}

function engagementSection(plan: PlanDocument): Section {
  return {
    title: 'Community engagement and communications',
    blocks: [
      { kind: 'heading', level: 2, text: 'How we engage the community' },
      plan.engagement.length
        ? {
            kind: 'table',
            caption: 'Community engagement methods',
            columns: [{ header: 'Method', width: 30 }, { header: 'How we use it' }],
            rows: plan.engagement.map((e) => [e.method, dash(e.description)]),
          }
        : none('engagement methods'),
      { kind: 'heading', level: 2, text: 'Communications calendar' },
      plan.events.length
        ? {
            kind: 'table',
            caption: 'Communications calendar',
            columns: [{ header: 'Date', width: 20 }, { header: 'Event', width: 45 }, { header: 'Who attends' }],
            rows: plan.events.map((e) => [ukDate(e.event_date), e.event, dash(e.attendees)]),
          }
        : none('calendar events'),
    ],
  };
}

function linksSection(plan: PlanDocument): Section {
  return {
    title: 'Links to other plans and strategies',
    blocks: plan.links.length
      ? [
          {
            kind: 'list',
            items: plan.links.map((l) => [l.title, l.relationship ? `: ${l.relationship}` : '', l.url ? ` (${l.url})` : ''].join('')),
          },
        ]
      : [none('links to other plans')],
  };
}

function approvalSection(plan: PlanDocument, partnership: Partnership): Section {
  const v = plan.version;
  const leads = plan.priorities
    .filter((p) => p.lead_officer || p.leadOrganisation)
    .map((p) => `${p.title}: ${[p.lead_officer, p.leadOrganisation].filter(Boolean).join(', ')}`);
  const chairs = plan.groups.filter((g) => g.chair).map((g) => `${g.name}: ${g.chair}`);
  return {
    title: 'Approval and contacts',
    blocks: [
      { kind: 'fact', label: 'Status', text: PLAN_STATUS_LABELS[v.status] ?? v.status },
      ...(v.approved_at
        ? [
            { kind: 'fact' as const, label: 'Approved by', text: dash(v.approved_by) },
            { kind: 'fact' as const, label: 'Date approved', text: ukDate(v.approved_at) },
            { kind: 'fact' as const, label: 'Meeting', text: dash(v.approval_meeting) },
          ]
        : [{ kind: 'paragraph' as const, text: 'This version has not yet been approved.', emphasis: 'note' as const }]),
      ...(v.published_at ? [{ kind: 'fact' as const, label: 'Published', text: ukDate(v.published_at) }] : []),
      { kind: 'heading', level: 2, text: 'Contacts' },
      ...(leads.length
        ? [
            { kind: 'paragraph' as const, text: 'Priority leads:' },
            { kind: 'list' as const, items: leads },
          ]
        : []),
      ...(chairs.length
        ? [
            { kind: 'paragraph' as const, text: 'Chairs of the partnership groups:' },
            { kind: 'list' as const, items: chairs },
          ]
        : []),
      { kind: 'paragraph', text: `For more about this plan, contact ${partnership.name}.` },
    ],
  };
}

/** The lines under the title: how long the plan runs and its status, and who approved it when. */
function titlePageLines(plan: PlanDocument): string[] {
  const v = plan.version;
  const status = PLAN_STATUS_LABELS[v.status] ?? v.status;
  const period = periodLabel(plan.plan.start_year, plan.plan.end_year);
  return [
    `${plan.plan.end_year - plan.plan.start_year}-year plan, ${plan.plan.start_year} to ${plan.plan.end_year}${alreadySaid(period, v.label) ? '' : `: ${v.label}`} (${status.toLowerCase()})`,
    v.approved_at ? `Approved by ${dash(v.approved_by)} on ${ukDate(v.approved_at)}` : 'Not yet approved',
  ];
}

/** Builds the document for a plan version of a partnership (NotFound when the version is not the partnership's). */
export async function buildPlanReport(
  db: Kysely<Database>,
  partnershipId: number,
  versionId: number,
  options: { audience?: 'partnership' | 'public' } = {},
): Promise<PlanReport> {
  const plan = await loadPlanDocument(db, partnershipId, versionId);
  const partnership = await getPartnership(db, partnershipId);
  const indicators = await listIndicatorDetails(db, partnershipId);
  const v = plan.version;
  const audience: PublicAudience | null =
    options.audience === 'public'
      ? {
          threshold: await suppressionThreshold(db, partnershipId),
          // As fixed when the version was published; the partnership's settings for one never published.
          risks: (v.public_risks ?? partnership.public_risks) === 1,
          funding: (v.public_funding ?? partnership.public_funding) === 1,
          publicIndicatorIds: await publicIndicatorIds(
            db,
            partnershipId,
            plan,
            indicators.map((indicator) => ({ indicator })),
          ),
        }
      : null;
  const sections: Section[] = [];
  if (v.foreword) sections.push({ title: 'Foreword', blocks: paragraphs(v.foreword) });
  sections.push(introductionSection(plan, partnership), structureSection(plan));
  plan.priorities.forEach((p, i) => sections.push(prioritySection(p, i + 1, audience, partnership.risk_scoring === 'five')));
  sections.push(themesSection(plan));
  sections.push(
    performanceSection(
      plan,
      indicators,
      await servingIndicators(db, partnershipId, plan),
      await versionTargets(db, partnershipId, plan),
      audience,
    ),
  );
  if (!audience || audience.funding) sections.push(fundingSection(plan));
  sections.push(engagementSection(plan), linksSection(plan), approvalSection(plan, partnership));
  return {
    plan,
    fileName: fileNameFor(partnership.name, 'plan', v.label),
    document: {
      organisation: partnership.name,
      title: plan.plan.title,
      subtitle: v.label,
      titlePageLines: titlePageLines(plan),
      runningHeader: planName(plan.plan.title, periodLabel(plan.plan.start_year, plan.plan.end_year), v.label),
      sections,
    },
  };
}
