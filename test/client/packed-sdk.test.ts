// The SDK as published: `npm pack` output installed offline into a fresh app, type-checked by a
// strict TypeScript app, run in Node and in headless Chromium against the running server, and its
// command line run through npx.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticProperties } from '../../server/properties/synthetic.js';
import { PACKAGE_ROOT } from '../../server/spec.js';
import { launchChromium } from '../support/chromium.js';
import { specSdkSamples, writeConsumerApp } from '../support/sdk/packed-consumer.js';
import { serveSdkPage, type SdkPage } from '../support/sdk/same-origin-page.js';
import { packAndInstall, SDK_MANIFEST, type InstalledSdk } from '../support/sdk/sdk-package.js';
import { startTestServer, type TestServer } from '../support/servers/test-server.js';

const TSC = join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let sdk: InstalledSdk;
let server: TestServer;
beforeAll(async () => {
  [sdk, server] = await Promise.all([packAndInstall(), startTestServer()]);
  await server.store.importProperties(syntheticProperties(400, 21));
  writeConsumerApp(sdk.dir);
}, 180_000);
afterAll(async () => {
  await server?.close();
  sdk?.remove();
});

async function teamEnv() {
  const { teamId, token } = await server.team();
  return { teamId, token, env: { BATCHDATA_TOKEN: token, BATCHDATA_BASE_URL: server.url } };
}

