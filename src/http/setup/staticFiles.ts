/**
 * Static files and compression. The page assets under fingerprinted names with a year-long immutable cache
 * (src/http/web/assets.ts), stored compressed; the plain /public files (the compiled stylesheet, images,
 * GOV.UK Frontend's script) for anything else that asks for them; and pages, JSON and downloads compressed with
 * Brotli or gzip when the browser accepts it. Request bodies are never decompressed: an upload arrives as sent,
 * so the upload limits count the bytes the client really sends.
 */
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyCompress from '@fastify/compress';
import { chooseEncoding, IMMUTABLE_CACHE, loadAssets, STATIC_PREFIX, type AssetSet } from '../web/assets.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export async function setUpStaticFiles(app: FastifyInstance): Promise<AssetSet> {
  const assets = loadAssets(root);
  app.get(`${STATIC_PREFIX}:file`, { config: { auth: 'public' } }, async (request, reply) => {
    const asset = assets.byPath(request.url.split('?')[0]!);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    const encoding = chooseEncoding(request.headers['accept-encoding']);
    reply.header('Cache-Control', IMMUTABLE_CACHE).header('ETag', asset.etag).header('Vary', 'Accept-Encoding').type(asset.type);
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    if (encoding !== 'identity') reply.header('Content-Encoding', encoding);
    return reply.send(encoding === 'br' ? asset.br : encoding === 'gzip' ? asset.gzip : asset.identity);
  });
  await app.register(fastifyStatic, { root: path.join(root, 'public'), prefix: '/public/', decorateReply: false, maxAge: '1h' });
  await app.register(fastifyStatic, {
    root: path.join(root, 'node_modules/govuk-frontend/dist/govuk'),
    prefix: '/public/govuk/',
    decorateReply: false,
    maxAge: '1h',
    allowedPath: (p) => p === '/govuk-frontend.min.js' || p === '/govuk-frontend.min.js.map',
  });
  return assets;
}

/**
 * Compression of every other response, set up after the views so that hooks rewriting a page's HTML (the table
 * download links) see it before it is compressed. Brotli at quality 4 costs about what gzip does and saves more.
 */
export async function setUpCompression(app: FastifyInstance): Promise<void> {
  await app.register(fastifyCompress, {
    globalDecompression: false,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
  });
}
