// "Common to every operation" in openapi.yaml: request ids, authentication, the order of checks,
// rate limiting, unknown paths and methods, and what the logs may hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { call, startTestServer, type TestServer } from '../support/servers/test-server.js';

const BASE = '/api/v2/property/search-sessions';
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('request ids', () => {
  it('puts a fresh ULID in X-Request-Id and in the body of every kind of response, ignoring the client', async () => {
    const { token } = await server.team();
    const responses = [
      await call(server.url, BASE, { token, headers: { 'X-Request-Id': '01KRCV49383QRW53VBJX6CVDCT' } }),
      await call(server.url, `${BASE}/missing`, { method: 'DELETE', token }),
      await call(server.url, BASE),
      await call(server.url, '/nowhere'),
      await call(server.url, `${BASE}/x`, { method: 'PUT' }),
    ];
    const ids = responses.map((r) => r.headers.get('x-request-id'));
    for (const [i, response] of responses.entries()) {
      expect(ids[i]).toMatch(ULID);
      expect(response.body.results?.meta?.requestId ?? response.body.meta?.requestId).toBe(ids[i]);
    }
    expect(ids[0]).not.toBe('01KRCV49383QRW53VBJX6CVDCT');
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('authentication', () => {
  const cases: Array<[string, (token: string) => Record<string, string>]> = [
    ['no Authorization header', () => ({})],
    ['an empty header', () => ({ Authorization: '' })],
    ['the Basic scheme', (token) => ({ Authorization: `Basic ${Buffer.from(`u:${token}`).toString('base64')}` })],
    ['a bare token without a scheme', (token) => ({ Authorization: token })],
    ['an unknown token', () => ({ Authorization: 'Bearer bds_not-a-real-token-at-all' })],
    ['a token with a character changed', (token) => ({ Authorization: `Bearer ${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` })],
  ];
  it.each(cases)('answers %s with the standard 401 on both operations', async (_name, headersFor) => {
    const { teamId, token } = await server.team();
    await server.store.createSession(teamId, 'still-here');
    for (const [method, path, operationId] of [['GET', BASE, 'listSearchSessions'], ['DELETE', `${BASE}/still-here`, 'deleteSearchSession']] as const) {
      const response = await call(server.url, path, { method, headers: headersFor(token) });
      expectMatchesSpec(operationId, response);
      expect(response.status).toBe(401);
      expect(response.body.status).toEqual({ code: 401, text: 'Unauthorized', message: 'Invalid token.' });
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.headers.get('ratelimit')).toBeNull();
    }
    expect((await server.store.listSessions(teamId, 0, 10)).total).toBe(1);
  });

  it('refuses a revoked token at once', async () => {
    const { teamId, token } = await server.team();
    expect((await call(server.url, BASE, { token })).status).toBe(200);
    const [info] = await server.store.listTokens(teamId);
    expect(await server.store.revokeToken(info!.id)).toBe(true);
    const response = await call(server.url, BASE, { token });
    expect(response.status).toBe(401);
    expect(response.body.status.message).toBe('Invalid token.');
  });

  it('accepts the scheme name in any case, as HTTP auth schemes are case-insensitive', async () => {
    const { token } = await server.team();
    expect((await call(server.url, BASE, { headers: { Authorization: `bearer ${token}` } })).status).toBe(200);
  });
});

describe('order of checks', () => {
  it('answers 401 before looking at the parameters', async () => {
    expect((await call(server.url, `${BASE}?take=0`)).status).toBe(401);
    expect((await call(server.url, `${BASE}/a%2Fb`, { method: 'DELETE' })).status).toBe(401);
    expect((await call(server.url, `${BASE}/`, { method: 'DELETE' })).status).toBe(401);
  });

  it('answers 403 before 400 for a token without the ability', async () => {
    const { token } = await server.team(['property-search']);
    const list = await call(server.url, `${BASE}?take=0`, { token });
    expectMatchesSpec('listSearchSessions', list);
    expect(list.status).toBe(403);
    const del = await call(server.url, `${BASE}/a%2Fb`, { method: 'DELETE', token });
    expect(del.status).toBe(403);
  });

  it('answers 404 and 405 before authentication', async () => {
    const unknown = await call(server.url, '/api/v2/property/search-session');
    expectMatchesSpec(null, unknown);
    expect(unknown.status).toBe(404);
    const wrongCase = await call(server.url, '/API/v2/property/search-sessions');
    expect(wrongCase.status).toBe(404);
  });
});

describe('unknown methods', () => {
  it.each([
    ['PUT', `${BASE}/abc`, 'DELETE', 'deleteSearchSession'],
    ['GET', `${BASE}/abc`, 'DELETE', 'deleteSearchSession'],
    ['PATCH', `${BASE}/abc`, 'DELETE', 'deleteSearchSession'],
    ['DELETE', BASE, 'GET, HEAD', 'listSearchSessions'],
    ['POST', BASE, 'GET, HEAD', 'listSearchSessions'],
  ])('answers %s %s with 405 and Allow: %s', async (method, path, allow, operationId) => {
    const response = await call(server.url, path, { method });
    expectMatchesSpec(operationId, response);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(response.body.status).toEqual({ code: 405, text: 'Method Not Allowed', message: `Method ${method} is not allowed on this path. Allowed: ${allow}.` });
  });
});

describe('HEAD', () => {
  it('answers HEAD on the list as GET: the same status and headers, Content-Length included, and no body', async () => {
    const { teamId, token } = await server.team();
    await server.store.createSession(teamId, 'head-check');
    const get = await fetch(`${server.url}${BASE}?take=5`, { headers: { Authorization: `Bearer ${token}` } });
    const getBody = await get.text();
    const head = await fetch(`${server.url}${BASE}?take=5`, { method: 'HEAD', headers: { Authorization: `Bearer ${token}` } });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    // The same body but for its requestId, which is as long in every response.
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(getBody)));
    expect(head.headers.get('ratelimit')).toMatch(/^limit=\d+, remaining=\d+, reset=\d+$/);
    expect(head.headers.get('x-request-id')).toMatch(ULID);
  });

  it('answers HEAD with the errors of GET, without their body', async () => {
    const unauthenticated = await fetch(`${server.url}${BASE}`, { method: 'HEAD' });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('www-authenticate')).toBe('Bearer');
    expect(await unauthenticated.text()).toBe('');
    const { token } = await server.team();
    const badTake = await fetch(`${server.url}${BASE}?take=0`, { method: 'HEAD', headers: { Authorization: `Bearer ${token}` } });
    expect(badTake.status).toBe(400);
    expect(await badTake.text()).toBe('');
  });

  it('answers HEAD where there is no GET with 405 and Allow, without a body', async () => {
    const response = await fetch(`${server.url}${BASE}/abc`, { method: 'HEAD' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('DELETE');
    expect(await response.text()).toBe('');
  });

  it('logs a HEAD as HEAD', async () => {
    const { token } = await server.team();
    const response = await fetch(`${server.url}${BASE}`, { method: 'HEAD', headers: { Authorization: `Bearer ${token}` } });
    const requestId = response.headers.get('x-request-id');
    await new Promise((r) => setTimeout(r, 20));
    const line = server.logs.map((l) => JSON.parse(l)).find((entry) => entry.requestId === requestId);
    expect(line).toMatchObject({ method: 'HEAD', route: BASE, status: 200 });
  });
});

describe('logs', () => {
  it('write one JSON line per request with id, method, route, status and latency, and never a token', async () => {
    const { token } = await server.team();
    const response = await call(server.url, `${BASE}/nope`, { method: 'DELETE', token });
    const requestId = response.headers.get('x-request-id');
    await new Promise((r) => setTimeout(r, 20));
    const line = server.logs.map((l) => JSON.parse(l)).find((entry) => entry.requestId === requestId);
    expect(line).toMatchObject({ method: 'DELETE', route: '/api/v2/property/search-sessions/{searchSessionId}', status: 404 });
    expect(typeof line.latencyMs).toBe('number');
    const all = server.logs.join('\n');
    expect(all).not.toContain(token);
    expect(all.toLowerCase()).not.toContain('authorization');
    expect(all).not.toContain('bds_');
  });
});

describe('rate limit', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ rateLimitPerMinute: 5 });
  });
  afterAll(() => limited.close());

  it('counts per token, declares its headers, and answers 429 with Retry-After over the limit, before 403 and 400', async () => {
    const { teamId, token } = await limited.team();
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await call(limited.url, BASE, { token });
      expectMatchesSpec('listSearchSessions', response);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-policy')).toBe('5;w=60');
      remaining.push(response.headers.get('ratelimit')!);
    }
    expect(remaining.map((h) => /remaining=(\d+)/.exec(h)![1])).toEqual(['4', '3', '2', '1', '0']);
    // Byte for byte the draft-7 form express-rate-limit emits, which the contract names.
    for (const header of remaining) expect(header).toMatch(/^limit=5, remaining=[0-4], reset=(60|59)$/);

    for (const [path, method] of [[BASE, 'GET'], [`${BASE}?take=0`, 'GET'], [`${BASE}/a%2Fb`, 'DELETE']] as const) {
      const over = await call(limited.url, path, { token, method });
      expectMatchesSpec(method === 'GET' ? 'listSearchSessions' : 'deleteSearchSession', over);
      expect(over.status).toBe(429);
      expect(over.body.status).toEqual({ code: 429, text: 'Too Many Requests', message: 'Rate limit exceeded: 5 requests per minute per token.' });
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    }

    // Another token, even of the same team, has its own budget; a token without the ability is
    // limited before it is refused.
    const sibling = await limited.token(teamId);
    expect((await call(limited.url, BASE, { token: sibling })).status).toBe(200);
    const weak = await limited.token(teamId, ['property-search']);
    for (let i = 0; i < 5; i++) expect((await call(limited.url, BASE, { token: weak })).status).toBe(403);
    expect((await call(limited.url, BASE, { token: weak })).status).toBe(429);
  });
});
