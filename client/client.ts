// createClient: typed helpers over openapi-fetch that check their input before any URL exists,
// retry what the retry policy allows, and throw a typed error for anything but the documented 2xx.
import createFetchClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { SearchSessionNotFoundError, type BatchDataApiErrorInit } from './errors.js';
import { runCall, resolveRetryPolicy, type RetryOptions } from './retries.js';
import { eachCursorPage, eachSearchSession, eachSessionPage } from './paging.js';
import {
  parameterGuard,
  checkedSearchRequest,
  withoutUndefined,
  assertIdempotencyKey,
  assertOptionalInteger,
  assertPageQuery,
  assertSearchSessionId,
  refuse,
} from './input-checks.js';
import { classifyingFetch, type Fetch, unwrap } from './responses.js';
import type {
  CursorWalkRequest,
  DeleteSearchSessionResponse,
  ListSearchSessionsQuery,
  ListSearchSessionsResponse,
  SearchPropertiesResponse,
  SearchRequest,
  SearchSession,
  SessionSearchRequest,
} from './types.js';
import { TAKE_RANGE } from '../generated/rules.js';

/** BatchData's production host, the spec's first server, so apps built on this SDK reach the real API. */
export const DEFAULT_BASE_URL = 'https://api.batchdata.com';

/** The default limit on one attempt. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface ClientOptions {
  baseUrl?: string;
  /** A team's API token: `property-search-sessions` for sessions, `property-search` for search. */
  token: string;
  /** Defaults to `globalThis.fetch` as it is when the client is created. */
  fetch?: Fetch;
  /** How calls retry 429, 503 and lost answers; `false` for a single attempt. See RetryOptions. */
  retry?: RetryOptions | false;
  /** The limit on one attempt, in milliseconds. Default 30,000. */
  timeoutMs?: number;
}

/** Per-call options. Deliberately narrow: nothing here can change how the URL is built. */
export interface CallOptions {
  signal?: AbortSignal;
  headers?: Record<string, string> | Headers;
  /** Laid over the client's retry options for this call; `false` for a single attempt. */
  retry?: RetryOptions | false;
  timeoutMs?: number;
}

export interface SearchCallOptions extends CallOptions {
  /**
   * Sent as `Idempotency-Key` and reused by every retry of this call. A search through a session
   * always carries one, generated when not given; give your own to replay a page after a crash.
   */
  idempotencyKey?: string;
}

export interface SessionListOptions extends CallOptions {
  /** Sessions per request, 1 to 100. Default 100. */
  take?: number;
}

export interface BatchDataClient {
  /** Deletes the session and its delivered-id state, freeing one of the team's 100 slots. */
  deleteSearchSession(searchSessionId: string, init?: CallOptions): Promise<DeleteSearchSessionResponse>;
  /** A page of the team's sessions, oldest first. Omitted parameters take the server's defaults. */
  listSearchSessions(query?: ListSearchSessionsQuery, init?: CallOptions): Promise<ListSearchSessionsResponse>;
  /** One page of properties; through `options.searchSession`, the session's next page. */
  searchProperties(body: SearchRequest, init?: SearchCallOptions): Promise<SearchPropertiesResponse>;
  /** Every session of the team, oldest first, fetched a page at a time as the loop goes. */
  allSearchSessions(options?: SessionListOptions): AsyncGenerator<SearchSession, void, undefined>;
  /** The session's pages, each fetched when the loop asks for it, until one delivers nothing. */
  searchSessionPages(body: SessionSearchRequest, init?: CallOptions): AsyncGenerator<SearchPropertiesResponse, void, undefined>;
  /**
   * Every page of a walk by cursor, each fetched when the loop asks for it, the last one (without
   * `nextPageCursor`) included: every match once, as the store was when the walk began.
   */
  searchCursorPages(body: CursorWalkRequest, init?: CallOptions): AsyncGenerator<SearchPropertiesResponse, void, undefined>;
  /** The underlying openapi-fetch client: returns `{ data, error, response }`, never retries. */
  raw: Client<paths>;
}

function assertTimeout(timeoutMs: unknown): void {
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) throw new TypeError(`timeoutMs must be a number > 0, got ${String(timeoutMs)}`);
}

