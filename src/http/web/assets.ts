/**
 * The page assets (stylesheet, GOV.UK Frontend's script, the icon) under fingerprinted names: each is read once,
 * named by a hash of its content (`/static/app.3f9c1a2b7d.css`), compressed with Brotli or gzip the first time a
 * browser asks for that encoding (then kept), and sent
 * with a year-long immutable cache, so a browser fetches it again only when it changes. Templates ask for the
 * current name with `asset('app.css')`; a file that is missing (styles not built yet) keeps its plain /public
 * address, which @fastify/static still serves.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const SOURCES: Record<string, { file: string; fallback: string; type: string }> = {
  'app.css': { file: 'public/build/app.css', fallback: '/public/build/app.css', type: 'text/css; charset=utf-8' },
  'govuk-frontend.min.js': {
    file: 'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js',
    fallback: '/public/govuk/govuk-frontend.min.js',
    type: 'text/javascript; charset=utf-8',
  },
  'favicon.svg': { file: 'public/favicon.svg', fallback: '/public/favicon.svg', type: 'image/svg+xml' },
};

export const STATIC_PREFIX = '/static/';
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

/**
 * Whether a route serves static files (the fingerprinted assets, or @fastify/static's `/public/...*` folders): those
 * skip the session lookup and the page headers. Pages under /public/ (the published summaries) are pages like any
 * other, with their Content Security Policy.
 */
export function isStaticRoute(routeUrl: string | undefined): boolean {
  if (!routeUrl) return false;
  return routeUrl === `${STATIC_PREFIX}:file` || (routeUrl.startsWith('/public/') && routeUrl.endsWith('*'));
}

export interface StaticAsset {
  url: string;
  type: string;
  etag: string;
  identity: Buffer;
  /** Compressed on first use (then kept). */
  readonly gzip: Buffer;
  readonly br: Buffer;
}

export interface AssetSet {
  /** The address a page should use for a named asset. */
  url(name: string): string;
  /** The asset a fingerprinted address names, if it is the current one. */
  byPath(urlPath: string): StaticAsset | undefined;
}

/** The fingerprinted name: `app.css` with hash `abc` becomes `app.abc.css`. */
export function fingerprintedName(name: string, hash: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? `${name}.${hash}` : `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
}

/** The plain /public address of a named asset, before (or without) fingerprinting. */
export function plainAssetUrl(name: string): string {
  return SOURCES[name]?.fallback ?? `/public/${name}`;
}

/**
 * Compressed copies by content hash and encoding, made the first time one is sent and kept for the life of the
 * process: Brotli at quality 11 takes a third of a second for the stylesheet. Made on demand rather than when the
 * app is built, so a process that never sends an encoding (most test processes, which build apps but fetch no
 * assets) does not pay for it, and one that builds the app more than once (the tests) pays at most once.
 */
const compressedByHash = new Map<string, Buffer>();

function compressedCopy(digest: string, encoding: 'br' | 'gzip', identity: Buffer): Buffer {
  const key = `${encoding}:${digest}`;
  let found = compressedByHash.get(key);
  if (!found) {
    found =
      encoding === 'gzip'
        ? zlib.gzipSync(identity, { level: 9 })
        : zlib.brotliCompressSync(identity, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
    compressedByHash.set(key, found);
  }
  return found;
}

export function loadAssets(base = root): AssetSet {
  const byName = new Map<string, StaticAsset>();
  const byUrl = new Map<string, StaticAsset>();
  for (const [name, source] of Object.entries(SOURCES)) {
    const file = path.join(base, source.file);
    if (!fs.existsSync(file)) continue;
    const identity = fs.readFileSync(file);
    const digest = createHash('sha256').update(identity).digest('hex');
    const hash = digest.slice(0, 12);
    const asset: StaticAsset = {
      url: STATIC_PREFIX + fingerprintedName(name, hash),
      type: source.type,
      etag: `"${hash}"`,
      identity,
      get gzip() {
        return compressedCopy(digest, 'gzip', identity);
      },
      get br() {
        return compressedCopy(digest, 'br', identity);
      },
    };
    byName.set(name, asset);
    byUrl.set(asset.url, asset);
  }
  return {
    url: (name) => byName.get(name)?.url ?? plainAssetUrl(name),
    byPath: (urlPath) => byUrl.get(urlPath),
  };
}

/** Which stored encoding to send for an Accept-Encoding header: Brotli, then gzip, else none. */
export function chooseEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | 'identity' {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (!coding) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(coding, q ? Number(q[1]) : 1);
  }
  const allowed = (coding: string) => (accepted.get(coding) ?? accepted.get('*') ?? 0) > 0;
  if (allowed('br')) return 'br';
  if (allowed('gzip')) return 'gzip';
  return 'identity';
}
