/** RAG overrides: an indicator's RAG for a period set by hand with a reason, the rule's RAG kept beside it. */
import type { Kysely } from 'kysely';
import { RAGS, type Database, type RagOverrideRecord } from '../../adapters/database/schema.ts';
import { nowIso } from '../../adapters/clock.ts';
import { ValidationError, Validator } from '../../domain/errors.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { label, normalisePeriod } from './indicators.ts';
import { indicatorPerformance } from './performance.ts';

/** Overrides the RAG of an indicator for a period; the reason is required and the rule's RAG is kept. */
export async function overrideRag(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  indicatorId: number,
  input: { period?: unknown; rag?: unknown; reason?: unknown },
): Promise<RagOverrideRecord> {
  const perf = await indicatorPerformance(db, partnershipId, indicatorId);
  const v = new Validator();
  const p = normalisePeriod(input.period, perf.indicator.frequency);
  if ('error' in p) v.add('period', p.error);
  const rag = v.oneOf('rag', input.rag, RAGS, 'Select red, amber or green');
  const reason = v.text('reason', input.reason, 'a reason for overriding the RAG status', { max: 2000 });
  v.throwIfAny();
  const period = (p as { key: string }).key;
  const at = perf.periods.find((x) => x.period === period);
  if (!at) throw new ValidationError([{ field: 'period', message: `There is no figure for ${period} to give a RAG status to` }]);
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const previous = await trx
      .selectFrom('rag_overrides')
      .selectAll()
      .where('indicator_id', '=', indicatorId)
      .where('period', '=', period)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (previous) await trx.updateTable('rag_overrides').set({ removed_at: now }).where('id', '=', previous.id).execute();
    const row = await trx
      .insertInto('rag_overrides')
      .values({
        indicator_id: indicatorId,
        partnership_id: partnershipId,
        period,
        rag,
        rule_rag: at.ruleRag,
        reason,
        created_by: actor.label,
        created_at: now,
        removed_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'rag_override',
      entityId: row.id,
      summary: `Overrode the RAG of ${label(perf.indicator)} for ${period} to ${rag}: ${reason}`,
      before: previous,
      after: row,
    });
    return row;
  });
}
