/**
 * A version's life: recording its approval, publishing it, withdrawing an approval back to draft (with a reason),
 * starting next year's refresh as a copy, and comparing it with another version of the plan.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { ConflictError, ValidationError } from '../../../../domain/errors.ts';
import {
  approveVersion,
  getVersion,
  periodLabel,
  publishVersion,
  startRefresh,
  withdrawApproval,
  type VersionWithPlan,
} from '../../../../services/plans/plans.ts';
import { compareVersionWith } from '../../../../services/plans/planComparison.ts';
import { publicationPreview } from '../../../../services/plans/publicSite.ts';
import { body, page, param, pid, versionCrumbs, versionUrl } from './planPages.ts';
import { versionName } from '../../../../domain/planNames.ts';

const approveForm = (
  r: FastifyRequest,
  reply: FastifyReply,
  v: VersionWithPlan,
  values: Record<string, unknown>,
  errors?: unknown,
  status = 200,
) =>
  page(
    r,
    reply,
    'approve.njk',
    {
      title: `Record approval of ${versionName(v.plan.title, v.label)}`,
      breadcrumbs: versionCrumbs(r, v),
      action: `${versionUrl(r, v.id)}/approve`,
      values,
      errors,
      version: v,
    },
    status,
  );

const withdrawForm = (
  r: FastifyRequest,
  reply: FastifyReply,
  v: VersionWithPlan,
  values: Record<string, unknown>,
  errors?: unknown,
  status = 200,
) =>
  page(
    r,
    reply,
    'withdraw.njk',
    {
      title: `Withdraw the approval of ${versionName(v.plan.title, v.label)}`,
      breadcrumbs: versionCrumbs(r, v),
      action: `${versionUrl(r, v.id)}/withdraw`,
      cancel: versionUrl(r, v.id),
      values,
      errors,
      version: v,
    },
    status,
  );

const refreshForm = (
  r: FastifyRequest,
  reply: FastifyReply,
  v: VersionWithPlan,
  values: Record<string, unknown>,
  errors?: unknown,
  status = 200,
) =>
  page(
    r,
    reply,
    'refresh.njk',
    {
      title: `Start a refresh of ${versionName(v.plan.title, v.label)}`,
      breadcrumbs: versionCrumbs(r, v),
      action: `${versionUrl(r, v.id)}/refresh`,
      values,
      errors,
      version: v,
    },
    status,
  );

/** Publishing asks for confirmation, on a page showing what will become public (decision 0021). */
function publishRoutes(app: FastifyInstance, k: AppServices['db']['kysely']): void {
  const versionOf = (r: FastifyRequest) => param(r, 'versionId', 'Plan version');
  const publishForm = async (r: FastifyRequest, reply: FastifyReply, errors?: unknown, status = 200) => {
    const v = await getVersion(k, pid(r), versionOf(r));
    return page(
      r,
      reply,
      'publish.njk',
      {
        title: `Publish ${versionName(v.plan.title, v.label)}`,
        breadcrumbs: versionCrumbs(r, v),
        action: `${versionUrl(r, v.id)}/publish`,
        cancel: versionUrl(r, v.id),
        version: v,
        preview: v.status === 'approved' ? await publicationPreview(k, pid(r), v.id) : null,
        errors,
      },
      status,
    );
  };
  app.get('/partnerships/:partnershipId/plan-versions/:versionId/publish', { config: { auth: 'plan.approve' } }, async (r, reply) =>
    publishForm(r, reply),
  );
  app.post('/partnerships/:partnershipId/plan-versions/:versionId/publish', { config: { auth: 'plan.approve' } }, async (r, reply) => {
    if (body(r).confirm !== 'yes') {
      const errors = [{ field: 'confirm', message: 'Confirm that you want to make this plan public' }];
      return publishForm(r, reply, errors, 400);
    }
    const v = await publishVersion(k, actorOf(r.user!), pid(r), versionOf(r));
    return reply.flash(`${v.label} has been published. Its summary is on the public page.`).redirect(versionUrl(r, v.id), 303);
  });
}

