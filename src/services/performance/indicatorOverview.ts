/** Everything an indicator's page shows: its computed figures, every stored figure with its revisions, and the lead's commentary. */
import type { Kysely } from 'kysely';
import type { Database, Figure } from '../../adapters/database/schema.ts';
import { listCommentary, type CommentaryEntry } from './commentary.ts';
import { figureHistory } from './figures.ts';
import { indicatorPerformance, type IndicatorPerformance } from './performance.ts';
import { indicatorPeerComparison, populationsForRates, type PeerComparison, type RatePopulation } from '../evidence/officialData.ts';

export interface IndicatorOverview {
  performance: IndicatorPerformance;
  history: Figure[];
  commentary: CommentaryEntry[];
  /** The populations its rates use, each with its source (an imported ONS estimate or a figure typed in). */
  populations: RatePopulation[];
  /** The indicator's offence group against the peer group (Home Office counts), when its title names one. */
  peers: PeerComparison | null;
}

export async function indicatorOverview(db: Kysely<Database>, partnershipId: number, indicatorId: number): Promise<IndicatorOverview> {
  const performance = await indicatorPerformance(db, partnershipId, indicatorId);
  const [history, commentary, populations, peers] = await Promise.all([
    figureHistory(db, partnershipId, indicatorId),
    listCommentary(db, partnershipId, indicatorId),
    populationsForRates(db, partnershipId),
    indicatorPeerComparison(db, partnershipId, performance.indicator.title),
  ]);
  return { performance, history, commentary, populations, peers };
}
