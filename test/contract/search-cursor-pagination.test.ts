// POST /api/v1/property/search with options.useCursorPagination: a walk delivers every match once,
// in id order, as the store was at its first page, whatever is added meanwhile and whatever `take`
// each page asks for; every way a cursor can be wrong answers its own 400; a walk survives a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CURSOR_LIFETIME_MS, signCursor } from '../../server/operations/page-cursor.js';
import { parseSearchQuery, queryKey } from '../../server/store/query.js';
import type { NewProperty } from '../../server/store/store.js';
import { batchesOf, idsOf, search, syntheticList } from '../support/search.js';
import { startTestServer, type ApiResponse, type TestServer } from '../support/servers/test-server.js';

const MESSAGES = {
  invalid: 'options.pageCursor is not a cursor this server issued: send results.nextPageCursor from the previous page unchanged.',
  otherSearch: 'options.pageCursor belongs to another search: a cursor continues only the search, and the team, it was issued for.',
  expired: 'options.pageCursor has expired: a cursor is honoured for 24 hours after it was issued. Start the walk again without options.pageCursor.',
  alone: 'options.pageCursor needs options.useCursorPagination: true.',
  skip: 'options.skip cannot be used with options.useCursorPagination: the cursor marks where the next page starts.',
  session: 'options.useCursorPagination cannot be used with options.searchSession: a search session keeps its own place.',
};

let server: TestServer;
let token: string;
let teamId: number;
let properties: NewProperty[];
const idsWhere = (match: (p: NewProperty) => boolean) => properties.flatMap((p, i) => (match(p) ? [i + 1] : []));
const inArizona = (p: NewProperty) => p.address.state === 'AZ';

beforeAll(async () => {
  server = await startTestServer();
  properties = await syntheticList(3_000, 11);
  await server.store.importProperties(batchesOf(properties));
  ({ token, teamId } = await server.team(['property-search']));
});
afterAll(() => server.close());

const cursorPage = (query: string, options: Record<string, unknown> = {}, as = token) =>
  search(server.url, as, { searchCriteria: { query }, options: { useCursorPagination: true, ...options } });

/** Every page of a walk, following nextPageCursor; `takes` gives each page's take in turn. */
async function walk(query: string, takes: (page: number) => number, between: (page: number) => Promise<void> = async () => {}): Promise<ApiResponse[]> {
  const pages: ApiResponse[] = [];
  let pageCursor: string | undefined;
  do {
    const page = await cursorPage(query, { take: takes(pages.length), ...(pageCursor ? { pageCursor } : {}) });
    expect(page.status).toBe(200);
    pages.push(page);
    pageCursor = page.body.results.nextPageCursor;
    await between(pages.length);
  } while (pageCursor !== undefined);
  return pages;
}

async function expect400(response: ApiResponse | Promise<ApiResponse>, message: string): Promise<void> {
  const { status, body } = await response;
  expect(status).toBe(400);
  expect(body.status).toEqual({ code: 400, text: 'Bad Request', message });
}

