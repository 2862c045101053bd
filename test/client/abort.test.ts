// Cancellation: an AbortSignal stops a call wherever it is (before sending, in flight, in a
// backoff wait, between pages) and the call rejects with the signal's own reason, never retried.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../client/index.js';
import { settle } from '../support/sdk/fake-clock.js';
import { createSpecMock, type SpecMockAnswer } from '../support/sdk/spec-mock.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(answers: SpecMockAnswer[] = []) {
  const mock = createSpecMock({ answers });
  return { mock, client: createClient({ token: 't', fetch: mock.fetch, retry: { jitter: 0, initialDelayMs: 1000 } }) };
}

const SESSION_BODY = { searchCriteria: { query: 'AZ' }, options: { searchSession: 's1' } };

function abortAfter(ms: number, reason?: unknown): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(reason), ms);
  return controller.signal;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  const result = await settle(promise);
  if (result.ok) throw new Error('expected a rejection');
  return result.error;
}

describe('AbortSignal', () => {
  it('an already aborted signal: every helper rejects with its reason and sends nothing', async () => {
    const { mock, client } = setup();
    const signal = AbortSignal.abort();
    const calls = [
      client.deleteSearchSession('s1', { signal }),
      client.listSearchSessions({}, { signal }),
      client.searchProperties(SESSION_BODY, { signal }),
      client.allSearchSessions({ signal }).next(),
      client.searchSessionPages(SESSION_BODY, { signal }).next(),
    ];
    for (const call of calls) await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(mock.requests).toHaveLength(0);
  });

  it('aborting in flight rejects with the caller\'s reason, not a timeout, and is not retried', async () => {
    const { mock, client } = setup([{ fail: 'hang' }]);
    const reason = new Error('user left the page');

    const error = await rejectionOf(client.listSearchSessions({}, { signal: abortAfter(300, reason) }));

    expect(error).toBe(reason);
    expect(mock.requests).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborting during a backoff wait ends the wait at once and sends nothing more', async () => {
    const { mock, client } = setup([{ status: 503, headers: { 'Retry-After': '30' } }]);
    const start = Date.now();

    const error = await rejectionOf(client.searchProperties(SESSION_BODY, { signal: abortAfter(500) }));

    expect(error).toMatchObject({ name: 'AbortError' });
    expect(Date.now() - start).toBe(500);
    expect(mock.requests).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborting between pages stops an iterator', async () => {
    const { mock, client } = setup([{ example: 'newSession' }, { example: 'newSession' }]);
    const controller = new AbortController();
    const pages = client.searchSessionPages(SESSION_BODY, { signal: controller.signal });

    expect((await pages.next()).done).toBe(false);
    controller.abort();

    await expect(pages.next()).rejects.toMatchObject({ name: 'AbortError' });
    expect(mock.requests).toHaveLength(1);
  });
});
