/**
 * Generated documents in the API: ask for a Board pack, an annual review or a plan document as PDF or Word (202,
 * generated in the background), read a job's status and progress, list the partnership's documents, and download
 * a finished file.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppServices } from '../../context.ts';
import { DOCUMENT_FORMATS, DOCUMENT_KINDS, JOB_STATUSES } from '../../../adapters/database/schema.ts';
import {
  getDocumentFile,
  getDocumentJob,
  jobParams,
  listDocumentJobs,
  requestDocument,
  type DocumentJobSummary,
} from '../../../services/documents/documentJobs.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import { attachment } from '../../../presentation/documents/document.ts';
import * as s from './schemas.ts';

const nullableString = { type: ['string', 'null'] } as const;

export const documentJob = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    partnershipId: { type: 'integer' },
    kind: { type: 'string', enum: DOCUMENT_KINDS },
    format: { type: 'string', enum: DOCUMENT_FORMATS },
    title: { type: 'string', description: 'What was asked for, in words' },
    parameters: {
      type: 'object',
      additionalProperties: true,
      properties: {
        quarter: { type: 'string' },
        intervals: { type: 'boolean' },
        reviewId: { type: 'integer' },
        versionId: { type: 'integer' },
        meetingId: { type: 'integer' },
      },
    },
    status: { type: 'string', enum: JOB_STATUSES },
    progress: { type: 'integer', minimum: 0, maximum: 100 },
    stage: { type: 'string' },
    error: nullableString,
    requestedBy: {
      type: 'object',
      properties: { userId: { type: ['integer', 'null'] }, name: { type: 'string' }, email: { type: 'string' } },
    },
    createdAt: { type: 'string', format: 'date-time' },
    startedAt: nullableString,
    finishedAt: nullableString,
    fileName: nullableString,
    contentType: nullableString,
    size: { type: ['integer', 'null'], description: 'Bytes' },
    links: { type: 'object', properties: { self: { type: 'string' }, download: nullableString } },
  },
} as const;

const documentRequest = {
  type: 'object',
  required: ['kind', 'format'],
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: DOCUMENT_KINDS },
    format: { type: 'string', enum: DOCUMENT_FORMATS },
    quarter: { type: 'string', description: "board_pack: the quarter, like '2019/20 Q4'" },
    intervals: {
      type: 'boolean',
      description: "board_pack: add each quarter's figure's 95% and 99.8% confidence intervals to the summary table",
    },
    reviewId: { type: 'integer', description: 'annual_review: the review' },
    versionId: { type: 'integer', description: 'plan_document: the plan version' },
    meetingId: { type: 'integer', description: 'meeting_pack: the meeting (agenda, papers, previous minutes and action log)' },
  },
} as const;

function jobJson(j: DocumentJobSummary) {
  const self = `/api/v1/partnerships/${j.partnership_id}/documents/${j.id}`;
  return {
    id: j.id,
    partnershipId: j.partnership_id,
    kind: j.kind,
    format: j.format,
    title: j.title,
    parameters: jobParams(j),
    status: j.status,
    progress: j.progress,
    stage: j.stage,
    error: j.error,
    requestedBy: { userId: j.requested_by_user_id, name: j.requested_by_name, email: j.requested_by },
    createdAt: j.created_at,
    startedAt: j.started_at,
    finishedAt: j.finished_at,
    fileName: j.file_name,
    contentType: j.content_type,
    size: j.size_bytes,
    links: { self, download: j.status === 'done' ? `${self}/file` : null },
  };
}

export async function documentApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  const pid = (r: FastifyRequest) => r.access!.partnership.id;
  const jobId = (r: FastifyRequest) => assertValidId((r.params as Record<string, string>).documentId, 'Document');
  const pParams = { type: 'object', properties: { partnershipId: s.idParam } } as const;
  const dParams = { type: 'object', properties: { partnershipId: s.idParam, documentId: s.idParam } } as const;
  const tags = ['Documents'];

  app.post(
    '/partnerships/:partnershipId/documents',
    {
      config: { auth: 'document.generate' },
      schema: {
        tags,
        summary: 'Generate a document in the background (poll its status, then download it)',
        params: pParams,
        body: documentRequest,
        response: { 202: documentJob, ...s.errors },
      },
    },
    async (r, reply) => {
      const user = r.user!;
      const job = await requestDocument(k, { userId: user.id, label: user.email, name: user.name }, pid(r), r.body as never);
      app.documentRunner.enqueue(job.id);
      return reply.code(202).header('Location', `/api/v1/partnerships/${job.partnership_id}/documents/${job.id}`).send(jobJson(job));
    },
  );

  app.get(
    '/partnerships/:partnershipId/documents',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: 'Generated documents, newest first',
        params: pParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { page: { type: 'integer', minimum: 1 }, pageSize: { type: 'integer', minimum: 1, maximum: 100 } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              total: { type: 'integer' },
              page: { type: 'integer' },
              pageCount: { type: 'integer' },
              documents: { type: 'array', items: documentJob },
            },
          },
          ...s.errors,
        },
      },
    },
    async (r) => {
      const q = r.query as { page?: number; pageSize?: number };
      const list = await listDocumentJobs(k, pid(r), { page: q.page ?? 1, pageSize: q.pageSize ?? 20 });
      return { total: list.total, page: list.page, pageCount: list.pageCount, documents: list.jobs.map(jobJson) };
    },
  );

  app.get(
    '/partnerships/:partnershipId/documents/:documentId',
    {
      config: { auth: 'partnership.read' },
      schema: { tags, summary: "A generated document's status and progress", params: dParams, response: { 200: documentJob, ...s.errors } },
    },
    async (r) => jobJson(await getDocumentJob(k, pid(r), jobId(r))),
  );

  app.get(
    '/partnerships/:partnershipId/documents/:documentId/file',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: 'Download a finished document (PDF or DOCX); 409 while it is not ready or if it failed',
        params: dParams,
        produces: ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
        response: { ...s.errors },
      },
    },
    async (r, reply) => {
      const file = await getDocumentFile(k, pid(r), jobId(r));
      return reply.type(file.contentType).header('Content-Disposition', attachment(file.fileName)).send(file.content);
    },
  );
}
