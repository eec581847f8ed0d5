/**
 * A small multipart/form-data reader for the figure upload form (one file and a few text fields), so the
 * upload needs no extra dependency. Registered only in the performance routes' own scope.
 */
import type { FastifyInstance } from 'fastify';

export interface UploadedFile {
  filename: string;
  data: Buffer;
}

export const UPLOAD_LIMIT_BYTES = 5 * 1024 * 1024;

export function parseMultipart(body: Buffer, contentType: string): Record<string, string | UploadedFile> {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) throw Object.assign(new Error('The upload has no multipart boundary'), { statusCode: 400 });
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const fields: Record<string, string | UploadedFile> = {};
  let start = body.indexOf(boundary);
  while (start !== -1) {
    const partStart = start + boundary.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(boundary, partStart);
    if (next === -1) break;
    const part = body.subarray(partStart + 2, next - 2); // drop the CRLF after the boundary and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      // The file's bytes are a view of the request body, not a copy: a 50 MB upload is not copied on the event loop.
      if (name !== undefined) fields[name] = filename !== undefined ? { filename, data: content } : content.toString('utf8');
    }
    start = next;
  }
  return fields;
}

export function registerMultipart(app: FastifyInstance): void {
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT_BYTES }, (request, body, done) => {
    try {
      done(null, parseMultipart(body as Buffer, String(request.headers['content-type'] ?? '')));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  explainBodyLimit(
    app,
    `The file is larger than ${UPLOAD_LIMIT_BYTES / 1024 / 1024} MB, the largest file of figures CSP Hub reads: split it into smaller files`,
  );
}

/**
 * In this scope, a request body over the limit is answered (413) with `message`, which says what the limit is and
 * what to do, instead of Fastify's "Request body is too large". Every other error goes to the app's handler.
 */
export function explainBodyLimit(app: FastifyInstance, message: string): void {
  app.setErrorHandler((error, _request, _reply) => {
    if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw Object.assign(new Error(message), { statusCode: 413 });
    throw error;
  });
}
