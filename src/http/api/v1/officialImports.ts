/**
 * Official data imports under /api/v1 (ADR 0028, issue 17), for platform administrators, as at /admin/official-data:
 * upload a file (the request body as it is, its kind and name in the query) through the same service, with the same
 * checks, then follow the import (stage, rows read and written) until it is done or refused with every problem's
 * row (or feature), column and value. Nothing is written from a refused file.
 */
import type { FastifyInstance } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import { explainBodyLimit } from '../../multipart.ts';
import {
  KIND_TEXT,
  OFFICIAL_KINDS,
  OFFICIAL_UPLOAD_LIMIT_BYTES,
  UPLOAD_LIMIT_TEXT,
  fileTypeOf,
  getImport,
  listImports,
  startUpload,
  type ImportRecord,
} from '../../../services/evidence/officialImport.ts';
import * as s from './schemas.ts';

const tags = ['Official data'];

const importSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    kind: { type: 'string', enum: [...OFFICIAL_KINDS] },
    kindText: { type: 'string' },
    fileName: { type: 'string' },
    status: { type: 'string', enum: ['running', 'done', 'failed'], description: 'failed: refused (see problems) or stopped' },
    stage: { type: 'string', description: 'checking, replacing, writing, done, refused or failed' },
    rowsRead: { type: 'integer' },
    rowsWritten: { type: 'integer' },
    years: { type: 'string', description: 'What the file covered (years, or indicators for Fingertips)' },
    message: { type: 'string' },
    problems: {
      type: 'array',
      description: `Why the file was refused, the first 100 problems`,
      items: {
        type: 'object',
        properties: {
          row: { type: 'integer', description: 'Row of the file or sheet (1 is the header), or feature of a GeoJSON file (from 1)' },
          unit: { type: 'string', enum: ['feature'], description: 'Present when row counts GeoJSON features' },
          sheet: { type: 'string' },
          column: { type: 'string' },
          value: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
    startedAt: { type: 'string' },
    finishedAt: { type: ['string', 'null'] },
  },
} as const;

const view = (i: ImportRecord) => ({ ...i, kindText: KIND_TEXT[i.kind] });

export async function officialImportsApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;

  app.get(
    '/official-data/imports',
    {
      config: { auth: 'platform-admin' },
      schema: {
        tags,
        summary: 'The latest official data imports, newest first (platform administrators)',
        response: { 200: { type: 'array', items: importSchema }, ...s.errors },
      },
    },
    async () => (await listImports(k)).map(view),
  );

  app.get(
    '/official-data/imports/:importId',
    {
      config: { auth: 'platform-admin' },
      schema: {
        tags,
        summary: "An official data import's progress, result and problems (platform administrators)",
        params: { type: 'object', properties: { importId: s.idParam } },
        response: { 200: importSchema, ...s.errors },
      },
    },
    async (r) => view(await getImport(k, Number((r.params as { importId: string }).importId))),
  );

  // The file is the body as it is (any content type), so no parser here turns it into text or JSON.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: OFFICIAL_UPLOAD_LIMIT_BYTES + 1024 * 1024 }, (_request, body, done) =>
      done(null, body),
    );
    explainBodyLimit(scope, UPLOAD_LIMIT_TEXT);
    scope.post(
      '/official-data/imports',
      {
        config: { auth: 'platform-admin' },
        // The body is the file: the service checks it, row by row, with exact messages.
        validatorCompiler: () => () => true,
        schema: {
          tags,
          summary: 'Upload an official data file and start its import (platform administrators)',
          description: `The request body is the file itself, sent as it is (for example with Content-Type text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or application/geo+json). The query names what it holds (kind: ${OFFICIAL_KINDS.map((x) => `${x}, ${KIND_TEXT[x]}, ${fileTypeOf(x).text}`).join('; ')}) and the file's name, whose ending says how it is read. The import runs in the background, one at a time (409 while another runs): follow it at the returned Location until its status is done or failed. Every row is checked first and nothing is written from a file with any problem; each problem gives its row (or GeoJSON feature), column and value. Largest file: ${OFFICIAL_UPLOAD_LIMIT_BYTES / 1024 / 1024} MB; a larger file is imported on the server with scripts/import-official-data.ts.`,
          querystring: {
            type: 'object',
            required: ['kind', 'fileName'],
            properties: {
              kind: { type: 'string', enum: [...OFFICIAL_KINDS] },
              fileName: { type: 'string', maxLength: 300, description: 'The file name, such as fingertips-11201.csv' },
            },
          },
          consumes: [
            'text/csv',
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            'application/geo+json',
            'application/json',
            'application/octet-stream',
          ],
          body: { type: 'string', format: 'binary', description: 'The file' },
          response: { 202: importSchema, ...s.errors, 413: s.problem },
        },
      },
      async (r, reply) => {
        const q = (r.query ?? {}) as { kind?: unknown; fileName?: unknown };
        const id = await startUpload(k, actorOf(r.user!), {
          kind: q.kind,
          fileName: typeof q.fileName === 'string' ? q.fileName : '',
          data: Buffer.isBuffer(r.body) ? r.body : null,
        });
        return reply
          .code(202)
          .header('Location', `/api/v1/official-data/imports/${id}`)
          .send(view(await getImport(k, id)));
      },
    );
  });
}
