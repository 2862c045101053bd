// POST /api/v1/property/search: the three query forms, plain paging, every validation message,
// and the abilities, against a store whose contents the test knows (ids 1..N in import order).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeCity } from '../../server/store/query.js';
import type { NewProperty } from '../../server/store/store.js';
import { batchesOf, idsOf, search, syntheticList } from '../support/search.js';
import { startTestServer, type TestServer } from '../support/servers/test-server.js';

let server: TestServer;
let token: string;
let properties: NewProperty[];
const idsWhere = (match: (p: NewProperty) => boolean) => properties.flatMap((p, i) => (match(p) ? [i + 1] : []));

beforeAll(async () => {
  server = await startTestServer();
  properties = await syntheticList(4_000, 7);
  await server.store.importProperties(batchesOf(properties));
  ({ token } = await server.team());
});
afterAll(() => server.close());

describe('the three query forms', () => {
  const phoenix = () => idsWhere((p) => p.address.city === 'Phoenix' && p.address.state === 'AZ');
  it.each([
    ['a ZIP code', '85020', (p: NewProperty) => p.address.zip === '85020'],
    ['a state', 'TX', (p: NewProperty) => p.address.state === 'TX'],
    ['a state in lower case', 'tx', (p: NewProperty) => p.address.state === 'TX'],
    ['a city and state', 'Phoenix, AZ', (p: NewProperty) => p.address.city === 'Phoenix' && p.address.state === 'AZ'],
    ['a city and state in any case and spacing', '  san   ANTONIO ,tx ', (p: NewProperty) => normalizeCity(p.address.city) === 'san antonio'],
  ])('matches %s (%j) in id order with the true resultsFound', async (_name, query, match) => {
    const expected = idsWhere(match);
    expect(expected.length).toBeGreaterThan(0);
    const response = await search(server.url, token, { searchCriteria: { query }, options: { take: 500 } });
    expect(response.status).toBe(200);
    expect(idsOf(response)).toEqual(expected.slice(0, 500));
    expect(response.body.results.meta.results).toEqual({ resultsFound: expected.length, resultCount: Math.min(500, expected.length) });
    expect(response.body.results.meta).not.toHaveProperty('searchSession');
  });

  it('returns whole properties with their address and attributes', async () => {
    const response = await search(server.url, token, { searchCriteria: { query: 'Phoenix, AZ' }, options: { take: 1 } });
    const first = phoenix()[0]!;
    expect(response.body.results.properties[0]).toEqual({ id: first, ...properties[first - 1] });
  });

  it('answers a query with no matches with an empty page', async () => {
    const response = await search(server.url, token, { searchCriteria: { query: '00000' } });
    expect(response.body.results.properties).toEqual([]);
    expect(response.body.results.meta.results).toEqual({ resultsFound: 0, resultCount: 0 });
  });
});

describe('plain paging', () => {
  it('pages with skip and take over a stable order, 25 by default', async () => {
    const expected = idsWhere((p) => p.address.state === 'AZ');
    expect(idsOf(await search(server.url, token, { searchCriteria: { query: 'AZ' } }))).toEqual(expected.slice(0, 25));
    expect(idsOf(await search(server.url, token, { searchCriteria: { query: 'AZ' }, options: {} }))).toEqual(expected.slice(0, 25));
    const page = await search(server.url, token, { searchCriteria: { query: 'AZ' }, options: { skip: 30, take: 10 } });
    expect(idsOf(page)).toEqual(expected.slice(30, 40));
    const past = await search(server.url, token, { searchCriteria: { query: 'AZ' }, options: { skip: 100_000 } });
    expect(past.body.results.properties).toEqual([]);
    expect(past.body.results.meta.results.resultsFound).toBe(expected.length);
  });
});