export async function approvalRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  const versionOf = (r: FastifyRequest) => param(r, 'versionId', 'Plan version');

  app.get('/partnerships/:partnershipId/plan-versions/:versionId/approve', { config: { auth: 'plan.approve' } }, async (r, reply) =>
    approveForm(r, reply, await getVersion(k, pid(r), versionOf(r)), {}),
  );
  app.post('/partnerships/:partnershipId/plan-versions/:versionId/approve', { config: { auth: 'plan.approve' } }, async (r, reply) => {
    const versionId = versionOf(r);
    try {
      const v = await approveVersion(k, actorOf(r.user!), pid(r), versionId, body(r));
      return reply.flash(`Approval of ${v.label} has been recorded. It can now be published.`).redirect(versionUrl(r, v.id), 303);
    } catch (e) {
      if (e instanceof ValidationError) return approveForm(r, reply, await getVersion(k, pid(r), versionId), body(r), e.errors, 400);
      throw e;
    }
  });

  publishRoutes(app, k);

  // Withdrawing an approval (approved or published) back to draft: editors and administrators, with a reason.
  app.get('/partnerships/:partnershipId/plan-versions/:versionId/withdraw', { config: { auth: 'plan.write' } }, async (r, reply) => {
    const v = await getVersion(k, pid(r), versionOf(r));
    return withdrawForm(r, reply, v, { expectedUpdatedAt: v.updated_at });
  });
  app.post('/partnerships/:partnershipId/plan-versions/:versionId/withdraw', { config: { auth: 'plan.write' } }, async (r, reply) => {
    const versionId = versionOf(r);
    try {
      const v = await withdrawApproval(k, actorOf(r.user!), pid(r), versionId, body(r));
      return reply.flash(`The approval of ${v.label} has been withdrawn. It is a draft again.`).redirect(versionUrl(r, v.id), 303);
    } catch (e) {
      if (e instanceof ValidationError) return withdrawForm(r, reply, await getVersion(k, pid(r), versionId), body(r), e.errors, 400);
      if (e instanceof ConflictError) {
        const latest = await getVersion(k, pid(r), versionId);
        return withdrawForm(
          r,
          reply,
          latest,
          { reason: body(r).reason, expectedUpdatedAt: latest.updated_at },
          [{ field: 'reason', message: e.message }],
          409,
        );
      }
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/plan-versions/:versionId/refresh', { config: { auth: 'plan.write' } }, async (r, reply) => {
    const v = await getVersion(k, pid(r), versionOf(r));
    const next = Math.min(v.year + 1, v.plan.end_year - 1);
    return refreshForm(r, reply, v, { year: String(next), label: `${periodLabel(next, next + 1)} refresh` });
  });
  app.post('/partnerships/:partnershipId/plan-versions/:versionId/refresh', { config: { auth: 'plan.write' } }, async (r, reply) => {
    // The version copied, for its label in the message and the form.
    const v = await getVersion(k, pid(r), versionOf(r));
    try {
      const refresh = await startRefresh(k, actorOf(r.user!), pid(r), v.id, body(r));
      return reply.flash(`${refresh.label} has been started as a copy of ${v.label}`).redirect(versionUrl(r, refresh.id), 303);
    } catch (e) {
      if (e instanceof ValidationError) return refreshForm(r, reply, v, body(r), e.errors, 400);
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/plan-versions/:versionId/compare', { config: { auth: 'partnership.read' } }, async (r, reply) => {
    const raw = (r.query as { with?: string }).with;
    const { version, others, otherId, comparison } = await compareVersionWith(
      k,
      pid(r),
      versionOf(r),
      raw ? assertValidId(raw, 'Plan version') : undefined,
      { orLatest: true },
    );
    const versionItems = others.map((x) => ({ value: String(x.id), text: x.label, selected: x.id === otherId }));
    const ctx = {
      title: `What changed: ${version.label}`,
      breadcrumbs: versionCrumbs(r, version),
      version,
      versions: others,
      versionItems,
    };
    if (!comparison) return page(r, reply, 'compare.njk', { ...ctx, comparison: null });
    return page(r, reply, 'compare.njk', { ...ctx, comparison, otherId });
  });
}
