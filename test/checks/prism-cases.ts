// The requests the Prism run sends, one per case: every operation's success and every documented
// failure, with who sends it, what the server must answer and whether Prism can route it.
import type { OutgoingRequest } from './support/send.js';

export const SEARCH = '/api/v1/property/search';
export const SESSIONS = '/api/v2/property/search-sessions';
export const RATE_LIMIT = 5;

/** Who sends a request; every member, limited and full-team request gets a token of its own, so only `throttled` ever meets the rate limit. */
export type Who = 'nobody' | 'stranger' | 'basic' | 'member' | 'limited' | 'fullTeam' | 'throttled';
export type StoreFailure = 'unavailable' | 'unexpected';

export interface Case {
  name: string;
  who: Who;
  request: OutgoingRequest;
  /** null: a path or method the spec does not have, which Prism cannot route, let alone judge. */
  operationId: string | null;
  status: number;
  storeFails?: StoreFailure;
}

interface Extra {
  who?: Who;
  headers?: Record<string, string>;
  storeFails?: StoreFailure;
}

const caseOf = (name: string, operationId: string | null, status: number, request: OutgoingRequest, extra: Extra): Case => ({
  name,
  operationId,
  status,
  who: extra.who ?? 'member',
  request: { ...request, headers: { ...request.headers, ...extra.headers } },
  ...(extra.storeFails ? { storeFails: extra.storeFails } : {}),
});
const search = (name: string, body: unknown, status: number, extra: Extra = {}) =>
  caseOf(name, 'searchProperties', status, { method: 'POST', target: SEARCH, headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }, extra);
const list = (name: string, query: string, status: number, extra: Extra = {}) => caseOf(name, 'listSearchSessions', status, { method: 'GET', target: SESSIONS + query }, extra);
const remove = (name: string, rawId: string, status: number, extra: Extra = {}) => caseOf(name, 'deleteSearchSession', status, { method: 'DELETE', target: `${SESSIONS}/${rawId}` }, extra);
const unrouted = (name: string, method: string, target: string, status: number, extra: Extra = {}) => caseOf(name, null, status, { method, target }, extra);

const phoenix = (options: Record<string, unknown> = {}) => ({ searchCriteria: { query: 'Phoenix, AZ' }, options: { take: 2, ...options } });
const BAD_ID = 400;

