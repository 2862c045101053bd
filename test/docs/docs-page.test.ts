// The published API reference as a reader sees it: /docs opened in headless Chromium, offline.
// The delete operation, its error responses and the seed's exact messages must be on screen, and
// not one request may leave this server. A screenshot is kept in test-results/ as an artifact.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_PATH } from '../../server/operational.js';
import { PACKAGE_ROOT } from '../../server/spec.js';
import { CHROMIUM, launchChromium } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/servers/test-server.js';

const ARTIFACTS = join(PACKAGE_ROOT, 'test-results');
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('GET /docs in a browser', () => {
  it('shows the delete operation, its errors and the seed messages, with no request leaving the machine', async (context) => {
    if (!existsSync(CHROMIUM) && process.env.CI !== 'true') context.skip();
    expect(existsSync(DOCS_PATH), 'run `npm run docs` first').toBe(true);
    const chromium = await launchChromium();
    try {
      const page = await chromium.browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const origin = new URL(server.url).origin;
      // Not one request to another host, not even one the Content-Security-Policy would stop
      // (Redoc's attribution logo came from cdn.redoc.ly): each would be a broken image and a
      // console error for every reader. Nor any failed request of its own (a missing favicon).
      const leftTheMachine: string[] = [];
      const failed: string[] = [];
      const consoleErrors: string[] = [];
      const isForeign = (url: string) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:');
      page.on('request', (request) => isForeign(request.url()) && leftTheMachine.push(request.url()));
      page.on('requestfailed', (request) => failed.push(`${request.url()} (${request.failure()?.errorText})`));
      page.on('response', (response) => response.status() >= 400 && failed.push(`${response.url()} (${response.status()})`));
      page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
      await page.goto(`${server.url}/docs#/search-sessions/deletesearchsession`, { waitUntil: 'networkidle' });

      // The delete operation: the nearest block around its heading that holds its 404 response.
      const operation = page.locator(
        "xpath=//h2[normalize-space()='Delete a search session']/ancestor::*[.//button[normalize-space()='404']][1]",
      );
      await expect.poll(() => operation.isVisible(), { timeout: 15_000 }).toBe(true);
      const text = await operation.innerText();
      for (const status of ['200', '400', '401', '403', '404', '429']) expect(text).toContain(status);
      expect(text).toContain('Cross-tenant isolation');

      // Each error's example, as the response panel shows it once its status is chosen.
      const messages: Record<string, string> = {
        '400': 'searchSessionId must match /^[a-zA-Z0-9_-]{1,128}$/',
        '401': 'Invalid token.',
        '403': 'Provided token does not have permission to access this API.',
        '404': 'Search session not found: monthly-leads-az-85020',
        '429': 'Rate limit exceeded: 3000 requests per minute per token.',
      };
      for (const [status, message] of Object.entries(messages)) {
        await operation.getByRole('button', { name: status, exact: true }).last().click();
        await expect
          .poll(() => page.getByText(message, { exact: false }).first().isVisible(), { message: `${status}: ${message}`, timeout: 10_000 })
          .toBe(true);
      }

      mkdirSync(ARTIFACTS, { recursive: true });
      await operation.screenshot({ path: join(ARTIFACTS, 'docs-delete-search-session.png') });
      await page.screenshot({ path: join(ARTIFACTS, 'docs.png') });
      expect(leftTheMachine).toEqual([]);
      expect(failed).toEqual([]);
      expect(consoleErrors).toEqual([]);
      // The attribution is still there, drawn inline.
      expect(await page.getByText('API docs by').first().isVisible()).toBe(true);
    } finally {
      await chromium.close();
    }
  });
});

describe('the spec and docs as documents', () => {
  it.each([
    ['/openapi.yaml', /^application\/yaml/],
    ['/openapi.json', /^application\/json/],
    ['/docs', /^text\/html/],
    ['/favicon.ico', /^image\/x-icon$/],
  ])('%s has its content type, caching headers, and answers If-None-Match with 304', async (path, contentType) => {
    const first = await fetch(`${server.url}${path}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(contentType);
    expect(first.headers.get('cache-control')).toBe('public, max-age=300, must-revalidate');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const again = await fetch(`${server.url}${path}`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('serves the very spec the server enforces', async () => {
    const json = await (await fetch(`${server.url}/openapi.json`)).json();
    expect(Object.keys(json.paths).sort()).toEqual(['/api/v1/property/search', '/api/v2/property/search-sessions', '/api/v2/property/search-sessions/{searchSessionId}']);
    const yaml = await (await fetch(`${server.url}/openapi.yaml`)).text();
    expect(yaml).toContain('operationId: deleteSearchSession');
  });

  it('serves a 16×16 icon at /favicon.ico', async () => {
    const icon = Buffer.from(await (await fetch(`${server.url}/favicon.ico`)).arrayBuffer());
    // ICONDIR (reserved 0, type 1 = icon, one image), then the entry: 16 wide, 16 high, 32 bits.
    expect([icon.readUInt16LE(0), icon.readUInt16LE(2), icon.readUInt16LE(4), icon[6], icon[7], icon.readUInt16LE(12)]).toEqual([0, 1, 1, 16, 16, 32]);
    expect(icon.readUInt32LE(14) + icon.readUInt32LE(18)).toBe(icon.length);
  });

  it('serves the reference without a single address on another host for the page to load', async () => {
    const html = await (await fetch(`${server.url}/docs`)).text();
    expect(html).not.toContain('cdn.redoc.ly');
    // Links a reader may follow are fine; nothing the page itself would fetch may be elsewhere.
    expect(html.match(/src=["']https?:\/\/[^"']*|<link[^>]*href=["']https?:\/\/[^"']*/g) ?? []).toEqual([]);
  });

  it('keeps the docs page from loading anything from another origin', async () => {
    const response = await fetch(`${server.url}/docs`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
  });
});
