/**
 * The pages of a plan version: the version as a readable document, its vision, foreword and introduction form,
 * and the pages of one priority (with its risk matrix) and of one delivery activity.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ConflictError, ValidationError } from '../../../../domain/errors.ts';
import { can } from '../../../../services/partnerships/authorisation.ts';
import { activityDelivery, ownerChoices } from '../../../../services/cycle/owners.ts';
import {
  getVersion,
  loadPlanDocumentOf,
  loadVersionWithOthers,
  updateVersionText,
  type VersionWithPlan,
} from '../../../../services/plans/plans.ts';
import { RISK_LEVELS } from '../../../../adapters/database/schema.ts';
import { base, body, crumbs, page, param, pid, versionCrumbs, versionUrl } from './planPages.ts';
import { fiveByFiveMatrix, LIKELIHOOD_HEADINGS, RISK_BAND_KEY, riskScoreView } from '../../../../presentation/riskScores.ts';
import { nowIso } from '../../../../adapters/clock.ts';
import { versionName } from '../../../../domain/planNames.ts';

/** Severity × likelihood: the risk matrix, High first. */
export function riskMatrix(risks: { severity: string; likelihood: string; risk: string }[]) {
  return RISK_LEVELS.map((severity) => ({
    severity,
    cells: RISK_LEVELS.map((likelihood) => ({
      likelihood,
      risks: risks.filter((r) => r.severity === severity && r.likelihood === likelihood).map((r) => r.risk),
    })),
  }));
}

const textValues = (v: { label: string; vision: string; foreword: string; introduction: string; updated_at: string }) => ({
  label: v.label,
  vision: v.vision,
  foreword: v.foreword,
  introduction: v.introduction,
  expectedUpdatedAt: v.updated_at,
});

const textForm = (r: FastifyRequest, reply: FastifyReply, v: VersionWithPlan, ctx: Record<string, unknown>, status = 200) =>
  page(
    r,
    reply,
    'version-form.njk',
    {
      title: `Vision, foreword and introduction: ${v.label}`,
      breadcrumbs: versionCrumbs(r, v),
      action: `${versionUrl(r, v.id)}/edit`,
      ...ctx,
    },
    status,
  );

export async function versionRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;

  app.get('/partnerships/:partnershipId/plan-versions/:versionId', { config: { auth: 'partnership.read' } }, async (r, reply) => {
    const { doc, others } = await loadVersionWithOthers(k, pid(r), param(r, 'versionId', 'Plan version'));
    return page(r, reply, 'version.njk', {
      title: versionName(doc.plan.title, doc.version.label),
      breadcrumbs: crumbs(r),
      doc,
      others,
      editable: doc.version.status === 'draft' && can(r.access!.role, 'plan.write'),
      groupName: (id: number | null) => doc.groups.find((g) => g.id === id)?.name ?? '',
      vbase: versionUrl(r, doc.version.id),
    });
  });

  app.get('/partnerships/:partnershipId/plan-versions/:versionId/edit', { config: { auth: 'plan.write' } }, async (r, reply) => {
    const v = await getVersion(k, pid(r), param(r, 'versionId', 'Plan version'));
    return textForm(r, reply, v, { values: textValues(v) });
  });
  app.post('/partnerships/:partnershipId/plan-versions/:versionId/edit', { config: { auth: 'plan.write' } }, async (r, reply) => {
    const versionId = param(r, 'versionId', 'Plan version');
    try {
      await updateVersionText(k, actorOf(r.user!), pid(r), versionId, body(r));
      return reply.flash('The vision, foreword and introduction have been saved').redirect(versionUrl(r, versionId), 303);
    } catch (e) {
      if (e instanceof ValidationError)
        return textForm(r, reply, await getVersion(k, pid(r), versionId), { values: body(r), errors: e.errors }, 400);
      if (e instanceof ConflictError) {
        const latest = await getVersion(k, pid(r), versionId);
        return textForm(
          r,
          reply,
          latest,
          { values: textValues(latest), yours: body(r), errors: [{ field: 'vision', message: e.message }] },
          409,
        );
      }
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/priorities/:priorityId', { config: { auth: 'partnership.read' } }, async (r, reply) => {
    const id = param(r, 'priorityId', 'Priority');
    const doc = await loadPlanDocumentOf(k, pid(r), 'priority', id);
    const priority = doc.priorities.find((p) => p.id === id)!;
    const today = nowIso().slice(0, 10);
    const fiveByFive = r.access!.partnership.risk_scoring === 'five';
    const delivery = await activityDelivery(k, r.user!.id, pid(r));
    const owners = priority.risks.some((x) => x.owner_user_id !== null) ? (await ownerChoices(k, pid(r))).members : [];
    return page(r, reply, 'priority.njk', {
      riskOwners: Object.fromEntries(owners.map((m) => [String(m.userId), m.name])),
      mayAddActivity: delivery.mayAdd,
      mayChangeActivity: delivery.mayChange,
      fiveByFive,
      riskViews: priority.risks.map((x) => riskScoreView(x, today)),
      scoreMatrix: fiveByFive ? fiveByFiveMatrix(priority.risks) : null,
      likelihoodHeadings: LIKELIHOOD_HEADINGS,
      bandKey: RISK_BAND_KEY,
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
    const doc = await loadPlanDocumentOf(k, pid(r), 'activity', id);
    const priority = doc.priorities.find((p) => p.objectives.some((o) => o.activities.some((a) => a.id === id)))!;
    const objective = priority.objectives.find((o) => o.activities.some((a) => a.id === id))!;
    const activity = objective.activities.find((a) => a.id === id)!;
    return page(r, reply, 'activity.njk', {
      title: activity.title,
      breadcrumbs: [
        ...versionCrumbs(r, { ...doc.version, plan: doc.plan }),
        { text: priority.title, href: `${base(r)}/priorities/${priority.id}` },
      ],
      doc,
      priority,
      objective,
      activity,
      // Contributors limited to their own change only the activities they or their organisation own (decision 0022).
      canDeliver: can(r.access!.role, 'activity.update') && (await activityDelivery(k, r.user!.id, pid(r))).mayChange(activity),
    });
  });
}
