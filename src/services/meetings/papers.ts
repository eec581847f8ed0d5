/**
 * Uploaded meeting papers (issue 18, ADR 0040): a file (PDF, DOCX, XLSX, ODT or CSV, judged by its content, up to
 * PAPER_MAX_BYTES) kept in the database so every instance of the app serves it; listed with the meeting's other
 * papers, downloaded by anyone who can see the meeting, removed by those who can change it, all audited. Retention:
 * the uploaded papers of meetings held more than MEETING_PAPER_RETENTION_YEARS ago are deleted.
 */
import type { Kysely } from 'kysely';
import type { Database, MeetingPaper } from '../../adapters/database/schema.ts';
import { nowIso } from '../../adapters/clock.ts';
import { NotFoundError, ValidationError, Validator } from '../../domain/errors.ts';
import { PAPER_MAX_BYTES, PAPER_TYPES, checkPaperFile, cleanFileName } from '../../domain/paperFiles.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { getMeeting, optionalAgendaItemId, paperFileHref } from './meetings.ts';

export { paperFileHref };

export interface PaperUpload {
  title?: unknown;
  agendaItemId?: unknown;
  /** The file as sent: its name and bytes (absent when none was chosen). */
  file?: { filename: string; data: Uint8Array } | null;
}

/** Keeps an uploaded paper for a meeting; nothing is written when the title, the agenda item or the file is wrong. */
export async function uploadPaper(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  meetingId: number,
  input: PaperUpload,
  maxBytes = PAPER_MAX_BYTES,
): Promise<MeetingPaper> {
  const meeting = await getMeeting(db, partnershipId, meetingId);
  const v = new Validator();
  const fileName = cleanFileName(input.file?.filename ?? '');
  const data = input.file?.data ?? new Uint8Array();
  const checked = checkPaperFile(fileName, data, maxBytes);
  if ('problem' in checked) v.add('file', checked.problem);
  const typed = typeof input.title === 'string' ? input.title.trim() : '';
  const title = v.text('title', typed || fileName.replace(/\.[^.]+$/, ''), 'the title of the paper', { max: 300 });
  v.throwIfAny();
  const type = (checked as { type: keyof typeof PAPER_TYPES }).type;
  const itemId = await optionalAgendaItemId(db, partnershipId, meetingId, input.agendaItemId);
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('meeting_papers')
      .values({
        partnership_id: partnershipId,
        meeting_id: meetingId,
        agenda_item_id: itemId,
        title,
        url: '',
        document_job_id: null,
        added_by: actor.label,
        added_at: nowIso(),
        file_name: fileName,
        content_type: PAPER_TYPES[type].contentType,
        size_bytes: data.byteLength,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('meeting_paper_files')
      .values({ paper_id: inserted.id, partnership_id: partnershipId, content: Buffer.from(data) })
      .execute();
    const row = await trx
      .updateTable('meeting_papers')
      .set({ url: paperFileHref({ partnership_id: partnershipId, meeting_id: meetingId, id: inserted.id }) })
      .where('id', '=', inserted.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'meeting_paper',
      entityId: row.id,
      summary: `Uploaded the paper "${title}" (${fileName}, ${data.byteLength} bytes) to ${meeting.title} on ${meeting.starts_at.slice(0, 10)}`,
      after: row,
    });
    return row;
  });
}

async function getPaper(db: Kysely<Database>, partnershipId: number, meetingId: number, paperId: number): Promise<MeetingPaper> {
  const row = await db
    .selectFrom('meeting_papers')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('meeting_id', '=', meetingId)
    .where('id', '=', paperId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Paper');
  return row;
}

/** An uploaded paper's file; NotFound for a paper that is a link, or is not this meeting's. */
export async function getPaperFile(
  db: Kysely<Database>,
  partnershipId: number,
  meetingId: number,
  paperId: number,
): Promise<{ fileName: string; contentType: string; content: Buffer }> {
  const paper = await getPaper(db, partnershipId, meetingId, paperId);
  const file = await db
    .selectFrom('meeting_paper_files')
    .select('content')
    .where('paper_id', '=', paper.id)
    .where('partnership_id', '=', partnershipId)
    .executeTakeFirst();
  if (!file || paper.file_name === null) throw new NotFoundError('Paper file');
  return {
    fileName: paper.file_name,
    contentType: paper.content_type ?? 'application/octet-stream',
    content: Buffer.from(file.content),
  };
}

/** Removes a paper (a link or an uploaded file, with the file) from a meeting, in the audit trail. */
export async function removePaper(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  meetingId: number,
  paperId: number,
): Promise<MeetingPaper> {
  const meeting = await getMeeting(db, partnershipId, meetingId);
  return db.transaction().execute(async (trx) => {
    const before = await getPaper(trx, partnershipId, meetingId, paperId);
    await trx.deleteFrom('meeting_paper_files').where('paper_id', '=', paperId).execute();
    await trx.deleteFrom('meeting_papers').where('id', '=', paperId).where('partnership_id', '=', partnershipId).execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'delete',
      entityType: 'meeting_paper',
      entityId: paperId,
      summary: `Removed the paper "${before.title}" from ${meeting.title} on ${meeting.starts_at.slice(0, 10)}`,
      before,
    });
    return before;
  });
}

/**
 * Retention: deletes the uploaded papers (paper and file) of meetings held more than `years` years before `now`,
 * in every partnership; returns how many. Links to documents and pages stay. `years` 0 keeps them for ever.
 */
export async function deleteOldPaperFiles(db: Kysely<Database>, years: number, now = new Date()): Promise<number> {
  if (!(years > 0)) return 0;
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - Math.floor(years));
  const old = db
    .selectFrom('meeting_papers')
    .innerJoin('meetings', 'meetings.id', 'meeting_papers.meeting_id')
    .select('meeting_papers.id')
    .where('meetings.starts_at', '<', cutoff.toISOString().slice(0, 16))
    .where('meeting_papers.file_name', 'is not', null);
  const ids = (await old.execute()).map((r) => r.id);
  if (ids.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('meeting_paper_files').where('paper_id', 'in', ids).execute();
    const r = await trx.deleteFrom('meeting_papers').where('id', 'in', ids).executeTakeFirst();
    return Number(r.numDeletedRows);
  });
}

export { ValidationError };