describe('the packed SDK', () => {
  it('holds only the built ESM, its declarations, the manifest, the README and the LICENSE', async () => {
    const { stdout } = await sdk.exec('tar', ['tzf', sdk.tarball]);
    const files = stdout.trim().split('\n').map((file) => file.replace(/^package\//, ''));

    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/client/index.js', 'dist/client/index.d.ts', 'dist/client/cli/main.js']));
    expect(files.filter((file) => !/^dist\/(client|generated)\/.+\.(js|d\.ts)$/.test(file)).sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
    const license = (await sdk.exec('tar', ['xzOf', sdk.tarball, 'package/LICENSE'])).stdout;
    expect(license).toMatch(/^MIT License\n/);
    expect(SDK_MANIFEST).toMatchObject({ license: 'MIT', homepage: expect.any(String), repository: { url: expect.any(String) }, bugs: { url: expect.any(String) } });
    expect(files.some((file) => file.includes('test') || file.endsWith('.map'))).toBe(false);
  });

  it('installs offline, with openapi-fetch as its only runtime dependency', async () => {
    expect(SDK_MANIFEST.dependencies).toEqual({ 'openapi-fetch': '0.17.0' });
    const installed = readdirSync(join(sdk.dir, 'node_modules')).filter((name) => !name.startsWith('.'));
    // openapi-typescript-helpers is openapi-fetch's own dependency (type declarations only).
    expect(installed.sort()).toEqual(['batchdata-search-sessions', 'openapi-fetch', 'openapi-typescript-helpers']);
    // npm ls fails on a missing or unmet dependency anywhere in the tree.
    const { stdout } = await sdk.exec('npm', ['ls', '--all', '--json']);
    expect(JSON.parse(stdout).dependencies[SDK_MANIFEST.name].dependencies).toMatchObject({ 'openapi-fetch': { version: '0.17.0' } });
  });

  it('a strict TypeScript app compiles against its declarations and runs in Node against the server', async () => {
    await sdk.exec(process.execPath, [TSC, '-p', 'tsconfig.json']);
    const { env } = await teamEnv();

    const { stdout } = await sdk.exec(process.execPath, ['out/consumer.js'], { env });
    const seen = JSON.parse(stdout);

    const matches = (await server.store.searchProperties({ kind: 'state', state: 'AZ' }, 0, 500)).properties.map(({ id }) => id);
    expect(matches.length).toBeGreaterThan(40);
    expect(seen).toEqual({
      delivered: matches,
      sessions: [['packed', matches.length]],
      deleted: true,
      failure: 'SearchSessionNotFoundError 404 packed true',
      refused: 'searchSessionId must match /^[a-zA-Z0-9_-]{1,128}$/',
    });
  });

  it('the TypeScript samples in openapi.yaml compile against it', async () => {
    expect(Object.keys(specSdkSamples()).sort()).toEqual(['deleteSearchSession', 'listSearchSessions', 'searchProperties']);
    const result = await sdk.exec(process.execPath, [TSC, '-p', 'tsconfig.samples.json'], { allowFailure: true });
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  it('its command line runs through npx, with the exit codes it documents', async () => {
    const { teamId, env } = await teamEnv();
    await server.store.createSession(teamId, 'from-npx');
    const npx = (...args: string[]) => sdk.exec('npx', ['--no', SDK_MANIFEST.name, ...args], { env, allowFailure: true });

    const list = await npx('sessions', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+DELIVERED\s+CREATED\s+LAST REQUEST\nfrom-npx\s+0\s+\S+\s+-\n1 session\.\n$/);
    expect((await npx('sessions', 'delete', 'from-npx')).stdout).toBe('Deleted search session from-npx.\n');
    expect(await npx('sessions', 'delete', 'from-npx')).toMatchObject({ code: 3, stderr: expect.stringMatching(/^Error: Search session not found: from-npx \(HTTP 404, request \w{26}\)\n$/) });
    expect((await npx('sessions', 'delete', '..')).code).toBe(2);
    expect((await npx('bogus')).code).toBe(2);
  });
});

/** The installed SDK and openapi-fetch, served as ES modules to a page of their own. */
async function servePackedSdkPage(): Promise<SdkPage> {
  const openapiFetch = JSON.parse(await sdk.exec('node', ['-p', 'JSON.stringify(require("./node_modules/openapi-fetch/package.json").exports["."])']).then((r) => r.stdout));
  return serveSdkPage({
    appDir: sdk.dir,
    apiUrl: server.url,
    moduleName: SDK_MANIFEST.name,
    imports: {
      [SDK_MANIFEST.name]: `/modules/${SDK_MANIFEST.name}/${SDK_MANIFEST.exports['.']!.default.replace(/^\.\//, '')}`,
      'openapi-fetch': `/modules/openapi-fetch/${String(openapiFetch.import).replace(/^\.\//, '')}`,
    },
  });
}

describe('the packed SDK in headless Chromium', () => {
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: SdkPage;
  beforeAll(async () => {
    page = await servePackedSdkPage();
    chromium = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await page?.close();
  });

  it('lists, searches a session to its end, deletes, and throws typed errors, as in Node', async () => {
    const { teamId, token } = await teamEnv();
    await server.store.createSession(teamId, 'in-browser');
    const tab = await chromium.browser.newPage();
    try {
      await tab.goto(page.url);
      await tab.waitForFunction(() => 'sdk' in window, undefined, { timeout: 10_000 });
      const before = page.apiRequests.length;

      const seen = await tab.evaluate(async (token) => {
        const { createClient, isBatchDataError } = (window as unknown as { sdk: typeof import('../../client/index.js') }).sdk;
        const client = createClient({ baseUrl: location.origin, token });
        const ids: string[] = [];
        for await (const session of client.allSearchSessions()) ids.push(session.id);
        let delivered = 0;
        let pages = 0;
        for await (const result of client.searchSessionPages({ searchCriteria: { query: 'AZ' }, options: { take: 100, searchSession: 'browser-run' } })) {
          delivered += result.results.properties.length;
          pages += 1;
        }
        await client.deleteSearchSession('in-browser');
        const kindOf = (error: unknown) => (isBatchDataError(error) ? `${error.name}/${error.kind}` : String(error));
        const missing = await client.deleteSearchSession('in-browser').then(() => 'ok', kindOf);
        const refused = await client.deleteSearchSession('a/b').then(() => 'ok', kindOf);
        const aborted = await client.listSearchSessions({}, { signal: AbortSignal.abort() }).then(() => 'ok', (error: Error) => error.name);
        return { ids, delivered, pages, missing, refused, aborted };
      }, token);

      const matches = (await server.store.searchProperties({ kind: 'state', state: 'AZ' }, 0, 500)).resultsFound;
      expect(seen).toEqual({
        ids: ['in-browser'],
        delivered: matches,
        pages: Math.ceil(matches / 100),
        missing: 'SearchSessionNotFoundError/search-session-not-found',
        refused: 'BatchDataValidationError/validation',
        aborted: 'AbortError',
      });
      // The list, each page and the empty one that ends the loop, two deletes; nothing for `a/b` or the abort.
      expect(page.apiRequests.length - before).toBe(1 + Math.ceil(matches / 100) + 1 + 2);
    } finally {
      await tab.close();
    }
  });
});

// CORS as a deployment turns it on (CORS_ORIGINS): the page is served from its own origin and the
// SDK calls the API on another one, so every request with a token or a JSON body is preflighted.
describe('the packed SDK in headless Chromium, calling the API on another origin (CORS)', () => {
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: SdkPage;
  let api: TestServer;
  beforeAll(async () => {
    page = await servePackedSdkPage();
    // Only the page's exact origin: the same page reached as localhost is another origin.
    [api, chromium] = await Promise.all([startTestServer({ corsOrigins: [page.url], rateLimitPerMinute: 5 }), launchChromium()]);
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await page?.close();
    await api?.close();
  });

  async function runInPage(pageUrl: string, apiUrl: string, token: string) {
    const tab = await chromium.browser.newPage();
    try {
      await tab.goto(pageUrl);
      await tab.waitForFunction(() => 'sdk' in window, undefined, { timeout: 10_000 });
      return await tab.evaluate(
        async ({ apiUrl, token }) => {
          const { createClient, isBatchDataError } = (window as unknown as { sdk: typeof import('../../client/index.js') }).sdk;
          const client = createClient({ baseUrl: apiUrl, token, retry: false });
          const outcome = (error: unknown) =>
            isBatchDataError(error)
              ? { kind: error.kind, requestId: 'requestId' in error ? error.requestId : null, retryAfterMs: 'retryAfterMs' in error ? error.retryAfterMs : null }
              : { kind: String(error), requestId: null, retryAfterMs: null };
          const listed = await client.listSearchSessions({ take: 5 }).then((page) => page.results.sessions.map((s) => s.id), outcome);
          const searched = await client
            .searchProperties({ searchCriteria: { query: 'AZ' }, options: { take: 2, searchSession: 'cors-run' } })
            .then((page) => page.results.meta.searchSession?.delivered ?? null, outcome);
          const deleted = await client.deleteSearchSession('cors-run').then((result) => result.results.deleted, outcome);
          const missing = await client.deleteSearchSession('cors-run').then(() => 'ok', outcome);
          // The headers the SDK reads must be exposed to the page, not only sent.
          const raw = await fetch(`${apiUrl}/api/v2/property/search-sessions`, { headers: { Authorization: `Bearer ${token}` } }).catch(() => null);
          const exposed = { requestId: raw?.headers.get('X-Request-Id') ?? null, rateLimit: raw?.headers.get('RateLimit') ?? null };
          const limited = await client.listSearchSessions().then(() => 'ok', outcome);
          return { listed, searched, deleted, missing, exposed, limited };
        },
        { apiUrl, token },
      );
    } finally {
      await tab.close();
    }
  }

  it('works from a listed origin: preflights answered, errors typed, X-Request-Id, RateLimit and Retry-After readable', async () => {
    const { teamId, token } = await api.team();
    await api.store.createSession(teamId, 'seen-from-the-page');
    const seen = await runInPage(page.url, api.url, token);
    expect(seen.listed).toEqual(['seen-from-the-page']);
    expect(seen.searched).toBe(0); // an empty store: the session is created, nothing delivered
    expect(seen.deleted).toBe(true);
    expect(seen.missing).toMatchObject({ kind: 'search-session-not-found', requestId: expect.stringMatching(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/) });
    expect(seen.exposed.requestId).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
    expect(seen.exposed.rateLimit).toMatch(/^limit=5, remaining=\d+, reset=\d+$/);
    // The fifth counted request was the raw fetch (preflights are not counted); the sixth is over.
    expect(seen.limited).toMatchObject({ kind: 'rate-limited', retryAfterMs: expect.any(Number) });
    expect((seen.limited as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
  });

  it('is refused by the browser from an origin that is not listed', async () => {
    const { token } = await api.team();
    const seen = await runInPage(page.url.replace('127.0.0.1', 'localhost'), api.url, token);
    expect(seen.listed).toMatchObject({ kind: 'network' });
    expect(seen.searched).toMatchObject({ kind: 'network' });
    expect(seen.deleted).toMatchObject({ kind: 'network' });
    expect(seen.exposed).toEqual({ requestId: null, rateLimit: null });
  });
});
