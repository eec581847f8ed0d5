/**
 * Whole-partnership export and import in the API: GET a partnership's export file (its administrators), POST
 * such a file to create a new partnership from it (platform administrators). Same services as the pages.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import { attachment } from '../../../presentation/documents/document.ts';
import { exportPartnership } from '../../../services/transfer/partnershipExport.ts';
import { importLimitMessage, importPartnership, megabytesText } from '../../../services/transfer/partnershipImport.ts';
import { TRANSFER_FORMAT, TRANSFER_FORMAT_VERSION, TRANSFER_TABLES } from '../../../services/transfer/partnershipTransferTables.ts';
import * as s from './schemas.ts';
import { explainBodyLimit } from '../../multipart.ts';

const exportFile = {
  type: 'object',
  description: `A CSP Hub partnership export: one list of rows per table, rows keyed by column name. Ids are those of the exporting instance and are only references inside the file.`,
  required: ['format', 'formatVersion', 'exportedAt', 'tables'],
  properties: {
    format: { type: 'string', const: TRANSFER_FORMAT },
    formatVersion: { type: 'integer', const: TRANSFER_FORMAT_VERSION },
    exportedAt: { type: 'string', format: 'date-time' },
    app: { type: 'object', properties: { name: { type: 'string' }, version: { type: 'string' } } },
    notIncluded: { type: 'object', description: 'Tables and columns left out, with the reason for each' },
    tables: {
      type: 'object',
      properties: Object.fromEntries(
        TRANSFER_TABLES.map((t) => [
          t.table,
          { type: 'array', items: { type: 'object', properties: Object.fromEntries(Object.keys(t.columns).map((c) => [c, {}])) } },
        ]),
      ),
    },
  },
} as const;

const importProblem = {
  type: 'object',
  properties: {
    field: { type: 'string' },
    message: { type: 'string' },
    path: { type: 'string', description: 'JSON path in the file, like tables.figures[3].value' },
    expected: { type: 'string' },
    got: { type: 'string' },
  },
} as const;

const importResult = {
  type: 'object',
  properties: {
    partnership: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, slug: { type: 'string' } } },
    counts: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Rows imported, by table' },
    membersLeftOut: {
      type: 'array',
      items: { type: 'object', properties: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } } },
      description: 'Members without an account here, not added',
    },
    peopleWithoutAccount: { type: 'integer' },
    source: { type: 'object', properties: { exportedAt: { type: 'string' }, app: { type: 'string' } } },
  },
} as const;

export async function transferApi(app: FastifyInstance, { db, config }: Pick<AppServices, 'db' | 'config'>): Promise<void> {
  const k = db.kysely;
  const limitBytes = config.importLimitBytes;

  app.get(
    '/partnerships/:partnershipId/export',
    {
      config: { auth: 'partnership.export' },
      schema: {
        tags: ['Partnerships'],
        summary: 'Export the whole partnership as one JSON file (administrators)',
        description:
          'Everything that belongs to the partnership, for import into another CSP Hub. The download is recorded in the audit trail.',
        params: { type: 'object', properties: { partnershipId: s.idParam } },
        response: { 200: exportFile, ...s.errors },
      },
    },
    async (r, reply) => {
      const file = await exportPartnership(k, actorOf(r.user!), r.access!.partnership.id, { baseUrl: config.baseUrl });
      // A stream is sent as it is (never re-serialised through the response schema).
      return reply
        .type('application/json; charset=utf-8')
        .header('Content-Disposition', attachment(file.fileName))
        .header('Content-Length', file.bytes)
        .send(Readable.from(file.chunks));
    },
  );

  // The import reads the request body itself, after authorisation, so its problems are reported with their place
  // in the file (a body parsed by Fastify would fail before anyone is identified, with a less useful message).
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    // Read as bytes and handed as they are to the import (its worker decodes them): no copy as text here.
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: limitBytes + 1024 * 1024 }, (_request, body, done) =>
      done(null, body),
    );
    explainBodyLimit(scope, importLimitMessage(limitBytes));
    scope.post(
      '/partnership-imports',
      {
        config: { auth: 'platform-admin' },
        // The body schema documents the file; the service checks it, with exact messages.
        validatorCompiler: () => () => true,
        schema: {
          tags: ['Partnerships'],
          summary: 'Import a partnership export file as a new partnership (platform administrators)',
          description: `All or nothing: the whole file is checked first and every problem is returned (JSON path, expected, got). Members are matched to accounts by email; members without an account are left out and listed. Largest file: ${megabytesText(limitBytes)} (the IMPORT_LIMIT_MB setting, 50 MB unless set).`,
          querystring: {
            type: 'object',
            properties: {
              name: { type: 'string', maxLength: 200, description: "A name for the new partnership, when the file's name is taken here" },
            },
          },
          body: exportFile,
          response: {
            201: importResult,
            400: {
              type: 'object',
              properties: { error: { type: 'string' }, message: { type: 'string' }, problems: { type: 'array', items: importProblem } },
            },
            401: s.problem,
            403: s.problem,
          },
        },
      },
      async (r, reply) => {
        const body = Buffer.isBuffer(r.body) ? r.body : '';
        const result = await importPartnership(k, actorOf(r.user!), r.user!, body, {
          name: (r.query as { name?: unknown }).name,
          baseUrl: config.baseUrl,
          limitBytes,
        });
        return reply.code(201).send(result);
      },
    );
  });
}
