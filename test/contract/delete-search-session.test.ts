// DELETE /api/v2/property/search-sessions/{searchSessionId}: every rule of its description in openapi.yaml, against the
// real server, every response checked against openapi.yaml.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { call, startTestServer, type TestServer } from '../support/servers/test-server.js';

const BASE = '/api/v2/property/search-sessions';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function del(id: string, token?: string) {
  const response = await call(server.url, `${BASE}/${id}`, { method: 'DELETE', token });
  expectMatchesSpec('deleteSearchSession', response);
  return response;
}

describe('deleteSearchSession', () => {
  it('deletes a session with the seed body, echoing the id and the request id', async () => {
    const { teamId, token } = await server.team();
    await server.store.createSession(teamId, 'monthly-leads-az-85020');
    const response = await del('monthly-leads-az-85020', token);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: { code: 200, text: 'OK' },
      results: { deleted: true, id: 'monthly-leads-az-85020', meta: { requestId: response.headers.get('x-request-id') } },
    });
    expect((await server.store.listSessions(teamId, 0, 100)).total).toBe(0);
  });

  it('answers 404 with the exact message for an id that does not exist', async () => {
    const { token } = await server.team();
    const response = await del('never-created', token);
    expect(response.status).toBe(404);
    expect(response.body.status).toEqual({ code: 404, text: 'Not Found', message: 'Search session not found: never-created' });
  });

  it('answers 404 to a second delete of the same session', async () => {
    const { teamId, token } = await server.team();
    await server.store.createSession(teamId, 'twice');
    expect((await del('twice', token)).status).toBe(200);
    const second = await del('twice', token);
    expect(second.status).toBe(404);
    expect(second.body.status.message).toBe('Search session not found: twice');
  });

  it("answers another team's session exactly like a missing one, and leaves it untouched", async () => {
    const owner = await server.team();
    const other = await server.team();
    await server.store.createSession(owner.teamId, 'shared-name');
    const foreign = await del('shared-name', other.token);
    expect((await server.store.listSessions(owner.teamId, 0, 100)).sessions.map((s) => s.id)).toEqual(['shared-name']);
    expect((await del('shared-name', owner.token)).status).toBe(200);
    const missing = await del('shared-name', other.token); // now it exists nowhere
    for (const response of [foreign, missing]) {
      expect(response.status).toBe(404);
      expect(response.body.status.message).toBe('Search session not found: shared-name');
    }
    const withoutRequestId = (r: typeof foreign) => JSON.stringify(r.body).replace(r.headers.get('x-request-id')!, '');
    expect(withoutRequestId(foreign)).toBe(withoutRequestId(missing));
    const headersOf = (r: typeof foreign) =>
      [...r.headers.entries()].filter(([name]) => !['date', 'x-request-id', 'ratelimit'].includes(name));
    expect(headersOf(foreign)).toEqual(headersOf(missing));
  });

  it('frees the slot before it answers: a team at 100 sessions can create one more right after', async () => {
    const { teamId, token } = await server.team();
    for (let i = 0; i < 100; i++) expect(await server.store.createSession(teamId, `s-${i}`)).toBe('created');
    expect(await server.store.createSession(teamId, 'one-too-many')).toBe('limit-reached');
    expect((await del('s-42', token)).status).toBe(200);
    expect(await server.store.createSession(teamId, 'one-too-many')).toBe('created');
  });

  it('recreates a deleted id as a brand-new session with a new createdAt', async () => {
    const { teamId, token } = await server.team();
    await server.store.createSession(teamId, 'recreated');
    const before = (await server.store.listSessions(teamId, 0, 1)).sessions[0]!;
    await new Promise((r) => setTimeout(r, 5));
    expect((await del('recreated', token)).status).toBe(200);
    expect(await server.store.createSession(teamId, 'recreated')).toBe('created');
    const after = (await server.store.listSessions(teamId, 0, 1)).sessions[0]!;
    expect(after.totalDelivered).toBe(0);
    expect(after.createdAt.getTime()).toBeGreaterThan(before.createdAt.getTime());
  });

  it('lets exactly one of 100 concurrent deletes of one session succeed', async () => {
    const { teamId, token } = await server.team();
    await server.store.createSession(teamId, 'contended');
    const responses = await Promise.all(Array.from({ length: 100 }, () => del('contended', token)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 404)).toHaveLength(99);
  });

  it('refuses a query parameter, since the operation has none', async () => {
    const { teamId, token } = await server.team();
    await server.store.createSession(teamId, 'kept');
    const response = await del('kept?force=true', token);
    expect(response.status).toBe(400);
    expect(response.body.status.message).toBe('Unknown query parameter: force');
    expect((await server.store.listSessions(teamId, 0, 10)).total).toBe(1);
  });

  it('needs the property-search-sessions ability: 403 with the seed message', async () => {
    const { teamId, token } = await server.team(['property-search']);
    await server.store.createSession(teamId, 'guarded');
    const response = await del('guarded', token);
    expect(response.status).toBe(403);
    expect(response.body.status).toEqual({ code: 403, text: 'Forbidden', message: 'Provided token does not have permission to access this API.' });
    expect((await server.store.listSessions(teamId, 0, 10)).total).toBe(1);
  });
});
