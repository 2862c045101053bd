// The endpoints outside the API and its spec, for operators and readers: liveness and readiness, the
// published docs and the spec itself, and the favicon the docs page asks for.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response, RequestHandler } from 'express';
import { PACKAGE_ROOT, SPEC_PATH, loadSpec } from './spec.js';
import { StoreUnavailableError } from './store/store.js';

// The endpoints outside the API (health, readiness, the published docs and spec) are a handful of
// exact paths: one map lookup per request, so the API's requests do not pay for a router that
// pattern-matches each of them in turn.
export type OperationalRoutes = Readonly<Record<string, RequestHandler>>;

/** Serves GET (and HEAD) on exactly these paths; everything else goes on to the API. */
export function operationalRoutes(...tables: OperationalRoutes[]): RequestHandler {
  const routes = new Map(tables.flatMap((table) => Object.entries(table)));
  return (req, res, next) => {
    const handler = (req.method === 'GET' || req.method === 'HEAD') && routes.get(req.path);
    if (!handler) return next();
    return handler(req, res, next);
  };
}

// Liveness and readiness for load balancers and orchestrators, outside the API and its spec.
// Readiness asks every dependency the server needs to answer (the store, and Redis when the rate
// limit is shared) and names the ones that cannot, so an operator sees which is down.
export interface ReadinessCheck {
  name: string;
  /** Throws when the dependency cannot answer. */
  ping(): Promise<void>;
}

// "unreachable" unless the store knows better (e.g. its file was deleted): the operator reads why.
const describeFailure = (error: unknown) => (error instanceof StoreUnavailableError && error.detail) || 'unreachable';

export function healthRoutes(checks: readonly ReadinessCheck[]): OperationalRoutes {
  return {
    '/healthz': (_req, res) => {
      res.json({ status: 'ok' });
    },
    '/readyz': async (_req, res) => {
      const results = await Promise.all(
        checks.map(async (check) => [check.name, await check.ping().then(() => 'ok', describeFailure)] as const),
      );
      const ready = results.every(([, state]) => state === 'ok');
      if (!ready) res.status(503).set('Retry-After', '5');
      res.json({ status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) });
    },
  };
}

// The published contract, served beside the API it describes and outside its spec: the API
// reference built by `npm run docs` (one self-contained HTML file) at /docs, and the spec itself at
// /openapi.yaml and /openapi.json. Each is read once at start, with a strong ETag, so clients and
// caches revalidate cheaply and always get the spec this very server enforces.
export const DOCS_PATH = join(PACKAGE_ROOT, 'dist', 'docs', 'index.html');

// The page's scripts and styles are inline and it loads nothing from elsewhere; the policy makes
// sure of it in the reader's browser too (no fonts, images or scripts from another origin).
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

// Redoc's sidebar attribution ("API docs by" and Redocly's logo) loads the logo from
// cdn.redoc.ly, which the policy blocks: a broken image and a console error for every reader. The
// logo is swapped for the same words drawn inline, so the page asks nothing of another host.
const REDOC_LOGOS = ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', 'https://cdn.redoc.ly/redoc/logo-mini.svg'];
const INLINE_ATTRIBUTION = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="44" height="14"><text x="0" y="11" font-family="sans-serif" font-size="12" fill="#808080">Redoc</text></svg>',
)}`;

/** The built reference with every request it would make to another host made local. */
export function offlineDocs(html: string): string {
  return REDOC_LOGOS.reduce((page, logo) => page.replaceAll(logo, INLINE_ATTRIBUTION), html);
}

interface Document {
  body: Buffer;
  contentType: string;
  etag: string;
  headers?: Record<string, string>;
}

function document(body: string | Buffer, contentType: string, headers?: Record<string, string>): Document {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return { body: bytes, contentType, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`, ...(headers ? { headers } : {}) };
}

function send(res: Response, ifNoneMatch: string | undefined, doc: Document): void {
  res.set({ 'Content-Type': doc.contentType, ETag: doc.etag, 'Cache-Control': 'public, max-age=300, must-revalidate', 'X-Content-Type-Options': 'nosniff', ...doc.headers });
  if (ifNoneMatch?.split(/\s*,\s*/).includes(doc.etag)) res.status(304).end();
  else res.send(doc.body);
}

export function docsRoutes(): OperationalRoutes {
  const yaml = document(readFileSync(SPEC_PATH), 'application/yaml; charset=utf-8');
  const json = document(JSON.stringify(loadSpec(), null, 2), 'application/json; charset=utf-8');
  const html = existsSync(DOCS_PATH)
    ? document(offlineDocs(readFileSync(DOCS_PATH, 'utf8')), 'text/html; charset=utf-8', { 'Content-Security-Policy': DOCS_CSP })
    : null;
  const favicon = document(faviconIco(), 'image/x-icon');
  return {
    '/openapi.yaml': (req, res) => send(res, req.get('If-None-Match'), yaml),
    '/openapi.json': (req, res) => send(res, req.get('If-None-Match'), json),
    '/favicon.ico': (req, res) => send(res, req.get('If-None-Match'), favicon),
    '/docs': (req, res) => {
      if (!html) {
        res.status(404).type('text/plain').send('The API reference has not been built: run `npm run docs`.\n');
        return;
      }
      send(res, req.get('If-None-Match'), html);
    },
  };
}

// /favicon.ico: browsers ask for it on every page of the published docs, and a 404 there is an
// error in every reader's console. A 16×16 icon (a white "B" on BatchData blue), drawn here as
// rows of pixels and written as an ICO holding one 32-bit bitmap, so no binary file is kept.
const GLYPH = [
  '................',
  '................',
  '...#########....',
  '...##......##...',
  '...##......##...',
  '...##......##...',
  '...##.....##....',
  '...########.....',
  '...##......##...',
  '...##.......##..',
  '...##.......##..',
  '...##......##...',
  '...#########....',
  '................',
  '................',
  '................',
];
const SIZE = 16;
const BLUE = [0xbf, 0x5f, 0x1f, 0xff]; // B, G, R, A: #1f5fbf
const WHITE = [0xff, 0xff, 0xff, 0xff];

export function faviconIco(): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  // Bitmap rows run bottom-up.
  GLYPH.forEach((row, y) => [...row].forEach((cell, x) => Buffer.from(cell === '#' ? WHITE : BLUE).copy(pixels, ((SIZE - 1 - y) * SIZE + x) * 4)));
  const andMask = Buffer.alloc(SIZE * 4); // every pixel opaque; rows padded to 32 bits
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0); // BITMAPINFOHEADER
  info.writeInt32LE(SIZE, 4);
  info.writeInt32LE(SIZE * 2, 8); // colour bitmap and AND mask, stacked
  info.writeUInt16LE(1, 12); // planes
  info.writeUInt16LE(32, 14); // bits per pixel
  info.writeUInt32LE(pixels.length + andMask.length, 20);
  const image = Buffer.concat([info, pixels, andMask]);
  const entry = Buffer.alloc(16);
  entry.writeUInt8(SIZE, 0);
  entry.writeUInt8(SIZE, 1);
  entry.writeUInt16LE(1, 4); // planes
  entry.writeUInt16LE(32, 6); // bits per pixel
  entry.writeUInt32LE(image.length, 8);
  entry.writeUInt32LE(header.length + entry.length, 12);
  return Buffer.concat([header, entry, image]);
}
