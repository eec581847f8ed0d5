/**
 * Demo data, created through the app's own services (never SQL dumps) so it stays valid as the schema grows.
 * Runs only on an empty database.
 */
import type { Kysely } from 'kysely';
import type { Database, User } from '../adapters/database/schema.ts';
import type { Actor } from '../services/platform/audit.ts';
import { createOrganisation } from '../services/partnerships/organisations.ts';
import { createPartnership } from '../services/partnerships/partnerships.ts';
import { createUser } from '../services/identity/users.ts';
import { DEMO_PARTNERSHIPS } from './partnerships.ts';
import { seedDemoPlans } from './plans.ts';
import { seedPublicIndicators } from './publicSummary.ts';
import { seedDemoCommentary } from './commentary.ts';
import { seedDemoReviews } from './review.ts';
import {
  ROCHFORD_INDICATORS,
  ROTHERHAM_2016_INDICATORS,
  ROTHERHAM_INDICATORS,
  ROTHERHAM_REVIEW_INDICATORS,
  RUTLAND_INDICATORS,
  seedPerformance,
} from './performance.ts';
import { seedIndicatorLinks } from './indicatorLinks.ts';
import { seedDemoMeetings } from './meetings.ts';
import { seedDemoOfficialData } from './officialData.ts';

/** The demo platform administrator's name (their email and password are settings). */
export const DEMO_ADMIN_NAME = 'Demo Administrator';

const DEMO_PERFORMANCE: Record<string, typeof ROCHFORD_INDICATORS> = {
  'Safer Rotherham Partnership': [...ROTHERHAM_INDICATORS, ...ROTHERHAM_2016_INDICATORS, ...ROTHERHAM_REVIEW_INDICATORS],
  'Rochford Community Safety Partnership': ROCHFORD_INDICATORS,
  'Rutland Community Safety Partnership': RUTLAND_INDICATORS,
};

export const DEMO_ACTOR: Actor = { userId: null, label: 'system (demo data)' };

export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

export async function seedDemo(db: Kysely<Database>, admin: { email: string; password: string }): Promise<{ admin: User }> {
  const adminUser = await createUser(db, DEMO_ACTOR, {
    email: admin.email,
    name: DEMO_ADMIN_NAME,
    password: admin.password,
    isPlatformAdmin: true,
  });
  for (const demo of DEMO_PARTNERSHIPS) {
    const p = await createPartnership(db, DEMO_ACTOR, adminUser, {
      name: demo.name,
      areaDescription: demo.areaDescription,
      populations: demo.populations,
    });
    for (const o of demo.organisations) await createOrganisation(db, DEMO_ACTOR, p.id, o);
    await seedDemoPlans(db, DEMO_ACTOR, p.id, demo.name);
    await seedPerformance(db, DEMO_ACTOR, p.id, DEMO_PERFORMANCE[demo.name] ?? []);
    await seedPublicIndicators(db, DEMO_ACTOR, p.id, demo.name);
    await seedIndicatorLinks(db, DEMO_ACTOR, p.id, demo.name);
    await seedDemoCommentary(db, DEMO_ACTOR, p.id, demo.name);
    await seedDemoReviews(db, DEMO_ACTOR, p.id, demo.name);
    await seedDemoMeetings(db, DEMO_ACTOR, p.id, demo.name);
  }
  await seedDemoOfficialData(db, DEMO_ACTOR);
  return { admin: adminUser };
}
