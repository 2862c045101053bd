// searchProperties and its iterator against the real server: a page replayed for the same
// Idempotency-Key, a lost answer that costs no page, a session drained exactly once, and the SDK's
// refusals worded exactly as the server's 400s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchDataNetworkError, ConflictError, createClient, type BatchDataClient, type Fetch, type SearchPropertiesResponse } from '../../client/index.js';
import { checkedSearchRequest } from '../../client/input-checks.js';
import { syntheticProperties } from '../../server/properties/synthetic.js';
import { losingAnswers } from '../support/sdk/flaky-network.js';
import { REFUSED_SEARCH_BODIES } from '../support/sdk/refused-search-bodies.js';
import { search } from '../support/search.js';
import { startTestServer, type TestServer } from '../support/servers/test-server.js';

const QUERY = 'AZ';

let server: TestServer;
/** Every match for QUERY, in the order sessions deliver them. */
let expectedIds: number[];

beforeAll(async () => {
  server = await startTestServer();
  await server.store.importProperties(syntheticProperties(1_500, 5));
  const { token } = await server.team();
  const plain = createClient({ baseUrl: server.url, token });
  expectedIds = [];
  for (let skip = 0; ; skip += 500) {
    const page = await plain.searchProperties({ searchCriteria: { query: QUERY }, options: { skip, take: 500 } });
    expectedIds.push(...idsOf(page));
    if (page.results.properties.length < 500) break;
  }
});
afterAll(() => server.close());

const idsOf = (page: SearchPropertiesResponse) => page.results.properties.map(({ id }) => id);
const sessionBody = (searchSession: string, take = 25) => ({ searchCriteria: { query: QUERY }, options: { take, searchSession } });

async function newClient(fetch?: Fetch): Promise<BatchDataClient> {
  const { token } = await server.team();
  return createClient({ baseUrl: server.url, token, fetch, retry: { initialDelayMs: 1, jitter: 0 } });
}

describe('searchProperties on the real server', () => {
  it('there is enough to page through', () => {
    expect(expectedIds.length).toBeGreaterThan(100);
    expect([...expectedIds].sort((a, b) => a - b)).toEqual(expectedIds);
  });

  it('the same Idempotency-Key gets the same page again; a new key gets the next page', async () => {
    const client = await newClient();

    const first = await client.searchProperties(sessionBody('replay'), { idempotencyKey: 'page-1' });
    const again = await client.searchProperties(sessionBody('replay'), { idempotencyKey: 'page-1' });
    const next = await client.searchProperties(sessionBody('replay'));

    expect(idsOf(first)).toEqual(expectedIds.slice(0, 25));
    expect(idsOf(again)).toEqual(idsOf(first));
    expect(again.results.meta.searchSession).toEqual(first.results.meta.searchSession);
    expect(first.results.meta.searchSession).toMatchObject({ isNewSession: true, totalDelivered: 0, delivered: 25 });
    expect(idsOf(next)).toEqual(expectedIds.slice(25, 50));
  });

  it('an answer lost after the server acted costs no page: the retry carries the same key and gets that page', async () => {
    const network = losingAnswers(2);
    const client = await newClient(network.fetch);

    const pages = [];
    for (let i = 0; i < 3; i += 1) pages.push(await client.searchProperties(sessionBody('lossy')));

    expect(pages.flatMap(idsOf)).toEqual(expectedIds.slice(0, 75));
    const keys = network.sent.map((request) => request.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(5);
    expect(new Set(keys.slice(0, 3)).size).toBe(1);
    expect(new Set(keys).size).toBe(3);
  });

  it('without retries the lost answer surfaces as a network error, and the key replays the page later', async () => {
    const network = losingAnswers(1);
    const client = await newClient(network.fetch);

    const lost = await client.searchProperties(sessionBody('manual'), { idempotencyKey: 'k-1', retry: false }).catch((error: unknown) => error);
    const replayed = await client.searchProperties(sessionBody('manual'), { idempotencyKey: 'k-1' });

    expect(lost).toBeInstanceOf(BatchDataNetworkError);
    expect(idsOf(replayed)).toEqual(expectedIds.slice(0, 25));
  });

  it('the same key with another body is a ConflictError', async () => {
    const client = await newClient();
    await client.searchProperties(sessionBody('conflict', 10), { idempotencyKey: 'k' });

    const error = await client.searchProperties(sessionBody('conflict', 11), { idempotencyKey: 'k' }).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toBe('Idempotency-Key was already used with a different request body on this session.');
  });

  it('searchSessionPages delivers every match exactly once, then stops', async () => {
    const client = await newClient();

    const pages: SearchPropertiesResponse[] = [];
    for await (const page of client.searchSessionPages(sessionBody('drain', 200))) pages.push(page);

    expect(pages.flatMap(idsOf)).toEqual(expectedIds);
    expect(pages.map((page) => page.results.meta.searchSession?.totalDelivered)).toEqual(pages.map((_, i) => i * 200));
    const sessions = [];
    for await (const session of client.allSearchSessions()) sessions.push(session);
    expect(sessions).toMatchObject([{ id: 'drain', totalDelivered: expectedIds.length }]);
    // Exhausted: another pass yields nothing.
    expect(await client.searchSessionPages(sessionBody('drain', 200)).next()).toEqual({ done: true, value: undefined });
  });

  it('a loop that stops early leaves the session where the loop left it', async () => {
    const client = await newClient();

    for await (const page of client.searchSessionPages(sessionBody('resume', 10))) {
      if (page.results.meta.searchSession!.totalDelivered === 20) break;
    }
    const next = await client.searchProperties(sessionBody('resume', 10));

    expect(idsOf(next)).toEqual(expectedIds.slice(30, 40));
  });
});

describe('searchCursorPages on the real server', () => {
  it('walks every match exactly once, in order, the last page without a cursor', async () => {
    const client = await newClient();
    const pages: SearchPropertiesResponse[] = [];
    for await (const page of client.searchCursorPages({ searchCriteria: { query: QUERY }, options: { take: 100 } })) pages.push(page);

    expect(pages.flatMap(idsOf)).toEqual(expectedIds);
    expect(pages.length).toBe(Math.ceil(expectedIds.length / 100));
    expect(pages.at(-1)!.results.nextPageCursor).toBeUndefined();
    for (const page of pages) expect(page.results.meta.results.resultsFound).toBe(expectedIds.length);
  });

  it('resumes a walk from a saved cursor, and a walk by cursor creates no session', async () => {
    const client = await newClient();
    const first = await client.searchProperties({ searchCriteria: { query: QUERY }, options: { take: 30, useCursorPagination: true } });
    const rest: number[] = [];
    for await (const page of client.searchCursorPages({ searchCriteria: { query: QUERY }, options: { take: 200, pageCursor: first.results.nextPageCursor! } })) {
      rest.push(...idsOf(page));
    }
    expect([...idsOf(first), ...rest]).toEqual(expectedIds);
    expect((await client.listSearchSessions()).results.total).toBe(0);
  });
});

describe('the SDK refuses search bodies in the server\'s words', () => {
  it.each(REFUSED_SEARCH_BODIES)('%s', async (_label, body, _field, message) => {
    const { token } = await server.team();

    const answer = await search(server.url, token, JSON.stringify(body));

    expect(answer.status).toBe(400);
    expect(answer.body.status.message).toBe(message);
    expect(() => checkedSearchRequest(body)).toThrow(message);
  });
});
