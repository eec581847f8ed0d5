/**
 * What the plan pages share: reading the request (partnership, ids, form body), the addresses and breadcrumbs of
 * the partnership's plans and versions, the labels and formats their views use, and rendering a view of this folder.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { formatMoney } from '../../../../services/plans/planParts.ts';
import { moneyInWords, moneyLeft } from '../../../../presentation/formats.ts';
import { ACTIVITY_STATUS_LABELS, RAG_LABELS, RESOURCE_KIND_LABELS, RISK_LEVEL_LABELS } from '../../../../presentation/labels.ts';
import { periodLabel, PLAN_STATUS_LABELS } from '../../../../services/plans/plans.ts';
import { versionName } from '../../../../domain/planNames.ts';

export const labels = {
  status: PLAN_STATUS_LABELS,
  activity: ACTIVITY_STATUS_LABELS,
  rag: RAG_LABELS,
  level: RISK_LEVEL_LABELS,
  resource: RESOURCE_KIND_LABELS,
};

/** The partnership named in the URL (already authorised). */
export const pid = (r: FastifyRequest) => r.access!.partnership.id;
export const base = (r: FastifyRequest) => `/partnerships/${pid(r)}`;
/** An id from the URL; NotFound (named `what`) when it is not one. */
export const param = (r: FastifyRequest, name: string, what: string) => assertValidId((r.params as Record<string, string>)[name], what);
export const body = (r: FastifyRequest) => (r.body ?? {}) as Record<string, unknown>;

export const versionUrl = (r: FastifyRequest, versionId: number) => `${base(r)}/plan-versions/${versionId}`;

export const crumbs = (r: FastifyRequest, extra: { text: string; href: string }[] = []) => [
  { text: 'Home', href: '/' },
  { text: r.access!.partnership.name, href: base(r) },
  { text: 'Plans', href: `${base(r)}/plans` },
  ...extra,
];

/** Breadcrumbs down to a version of a plan. */
export const versionCrumbs = (r: FastifyRequest, doc: { id: number; label: string; plan: { title: string } }) =>
  crumbs(r, [{ text: versionName(doc.plan.title, doc.label), href: versionUrl(r, doc.id) }]);

/** Renders a view of features/plans with the labels and formats every plan view uses. */
export const page = (r: FastifyRequest, reply: FastifyReply, template: string, ctx: Record<string, unknown>, status = 200) =>
  reply.render(
    `features/plans/${template}`,
    { section: 'plans', labels, formatMoney, moneyLeft, moneyInWords, periodLabel, base: base(r), ...ctx },
    status,
  );