describe('validation', () => {
  const QUERY_RULE = 'searchCriteria.query must be a ZIP code (85020), a state (AZ) or a city and state (Phoenix, AZ)';
  it.each<[string, unknown, string]>([
    ['a query of another form', { searchCriteria: { query: 'Phoenix' } }, QUERY_RULE],
    ['a four-digit ZIP', { searchCriteria: { query: '8502' } }, QUERY_RULE],
    ['a ZIP+4', { searchCriteria: { query: '85020-1234' } }, QUERY_RULE],
    ['a three-letter state', { searchCriteria: { query: 'ARI' } }, QUERY_RULE],
    ['a city without a state', { searchCriteria: { query: 'Phoenix,' } }, QUERY_RULE],
    ['a state without a city', { searchCriteria: { query: ', AZ' } }, QUERY_RULE],
    ['an empty query', { searchCriteria: { query: '' } }, QUERY_RULE],
    ['a number for the query', { searchCriteria: { query: 85020 } }, QUERY_RULE],
    ['no query', { searchCriteria: {} }, 'searchCriteria.query is required'],
    ['no criteria', {}, 'searchCriteria is required'],
    ['criteria that are not an object', { searchCriteria: 'AZ' }, 'searchCriteria must be an object'],
    ['an unknown top-level field', { searchCriteria: { query: 'AZ' }, sort: 'id' }, 'Unknown field: sort'],
    ['an unknown criteria field', { searchCriteria: { query: 'AZ', beds: 3 } }, 'Unknown field: searchCriteria.beds'],
    ['an unknown option', { searchCriteria: { query: 'AZ' }, options: { pageSize: 3 } }, 'Unknown field: options.pageSize'],
    ['take 0', { searchCriteria: { query: 'AZ' }, options: { take: 0 } }, 'options.take must be an integer between 1 and 500'],
    ['take 501', { searchCriteria: { query: 'AZ' }, options: { take: 501 } }, 'options.take must be an integer between 1 and 500'],
    ['a fractional take', { searchCriteria: { query: 'AZ' }, options: { take: 2.5 } }, 'options.take must be an integer between 1 and 500'],
    ['take as a string', { searchCriteria: { query: 'AZ' }, options: { take: '5' } }, 'options.take must be an integer between 1 and 500'],
    ['a negative skip', { searchCriteria: { query: 'AZ' }, options: { skip: -1 } }, 'options.skip must be an integer >= 0'],
    ['a hostile session id', { searchCriteria: { query: 'AZ' }, options: { searchSession: '../x' } }, 'options.searchSession must match /^[a-zA-Z0-9_-]{1,128}$/'],
    ['a 129-character session id', { searchCriteria: { query: 'AZ' }, options: { searchSession: 'a'.repeat(129) } }, 'options.searchSession must match /^[a-zA-Z0-9_-]{1,128}$/'],
    ['skip with a session', { searchCriteria: { query: 'AZ' }, options: { skip: 0, searchSession: 'forward-only' } }, 'options.skip cannot be used with options.searchSession: a search session is forward-only.'],
    ['an unknown field named %', { searchCriteria: { query: 'AZ' }, options: { '%': 1 } }, 'Unknown field: options.%'],
    ['an unknown field named a/b', { searchCriteria: { query: 'AZ' }, options: { 'a/b~c': 1 } }, 'Unknown field: options.a/b~c'],
    ['a JSON array', [1], 'The request body must be a JSON object.'],
    ['a JSON string', '"AZ"', 'The request body must be a JSON object.'],
    ['text that is not JSON', '{"searchCriteria":', 'The request body must be a JSON object.'],
    ['an empty body', '', 'The request body must be a JSON object.'],
  ])('answers %s with 400: %s', async (_name, body, message) => {
    const response = await search(server.url, token, body);
    expect(response.status).toBe(400);
    expect(response.body.status).toEqual({ code: 400, text: 'Bad Request', message });
  });

  it('answers a skip past anything a database can count with an empty page and the true total', async () => {
    const response = await search(server.url, token, { searchCriteria: { query: 'AZ' }, options: { skip: 9223372036854775808 } });
    expect(response.status).toBe(200);
    expect(response.body.results.properties).toEqual([]);
    expect(response.body.results.meta.results.resultsFound).toBeGreaterThan(0);
  });

  it('refuses a bad Idempotency-Key', async () => {
    const response = await search(server.url, token, { searchCriteria: { query: 'AZ' } }, { 'Idempotency-Key': 'has spaces in it' });
    expect(response.status).toBe(400);
    expect(response.body.status.message).toBe('Idempotency-Key must match /^[A-Za-z0-9_.:-]{1,255}$/');
  });
});

describe('abilities', () => {
  it('needs property-search for any search', async () => {
    const { token: sessionsOnly } = await server.team(['property-search-sessions']);
    const response = await search(server.url, sessionsOnly, { searchCriteria: { query: 'AZ' } });
    expect(response.status).toBe(403);
    expect(response.body.status.message).toBe('Provided token does not have permission to access this API.');
  });

  it('needs property-search-sessions as well to name a session, checked before the body is validated', async () => {
    const { teamId, token: searchOnly } = await server.team(['property-search']);
    expect((await search(server.url, searchOnly, { searchCriteria: { query: 'AZ' } })).status).toBe(200);
    const named = await search(server.url, searchOnly, { searchCriteria: { query: 'AZ' }, options: { searchSession: 'not-mine' } });
    expect(named.status).toBe(403);
    const namedAndInvalid = await search(server.url, searchOnly, { searchCriteria: { query: 'nope' }, options: { take: 0, searchSession: 'x' } });
    expect(namedAndInvalid.status).toBe(403);
    expect((await server.store.listSessions(teamId, 0, 10)).total).toBe(0);
  });

  it('answers 401 before anything else', async () => {
    const response = await fetch(`${server.url}/api/v1/property/search`, { method: 'POST', body: '{' });
    expect(response.status).toBe(401);
  });
});
