/**
 * Demo data for the "How we are doing" section of the public summary: which indicators Rochford and Safer
 * Rotherham publish, and one clearly labelled illustrative Rotherham count small enough to be shown as "<5"
 * (none of the figures in the published seed documents is below 5).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../adapters/database/schema.ts';
import type { Actor } from '../services/platform/audit.ts';
import { enterFigures } from '../services/performance/figures.ts';
import { createIndicator, inputFromIndicator, listIndicatorDetails, updateIndicator } from '../services/performance/indicators.ts';

/** Codes of the indicators each demo partnership shows on its public summary. */
export const DEMO_PUBLIC_INDICATORS: Record<string, string[]> = {
  'Rochford Community Safety Partnership': ['RCH 1', 'RCH 2', 'RCH 5'],
  'Safer Rotherham Partnership': ['SRP 17', 'SRP 22', 'SRP 34'],
};

const ILLUSTRATIVE = 'Illustrative figures made up for the CSP Hub demonstration; not published by the partnership';

export async function seedPublicIndicators(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  partnershipName: string,
): Promise<void> {
  const codes = DEMO_PUBLIC_INDICATORS[partnershipName] ?? [];
  for (const i of await listIndicatorDetails(db, partnershipId)) {
    if (codes.includes(i.code)) await updateIndicator(db, actor, partnershipId, i.id, { ...inputFromIndicator(i), isPublic: 'yes' });
  }
  if (partnershipName === 'Safer Rotherham Partnership') {
    const i = await createIndicator(db, actor, partnershipId, {
      code: 'SRP D1',
      title: 'Firearms discharges (illustrative demo figures)',
      definition:
        'Discharges of a firearm recorded by the police. The figures are made up to show small-number suppression on the public summary.',
      dataSource: ILLUSTRATIVE,
      unit: 'count',
      polarity: 'lower_is_better',
      frequency: 'quarterly',
      obaCategory: 'better_off',
      owner: 'Safer Rotherham Partnership Performance & Delivery Group',
      isPublic: 'yes',
    });
    await enterFigures(db, actor, partnershipId, [
      { indicatorId: i.id, period: '2019-20 Q4', value: 6, source: ILLUSTRATIVE },
      { indicatorId: i.id, period: '2020-21 Q1', value: 3, source: ILLUSTRATIVE },
    ]);
  }
}
