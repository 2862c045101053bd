// The SDK against the real server on a free port: typed results, errors as values with the
// server's request id, and hostile ids that never reach the network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchDataApiError, BatchDataValidationError, createClient } from '../../client/index.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('SDK against the real server', () => {
  it('lists and deletes sessions with typed results', async () => {
    const { teamId, token } = await server.team();
    for (const id of ['a-one', 'b-two', 'c-three']) await server.store.createSession(teamId, id);
    const client = createClient({ baseUrl: server.url, token });

    const page = await client.listSearchSessions({ skip: 1, take: 1 });
    expect(page.results.total).toBe(3);
    expect(page.results.sessions.map((s) => s.id)).toEqual(['b-two']);
    expect(page.results.meta.requestId).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);

    const deleted = await client.deleteSearchSession('b-two');
    expect(deleted.results).toMatchObject({ deleted: true, id: 'b-two' });
    expect((await client.listSearchSessions()).results.sessions.map((s) => s.id)).toEqual(['a-one', 'c-three']);
  });

  it('turns a 404 into a BatchDataApiError carrying the status, message and request id', async () => {
    const { token } = await server.team();
    const error = await rejection(createClient({ baseUrl: server.url, token }).deleteSearchSession('gone'));
    expect(error).toBeInstanceOf(BatchDataApiError);
    const apiError = error as BatchDataApiError;
    expect(apiError.status).toBe(404);
    expect(apiError.message).toBe('Search session not found: gone');
    expect(apiError.requestId).toBe(apiError.response.headers.get('x-request-id'));
  });

  it('turns 401 and 403 into errors with the contract messages', async () => {
    const unknown = (await rejection(createClient({ baseUrl: server.url, token: 'bds_unknown' }).listSearchSessions())) as BatchDataApiError;
    expect([unknown.status, unknown.message]).toEqual([401, 'Invalid token.']);
    const { token } = await server.team(['property-search']);
    const weak = (await rejection(createClient({ baseUrl: server.url, token }).listSearchSessions())) as BatchDataApiError;
    expect([weak.status, weak.message]).toEqual([403, 'Provided token does not have permission to access this API.']);
  });

  it('never sends a hostile id: the server sees no request at all', async () => {
    const { teamId, token } = await server.team();
    await server.store.createSession(teamId, 'untouched');
    const client = createClient({ baseUrl: server.url, token });
    const before = server.logs.length;
    for (const id of ['..', '.', 'a/b', '', 'a'.repeat(129), 'a b', 'é']) {
      const error = await rejection(client.deleteSearchSession(id));
      expect(error).toBeInstanceOf(BatchDataValidationError);
      expect((error as Error).message).toBe('searchSessionId must match /^[a-zA-Z0-9_-]{1,128}$/');
    }
    expect(server.logs.length).toBe(before);
    expect((await client.listSearchSessions()).results.total).toBe(1);
  });
});
