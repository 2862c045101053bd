import { describe, expect, expectTypeOf, it } from 'vitest';
import { createClient, type DeleteSearchSessionResponse } from '../../client/index.js';
import { createSpecMock } from '../support/sdk/spec-mock.js';

const ID = 'monthly-leads-az-85020';

describe('deleteSearchSession', () => {
  it('returns the typed 200 body', async () => {
    const mock = createSpecMock();
    const client = createClient({ token: 'tok_live_1', fetch: mock.fetch });

    const body = await client.deleteSearchSession(ID);

    expectTypeOf(body).toEqualTypeOf<DeleteSearchSessionResponse>();
    expectTypeOf(body.results.deleted).toEqualTypeOf<true>();
    expect(body).toEqual({
      status: { code: 200, text: 'OK' },
      results: { deleted: true, id: ID, meta: { requestId: '01KRCV49383QRW53VBJX6CVDCT' } },
    });
  });

  it('sends one DELETE to the session\'s path with no query', async () => {
    const mock = createSpecMock();
    const client = createClient({ token: 'tok_live_1', fetch: mock.fetch });

    await client.deleteSearchSession('A-z_09');

    expect(mock.requests).toHaveLength(1);
    const [request] = mock.requests;
    expect(request?.method).toBe('DELETE');
    expect(request?.operationId).toBe('deleteSearchSession');
    expect(request?.url.href).toBe('https://api.batchdata.com/api/v2/property/search-sessions/A-z_09');
  });

  it('passes per-call headers and an abort signal through', async () => {
    const mock = createSpecMock();
    const client = createClient({ token: 'tok_live_1', fetch: mock.fetch });
    const controller = new AbortController();
    controller.abort();

    await expect(client.deleteSearchSession(ID, { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(mock.requests).toHaveLength(0);
    await client.deleteSearchSession(ID, { headers: { 'X-Trace': 'abc' } });

    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]?.headers.get('X-Trace')).toBe('abc');
  });
});
