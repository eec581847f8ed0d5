/**
 * The monthly and quarterly cycle (decision 0022), one file per page group: the collection calendar of every
 * indicator (due, overdue, received) and the completeness score per owner, organisation and partnership
 * (collectionRoutes.ts), an indicator's owner and schedule and a delivery activity's owner (ownerRoutes.ts), the
 * partnership's collection settings and members' organisations (settingsRoutes.ts), and "my figures" (what is the
 * signed-in person's to do, with one form for all their figures; myFiguresRoutes.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import type { IndicatorCollection } from '../../../../services/cycle/collection.ts';
import { collectionRoutes, completenessRoutes } from './collectionRoutes.ts';
import { activityOwnerRoutes, indicatorOwnerRoutes } from './ownerRoutes.ts';
import { settingsRoutes } from './settingsRoutes.ts';
import { myFiguresRoutes } from './myFiguresRoutes.ts';
import { expectedView } from './shared.ts';

export { expectedView };

/** The collection calendar of one indicator, for its page (hook in the performance routes). */
export function indicatorCollectionView(c: IndicatorCollection | null) {
  if (!c) return null;
  return {
    ...c,
    ownerLabel: c.ownerName ? `${c.ownerName}${c.ownerOrganisationName ? ` (${c.ownerOrganisationName})` : ''}` : c.ownerText || 'No owner',
    rows: [...c.expected].reverse().map(expectedView),
  };
}

export async function cycleRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  collectionRoutes(app, k);
  indicatorOwnerRoutes(app, k);
  settingsRoutes(app, k);
  activityOwnerRoutes(app, k);
  myFiguresRoutes(app, k);
  completenessRoutes(app, k);
}
