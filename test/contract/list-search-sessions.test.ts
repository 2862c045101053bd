// GET /api/v2/property/search-sessions: paging, order, totals, isolation and the decided messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { call, startTestServer, type TestServer } from '../support/servers/test-server.js';

const BASE = '/api/v2/property/search-sessions';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function list(query: string, token: string) {
  const response = await call(server.url, `${BASE}${query}`, { token });
  expectMatchesSpec('listSearchSessions', response);
  return response;
}

describe('listSearchSessions', () => {
  it('answers an empty array and total 0 for a team without sessions', async () => {
    const { token } = await server.team();
    const response = await list('', token);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: { code: 200, text: 'OK' },
      results: { sessions: [], total: 0, meta: { requestId: response.headers.get('x-request-id') } },
    });
  });

  it('lists oldest first, with totalDelivered and createdAt, and no lastRequestAt before a delivery', async () => {
    const { teamId, token } = await server.team();
    for (const id of ['first', 'second', 'third']) {
      await server.store.createSession(teamId, id);
      await new Promise((r) => setTimeout(r, 3));
    }
    const { body } = await list('', token);
    expect(body.results.total).toBe(3);
    expect(body.results.sessions.map((s: { id: string }) => s.id)).toEqual(['first', 'second', 'third']);
    for (const session of body.results.sessions) {
      expect(session.totalDelivered).toBe(0);
      expect(session.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(session).not.toHaveProperty('lastRequestAt');
    }
  });

  it('pages with skip and take, defaults to 50, and past the end answers [] with the true total', async () => {
    const { teamId, token } = await server.team();
    const ids = Array.from({ length: 60 }, (_, i) => `p-${String(i).padStart(2, '0')}`);
    for (const id of ids) await server.store.createSession(teamId, id);
    const all = (await list('?take=100', token)).body.results.sessions.map((s: { id: string }) => s.id);
    expect(all).toHaveLength(60);
    expect((await list('', token)).body.results.sessions).toHaveLength(50);
    const page = await list('?skip=10&take=5', token);
    expect(page.body.results.sessions.map((s: { id: string }) => s.id)).toEqual(all.slice(10, 15));
    expect(page.body.results.total).toBe(60);
    const past = await list('?skip=1000', token);
    expect(past.body.results).toMatchObject({ sessions: [], total: 60 });
  });

  it('breaks createdAt ties by id', async () => {
    const { teamId, token } = await server.team();
    // Created in the same millisecond as often as the machine allows; the order must still be by id.
    await Promise.all(['zeta', 'alpha', 'mike', 'bravo'].map((id) => server.store.createSession(teamId, id)));
    const sessions = (await list('', token)).body.results.sessions as Array<{ id: string; createdAt: string }>;
    const sorted = [...sessions].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : 1));
    expect(sessions.map((s) => s.id)).toEqual(sorted.map((s) => s.id));
  });

  it("never shows another team's sessions", async () => {
    const mine = await server.team();
    const theirs = await server.team();
    await server.store.createSession(theirs.teamId, 'theirs-only');
    await server.store.createSession(mine.teamId, 'mine-only');
    const { body } = await list('', mine.token);
    expect(body.results.sessions.map((s: { id: string }) => s.id)).toEqual(['mine-only']);
    expect(body.results.total).toBe(1);
  });

  it('shows the same sessions to two tokens of one team', async () => {
    const { teamId, token } = await server.team();
    const second = await server.token(teamId);
    await server.store.createSession(teamId, 'team-wide');
    expect((await list('', second)).body.results.sessions.map((s: { id: string }) => s.id)).toEqual(['team-wide']);
    expect((await list('', token)).body.results.total).toBe(1);
  });

  const badSkip = ['-1', '1.5', 'abc', '', '1e2', '0x10', '%201'];
  const badTake = ['0', '101', '-5', '1.5', 'abc', '', '1000000000000000000000'];
  it.each(badSkip)('answers skip=%j with 400 "skip must be an integer >= 0"', async (value) => {
    const { token } = await server.team();
    const response = await list(`?skip=${value}`, token);
    expect(response.status).toBe(400);
    expect(response.body.status).toEqual({ code: 400, text: 'Bad Request', message: 'skip must be an integer >= 0' });
  });
  it.each(badTake)('answers take=%j with 400 "take must be an integer between 1 and 100"', async (value) => {
    const { token } = await server.team();
    const response = await list(`?take=${value}`, token);
    expect(response.status).toBe(400);
    expect(response.body.status.message).toBe('take must be an integer between 1 and 100');
  });

  it('accepts the edges: skip=0, take=1 and take=100', async () => {
    const { token } = await server.team();
    for (const query of ['?skip=0', '?take=1', '?take=100', '?skip=0&take=100']) {
      expect((await list(query, token)).status).toBe(200);
    }
  });

  it('answers a repeated parameter with its rule', async () => {
    const { token } = await server.team();
    const response = await list('?take=1&take=2', token);
    expect(response.status).toBe(400);
    expect(response.body.status.message).toBe('take must be an integer between 1 and 100');
  });

  it('treats query parameter names as case-sensitive: ?TAKE is unknown', async () => {
    const { token } = await server.team();
    const response = await list('?TAKE=5', token);
    expect(response.status).toBe(400);
    expect(response.body.status.message).toBe('Unknown query parameter: TAKE');
  });

  it('answers a skip past anything a database can count with an empty page and the true total', async () => {
    const { teamId, token } = await server.team();
    await server.store.createSession(teamId, 'only-one');
    for (const skip of ['9007199254740993', '9223372036854775808', '1000000000000000000000000']) {
      const response = await list(`?skip=${skip}`, token);
      expect(response.status).toBe(200);
      expect(response.body.results).toMatchObject({ sessions: [], total: 1 });
    }
  });

  it('answers an unknown query parameter with 400 naming it', async () => {
    const { token } = await server.team();
    const response = await list('?limit=5', token);
    expect(response.status).toBe(400);
    expect(response.body.status.message).toBe('Unknown query parameter: limit');
  });
});
