// searchProperties against the spec mock: the body it sends, the Idempotency-Key it carries and
// keeps across retries, and the bodies it refuses with the server's own words.
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  BatchDataValidationError,
  createClient,
  IDEMPOTENCY_KEY_PATTERN,
  type SearchPropertiesResponse,
  type SearchRequest,
} from '../../client/index.js';
import { settle } from '../support/sdk/fake-clock.js';
import { REFUSED_SEARCH_BODIES } from '../support/sdk/refused-search-bodies.js';
import { createSpecMock, type SpecMockAnswer } from '../support/sdk/spec-mock.js';

const SESSION_BODY = { searchCriteria: { query: 'Phoenix, AZ' }, options: { take: 2, searchSession: 'monthly-leads-az-85020' } };

function setup(answers: SpecMockAnswer[] = []) {
  const mock = createSpecMock({ answers });
  return { mock, client: createClient({ token: 'tok_live_1', fetch: mock.fetch, retry: { jitter: 0, initialDelayMs: 100 } }) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('searchProperties', () => {
  it('POSTs the body as JSON to the v1 search path and returns the typed 200 body', async () => {
    const { mock, client } = setup([{ example: 'newSession' }]);

    const page = await client.searchProperties(SESSION_BODY);

    expectTypeOf(page).toEqualTypeOf<SearchPropertiesResponse>();
    expect(page.results.meta.searchSession).toEqual({ id: 'monthly-leads-az-85020', isNewSession: true, totalDelivered: 0, delivered: 2 });
    const [request] = mock.requests;
    expect(request?.method).toBe('POST');
    expect(request?.operationId).toBe('searchProperties');
    expect(request?.url.href).toBe('https://api.batchdata.com/api/v1/property/search');
    expect(request?.headers.get('Content-Type')).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual(SESSION_BODY);
  });

  it('a search through a session always carries an Idempotency-Key, a new one per call', async () => {
    const { mock, client } = setup();

    await client.searchProperties(SESSION_BODY);
    await client.searchProperties(SESSION_BODY);

    const keys = mock.requests.map(({ headers }) => headers.get('Idempotency-Key'));
    expect(keys[0]).toMatch(IDEMPOTENCY_KEY_PATTERN);
    expect(keys[1]).toMatch(IDEMPOTENCY_KEY_PATTERN);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('sends the caller\'s key as it is, and checks it against the spec\'s pattern first', async () => {
    const { mock, client } = setup();

    await client.searchProperties(SESSION_BODY, { idempotencyKey: '2026-05-12-leads-page-7' });
    const refused = client.searchProperties(SESSION_BODY, { idempotencyKey: 'has space' });

    await expect(refused).rejects.toThrow(new BatchDataValidationError('Idempotency-Key', 'Idempotency-Key must match /^[A-Za-z0-9_.:-]{1,255}$/'));
    expect(mock.requests.map(({ headers }) => headers.get('Idempotency-Key'))).toEqual(['2026-05-12-leads-page-7']);
  });

  it('a plain search carries no key unless given one: it changes no state', async () => {
    const { mock, client } = setup();

    await client.searchProperties({ searchCriteria: { query: '85020' }, options: { skip: 25, take: 25 } });
    await client.searchProperties({ searchCriteria: { query: '85020' } }, { idempotencyKey: 'mine' });

    expect(mock.requests.map(({ headers }) => headers.get('Idempotency-Key'))).toEqual([null, 'mine']);
    expect(mock.requests.map(({ body }) => body)).toEqual([
      '{"searchCriteria":{"query":"85020"},"options":{"take":25,"skip":25}}',
      '{"searchCriteria":{"query":"85020"}}',
    ]);
  });

  it('every retry of one call sends the same key and the same bytes, so it can only get the same page', async () => {
    vi.useFakeTimers();
    const { mock, client } = setup([{ fail: 'network' }, { status: 503 }, { fail: 'hang' }, { status: 429, headers: { 'Retry-After': '1' } }]);
    const body = structuredClone(SESSION_BODY);

    const pending = client.searchProperties(body, { timeoutMs: 1000 });
    // The caller changing its object mid-call must not change what the retries send.
    body.options.take = 500;
    const result = await settle(pending);

    expect(result.ok).toBe(true);
    expect(mock.requests).toHaveLength(5);
    expect(new Set(mock.requests.map(({ headers }) => headers.get('Idempotency-Key'))).size).toBe(1);
    expect(new Set(mock.requests.map(({ body: sent }) => sent))).toEqual(new Set([JSON.stringify(SESSION_BODY)]));
  });

  it('leaves out options the caller left undefined, so the server\'s defaults apply', async () => {
    const { mock, client } = setup();

    await client.searchProperties({ searchCriteria: { query: 'AZ' }, options: { take: undefined, searchSession: 's1' } });

    expect(mock.requests[0]?.body).toBe('{"searchCriteria":{"query":"AZ"},"options":{"searchSession":"s1"}}');
  });

  it('rules out skip with searchSession at compile time too', () => {
    // @ts-expect-error: a session is forward-only
    const both: SearchRequest = { searchCriteria: { query: 'AZ' }, options: { skip: 1, searchSession: 's1' } };
    expect(both.options).toBeDefined();
  });
});

describe('search bodies the API would refuse never leave the SDK', () => {
  it.each(REFUSED_SEARCH_BODIES)('%s', async (_label, body, parameter, message) => {
    const { mock, client } = setup();

    const error = await client.searchProperties(body as SearchRequest).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(BatchDataValidationError);
    expect(error).toMatchObject({ parameter, message, kind: 'validation' });
    expect(mock.requests).toHaveLength(0);
  });

  it('the three query forms and the range boundaries do reach the API', async () => {
    const { mock, client } = setup();
    const bodies: SearchRequest[] = [
      { searchCriteria: { query: '85020' }, options: { take: 1, skip: 0 } },
      { searchCriteria: { query: 'az' }, options: { take: 500 } },
      { searchCriteria: { query: ' Phoenix ,az ' } },
      { searchCriteria: { query: 'Winston-Salem, NC' }, options: { searchSession: 'a'.repeat(128) } },
    ];

    for (const body of bodies) await client.searchProperties(body);

    expect(mock.requests.map(({ body }) => JSON.parse(body ?? ''))).toEqual(bodies);
  });
});