export const cases: Case[] = [
  // Every operation's success, through the seed's cycle.
  search('a plain page', { searchCriteria: { query: 'AZ' }, options: { take: 3, skip: 1 } }, 200),
  search('the first page of a new session', phoenix({ searchSession: 'prism-cycle' }), 200),
  search('the next page, with an Idempotency-Key', phoenix({ searchSession: 'prism-cycle' }), 200, { headers: { 'Idempotency-Key': 'page-2' } }),
  search('the same page again, replayed for its key', phoenix({ searchSession: 'prism-cycle' }), 200, { headers: { 'Idempotency-Key': 'page-2' } }),
  search('the first page of a walk by cursor', phoenix({ take: 2, useCursorPagination: true }), 200),
  list('the sessions', '', 200),
  list('a page of the sessions', '?skip=0&take=1', 200),
  list('a skip past the end', '?skip=1000', 200),
  remove('the session', 'prism-cycle', 200),
  remove('the session again', 'prism-cycle', 404),
  remove('an id that never existed', 'never-was', 404),
  search('the same id again, a new session', phoenix({ searchSession: 'prism-cycle' }), 200),

  // 400: every kind of bad request, on every operation.
  // A body that is not JSON is left out: Prism parses JSON bodies itself and answers one it
  // cannot parse with its own 400, so such a request never reaches the server (test/contract and
  // test/properties send them directly).
  search('a JSON body that is not an object', '[1,2]', 400),
  search('an empty body', '', 400),
  search('a body sent as text/plain', phoenix(), 415, { headers: { 'Content-Type': 'text/plain' } }),
  search('no searchCriteria', { options: { take: 1 } }, 400),
  search('a query of none of the three forms', { searchCriteria: { query: 'Phoenix' } }, 400),
  search('an unknown field', phoenix({ pageSize: 5 }), 400),
  search('take 0', phoenix({ take: 0 }), 400),
  search('take 501', phoenix({ take: 501 }), 400),
  search('take as a string', phoenix({ take: '5' }), 400),
  search('a negative skip', phoenix({ skip: -1 }), 400),
  search('skip with a session', phoenix({ skip: 2, searchSession: 'forward-only' }), 400),
  search('a session id with a space', phoenix({ searchSession: 'a b' }), 400),
  search('a page cursor this server did not issue', phoenix({ useCursorPagination: true, pageCursor: 'AAAA' }), 400),
  search('a page cursor with characters no cursor has', phoenix({ useCursorPagination: true, pageCursor: 'a+b' }), 400),
  search('skip with cursor pagination', phoenix({ useCursorPagination: true, skip: 0 }), 400),
  search('an Idempotency-Key outside its pattern', phoenix({ searchSession: 'keyed' }), 400, { headers: { 'Idempotency-Key': 'not a key' } }),
  ...['take=0', 'take=101', 'take=abc', 'take=1.5', 'take=', 'skip=-1', 'skip=1e2', 'skip=0x10', 'limit=5'].map((query) => list(`?${query}`, `?${query}`, 400)),
  remove('a query parameter on a delete', 'abc?force=true', 400),
  // Hostile ids as a client that does not encode sends them. Raw spaces, controls and non-ASCII
  // bytes are left out: Prism's own HTTP parser refuses them before the server could answer. So
  // are `.`, `..` and `%2E%2E`, which Prism resolves away before forwarding. test/contract sends
  // all of them to the server directly.
  ...['a%2Fb', 'a'.repeat(129), 'a%20b', 'a%09b', '%ZZ', '%E0%A4', 'caf%C3%A9', 'a+b', 'a~b', "a!$&'()*,;=:@b", ''].map((id) => remove(`the hostile id ${JSON.stringify(id.length > 20 ? `${id.slice(0, 8)}…(${id.length})` : id)}`, id, BAD_ID)),
  unrouted('a literal extra segment in the id', 'DELETE', `${SESSIONS}/a/b`, BAD_ID),

  // 401: no token, an unknown one, another scheme; before any other check.
  search('a search without a token', phoenix(), 401, { who: 'nobody' }),
  list('a list without a token', '', 401, { who: 'nobody' }),
  remove('a delete without a token', 'abc', 401, { who: 'nobody' }),
  list('an unknown token', '', 401, { who: 'stranger' }),
  list('a Basic credential', '', 401, { who: 'basic' }),
  search('an unknown token with a bad body', phoenix({ take: 0, pageSize: 1 }), 401, { who: 'stranger' }),
  unrouted('a hostile id without a token', 'DELETE', `${SESSIONS}/a/b`, 401, { who: 'nobody' }),

  // 403: a token without property-search-sessions; before validation.
  list('a list without the ability', '', 403, { who: 'limited' }),
  remove('a delete without the ability', 'abc', 403, { who: 'limited' }),
  search('a session search without the ability', phoenix({ searchSession: 'not-mine' }), 403, { who: 'limited' }),
  search('a session search without the ability and a bad take', phoenix({ searchSession: 'not-mine', take: 0 }), 403, { who: 'limited' }),

  // 404 and 405 outside the spec's paths and methods.
  unrouted('a path the API does not have', 'GET', '/api/v2/nothing-here', 404),
  unrouted('PUT on a session', 'PUT', `${SESSIONS}/abc`, 405),
  unrouted('DELETE on the collection', 'DELETE', SESSIONS, 405),
  unrouted('GET on the search', 'GET', SEARCH, 405),

  // 409: the slot limit, and an Idempotency-Key reused with another body.
  search('a 101st session', phoenix({ searchSession: 'one-too-many' }), 409, { who: 'fullTeam' }),
  search('an existing session of a full team', phoenix({ searchSession: 'slot-1' }), 200, { who: 'fullTeam' }),
  search('a keyed page', phoenix({ searchSession: 'keyed' }), 200, { headers: { 'Idempotency-Key': 'reused' } }),
  search('the same key with another body', phoenix({ searchSession: 'keyed', take: 3 }), 409, { headers: { 'Idempotency-Key': 'reused' } }),

  // 429: one token over its limit, on every operation.
  ...Array.from({ length: RATE_LIMIT }, (_, i) => list(`request ${i + 1} of the rate limit`, '', 200, { who: 'throttled' })),
  list('a list over the limit', '', 429, { who: 'throttled' }),
  search('a search over the limit', phoenix(), 429, { who: 'throttled' }),
  remove('a delete over the limit', 'abc', 429, { who: 'throttled' }),

  // 503 and 500: the store unreachable, or failing unexpectedly.
  list('a list while the store is unreachable', '', 503, { storeFails: 'unavailable' }),
  search('a search while the store is unreachable', phoenix(), 503, { storeFails: 'unavailable' }),
  remove('a delete while the store is unreachable', 'abc', 503, { storeFails: 'unavailable' }),
  list('a list when the store fails unexpectedly', '', 500, { storeFails: 'unexpected' }),
];
