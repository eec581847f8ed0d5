/**
 * Security headers on every response (helmet, Permissions-Policy; the Content Security Policy is set per request
 * with its nonce in identity.ts), cookies and form bodies, and a minimum body rate against slow-loris uploads.
 */
import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { Config } from '../../config.ts';
import { guardBodyRate, PERMISSIONS_POLICY } from '../web/security.ts';
import { foldDateParts } from '../web/dateInputs.ts';

/** Largest form or JSON body (uploads have their own limits). */
export const BODY_LIMIT = 1_048_576;

export async function setUpWebSecurity(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: false,
    strictTransportSecurity: config.secureCookies ? undefined : false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', async (_request, reply) => void reply.header('Permissions-Policy', PERMISSIONS_POLICY));
  // A request body must keep arriving: less than UPLOAD_MIN_BYTES_PER_SECOND over a window is a slow-loris upload.
  if (config.uploadMinBytesPerSecond > 0) app.addHook('onRequest', async (request, reply) => guardBodyRate(request, reply, config));
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  // Page forms' GOV.UK date inputs: the day, month and year boxes become one field for the services to read, in a
  // posted form or in the query of a filter (the audit trail, data completeness).
  app.addHook('preValidation', async (request) => {
    if (request.isApi) return;
    for (const fields of [request.body, request.query])
      if (fields !== null && typeof fields === 'object' && !Array.isArray(fields) && !Buffer.isBuffer(fields))
        foldDateParts(fields as Record<string, unknown>);
  });
}
