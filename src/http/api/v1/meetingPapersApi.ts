/**
 * Changing and deleting a meeting, and its uploaded papers, over the API (ADR 0040): the same services, checks and
 * audit as the pages. A paper's file is sent as base64 in JSON (up to PAPER_MAX_BYTES once decoded) and downloaded
 * as the file itself.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../adapters/database/schema.ts';
import { ValidationError } from '../../../domain/errors.ts';
import { PAPER_MAX_BYTES, PAPER_TYPES } from '../../../domain/paperFiles.ts';
import { deleteMeeting, updateMeeting } from '../../../services/meetings/meetings.ts';
import { getPaperFile, removePaper, uploadPaper } from '../../../services/meetings/papers.ts';
import { attachment } from '../../../presentation/documents/document.ts';
import * as s from './schemas.ts';
import { body, camel, idOrNull, int, meeting, obj, paper, str } from './meetingsSchemas.ts';
import { actor, input, mid, param, params, pid } from './meetingsRequest.ts';

const m = '/partnerships/:partnershipId/meetings/:meetingId';
const paperId = (r: FastifyRequest) => param(r, 'paperId', 'Paper');

export function meetingPapersApi(app: FastifyInstance, k: Kysely<Database>): void {
  meetingChangeApi(app, k);
  paperFileApi(app, k);
}

/** Changing and deleting a meeting. */
function meetingChangeApi(app: FastifyInstance, k: Kysely<Database>): void {
  const tags = ['Meetings'];

  app.put(
    m,
    {
      config: { auth: 'meeting.write' },
      schema: {
        tags,
        summary:
          "Change a meeting's title, date, time, length, place and paper deadline (its group stays); 409 if expectedUpdatedAt is given and the meeting has changed since",
        params: params('meetingId'),
        body: body(['date', 'time'], {
          title: str,
          date: { type: 'string', description: 'YYYY-MM-DD or 12 March 2026' },
          time: { type: 'string', description: '14:00 or 2pm, UK time' },
          durationMinutes: { type: 'integer' },
          location: str,
          paperDeadline: { type: ['string', 'null'], description: 'Papers due by (YYYY-MM-DD), on or before the meeting' },
          expectedUpdatedAt: str,
        }),
        response: { 200: meeting, ...s.errors },
      },
    },
    async (r) => camel(await updateMeeting(k, actor(r), pid(r), mid(r), input(r))),
  );

  app.delete(
    m,
    {
      config: { auth: 'meeting.write' },
      schema: {
        tags,
        summary:
          "Delete a meeting with its attendees, agenda, papers and decisions; its actions stay in the group's action log. Returns what was deleted and kept",
        params: params('meetingId'),
        querystring: { type: 'object', properties: { expectedUpdatedAt: { type: 'string' } } },
        response: {
          200: obj({
            attendees: int,
            agendaItems: int,
            papers: int,
            decisions: int,
            actions: int,
            actionUpdates: int,
            escalations: int,
          }),
          ...s.errors,
        },
      },
    },
    async (r) => deleteMeeting(k, actor(r), pid(r), mid(r), { expectedUpdatedAt: (r.query as Record<string, unknown>).expectedUpdatedAt }),
  );
}

/** Uploading, downloading and removing papers. */
function paperFileApi(app: FastifyInstance, k: Kysely<Database>): void {
  const tags = ['Meetings'];
  app.post(
    `${m}/paper-files`,
    {
      config: { auth: 'meeting.write' },
      bodyLimit: Math.ceil((PAPER_MAX_BYTES * 4) / 3) + 64 * 1024,
      schema: {
        tags,
        summary: `Upload a paper: a ${Object.values(PAPER_TYPES)
          .map((t) => t.label)
          .join(', ')} file of up to ${PAPER_MAX_BYTES / 1024 / 1024} MB, its type judged by its content`,
        params: params('meetingId'),
        body: body(['fileName', 'contentBase64'], {
          fileName: { type: 'string', description: 'The file name, ending with the extension of what it contains' },
          contentBase64: { type: 'string', description: "The file's bytes, base64-encoded" },
          title: { type: 'string', description: "The paper's title (the file name if left out)" },
          agendaItemId: idOrNull,
        }),
        response: { 201: paper, ...s.errors },
      },
    },
    async (r, reply) => {
      const b = input(r);
      const text = typeof b.contentBase64 === 'string' ? b.contentBase64 : '';
      if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(text))
        throw new ValidationError([{ field: 'contentBase64', message: "Send the file's bytes base64-encoded" }]);
      const row = await uploadPaper(k, actor(r), pid(r), mid(r), {
        title: b.title,
        agendaItemId: b.agendaItemId,
        file: { filename: typeof b.fileName === 'string' ? b.fileName : '', data: Buffer.from(text, 'base64') },
      });
      return reply.code(201).send(camel(row));
    },
  );

  app.get(
    `${m}/papers/:paperId/file`,
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: 'Download an uploaded paper; 404 for a paper that is a link',
        params: params('meetingId', 'paperId'),
        produces: Object.values(PAPER_TYPES).map((t) => t.contentType),
        response: { ...s.errors },
      },
    },
    async (r, reply) => {
      const file = await getPaperFile(k, pid(r), mid(r), paperId(r));
      return reply.type(file.contentType).header('Content-Disposition', attachment(file.fileName)).send(file.content);
    },
  );

  app.delete(
    `${m}/papers/:paperId`,
    {
      config: { auth: 'meeting.write' },
      schema: {
        tags,
        summary: 'Remove a paper (a link or an uploaded file) from the meeting',
        params: params('meetingId', 'paperId'),
        response: { 200: paper, ...s.errors },
      },
    },
    async (r) => camel(await removePaper(k, actor(r), pid(r), mid(r), paperId(r))),
  );
}
