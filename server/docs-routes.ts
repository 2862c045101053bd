// The published contract, served beside the API it describes and outside its spec: the API
// reference built by `npm run docs` (one self-contained HTML file) at /docs, and the spec itself at
// /openapi.yaml and /openapi.json. Each is read once at start, with a strong ETag, so clients and
// caches revalidate cheaply and always get the spec this very server enforces.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'express';
import { faviconIco } from './favicon.js';
import type { OperationalRoutes } from './operational-routes.js';
import { PACKAGE_ROOT, SPEC_PATH, loadSpec } from './spec.js';

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
