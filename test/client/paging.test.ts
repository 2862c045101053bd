// The three iterators: every session of a team by skip/take, a session's pages until exhausted, and every page of a walk by cursor.
import { describe, expect, it, vi } from 'vitest';
import { BatchDataValidationError, createClient, type SearchSession, type SessionSearchRequest } from '../../client/index.js';
import { createSpecMock } from '../support/sdk/spec-mock.js';

/** A fetch serving a team of `count` sessions by skip and take, as the server pages them. */
function teamOf(count: number) {
  const sessions: SearchSession[] = Array.from({ length: count }, (_, i) => ({
    id: `s-${String(i).padStart(3, '0')}`,
    totalDelivered: i,
    createdAt: '2026-05-10T14:23:11.000Z',
  }));
  const pages: Array<{ skip: number; take: number }> = [];
  const fetch = vi.fn(async (request: Request) => {
    const query = new URL(request.url).searchParams;
    const skip = Number(query.get('skip') ?? 0);
    const take = Number(query.get('take') ?? 50);
    pages.push({ skip, take });
    const results = { sessions: sessions.slice(skip, skip + take), total: sessions.length, meta: { requestId: '01KRCV36NPGHBE6FQER77S0XZR' } };
    return Response.json({ status: { code: 200, text: 'OK' }, results });
  });
  return { sessions, pages, client: createClient({ token: 't', fetch }) };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('allSearchSessions', () => {
  it('yields every session in order, one request per page of `take`', async () => {
    const { sessions, pages, client } = teamOf(7);

    expect(await collect(client.allSearchSessions({ take: 3 }))).toEqual(sessions);
    expect(pages).toEqual([
      { skip: 0, take: 3 },
      { skip: 3, take: 3 },
      { skip: 6, take: 3 },
    ]);
  });

  it('asks for 100 at a time by default, and stops on the page that reaches the total', async () => {
    const { pages, client } = teamOf(100);
    expect(await collect(client.allSearchSessions())).toHaveLength(100);
    expect(pages).toEqual([{ skip: 0, take: 100 }]);
  });

  it('a team with no sessions costs one request and yields nothing', async () => {
    const { pages, client } = teamOf(0);
    expect(await collect(client.allSearchSessions())).toEqual([]);
    expect(pages).toHaveLength(1);
  });

  it('breaking out of the loop stops the requests', async () => {
    const { pages, client } = teamOf(10);
    for await (const session of client.allSearchSessions({ take: 2 })) {
      if (session.id === 's-002') break;
    }
    expect(pages).toEqual([
      { skip: 0, take: 2 },
      { skip: 2, take: 2 },
    ]);
  });

  it('refuses a take outside 1–100 when called, before any request', () => {
    const { pages, client } = teamOf(1);
    expect(() => client.allSearchSessions({ take: 101 })).toThrow(
      new BatchDataValidationError('take', 'take must be an integer between 1 and 100'),
    );
    expect(pages).toHaveLength(0);
  });

  it('goes through the spec mock\'s example as well', async () => {
    const mock = createSpecMock();
    const client = createClient({ token: 't', fetch: mock.fetch });
    const ids = (await collect(client.allSearchSessions())).map(({ id }) => id);
    expect(ids).toEqual(['monthly-leads-az-85020', 'daily-crm-delta']);
    expect(mock.requests.map(({ url }) => url.search)).toEqual(['?skip=0&take=100']);
  });
});

describe('searchSessionPages', () => {
  const BODY: SessionSearchRequest = { searchCriteria: { query: 'Phoenix, AZ' }, options: { take: 2, searchSession: 'monthly-leads-az-85020' } };

  it('yields each page until one delivers nothing, which it does not yield', async () => {
    const mock = createSpecMock({ answers: [{ example: 'newSession' }, { example: 'newSession' }, { example: 'exhaustedSession' }] });
    const client = createClient({ token: 't', fetch: mock.fetch });

    const pages = await collect(client.searchSessionPages(BODY));

    expect(pages.map((page) => page.results.meta.searchSession?.delivered)).toEqual([2, 2]);
    expect(mock.requests).toHaveLength(3);
    expect(mock.requests.every(({ body }) => body === JSON.stringify(BODY))).toBe(true);
  });

  it('gives each page its own Idempotency-Key, so the session advances page by page', async () => {
    const mock = createSpecMock({ answers: [{ example: 'newSession' }, { example: 'newSession' }, { example: 'exhaustedSession' }] });
    const client = createClient({ token: 't', fetch: mock.fetch });

    await collect(client.searchSessionPages(BODY));

    expect(new Set(mock.requests.map(({ headers }) => headers.get('Idempotency-Key'))).size).toBe(3);
  });

  it('ignores an idempotencyKey a JavaScript caller passes: one key for every page would repeat the first', async () => {
    const mock = createSpecMock({ answers: [{ example: 'newSession' }, { example: 'exhaustedSession' }] });
    const client = createClient({ token: 't', fetch: mock.fetch });

    await collect(client.searchSessionPages(BODY, { idempotencyKey: 'same' } as object));

    const keys = mock.requests.map(({ headers }) => headers.get('Idempotency-Key'));
    expect(keys).not.toContain('same');
    expect(new Set(keys).size).toBe(2);
  });

  it('asks for the next page only when the loop does', async () => {
    const mock = createSpecMock({ answers: [{ example: 'newSession' }] });
    const client = createClient({ token: 't', fetch: mock.fetch });

    const pages = client.searchSessionPages(BODY);
    expect(mock.requests).toHaveLength(0);
    await pages.next();
    expect(mock.requests).toHaveLength(1);
    await pages.return();
    expect(mock.requests).toHaveLength(1);
  });

  it('refuses a body without a session, or with skip, when called', () => {
    const client = createClient({ token: 't', fetch: createSpecMock().fetch });
    expect(() => client.searchSessionPages({ searchCriteria: { query: 'AZ' } } as SessionSearchRequest)).toThrow(
      new BatchDataValidationError('options.searchSession', 'options.searchSession is required'),
    );
    expect(() =>
      client.searchSessionPages({ searchCriteria: { query: 'AZ' }, options: { searchSession: 's', skip: 1 } } as unknown as SessionSearchRequest),
    ).toThrow('options.skip cannot be used with options.searchSession: a search session is forward-only.');
  });
});

describe('searchCursorPages', () => {
  const CURSOR = 'ARWvdZ27hUV1AAAAAAAABCEAAAAAAAFgYgAAAAAAAAiiAAABnhuFlcAYdiIpCI1Uchmace3Y8Mhy';
  const body = (request: { body?: string }) => JSON.parse(request.body ?? '') as { options: Record<string, unknown> };

  it('asks for cursor pagination, sends each nextPageCursor back, and yields the last page too', async () => {
    const mock = createSpecMock({ answers: [{ example: 'cursorPage' }, { example: 'cursorPage' }, { example: 'plainPage' }] });
    const client = createClient({ token: 't', fetch: mock.fetch });

    const pages = await collect(client.searchCursorPages({ searchCriteria: { query: 'Phoenix, AZ' }, options: { take: 2 } }));

    expect(pages.map((page) => page.results.nextPageCursor)).toEqual([CURSOR, CURSOR, undefined]);
    expect(mock.requests.map((request) => body(request).options)).toEqual([
      { take: 2, useCursorPagination: true },
      { take: 2, useCursorPagination: true, pageCursor: CURSOR },
      { take: 2, useCursorPagination: true, pageCursor: CURSOR },
    ]);
  });

  it('resumes after a saved cursor, and asks for the next page only when the loop does', async () => {
    const mock = createSpecMock({ answers: [{ example: 'cursorPage' }] });
    const client = createClient({ token: 't', fetch: mock.fetch });

    const pages = client.searchCursorPages({ searchCriteria: { query: 'AZ' }, options: { pageCursor: CURSOR } });
    expect(mock.requests).toHaveLength(0);
    await pages.next();
    expect(body(mock.requests[0]!).options).toEqual({ useCursorPagination: true, pageCursor: CURSOR });
    await pages.return();
    expect(mock.requests).toHaveLength(1);
  });

  it('refuses, when called, what a walk by cursor cannot take, in the server\'s words', () => {
    const client = createClient({ token: 't', fetch: createSpecMock().fetch });
    const walk = (options: object) => () => client.searchCursorPages({ searchCriteria: { query: 'AZ' }, options } as never);
    expect(walk({ skip: 5 })).toThrow('options.skip cannot be used with options.useCursorPagination: the cursor marks where the next page starts.');
    expect(walk({ searchSession: 's' })).toThrow('options.useCursorPagination cannot be used with options.searchSession: a search session keeps its own place.');
    expect(walk({ pageCursor: 'not a cursor' })).toThrow('options.pageCursor is not a cursor this server issued: send results.nextPageCursor from the previous page unchanged.');
  });
});
