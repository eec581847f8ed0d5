/**
 * Partnership plans in the browser: the list of plans, a new plan, each version as a readable document, the
 * forms for every part of a version (one generic form driven by the part's fields), approval and publication,
 * next year's refresh, the comparison of two versions, the governance structure, funding, and the public summary.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../../domain/errors.ts';
import { can } from '../../../../services/partnerships/authorisation.ts';
import { contentSecurityPolicy, newNonce } from '../../security.ts';
import { publicPerformance } from '../../../../services/performance/publicPerformance.ts';
import {
  ACTIVITY_STATUS_LABELS,
  asText,
  createPart,
  deletePart,
  formatMoney,
  formValues,
  getPart,
  movePart,
  PART_KINDS,
  PART_SPECS,
  RAG_LABELS,
  PARENT_PARAM,
  PARENT_PATH,
  PART_PARAM,
  referenceOptions,
  RESOURCE_KIND_LABELS,
  RISK_LEVEL_LABELS,
  themePriorityIds,
  updatePart,
  versionOfParent,
  versionOfPart,
  type FieldSpec,
  type PartKind,
  type PartRow,
  type PartSpec,
  type ReferenceOptions,
} from '../../../../services/plans/planParts.ts';
import {
  approveVersion,
  createPlan,
  getVersion,
  listPlans,
  loadPlanDocument,
  periodLabel,
  PLAN_STATUS_LABELS,
  publishedSummary,
  publishVersion,
  startRefresh,
  updateVersionText,
  withdrawApproval,
  type PlanDocument,
} from '../../../../services/plans/plans.ts';
import { compareVersions } from '../../../../services/plans/planComparison.ts';
import { RISK_LEVELS } from '../../../../adapters/database/schema.ts';
import { governanceSvg, governanceTree } from '../../../../presentation/documents/governanceDiagram.ts';
import { planDocumentRoutes } from './documentRoutes.ts';

export { governanceSvg, governanceTree };

const labels = { status: PLAN_STATUS_LABELS, activity: ACTIVITY_STATUS_LABELS, rag: RAG_LABELS, level: RISK_LEVEL_LABELS, resource: RESOURCE_KIND_LABELS };

/** Severity × likelihood: the risk matrix, High first. */
export function riskMatrix(risks: { severity: string; likelihood: string; risk: string }[]) {
  return RISK_LEVELS.map((severity) => ({
    severity,
    cells: RISK_LEVELS.map((likelihood) => ({ likelihood, risks: risks.filter((r) => r.severity === severity && r.likelihood === likelihood).map((r) => r.risk) })),
  }));
}

