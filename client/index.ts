// The BatchData Search Sessions SDK: typed helpers over openapi-fetch and the types generated from
// openapi.yaml. Helpers check their parameters before a URL exists and throw on any non-2xx answer.
import createFetchClient, { type Client } from 'openapi-fetch';
import type { operations, paths } from '../generated/openapi.js';
import { parameterGuard } from './parameter-guard.js';
import { unwrap } from './unwrap.js';
import { assertPageQuery, assertSearchSessionId } from './validation.js';

export { BatchDataApiError, type BatchDataApiErrorInit } from './api-error.js';
export { BatchDataValidationError, type ValidatedParameter } from './validation-error.js';
export { SEARCH_SESSION_ID_PATTERN, SKIP_RANGE, TAKE_RANGE } from './rules.js';
export type { components, operations, paths } from '../generated/openapi.js';

/** BatchData's production host, the spec's first server, so apps built on this SDK reach the real API. */
export const DEFAULT_BASE_URL = 'https://api.batchdata.com';

export interface ClientOptions {
  baseUrl?: string;
  /** A team's API token with the `property-search-sessions` ability. */
  token: string;
  /** Defaults to `globalThis.fetch` as it is when the client is created. */
  fetch?: (request: Request) => Promise<Response>;
}

/** Per-call options. Deliberately narrow: nothing here can change how the URL is built. */
export interface CallOptions {
  signal?: AbortSignal;
  headers?: Record<string, string> | Headers;
}

export type DeleteSearchSessionResponse =
  operations['deleteSearchSession']['responses'][200]['content']['application/json'];
export type ListSearchSessionsResponse =
  operations['listSearchSessions']['responses'][200]['content']['application/json'];
export type ListSearchSessionsQuery = NonNullable<operations['listSearchSessions']['parameters']['query']>;

export interface BatchDataClient {
  /** Deletes the session and its delivered-id state, freeing one of the team's 100 slots. */
  deleteSearchSession(searchSessionId: string, init?: CallOptions): Promise<DeleteSearchSessionResponse>;
  /** A page of the team's sessions, oldest first. Omitted parameters take the server's defaults. */
  listSearchSessions(query?: ListSearchSessionsQuery, init?: CallOptions): Promise<ListSearchSessionsResponse>;
  /** The underlying openapi-fetch client: returns `{ data, error, response }` instead of throwing. */
  raw: Client<paths>;
}

// Only these reach openapi-fetch, so a stray `baseUrl` or `pathSerializer` from a JavaScript caller
// cannot bypass the checks.
function callInit({ signal, headers }: CallOptions) {
  return { signal, headers };
}

export function createClient({ baseUrl = DEFAULT_BASE_URL, token, fetch: customFetch }: ClientOptions): BatchDataClient {
  if (typeof token !== 'string' || token === '') throw new TypeError('createClient needs a non-empty token');
  const raw = createFetchClient<paths>({ baseUrl, fetch: customFetch, headers: { Authorization: `Bearer ${token}` } });
  raw.use(parameterGuard);

  return {
    raw,
    async deleteSearchSession(searchSessionId, init = {}) {
      assertSearchSessionId(searchSessionId);
      return unwrap(
        raw.DELETE('/api/v2/property/search-sessions/{searchSessionId}', {
          ...callInit(init),
          params: { path: { searchSessionId } },
        }),
      );
    },
    async listSearchSessions(query = {}, init = {}) {
      assertPageQuery(query);
      return unwrap(
        raw.GET('/api/v2/property/search-sessions', {
          ...callInit(init),
          params: { query: { skip: query.skip, take: query.take } },
        }),
      );
    },
  };
}