describe('a walk by cursor', () => {
  it('delivers every match exactly once, in id order, pages of any take adding up to resultsFound', async () => {
    const expected = idsWhere(inArizona);
    expect(expected.length).toBeGreaterThan(200);
    const takes = [1, 7, 50, 3, 500, 25];
    const pages = await walk('AZ', (page) => takes[page % takes.length]!);
    expect(pages.flatMap(idsOf)).toEqual(expected);
    for (const page of pages) expect(page.body.results.meta.results.resultsFound).toBe(expected.length);
    expect(pages.at(-1)!.body.results).not.toHaveProperty('nextPageCursor');
    for (const page of pages.slice(0, -1)) expect(page.body.results.nextPageCursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('leaves out properties added after the walk began, and resultsFound stays the first page\'s', async () => {
    const before = idsWhere(inArizona);
    const added: NewProperty[] = Array.from({ length: 30 }, (_, i) => ({ ...properties[0]!, address: { ...properties[0]!.address, state: 'AZ', city: 'Mesa', street: `${i} Cursor Way` } }));
    // Matches appear between pages, and also ahead of the walk's position (ids are the highest).
    const pages = await walk('AZ', () => 40, async (page) => {
      if (page === 2 || page === 5) await server.store.importProperties(batchesOf(added.slice(page === 2 ? 0 : 15, page === 2 ? 15 : 30)));
    });
    expect(pages.flatMap(idsOf)).toEqual(before);
    for (const page of pages) expect(page.body.results.meta.results.resultsFound).toBe(before.length);
    properties.push(...added);
    // A new walk sees them.
    const again = await walk('AZ', () => 500);
    expect(again.flatMap(idsOf)).toEqual(idsWhere(inArizona));
    expect(again[0]!.body.results.meta.results.resultsFound).toBe(before.length + added.length);
  });

  it('returns the same walk while imports run beside it, request for request', async () => {
    const before = idsWhere(inArizona);
    const extra: NewProperty[] = Array.from({ length: 200 }, (_, i) => ({ ...properties[1]!, address: { ...properties[1]!.address, state: 'AZ', city: 'Tempe', street: `${i} Beside Way` } }));
    let walking = true;
    let addedWhileWalking = 0;
    const importBeside = async () => {
      for (let i = 0; walking && i < extra.length; i += 10) {
        await server.store.importProperties(batchesOf(extra.slice(i, i + 10)));
        properties.push(...extra.slice(i, i + 10));
        if (walking) addedWhileWalking += 10;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    // From the moment the first page has pinned the walk, not before: until then, a walk sees them.
    let importing = Promise.resolve();
    const pages = await walk('AZ', () => 20, async (page) => {
      if (page === 1) importing = importBeside();
    });
    walking = false;
    await importing;
    expect(addedWhileWalking).toBeGreaterThan(0);
    expect(pages.flatMap(idsOf)).toEqual(before);
    for (const page of pages) expect(page.body.results.meta.results.resultsFound).toBe(before.length);
  });

  it('continues the same search spelled another way', async () => {
    const first = await cursorPage('Phoenix, AZ', { take: 5 });
    const next = await cursorPage('  phoenix ,az ', { take: 5, pageCursor: first.body.results.nextPageCursor });
    expect(next.status).toBe(200);
    const phoenix = idsWhere((p) => p.address.city === 'Phoenix' && p.address.state === 'AZ');
    expect([...idsOf(first), ...idsOf(next)]).toEqual(phoenix.slice(0, 10));
  });

  it('answers a query with no matches with one empty page and no cursor', async () => {
    const page = await cursorPage('00000');
    expect(page.body.results).toEqual({ properties: [], meta: { requestId: page.body.results.meta.requestId, results: { resultsFound: 0, resultCount: 0 } } });
  });

  it('is plain paging with useCursorPagination false, and cursor pages carry no session', async () => {
    const plain = await search(server.url, token, { searchCriteria: { query: 'AZ' }, options: { useCursorPagination: false, skip: 5, take: 5 } });
    expect(idsOf(plain)).toEqual(idsWhere(inArizona).slice(5, 10));
    expect(plain.body.results).not.toHaveProperty('nextPageCursor');
    const page = await cursorPage('AZ', { take: 5 });
    expect(page.body.results.meta).not.toHaveProperty('searchSession');
  });

  it('needs only the property-search ability and keeps no state: the same cursor gives the same page', async () => {
    const first = await cursorPage('TX', { take: 10 });
    const pageCursor = first.body.results.nextPageCursor;
    const a = await cursorPage('TX', { take: 10, pageCursor });
    const b = await cursorPage('TX', { take: 10, pageCursor });
    expect(idsOf(a)).toEqual(idsOf(b));
    expect(idsOf(a)).toEqual(idsWhere((p) => p.address.state === 'TX').slice(10, 20));
  });
});

describe('a wrong cursor', () => {
  let pageCursor: string;
  beforeAll(async () => {
    pageCursor = (await cursorPage('AZ', { take: 3 })).body.results.nextPageCursor;
  });

  it('answers a cursor changed in any character, cut short, lengthened or made up with one message', async () => {
    const swap = (at: number) => pageCursor.slice(0, at) + (pageCursor[at] === 'A' ? 'B' : 'A') + pageCursor.slice(at + 1);
    for (const changed of [swap(0), swap(5), swap(20), swap(pageCursor.length - 1), pageCursor.slice(0, -1), `${pageCursor}A`, 'A', 'not-a-cursor-at-all']) {
      await expect400(cursorPage('AZ', { pageCursor: changed }), MESSAGES.invalid);
    }
  });

  it('answers characters a cursor never has, and one that is far too long, with the same message', async () => {
    for (const changed of [`${pageCursor.slice(0, 10)}+/=`, '', 'x'.repeat(513), `${pageCursor} `]) {
      await expect400(cursorPage('AZ', { pageCursor: changed }), MESSAGES.invalid);
    }
    await expect400(cursorPage('AZ', { pageCursor: 42 }), MESSAGES.invalid);
  });

  it('answers a cursor of other searchCriteria and of another team alike, saying nothing of either', async () => {
    await expect400(cursorPage('TX', { pageCursor }), MESSAGES.otherSearch);
    await expect400(cursorPage('Phoenix, AZ', { pageCursor }), MESSAGES.otherSearch);
    const other = await server.team(['property-search']);
    await expect400(cursorPage('AZ', { pageCursor }, other.token), MESSAGES.otherSearch);
  });

  it('answers a cursor older than 24 hours, and honours one just younger', async () => {
    const secret = await server.store.pageCursorSecret();
    const owner = { teamId, queryKey: queryKey(parseSearchQuery('AZ')!) };
    const position = { afterId: 0, upToId: properties.length, resultsFound: idsWhere(inArizona).length };
    const aged = (ms: number) => signCursor(secret, owner, position, Date.now() - ms);
    await expect400(cursorPage('AZ', { pageCursor: aged(PAGE_CURSOR_LIFETIME_MS + 60_000) }), MESSAGES.expired);
    const young = await cursorPage('AZ', { take: 2, pageCursor: aged(PAGE_CURSOR_LIFETIME_MS - 60_000) });
    expect(idsOf(young)).toEqual(idsWhere(inArizona).slice(0, 2));
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['pageCursor without useCursorPagination', { pageCursor: 'AAAA' }, MESSAGES.alone],
    ['pageCursor with useCursorPagination false', { useCursorPagination: false, pageCursor: 'AAAA' }, MESSAGES.alone],
    ['skip with useCursorPagination', { useCursorPagination: true, skip: 0 }, MESSAGES.skip],
    ['searchSession with useCursorPagination', { useCursorPagination: true, searchSession: 'nightly' }, MESSAGES.session],
    ['a useCursorPagination that is not a boolean', { useCursorPagination: 'yes' }, 'options.useCursorPagination must be true or false'],
  ])('answers %s with 400', async (_name, options, message) => {
    const { token: both } = await server.team();
    await expect400(search(server.url, both, { searchCriteria: { query: 'AZ' }, options }), message);
  });
});

it('continues a walk on a new server on the same store, as after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bd-cursor-restart-'));
  try {
    const first = await startTestServer({ dir });
    await first.store.importProperties(batchesOf(properties.slice(0, 500)));
    const walker = await first.team(['property-search']);
    const page = await search(first.url, walker.token, { searchCriteria: { query: 'AZ' }, options: { take: 5, useCursorPagination: true } });
    await first.close();
    const restarted = await startTestServer({ dir });
    try {
      const next = await search(restarted.url, walker.token, {
        searchCriteria: { query: 'AZ' },
        options: { take: 5, useCursorPagination: true, pageCursor: page.body.results.nextPageCursor },
      });
      expect(next.status).toBe(200);
      const arizona = properties.slice(0, 500).flatMap((p, i) => (inArizona(p) ? [i + 1] : []));
      expect([...idsOf(page), ...idsOf(next)]).toEqual(arizona.slice(0, 10));
    } finally {
      await restarted.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
