import { describe, expect, expectTypeOf, it } from 'vitest';
import { createClient, type ListSearchSessionsResponse } from '../../client/index.js';
import { createSpecMock } from '../support/sdk/spec-mock.js';

function setup() {
  const mock = createSpecMock();
  return { mock, client: createClient({ token: 'tok_live_1', fetch: mock.fetch }) };
}

describe('listSearchSessions', () => {
  it('returns the typed 200 body', async () => {
    const { client } = setup();

    const body = await client.listSearchSessions();

    expectTypeOf(body).toEqualTypeOf<ListSearchSessionsResponse>();
    expect(body.results.total).toBe(2);
    expect(body.results.sessions.map(({ id }) => id)).toEqual(['monthly-leads-az-85020', 'daily-crm-delta']);
    expect(body.results.sessions[1]).not.toHaveProperty('lastRequestAt');
    expect(body.results.meta.requestId).toBe('01KRCV36NPGHBE6FQER77S0XZR');
  });

  it('sends skip and take in the query', async () => {
    const { mock, client } = setup();

    await client.listSearchSessions({ skip: 10, take: 25 });

    expect(mock.requests).toHaveLength(1);
    const [request] = mock.requests;
    expect(request?.method).toBe('GET');
    expect(request?.operationId).toBe('listSearchSessions');
    expect(request?.url.pathname).toBe('/api/v2/property/search-sessions');
    expect([...(request?.url.searchParams ?? [])]).toEqual([
      ['skip', '10'],
      ['take', '25'],
    ]);
  });

  it('leaves out what the caller left out, so the server\'s defaults apply', async () => {
    const { mock, client } = setup();

    await client.listSearchSessions();
    await client.listSearchSessions({ take: 5 });
    await client.listSearchSessions({ skip: 0 });

    expect(mock.requests.map(({ url }) => url.search)).toEqual(['', '?take=5', '?skip=0']);
  });

  it('accepts the boundaries of the ranges', async () => {
    const { mock, client } = setup();

    await client.listSearchSessions({ skip: 0, take: 1 });
    await client.listSearchSessions({ skip: Number.MAX_SAFE_INTEGER, take: 100 });

    expect(mock.requests.map(({ url }) => url.search)).toEqual([
      '?skip=0&take=1',
      `?skip=${Number.MAX_SAFE_INTEGER}&take=100`,
    ]);
  });

  it('sends only skip and take, whatever else a JavaScript caller passes', async () => {
    const { mock, client } = setup();
    const query = { skip: 1, take: 2, limit: 3 } as { skip: number; take: number };

    await client.listSearchSessions(query);

    expect(mock.requests[0]?.url.search).toBe('?skip=1&take=2');
  });
});
