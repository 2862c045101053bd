// The SDK against the real server on a free loopback port: typed results, one error class per
// failure the server can send, retries that honour its Retry-After, and hostile ids that never
// reach it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestError,
  BatchDataNetworkError,
  BatchDataTimeoutError,
  BatchDataValidationError,
  ConflictError,
  createClient,
  ForbiddenError,
  InternalServerError,
  RateLimitedError,
  SearchSessionNotFoundError,
  ServiceUnavailableError,
  UnauthorizedError,
  type RetryEvent,
} from '../../client/index.js';
import { StoreUnavailableError, SESSION_SLOTS_PER_TEAM, type Store } from '../../server/store/store.js';
import { refusingUrl, silentServer } from '../support/sdk/flaky-network.js';
import { startTestServer, type TestServer } from '../support/servers/test-server.js';

const REQUEST_ID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

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

async function clientOfNewTeam(abilities?: Parameters<TestServer['team']>[0]) {
  const team = await server.team(abilities);
  return { ...team, client: createClient({ baseUrl: server.url, token: team.token }) };
}

describe('SDK against the real server', () => {
  it('lists and deletes sessions with typed results', async () => {
    const { teamId, client } = await clientOfNewTeam();
    for (const id of ['a-one', 'b-two', 'c-three']) await server.store.createSession(teamId, id);

    const page = await client.listSearchSessions({ skip: 1, take: 1 });
    expect(page.results.total).toBe(3);
    expect(page.results.sessions.map((s) => s.id)).toEqual(['b-two']);
    expect(page.results.meta.requestId).toMatch(REQUEST_ID);

    const deleted = await client.deleteSearchSession('b-two');
    expect(deleted.results).toMatchObject({ deleted: true, id: 'b-two' });
    expect((await client.listSearchSessions()).results.sessions.map((s) => s.id)).toEqual(['a-one', 'c-three']);
  });

  it('allSearchSessions walks every page of a team\'s sessions, oldest first', async () => {
    const { teamId, client } = await clientOfNewTeam();
    const ids = Array.from({ length: 7 }, (_, i) => `s-${i}`);
    for (const id of ids) await server.store.createSession(teamId, id);

    const seen: string[] = [];
    for await (const session of client.allSearchSessions({ take: 3 })) seen.push(session.id);

    expect(seen).toEqual(ids);
  });

  it('never sends a hostile id: the server sees no request at all', async () => {
    const { teamId, client } = await clientOfNewTeam();
    await server.store.createSession(teamId, 'untouched');
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

describe('each error the real server sends has its own class', () => {
  it('400: a bad header the SDK does not own', async () => {
    const { client } = await clientOfNewTeam();
    const error = await rejection(client.searchProperties({ searchCriteria: { query: 'AZ' } }, { headers: { 'Idempotency-Key': 'not a key' } }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toBe('Idempotency-Key must match /^[A-Za-z0-9_.:-]{1,255}$/');
  });

  it('401 and 403, with the contract\'s messages', async () => {
    const unknown = await rejection(createClient({ baseUrl: server.url, token: 'bds_unknown' }).listSearchSessions());
    expect(unknown).toBeInstanceOf(UnauthorizedError);
    expect((unknown as UnauthorizedError).message).toBe('Invalid token.');

    const { client } = await clientOfNewTeam(['property-search']);
    const weak = await rejection(client.listSearchSessions());
    expect(weak).toBeInstanceOf(ForbiddenError);
    expect((weak as ForbiddenError).message).toBe('Provided token does not have permission to access this API.');
  });

  it('404 from delete is a SearchSessionNotFoundError with the server\'s request id', async () => {
    const { client } = await clientOfNewTeam();
    const error = await rejection(client.deleteSearchSession('gone'));
    expect(error).toBeInstanceOf(SearchSessionNotFoundError);
    const notFound = error as SearchSessionNotFoundError;
    expect([notFound.status, notFound.searchSessionId, notFound.message]).toEqual([404, 'gone', 'Search session not found: gone']);
    expect(notFound.requestId).toMatch(REQUEST_ID);
    expect(notFound.requestId).toBe(notFound.response.headers.get('x-request-id'));
  });

  it('409 when a new session would be the team\'s 101st, not retried', async () => {
    const { teamId, client } = await clientOfNewTeam();
    for (let i = 0; i < SESSION_SLOTS_PER_TEAM; i += 1) await server.store.createSession(teamId, `slot-${i}`);
    const before = server.logs.length;

    const error = await rejection(client.searchProperties({ searchCriteria: { query: 'AZ' }, options: { searchSession: 'one-too-many' } }));

    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toBe(
      'Search session limit reached: this team already has 100 sessions. Delete one to free a slot.',
    );
    expect(server.logs.length - before).toBe(1);
  });

  it('429: Retry-After is read, and the wait it asks for is what the SDK would take', async () => {
    const limited = await startTestServer({ rateLimitPerMinute: 1 });
    try {
      const { token } = await limited.team();
      const strict = createClient({ baseUrl: limited.url, token, retry: false });
      await strict.listSearchSessions();
      const error = await rejection(strict.listSearchSessions());
      expect(error).toBeInstanceOf(RateLimitedError);
      const retryAfterMs = (error as RateLimitedError).retryAfterMs!;
      expect(retryAfterMs).toBeGreaterThan(0);

      // The SDK announces its wait before it starts it; aborting there ends the call unsent.
      const events: RetryEvent[] = [];
      const controller = new AbortController();
      const patient = createClient({
        baseUrl: limited.url,
        token,
        retry: { jitter: 0, onRetry: (event) => (events.push(event), controller.abort()) },
      });
      const before = limited.logs.length;
      await expect(patient.listSearchSessions({}, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
      expect(events).toHaveLength(1);
      expect(events[0]!.delayMs).toBeGreaterThanOrEqual(retryAfterMs - 1000);
      expect(limited.logs.length - before).toBe(1);
    } finally {
      await limited.close();
    }
  });

  it('500 is thrown at once; 503 is retried and the call succeeds when the store is back', async () => {
    let failures: Error[] = [];
    const flaky = await startTestServer({
      wrapStore: (store) =>
        new Proxy(store, {
          get: (target, key) =>
            key === 'listSessions'
              ? (...args: Parameters<Store['listSessions']>) => (failures.length ? Promise.reject(failures.shift()) : target.listSessions(...args))
              : Reflect.get(target, key, target),
        }),
    });
    try {
      const { token } = await flaky.team();
      const client = createClient({ baseUrl: flaky.url, token, retry: { initialDelayMs: 5, jitter: 0 } });

      failures = [new Error('boom')];
      expect(await rejection(client.listSearchSessions())).toBeInstanceOf(InternalServerError);
      expect(failures).toHaveLength(0);

      // Retry-After 0: the doubled 5 and 10 ms are the waits, so no test time goes to sleeping.
      failures = [new StoreUnavailableError(new Error('SQLITE_BUSY'), 0), new StoreUnavailableError(new Error('SQLITE_BUSY'), 0)];
      const events: RetryEvent[] = [];
      const page = await client.listSearchSessions({}, { retry: { onRetry: (event) => events.push(event) } });
      expect(page.results.total).toBe(0);
      expect(events.map(({ error, delayMs }) => [error.kind, delayMs])).toEqual([
        ['service-unavailable', 5],
        ['service-unavailable', 10],
      ]);

      failures = [new StoreUnavailableError(new Error('SQLITE_BUSY'))];
      const unavailable = await rejection(client.listSearchSessions({}, { retry: false }));
      expect(unavailable).toBeInstanceOf(ServiceUnavailableError);
      expect((unavailable as ServiceUnavailableError).retryAfterMs).toBe(5000);
    } finally {
      await flaky.close();
    }
  });

  it('a refused connection is a BatchDataNetworkError', async () => {
    const client = createClient({ baseUrl: await refusingUrl(), token: 't' });
    const error = await rejection(client.deleteSearchSession('s1'));
    expect(error).toBeInstanceOf(BatchDataNetworkError);
    expect((error as Error).message).toMatch(/^Could not reach BatchData at http:\/\/127\.0\.0\.1:\d+: fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  });

  it('a server that never answers is a BatchDataTimeoutError, and an abort ends the wait for it', async () => {
    const silent = await silentServer();
    try {
      const client = createClient({ baseUrl: silent.url, token: 't', timeoutMs: 100 });
      expect(await rejection(client.deleteSearchSession('s1'))).toBeInstanceOf(BatchDataTimeoutError);

      const reason = new Error('stop');
      const controller = new AbortController();
      const pending = createClient({ baseUrl: silent.url, token: 't' }).listSearchSessions({}, { signal: controller.signal });
      controller.abort(reason);
      expect(await rejection(pending)).toBe(reason);
    } finally {
      await silent.close();
    }
  });
});
