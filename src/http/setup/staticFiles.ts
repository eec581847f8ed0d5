/** Static files: the compiled stylesheet and images under /public, and GOV.UK Frontend's script. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export async function setUpStaticFiles(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: path.join(root, 'public'), prefix: '/public/', decorateReply: false, maxAge: '1h' });
  await app.register(fastifyStatic, {
    root: path.join(root, 'node_modules/govuk-frontend/dist/govuk'),
    prefix: '/public/govuk/',
    decorateReply: false,
    allowedPath: (p) => p === '/govuk-frontend.min.js' || p === '/govuk-frontend.min.js.map',
  });
}
