// Retry timing on a fake clock: what is retried, when, how often, and for how long.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BadRequestError,
  BatchDataNetworkError,
  BatchDataTimeoutError,
  createClient,
  RateLimitedError,
  ServiceUnavailableError,
  type ClientOptions,
  type RetryEvent,
} from '../../client/index.js';
import { retryDelay, DEFAULT_RETRY } from '../../client/retries.js';
import { failureOf, settle } from '../support/sdk/fake-clock.js';
import { createSpecMock, type SpecMockAnswer } from '../support/sdk/spec-mock.js';

let start: number;
beforeEach(() => {
  vi.useFakeTimers();
  start = Date.now();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Jitter off unless a test turns it on, so every wait is exact. */
function setup(answers: SpecMockAnswer[], options: Partial<ClientOptions> = {}) {
  const mock = createSpecMock({ answers });
  const retry = options.retry === false ? false : { jitter: 0, ...options.retry };
  const client = createClient({ token: 'tok_live_1', fetch: mock.fetch, ...options, retry });
  const times = () => mock.requests.map(({ at }) => at - start);
  return { mock, client, times };
}

const noRetryAfter = { 'Retry-After': null };

describe('what is retried', () => {
  it('429 and 503 are retried until an attempt succeeds', async () => {
    const { client, times } = setup([{ status: 429 }, { status: 503 }, { status: 200 }], { retry: { initialDelayMs: 100 } });

    const result = await settle(client.listSearchSessions());

    expect(result.ok).toBe(true);
    expect(times()).toHaveLength(3);
  });

  it.each([400, 401, 403, 404, 409, 500])('%i is never retried', async (status) => {
    const { mock, client } = setup([{ status }, { status: 200 }]);
    const body = { searchCriteria: { query: 'AZ' }, options: { searchSession: 's1' } };
    const call = status === 404 ? client.deleteSearchSession('s1') : status === 409 ? client.searchProperties(body) : client.listSearchSessions();

    const error = await failureOf(call);

    expect((error as { status: number }).status).toBe(status);
    expect(mock.requests).toHaveLength(1);
  });

  it('no option can make the SDK retry a status that fails the same way again', () => {
    for (const status of [400, 401, 403, 404, 409]) {
      expect(() => createClient({ token: 't', retry: { statuses: [429, status] } })).toThrow(
        new TypeError(`retry.statuses may not include ${status}: they fail the same way again`),
      );
    }
  });

  it('other statuses can be added, e.g. a proxy\'s 502', async () => {
    const bad = () => new Response('<html>Bad Gateway</html>', { status: 502 });
    const answers = [bad(), bad(), new Response(JSON.stringify({ status: { code: 200, text: 'OK' }, results: {} }), { status: 200 })];
    const fetch = vi.fn(async () => answers.shift()!);
    const client = createClient({ token: 't', fetch, retry: { statuses: [429, 502, 503], jitter: 0 } });

    expect((await settle(client.listSearchSessions())).ok).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('a network failure is retried for list and search, which are safe to replay', async () => {
    const { client, mock } = setup([{ fail: 'network' }, { fail: 'network' }]);
    expect((await settle(client.listSearchSessions())).ok).toBe(true);
    expect(mock.requests).toHaveLength(3);
  });

  it('a delete is not retried after a network failure: it may have happened, and a replay would answer 404', async () => {
    const { client, mock } = setup([{ fail: 'network' }]);

    const error = await failureOf(client.deleteSearchSession('s1'));

    expect(error).toBeInstanceOf(BatchDataNetworkError);
    expect((error as Error).message).toBe('Could not reach BatchData at https://api.batchdata.com: fetch failed: connect ECONNREFUSED 127.0.0.1:9');
    expect(mock.requests).toHaveLength(1);
  });

  it('a delete is retried after a 429 or 503: the server did not act on it', async () => {
    const { client, mock } = setup([{ status: 429, headers: { 'Retry-After': '1' } }, { status: 503, headers: { 'Retry-After': '1' } }]);
    expect((await settle(client.deleteSearchSession('s1'))).ok).toBe(true);
    expect(mock.requests).toHaveLength(3);
  });

  it('retry: false, or networkErrors: false, turns retrying off', async () => {
    const off = setup([{ status: 503 }], { retry: false });
    expect(await failureOf(off.client.listSearchSessions())).toBeInstanceOf(ServiceUnavailableError);
    expect(off.mock.requests).toHaveLength(1);

    const perCall = setup([{ status: 503 }]);
    expect(await failureOf(perCall.client.listSearchSessions({}, { retry: false }))).toBeInstanceOf(ServiceUnavailableError);
    expect(perCall.mock.requests).toHaveLength(1);

    const network = setup([{ fail: 'network' }], { retry: { networkErrors: false } });
    expect(await failureOf(network.client.listSearchSessions())).toBeInstanceOf(BatchDataNetworkError);
    expect(network.mock.requests).toHaveLength(1);
  });

  it('a request the SDK refuses is never sent, so never retried', async () => {
    const { client, mock } = setup([]);
    await expect(client.listSearchSessions({ take: 0 })).rejects.toThrow('take must be an integer between 1 and 100');
    expect(mock.requests).toHaveLength(0);
  });
});

describe('when', () => {
  it('waits double the last wait each time, from initialDelayMs', async () => {
    const answers = Array.from({ length: 4 }, () => ({ status: 503, headers: noRetryAfter }));
    const { client, times } = setup(answers, { retry: { initialDelayMs: 100 } });

    expect((await settle(client.listSearchSessions())).ok).toBe(true);

    // waits of 100, 200, 400 and 800 ms
    expect(times()).toEqual([0, 100, 300, 700, 1500]);
  });

  it('caps the doubled wait at maxDelayMs', async () => {
    const answers = Array.from({ length: 4 }, () => ({ status: 429, headers: noRetryAfter }));
    const { client, times } = setup(answers, { retry: { initialDelayMs: 1000, maxDelayMs: 1500 } });

    await settle(client.listSearchSessions());

    expect(times()).toEqual([0, 1000, 2500, 4000, 5500]);
  });

  it('honours Retry-After in seconds: no attempt before it, even when the doubled wait is shorter', async () => {
    const { client, times } = setup([{ status: 429, headers: { 'Retry-After': '3' } }, { status: 503, headers: { 'Retry-After': '0' } }], {
      retry: { initialDelayMs: 100 },
    });

    await settle(client.listSearchSessions());

    // 3 s as asked, then the doubled 200 ms, longer than the 0 s asked
    expect(times()).toEqual([0, 3000, 3200]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const at = new Date(start + 5000).toUTCString(); // whole seconds: the date format has no more
    const { client, times } = setup([{ status: 503, headers: { 'Retry-After': at } }], { retry: { initialDelayMs: 100 } });

    await settle(client.listSearchSessions());

    expect(times()[1]).toBe(Date.parse(at) - start);
  });

  it('a Retry-After longer than maxDelayMs is still honoured', async () => {
    const { client, times } = setup([{ status: 429, headers: { 'Retry-After': '42' } }], { retry: { maxDelayMs: 1000 } });
    await settle(client.listSearchSessions());
    expect(times()).toEqual([0, 42_000]);
  });

  it('stretches each wait by up to `jitter` of itself, at random', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const answers = [{ status: 503, headers: noRetryAfter }, { status: 429, headers: { 'Retry-After': '10' } }];
    const { client, times } = setup(answers, { retry: { initialDelayMs: 1000, jitter: 0.2 } });

    await settle(client.listSearchSessions());

    // 1000 × 1.1, then Retry-After's 10,000 × 1.1: never earlier than asked
    expect(times()).toEqual([0, 1100, 12_100]);
  });

  it('the delay formula: doubled, capped, never under Retry-After, jittered upwards only', () => {
    const policy = { ...DEFAULT_RETRY, initialDelayMs: 500, maxDelayMs: 20_000, jitter: 0.2 };
    expect([1, 2, 3, 4, 5, 6, 7].map((retry) => retryDelay(policy, retry, undefined, 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 16_000, 20_000,
    ]);
    expect(retryDelay(policy, 1, 42_000, 0)).toBe(42_000);
    expect(retryDelay(policy, 1, undefined, 1)).toBe(600);
    expect(retryDelay(policy, 7, undefined, 0.999999)).toBeLessThanOrEqual(24_000);
  });

  it('tells onRetry about each wait before it starts', async () => {
    const events: RetryEvent[] = [];
    const { client } = setup([{ status: 429, headers: { 'Retry-After': '2' } }, { status: 503, headers: noRetryAfter }], {
      retry: { initialDelayMs: 100, onRetry: (event) => events.push(event) },
    });

    await settle(client.listSearchSessions());

    expect(events.map(({ attempt, delayMs, error }) => [attempt, delayMs, error.kind])).toEqual([
      [1, 2000, 'rate-limited'],
      [2, 200, 'service-unavailable'],
    ]);
  });
});

describe('how often and for how long', () => {
  it('stops after maxAttempts and throws the last error', async () => {
    const answers = Array.from({ length: 5 }, () => ({ status: 429, headers: noRetryAfter }));
    const { client, mock } = setup(answers, { retry: { maxAttempts: 3, initialDelayMs: 10 } });

    const error = await failureOf(client.listSearchSessions());

    expect(error).toBeInstanceOf(RateLimitedError);
    expect(mock.requests).toHaveLength(3);
  });

  it('starts no wait that would end past maxElapsedMs', async () => {
    const { client, mock, times } = setup([{ status: 429, headers: { 'Retry-After': '42' } }], { retry: { maxElapsedMs: 30_000 } });

    const error = await failureOf(client.listSearchSessions());

    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(42_000);
    expect(mock.requests).toHaveLength(1);
    expect(Date.now() - start).toBe(0);
    expect(times()).toEqual([0]);
  });

  it('the defaults: five attempts, 0.5 s doubling, Retry-After honoured, two minutes in all', () => {
    expect(DEFAULT_RETRY).toEqual({
      maxAttempts: 5,
      initialDelayMs: 500,
      maxDelayMs: 20_000,
      maxElapsedMs: 120_000,
      jitter: 0.2,
      statuses: [429, 503],
      networkErrors: true,
    });
  });

  it('refuses options that cannot hold', () => {
    expect(() => createClient({ token: 't', retry: { maxAttempts: 0 } })).toThrow(TypeError);
    expect(() => createClient({ token: 't', retry: { maxAttempts: 1.5 } })).toThrow(TypeError);
    expect(() => createClient({ token: 't', retry: { jitter: 2 } })).toThrow(TypeError);
    expect(() => createClient({ token: 't', retry: { initialDelayMs: -1 } })).toThrow(TypeError);
    expect(() => createClient({ token: 't', timeoutMs: 0 })).toThrow(TypeError);
  });
});

describe('timeouts', () => {
  it('an attempt with no answer within timeoutMs is aborted and reported as a timeout', async () => {
    const { client, mock } = setup([{ fail: 'hang' }], { timeoutMs: 5000, retry: false });

    const error = await failureOf(client.listSearchSessions());

    expect(error).toBeInstanceOf(BatchDataTimeoutError);
    expect((error as BatchDataTimeoutError).timeoutMs).toBe(5000);
    expect((error as Error).message).toBe('BatchData did not answer within 5000 ms');
    expect(Date.now() - start).toBe(5000);
    expect(mock.requests).toHaveLength(1);
  });

  it('a timed-out list is retried like a network failure; a timed-out delete is not', async () => {
    const list = setup([{ fail: 'hang' }], { timeoutMs: 1000, retry: { initialDelayMs: 100 } });
    expect((await settle(list.client.listSearchSessions())).ok).toBe(true);
    expect(list.times()).toEqual([0, 1100]);

    const remove = setup([{ fail: 'hang' }], { timeoutMs: 1000 });
    expect(await failureOf(remove.client.deleteSearchSession('s1'))).toBeInstanceOf(BatchDataTimeoutError);
    expect(remove.mock.requests).toHaveLength(1);
  });

  it('maxElapsedMs cuts an attempt in flight', async () => {
    const { client } = setup([{ fail: 'hang' }], { timeoutMs: 30_000, retry: { maxElapsedMs: 5000 } });

    const error = await failureOf(client.listSearchSessions());

    expect(error).toBeInstanceOf(BatchDataTimeoutError);
    expect(Date.now() - start).toBe(5000);
  });

  it('per-call timeoutMs overrides the client\'s', async () => {
    const { client } = setup([{ fail: 'hang' }], { timeoutMs: 30_000, retry: false });
    await failureOf(client.listSearchSessions({}, { timeoutMs: 250 }));
    expect(Date.now() - start).toBe(250);
  });

  it('leaves no timer behind once a call is over', async () => {
    const { client } = setup([{ status: 200 }], { timeoutMs: 30_000 });
    await settle(client.listSearchSessions());
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('a 400 from the API', () => {
  it('is thrown at once, whatever the retry options', async () => {
    const { client, mock } = setup([{ status: 400, example: 'invalidTake' }], { retry: { maxAttempts: 10 } });

    const error = await failureOf(client.listSearchSessions({ take: 5 }));

    expect(error).toBeInstanceOf(BadRequestError);
    expect(mock.requests).toHaveLength(1);
    expect(Date.now() - start).toBe(0);
  });
});