export async function planRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  const { db } = services;
  const k = db.kysely;
  const pid = (r: FastifyRequest) => r.access!.partnership.id;
  const base = (r: FastifyRequest) => `/partnerships/${pid(r)}`;
  const param = (r: FastifyRequest, name: string, what: string) => assertValidId((r.params as Record<string, string>)[name], what);
  const body = (r: FastifyRequest) => (r.body ?? {}) as Record<string, unknown>;
  const crumbs = (r: FastifyRequest, extra: { text: string; href: string }[] = []) => [
    { text: 'Home', href: '/' },
    { text: r.access!.partnership.name, href: base(r) },
    { text: 'Plans', href: `${base(r)}/plans` },
    ...extra,
  ];
  const versionUrl = (r: FastifyRequest, versionId: number) => `${base(r)}/plan-versions/${versionId}`;
  const versionCrumbs = (r: FastifyRequest, doc: { id: number; label: string; plan: { title: string } }) => crumbs(r, [{ text: `${doc.plan.title} ${doc.label}`, href: versionUrl(r, doc.id) }]);
  const page = (r: FastifyRequest, reply: FastifyReply, template: string, ctx: Record<string, unknown>, status = 200) =>
    reply.render(`features/plans/${template}`, { section: 'plans', labels, formatMoney, periodLabel, base: base(r), ...ctx }, status);

  // ---------- Plans ----------

  app.get('/partnerships/:partnershipId/plans', { config: { auth: 'partnership.read' } }, async (r, reply) => {
    const plans = await listPlans(k, pid(r));
    return page(r, reply, 'list.njk', { title: 'Partnership plans', breadcrumbs: crumbs(r).slice(0, 2), plans, periodLabel });
  });

  const planForm = (r: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors?: unknown, status = 200) =>
    page(r, reply, 'plan-form.njk', { title: 'Create a partnership plan', breadcrumbs: crumbs(r), action: `${base(r)}/plans/new`, values, errors }, status);

  app.get('/partnerships/:partnershipId/plans/new', { config: { auth: 'plan.write' } }, async (r, reply) => planForm(r, reply, {}));
  app.post('/partnerships/:partnershipId/plans/new', { config: { auth: 'plan.write' } }, async (r, reply) => {
    try {
      const { plan, version } = await createPlan(k, actorOf(r.user!), pid(r), body(r));
      return reply.flash(`${plan.title} ${version.label} has been created`).redirect(versionUrl(r, version.id), 303);
    } catch (e) {
      if (e instanceof ValidationError) return planForm(r, reply, body(r), e.errors, 400);
      throw e;
    }
  });

  // ---------- A version ----------

  app.get('/partnerships/:partnershipId/plan-versions/:versionId', { config: { auth: 'partnership.read' } }, async (r, reply) => {
    const doc = await loadPlanDocument(k, pid(r), param(r, 'versionId', 'Plan version'));
    const others = (await listPlans(k, pid(r))).find((p) => p.id === doc.plan.id)!.versions.filter((v) => v.id !== doc.version.id);
    return page(r, reply, 'version.njk', {
      title: `${doc.plan.title} ${doc.version.label}`,
      breadcrumbs: crumbs(r),
      doc,
      others,
      editable: doc.version.status === 'draft' && can(r.access!.role, 'plan.write'),
      groupName: (id: number | null) => doc.groups.find((g) => g.id === id)?.name ?? '',
      vbase: versionUrl(r, doc.version.id),
    });
  });

  const textForm = (r: FastifyRequest, reply: FastifyReply, v: { id: number; label: string; plan: { title: string } }, ctx: Record<string, unknown>, status = 200) =>
    page(r, reply, 'version-form.njk', { title: `Vision, foreword and introduction: ${v.label}`, breadcrumbs: versionCrumbs(r, v), action: `${versionUrl(r, v.id)}/edit`, ...ctx }, status);
  const textValues = (v: { label: string; vision: string; foreword: string; introduction: string; updated_at: string }) => ({ label: v.label, vision: v.vision, foreword: v.foreword, introduction: v.introduction, expectedUpdatedAt: v.updated_at });

  app.get('/partnerships/:partnershipId/plan-versions/:versionId/edit', { config: { auth: 'plan.write' } }, async (r, reply) => {
    const v = await getVersion(k, pid(r), param(r, 'versionId', 'Plan version'));
    return textForm(r, reply, v, { values: textValues(v) });
  });
  app.post('/partnerships/:partnershipId/plan-versions/:versionId/edit', { config: { auth: 'plan.write' } }, async (r, reply) => {
    const v = await getVersion(k, pid(r), param(r, 'versionId', 'Plan version'));
    try {
      await updateVersionText(k, actorOf(r.user!), pid(r), v.id, body(r));
      return reply.flash('The vision, foreword and introduction have been saved').redirect(versionUrl(r, v.id), 303);
    } catch (e) {
      if (e instanceof ValidationError) return textForm(r, reply, v, { values: body(r), errors: e.errors }, 400);
      if (e instanceof ConflictError) {
        const latest = await getVersion(k, pid(r), v.id);
        return textForm(r, reply, latest, { values: textValues(latest), yours: body(r), errors: [{ field: 'vision', message: e.message }] }, 409);
      }
      throw e;
    }
  });

  const approveForm = (r: FastifyRequest, reply: FastifyReply, v: { id: number; label: string; plan: { title: string } }, values: Record<string, unknown>, errors?: unknown, status = 200) =>
    page(r, reply, 'approve.njk', { title: `Record approval of ${v.label}`, breadcrumbs: versionCrumbs(r, v), action: `${versionUrl(r, v.id)}/approve`, values, errors, version: v }, status);
  app.get('/partnerships/:partnershipId/plan-versions/:versionId/approve', { config: { auth: 'plan.approve' } }, async (r, reply) => {
    const v = await getVersion(k, pid(r), param(r, 'versionId', 'Plan version'));
    return approveForm(r, reply, v, {});
  });
  app.post('/partnerships/:partnershipId/plan-versions/:versionId/approve', { config: { auth: 'plan.approve' } }, async (r, reply) => {
    const v = await getVersion(k, pid(r), param(r, 'versionId', 'Plan version'));
    try {
      await approveVersion(k, actorOf(r.user!), pid(r), v.id, body(r));
      return reply.flash(`Approval of ${v.label} has been recorded. It can now be published.`).redirect(versionUrl(r, v.id), 303);
    } catch (e) {
      if (e instanceof ValidationError) return approveForm(r, reply, v, body(r), e.errors, 400);
      throw e;
    }
  });

  app.post('/partnerships/:partnershipId/plan-versions/:versionId/publish', { config: { auth: 'plan.approve' } }, async (r, reply) => {
    const v = await getVersion(k, pid(r), param(r, 'versionId', 'Plan version'));
    await publishVersion(k, actorOf(r.user!), pid(r), v.id);
    return reply.flash(`${v.label} has been published. Its summary is on the public page.`).redirect(versionUrl(r, v.id), 303);
  });

  // Withdrawing an approval (approved or published) back to draft: editors and administrators, with a reason.
  type VersionView = Awaited<ReturnType<typeof getVersion>>;
  const withdrawForm = (r: FastifyRequest, reply: FastifyReply, v: VersionView, values: Record<string, unknown>, errors?: unknown, status = 200) =>
    page(r, reply, 'withdraw.njk', { title: `Withdraw the approval of ${v.label}`, breadcrumbs: versionCrumbs(r, v), action: `${versionUrl(r, v.id)}/withdraw`, cancel: versionUrl(r, v.id), values, errors, version: v }, status);
  app.get('/partnerships/:partnershipId/plan-versions/:versionId/withdraw', { config: { auth: 'plan.write' } }, async (r, reply) => {
    const v = await getVersion(k, pid(r), param(r, 'versionId', 'Plan version'));
    return withdrawForm(r, reply, v, { expectedUpdatedAt: v.updated_at });
  });
  app.post('/partnerships/:partnershipId/plan-versions/:versionId/withdraw', { config: { auth: 'plan.write' } }, async (r, reply) => {
    const v = await getVersion(k, pid(r), param(r, 'versionId', 'Plan version'));
    try {
      await withdrawApproval(k, actorOf(r.user!), pid(r), v.id, body(r));
      return reply.flash(`The approval of ${v.label} has been withdrawn. It is a draft again.`).redirect(versionUrl(r, v.id), 303);
    } catch (e) {
      if (e instanceof ValidationError) return withdrawForm(r, reply, v, body(r), e.errors, 400);
      if (e instanceof ConflictError) {
        const latest = await getVersion(k, pid(r), v.id);
        return withdrawForm(r, reply, latest, { reason: body(r).reason, expectedUpdatedAt: latest.updated_at }, [{ field: 'reason', message: e.message }], 409);
      }
      throw e;
    }
  });

  const refreshForm = (r: FastifyRequest, reply: FastifyReply, v: { id: number; label: string; year: number; plan: { title: string; start_year: number; end_year: number } }, values: Record<string, unknown>, errors?: unknown, status = 200) =>
    page(r, reply, 'refresh.njk', { title: `Start a refresh of ${v.label}`, breadcrumbs: versionCrumbs(r, v), action: `${versionUrl(r, v.id)}/refresh`, values, errors, version: v }, status);
  app.get('/partnerships/:partnershipId/plan-versions/:versionId/refresh', { config: { auth: 'plan.write' } }, async (r, reply) => {
    const v = await getVersion(k, pid(r), param(r, 'versionId', 'Plan version'));
    const next = Math.min(v.year + 1, v.plan.end_year - 1);
    return refreshForm(r, reply, v, { year: String(next), label: `${periodLabel(next, next + 1)} refresh` });
  });
  app.post('/partnerships/:partnershipId/plan-versions/:versionId/refresh', { config: { auth: 'plan.write' } }, async (r, reply) => {
    const v = await getVersion(k, pid(r), param(r, 'versionId', 'Plan version'));
    try {
      const refresh = await startRefresh(k, actorOf(r.user!), pid(r), v.id, body(r));
      return reply.flash(`${refresh.label} has been started as a copy of ${v.label}`).redirect(versionUrl(r, refresh.id), 303);
    } catch (e) {
      if (e instanceof ValidationError) return refreshForm(r, reply, v, body(r), e.errors, 400);
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/plan-versions/:versionId/compare', { config: { auth: 'partnership.read' } }, async (r, reply) => {
    const v = await getVersion(k, pid(r), param(r, 'versionId', 'Plan version'));
    const versions = (await listPlans(k, pid(r))).find((p) => p.id === v.plan_id)!.versions.filter((x) => x.id !== v.id);
    const raw = (r.query as { with?: string }).with;
    const otherId = raw ? assertValidId(raw, 'Plan version') : (v.copied_from_version_id ?? versions[versions.length - 1]?.id);
    const versionItems = versions.map((x) => ({ value: String(x.id), text: x.label, selected: x.id === otherId }));
    const ctx = { title: `What changed: ${v.label}`, breadcrumbs: versionCrumbs(r, v), version: v, versions, versionItems };
    if (!otherId) return page(r, reply, 'compare.njk', { ...ctx, comparison: null });
    const other = await getVersion(k, pid(r), otherId);
    const [older, newer] = other.year < v.year || (other.year === v.year && other.id < v.id) ? [other, v] : [v, other];
    const comparison = await compareVersions(k, pid(r), older.id, newer.id);
    return page(r, reply, 'compare.njk', { ...ctx, comparison, otherId });
  });

  app.get('/partnerships/:partnershipId/plan-versions/:versionId/governance', { config: { auth: 'partnership.read' } }, async (r, reply) => {
    const doc = await loadPlanDocument(k, pid(r), param(r, 'versionId', 'Plan version'));
    const tree = governanceTree(doc.groups);
    return page(r, reply, 'governance.njk', {
      title: `Governance structure: ${doc.version.label}`,
      breadcrumbs: versionCrumbs(r, { ...doc.version, plan: doc.plan }),
      doc,
      tree,
      svg: doc.groups.length ? governanceSvg(tree) : '',
      groupName: (id: number | null) => doc.groups.find((g) => g.id === id)?.name ?? '',
      editable: doc.version.status === 'draft' && can(r.access!.role, 'plan.write'),
      vbase: versionUrl(r, doc.version.id),
    });
  });

  app.get('/partnerships/:partnershipId/plan-versions/:versionId/funding', { config: { auth: 'partnership.read' } }, async (r, reply) => {
    const doc = await loadPlanDocument(k, pid(r), param(r, 'versionId', 'Plan version'));
    return page(r, reply, 'funding.njk', {
      title: `Funding: ${doc.version.label}`,
      breadcrumbs: versionCrumbs(r, { ...doc.version, plan: doc.plan }),
      doc,
      priorityName: (id: number | null) => doc.priorities.find((p) => p.id === id)?.title ?? '',
      vbase: versionUrl(r, doc.version.id),
    });
  });

  app.get('/partnerships/:partnershipId/priorities/:priorityId', { config: { auth: 'partnership.read' } }, async (r, reply) => {
    const id = param(r, 'priorityId', 'Priority');
    const version = await versionOfParent(k, pid(r), 'priority', id);
    const doc = await loadPlanDocument(k, pid(r), version.id);
    const priority = doc.priorities.find((p) => p.id === id)!;
    return page(r, reply, 'priority.njk', {
      title: priority.title,
      breadcrumbs: versionCrumbs(r, { ...doc.version, plan: doc.plan }),
      doc,
      priority,
      matrix: riskMatrix(priority.risks),
      editable: doc.version.status === 'draft' && can(r.access!.role, 'plan.write'),
      canWrite: can(r.access!.role, 'plan.write'),
      canDeliver: can(r.access!.role, 'activity.update'),
      vbase: versionUrl(r, doc.version.id),
    });
  });

  app.get('/partnerships/:partnershipId/activities/:activityId', { config: { auth: 'partnership.read' } }, async (r, reply) => {
    const id = param(r, 'activityId', 'Delivery activity');
    const version = await versionOfParent(k, pid(r), 'activity', id);
    const doc = await loadPlanDocument(k, pid(r), version.id);
    const priority = doc.priorities.find((p) => p.objectives.some((o) => o.activities.some((a) => a.id === id)))!;
    const objective = priority.objectives.find((o) => o.activities.some((a) => a.id === id))!;
    const activity = objective.activities.find((a) => a.id === id)!;
    return page(r, reply, 'activity.njk', {
      title: activity.title,
      breadcrumbs: [...versionCrumbs(r, { ...doc.version, plan: doc.plan }), { text: priority.title, href: `${base(r)}/priorities/${priority.id}` }],
      doc,
      priority,
      objective,
      activity,
      canDeliver: can(r.access!.role, 'activity.update'),
    });
  });

  // ---------- The parts of a version: one set of routes per part ----------

  /** Where to go back to after changing a part: the priority page for things under a priority, else the version. */
  async function returnTo(r: FastifyRequest, kind: PartKind, row: PartRow): Promise<string> {
    const p = pid(r);
    const spec = PART_SPECS[kind];
    let priorityId: number | null = null;
    if (kind === 'priority') priorityId = row.id;
    else if (kind === 'objective' || kind === 'resource' || kind === 'risk') priorityId = Number(row.priority_id);
    else if (kind === 'activity' || kind === 'update') {
      const activity = kind === 'activity' ? row : await getPart(k, p, 'activity', Number(row.activity_id));
      priorityId = Number((await getPart(k, p, 'objective', Number(activity.objective_id))).priority_id);
    }
    const version = await versionOfPart(k, p, kind, row);
    if (priorityId !== null && kind !== 'priority') return `${base(r)}/priorities/${priorityId}`;
    if (kind === 'priority') return `${base(r)}/priorities/${row.id}`;
    if (kind === 'stream' || kind === 'allocation') return `${versionUrl(r, version.id)}/funding`;
    if (kind === 'group') return `${versionUrl(r, version.id)}/governance`;
    return `${versionUrl(r, version.id)}#${spec.segment}`;
  }

  async function parentReturn(r: FastifyRequest, spec: PartSpec, parentId: number): Promise<string> {
    if (spec.parent === 'version') return spec.kind === 'stream' ? `${versionUrl(r, parentId)}/funding` : spec.kind === 'group' ? `${versionUrl(r, parentId)}/governance` : versionUrl(r, parentId);
    const parentKind = spec.parent === 'stream' ? 'stream' : spec.parent;
    return returnTo(r, parentKind, await getPart(k, pid(r), parentKind, parentId));
  }

  function fieldView(f: FieldSpec, refs: ReferenceOptions, values: Record<string, unknown>) {
    const value = values[f.name];
    const items = (f.kind === 'reference' ? [{ value: '', text: 'None' }, ...refs[f.reference!]] : f.kind === 'priorities' ? refs.priority : (f.choices ?? [])).map((c) => ({
      ...c,
      checked: f.kind === 'priorities' ? ([] as unknown[]).concat(value ?? []).map(asText).includes(c.value) : asText(value) === c.value,
      selected: asText(value) === c.value,
    }));
    return { ...f, value: value ?? '', items };
  }

  const partForm = async (r: FastifyRequest, reply: FastifyReply, spec: PartSpec, ctx: { versionId: number; exceptGroupId?: number; values: Record<string, unknown>; errors?: unknown; yours?: Record<string, unknown>; action: string; cancel: string; title: string; deleteHref?: string; submitText: string }, status = 200) => {
    const refs = await referenceOptions(k, pid(r), ctx.versionId, ctx.exceptGroupId);
    const v = await getVersion(k, pid(r), ctx.versionId);
    const yours = ctx.yours ? spec.fields.map((f) => ({ label: f.label, value: ([] as unknown[]).concat(ctx.yours![f.name] ?? '').join(', ') })) : undefined;
    return page(r, reply, 'part-form.njk', { ...ctx, spec, fields: spec.fields.map((f) => fieldView(f, refs, ctx.values)), breadcrumbs: versionCrumbs(r, v), yours }, status);
  };

  for (const kind of PART_KINDS) {
    const spec = PART_SPECS[kind];
    const idParam = PART_PARAM[kind];
    const parentParam = PARENT_PARAM[spec.parent];
    const newUrl = `/partnerships/:partnershipId/${PARENT_PATH[spec.parent]}/${spec.segment}/new`;
    const itemUrl = `/partnerships/:partnershipId/${spec.segment}/:${idParam}`;
    const auth = { config: { auth: spec.action } };
    const addTitle = `Add ${/^[aeiou]/.test(spec.noun) ? 'an' : 'a'} ${spec.noun}`;
    const fill = (r: FastifyRequest, url: string) => url.replace(/:([A-Za-z]+)/g, (_m, n: string) => String((r.params as Record<string, string>)[n]));

    app.get(newUrl, auth, async (r, reply) => {
      const parentId = param(r, parentParam, 'Page');
      const version = await versionOfParent(k, pid(r), spec.parent, parentId);
      const values: Record<string, unknown> = {};
      if (kind === 'activity') values.status = 'not_started';
      if (kind === 'allocation') values.boardApproved = 'no';
      return partForm(r, reply, spec, { versionId: version.id, values, action: fill(r, newUrl), cancel: await parentReturn(r, spec, parentId), title: addTitle, submitText: `Add ${spec.noun}` });
    });
    app.post(newUrl, auth, async (r, reply) => {
      const parentId = param(r, parentParam, 'Page');
      const version = await versionOfParent(k, pid(r), spec.parent, parentId);
      try {
        const row = await createPart(k, actorOf(r.user!), pid(r), kind, parentId, body(r));
        return reply.flash(`The ${spec.noun} has been added`).redirect(await returnTo(r, kind, row), 303);
      } catch (e) {
        if (e instanceof ValidationError) return partForm(r, reply, spec, { versionId: version.id, values: body(r), errors: e.errors, action: fill(r, newUrl), cancel: await parentReturn(r, spec, parentId), title: addTitle, submitText: `Add ${spec.noun}` }, 400);
        throw e;
      }
    });

    const editCtx = async (r: FastifyRequest, row: PartRow) => ({
      versionId: (await versionOfPart(k, pid(r), kind, row)).id,
      exceptGroupId: kind === 'group' ? row.id : undefined,
      action: fill(r, `${itemUrl}/edit`),
      cancel: await returnTo(r, kind, row),
      title: `Change ${spec.noun}`,
      deleteHref: fill(r, `${itemUrl}/delete`),
      submitText: 'Save changes',
    });
    app.get(`${itemUrl}/edit`, auth, async (r, reply) => {
      const row = await getPart(k, pid(r), kind, param(r, idParam, 'Page'));
      const themes = kind === 'theme' ? await themePriorityIds(k, pid(r), row.id) : [];
      return partForm(r, reply, spec, { ...(await editCtx(r, row)), values: formValues(spec, row, themes) });
    });
    app.post(`${itemUrl}/edit`, auth, async (r, reply) => {
      const row = await getPart(k, pid(r), kind, param(r, idParam, 'Page'));
      try {
        const after = await updatePart(k, actorOf(r.user!), pid(r), kind, row.id, body(r));
        return reply.flash(`The ${spec.noun} has been saved`).redirect(await returnTo(r, kind, after), 303);
      } catch (e) {
        if (e instanceof ValidationError) return partForm(r, reply, spec, { ...(await editCtx(r, row)), values: body(r), errors: e.errors }, 400);
        if (e instanceof ConflictError && e.name !== 'VersionLockedError') {
          const latest = await getPart(k, pid(r), kind, row.id);
          const themes = kind === 'theme' ? await themePriorityIds(k, pid(r), row.id) : [];
          return partForm(r, reply, spec, { ...(await editCtx(r, latest)), values: formValues(spec, latest, themes), yours: body(r), errors: [{ field: spec.fields[0]!.name, message: e.message }] }, 409);
        }
        throw e;
      }
    });

    app.get(`${itemUrl}/delete`, auth, async (r, reply) => {
      const row = await getPart(k, pid(r), kind, param(r, idParam, 'Page'));
      const v = await versionOfPart(k, pid(r), kind, row);
      return page(r, reply, 'part-delete.njk', { title: `Remove this ${spec.noun}?`, breadcrumbs: versionCrumbs(r, await getVersion(k, pid(r), v.id)), spec, name: asText(row[spec.titleColumn]), action: fill(r, `${itemUrl}/delete`), cancel: await returnTo(r, kind, row) });
    });
    app.post(`${itemUrl}/delete`, auth, async (r, reply) => {
      const row = await getPart(k, pid(r), kind, param(r, idParam, 'Page'));
      const back = kind === 'priority' ? versionUrl(r, (await versionOfPart(k, pid(r), kind, row)).id) : await returnTo(r, kind, row);
      await deletePart(k, actorOf(r.user!), pid(r), kind, row.id);
      return reply.flash(`The ${spec.noun} has been removed`).redirect(back, 303);
    });

    if (spec.movable) {
      app.post(`${itemUrl}/move`, auth, async (r, reply) => {
        const row = await getPart(k, pid(r), kind, param(r, idParam, 'Page'));
        const back = kind === 'priority' ? `${versionUrl(r, (await versionOfPart(k, pid(r), kind, row)).id)}#priorities` : await returnTo(r, kind, row);
        await movePart(k, actorOf(r.user!), pid(r), kind, row.id, body(r).direction);
        return reply.redirect(back, 303);
      });
    }
  }

  // ---------- The plan document: DOCX and PDF ----------

  await planDocumentRoutes(app, services);

  // ---------- Public summary: no sign-in ----------

  app.get('/public/partnerships/:slug', { config: { auth: 'public' } }, async (r, reply) => {
    // /public/ routes skip the app's request set-up (they are static assets otherwise): set the page's CSP here.
    r.cspNonce = newNonce();
    reply.header('Content-Security-Policy', contentSecurityPolicy(r.cspNonce));
    const slug = (r.params as { slug: string }).slug;
    let summary: { partnership: { id: number; name: string; area_description: string }; document: PlanDocument };
    try {
      summary = await publishedSummary(k, slug);
    } catch (e) {
      if (e instanceof NotFoundError) return reply.render('features/errors/not-found.njk', { title: 'Page not found' }, 404);
      throw e;
    }
    const performance = await publicPerformance(k, summary.partnership.id);
    return reply.render('features/plans/public.njk', { title: `${summary.partnership.name}: ${summary.document.plan.title} ${summary.document.version.label}`, ...summary, labels, performance });
  });
}
