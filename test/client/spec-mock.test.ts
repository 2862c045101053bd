// The mock is the yardstick for every other client test, so it is checked first: it must route by
// the spec, answer with the spec's examples and headers, and record everything, including refusals.
import { describe, expect, it } from 'vitest';
import { createSpecMock } from '../support/sdk/spec-mock.js';

const SESSION_URL = 'https://api.batchdata.com/api/v2/property/search-sessions/monthly-leads-az-85020';
const LIST_URL = 'https://api.batchdata.com/api/v2/property/search-sessions';

describe('spec mock', () => {
  it('routes by path and method and answers the first 200 example by default', async () => {
    const mock = createSpecMock();
    const response = await mock.fetch(SESSION_URL, { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.headers.get('X-Request-Id')).toBe('01KRCV49383QRW53VBJX6CVDCT');
    expect(response.headers.get('RateLimit')).toBe('limit=3000, remaining=2999, reset=60');
    expect(response.headers.get('RateLimit-Policy')).toBe('3000;w=60');
    expect(await response.json()).toEqual({
      status: { code: 200, text: 'OK' },
      results: { deleted: true, id: 'monthly-leads-az-85020', meta: { requestId: '01KRCV49383QRW53VBJX6CVDCT' } },
    });
    expect(mock.requests.map(({ method, operationId }) => ({ method, operationId }))).toEqual([
      { method: 'DELETE', operationId: 'deleteSearchSession' },
    ]);
  });

  it('answers the status and example named in a Prefer header, with that response\'s headers', async () => {
    const mock = createSpecMock();
    const response = await mock.fetch(SESSION_URL, { method: 'DELETE', headers: { Prefer: 'code=503' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('42');
    expect(response.headers.get('X-Request-Id')).toBe('01KRCV4A0BQ6W3GZ1YDN7XK2PY');

    const unauthorized = await mock.fetch(LIST_URL, { headers: { Prefer: 'code=401' } });
    expect(unauthorized.headers.get('WWW-Authenticate')).toBe('Bearer');

    const named = await mock.fetch(LIST_URL, { headers: { Prefer: 'code=400, example=invalidTake' } });
    expect(((await named.json()) as { status: { message: string } }).status.message).toBe(
      'take must be an integer between 1 and 100',
    );
    expect(mock.requests).toHaveLength(3);
  });

  it('answers the status and example chosen when the mock is created', async () => {
    const mock = createSpecMock({ status: 200, example: 'noSessions' });
    const response = await mock.fetch(LIST_URL);
    expect(await response.json()).toMatchObject({ results: { sessions: [], total: 0 } });
  });

  it('refuses, and still records, a request the spec has no operation for', async () => {
    const mock = createSpecMock();
    await expect(mock.fetch('https://api.batchdata.com/api/v2/property/', { method: 'DELETE' })).rejects.toThrow(
      'spec-mock: openapi.yaml has no operation for DELETE /api/v2/property/',
    );
    await expect(mock.fetch(LIST_URL, { method: 'DELETE' })).rejects.toThrow(
      'spec-mock: openapi.yaml has no operation for DELETE /api/v2/property/search-sessions',
    );
    expect(mock.requests.map(({ operationId }) => operationId)).toEqual([undefined, undefined]);
  });

  it('refuses a status or example the operation does not declare', async () => {
    const mock = createSpecMock();
    await expect(mock.fetch(LIST_URL, { headers: { Prefer: 'code=404' } })).rejects.toThrow(
      'spec-mock: listSearchSessions declares no 404 response',
    );
    await expect(mock.fetch(LIST_URL, { headers: { Prefer: 'code=400, example=nope' } })).rejects.toThrow(
      'spec-mock: listSearchSessions 400 has no example nope',
    );
  });

  it('follows its script of answers in order, then answers as usual', async () => {
    const mock = createSpecMock({
      answers: [{ status: 503, headers: { 'Retry-After': '7', RateLimit: 'x' } }, { status: 429, headers: { 'Retry-After': null } }, { fail: 'network' }],
    });
    const first = await mock.fetch(LIST_URL);
    expect([first.status, first.headers.get('Retry-After'), first.headers.get('RateLimit')]).toEqual([503, '7', 'x']);
    const second = await mock.fetch(LIST_URL);
    expect([second.status, second.headers.get('Retry-After')]).toEqual([429, null]);
    await expect(mock.fetch(LIST_URL)).rejects.toThrow(new TypeError('fetch failed'));
    expect((await mock.fetch(LIST_URL)).status).toBe(200);
  });

  it('a hanging answer settles only when the request is aborted', async () => {
    const mock = createSpecMock({ answers: [{ fail: 'hang' }] });
    const controller = new AbortController();
    const pending = mock.fetch(LIST_URL, { signal: controller.signal });
    controller.abort(new Error('enough'));
    await expect(pending).rejects.toThrow('enough');
  });

  it('records the body and the time of each request', async () => {
    const mock = createSpecMock();
    const before = Date.now();
    await mock.fetch('https://api.batchdata.com/api/v1/property/search', { method: 'POST', body: '{"searchCriteria":{"query":"AZ"}}' });
    await mock.fetch(LIST_URL);
    expect(mock.requests.map(({ body }) => body)).toEqual(['{"searchCriteria":{"query":"AZ"}}', undefined]);
    expect(mock.requests[0]!.at).toBeGreaterThanOrEqual(before);
    expect(mock.requests[0]?.operationId).toBe('searchProperties');
  });
});