export function createClient(options: ClientOptions): BatchDataClient {
  const { baseUrl = DEFAULT_BASE_URL, token, fetch: customFetch, retry, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  if (typeof token !== 'string' || token === '') throw new TypeError('createClient needs a non-empty token');
  assertTimeout(timeoutMs);
  resolveRetryPolicy(retry);
  const raw = createFetchClient<paths>({ baseUrl, fetch: customFetch, headers: { Authorization: `Bearer ${token}` } });
  raw.use(parameterGuard);
  const transport = classifyingFetch(customFetch ?? globalThis.fetch);

  /** Runs one helper call. Only `signal` and `headers` of the caller's options reach openapi-fetch. */
  function call<T>(init: CallOptions, replaySafe: boolean, attempt: (request: AttemptInit) => Promise<T>): Promise<T> {
    const callTimeoutMs = init.timeoutMs ?? timeoutMs;
    assertTimeout(callTimeoutMs);
    return runCall((signal) => attempt({ signal, headers: init.headers, parseAs: 'text', fetch: transport }), {
      retry: resolveRetryPolicy(retry, init.retry),
      timeoutMs: callTimeoutMs,
      signal: init.signal,
      replaySafe,
    });
  }

  const client: BatchDataClient = {
    raw,
    async deleteSearchSession(searchSessionId, init = {}) {
      assertSearchSessionId(searchSessionId);
      const notFound = { 404: (error: BatchDataApiErrorInit) => new SearchSessionNotFoundError(error, searchSessionId) };
      // Not replay-safe: a delete whose answer was lost may have happened, and its replay would say 404.
      return call(init, false, (request) =>
        unwrap<DeleteSearchSessionResponse>(
          raw.DELETE('/api/v2/property/search-sessions/{searchSessionId}', { ...request, params: { path: { searchSessionId } } }),
          notFound,
        ),
      );
    },
    async listSearchSessions(query = {}, init = {}) {
      assertPageQuery(query);
      const params = { query: { skip: query.skip, take: query.take } };
      return call(init, true, (request) =>
        unwrap<ListSearchSessionsResponse>(raw.GET('/api/v2/property/search-sessions', { ...request, params })),
      );
    },
    async searchProperties(body, init = {}) {
      const checked = checkedSearchRequest(body);
      if (init.idempotencyKey !== undefined) assertIdempotencyKey(init.idempotencyKey);
      // Without a key a retried session search could deliver a second page, and the first is lost.
      const key = init.idempotencyKey ?? (checked.options?.searchSession === undefined ? undefined : newIdempotencyKey());
      const params = { header: key === undefined ? undefined : { 'Idempotency-Key': key } };
      return call(init, true, (request) =>
        unwrap<SearchPropertiesResponse>(
          raw.POST('/api/v1/property/search', { ...request, params, body: checked as GeneratedSearchBody }),
        ),
      );
    },
    allSearchSessions({ take = TAKE_RANGE.maximum, ...init } = {}) {
      assertOptionalInteger('take', take, TAKE_RANGE);
      return eachSearchSession((query) => client.listSearchSessions(query, init), take);
    },
    searchSessionPages(body, init = {}) {
      const checked = checkedSearchRequest(body) as SessionSearchRequest;
      if (checked.options?.searchSession === undefined) refuse('options.searchSession', 'options.searchSession is required');
      // Only these: one idempotencyKey for every page would fetch the first page forever.
      const { signal, headers, retry: pageRetry, timeoutMs: pageTimeoutMs } = init;
      return eachSessionPage((page) => client.searchProperties(page, { signal, headers, retry: pageRetry, timeoutMs: pageTimeoutMs }), checked);
    },
    searchCursorPages(body, init = {}) {
      // Checked as a first page would be: options beyond `take` are the SDK's to set.
      const checked = checkedSearchRequest({ ...body, options: { ...body.options, useCursorPagination: true } });
      const { take, pageCursor } = (checked.options ?? {}) as NonNullable<CursorWalkRequest['options']>;
      const walk: CursorWalkRequest = { searchCriteria: checked.searchCriteria, options: withoutUndefined({ take, pageCursor }) };
      return eachCursorPage((page) => client.searchProperties(page, init), walk);
    },
  };
  return client;
}

interface AttemptInit {
  signal: AbortSignal;
  headers: CallOptions['headers'];
  parseAs: 'text';
  fetch: Fetch;
}

// openapi-fetch's body type, which wrongly requires `take` and `skip` (see types.ts).
type GeneratedSearchBody = paths['/api/v1/property/search']['post']['requestBody']['content']['application/json'];

// A key for one logical search request. getRandomValues, not randomUUID: the latter exists only in
// secure contexts, and a browser app may be served over plain HTTP.
export function newIdempotencyKey(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return `bd-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
