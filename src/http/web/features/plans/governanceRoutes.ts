/** A version's governance structure (the groups, who reports to whom, drawn as a diagram) and its funding streams with their allocations. */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { can } from '../../../../services/partnerships/authorisation.ts';
import { loadPlanDocument } from '../../../../services/plans/plans.ts';
import { governanceSvg, governanceTree } from '../../../../presentation/documents/governanceDiagram.ts';
import { page, param, pid, versionCrumbs, versionUrl } from './planPages.ts';

export async function governanceAndFundingRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;

  app.get(
    '/partnerships/:partnershipId/plan-versions/:versionId/governance',
    { config: { auth: 'partnership.read' } },
    async (r, reply) => {
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
    },
  );

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
}
