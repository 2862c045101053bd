// Property Search requests: bodies drawn from the spec's SearchRequest (the three query forms,
// take and skip across and beyond their bounds, session ids, cursor pagination with cursors no
// client could have been given), the same bodies broken (unknown
// fields, wrong types, any JSON, truncated or no JSON at all), content types, and Idempotency-Keys
// inside and outside their pattern.
import fc from 'fast-check';
import { headerText } from './credentials.js';
import { IDEMPOTENCY_KEY, QUERY_PATTERN, SEARCH_TAKE, SESSION_ID, matchesSearchRequest } from './spec-rules.js';

export interface SearchRequestCase {
  contentType: string | null;
  body: string;
  idempotencyKey: string | null;
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8'];

const queries = fc.oneof(
  { weight: 2, arbitrary: fc.stringMatching(/^\d{5}$/) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z]{2}$/) },
  { weight: 3, arbitrary: fc.constantFrom('Phoenix, AZ', 'phoenix,az', '  San Antonio , TX ', 'Austin, TX', 'AZ', 'tx', '85020', '00000') },
  { weight: 2, arbitrary: fc.stringMatching(QUERY_PATTERN).filter((query) => query.length >= 2 && query.length <= 200) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);

const takes = fc.oneof(fc.integer({ min: SEARCH_TAKE.minimum! - 2, max: SEARCH_TAKE.maximum! + 2 }), fc.integer({ min: 1, max: 30 }));
const skips = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: -2, max: 5_000 }) }, { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 22n }).map(Number) });
// A few ids come back again and again, so sessions advance, replay keys and run out of matches;
// the rest are new, so the team's 100 slots fill up.
const sessionIds = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('fuzz-a', 'fuzz-b', 'fuzz-c') },
  { weight: 2, arbitrary: fc.stringMatching(SESSION_ID) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
);

// Made up, so never signed by the server: mostly of the cursor alphabet, some not.
const pageCursors = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,100}$/) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
const cursorFlags = fc.oneof({ weight: 6, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 0 }) });

const options = fc.oneof(
  { weight: 4, arbitrary: fc.record({ take: takes, skip: skips }, { requiredKeys: [] }) },
  { weight: 4, arbitrary: fc.record({ take: takes, searchSession: sessionIds }, { requiredKeys: ['searchSession'] }) },
  { weight: 1, arbitrary: fc.record({ take: takes, skip: skips, searchSession: sessionIds }, { requiredKeys: [] }) },
  { weight: 2, arbitrary: fc.record({ take: takes, useCursorPagination: cursorFlags, pageCursor: pageCursors }, { requiredKeys: ['useCursorPagination'] }) },
  { weight: 1, arbitrary: fc.record({ take: takes, skip: skips, searchSession: sessionIds, useCursorPagination: cursorFlags, pageCursor: pageCursors }, { requiredKeys: [] }) },
);
const searchBodies = fc.record({ searchCriteria: fc.record({ query: queries }), options }, { requiredKeys: ['searchCriteria'] });

// One change that may break a body: a field it does not have, or a field given any JSON value.
const breakages = fc.record({
  at: fc.constantFrom('', 'searchCriteria', 'options'),
  field: fc.constantFrom('pageSize', 'query', 'take', 'skip', 'searchSession', 'useCursorPagination', 'pageCursor', 'searchCriteria', 'options', '__proto__', 'extra'),
  value: fc.jsonValue({ maxDepth: 2 }),
});

function broken(body: Record<string, unknown>, { at, field, value }: { at: string; field: string; value: unknown }): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  const holder = at === '' ? copy : ((copy[at] ??= {}) as Record<string, unknown>);
  // Defined, not assigned: `__proto__` must become a field of the JSON, not the object's prototype.
  if (typeof holder === 'object' && holder !== null) Object.defineProperty(holder, field, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

const bodies = fc.oneof(
  { weight: 10, arbitrary: searchBodies.map((body) => JSON.stringify(body)) },
  { weight: 3, arbitrary: fc.tuple(searchBodies, breakages).map(([body, breakage]) => JSON.stringify(broken(body, breakage))) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.tuple(searchBodies, fc.nat()).map(([body, cut]) => JSON.stringify(body).slice(0, cut % JSON.stringify(body).length)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

const idempotencyKeys = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.oneof(fc.constantFrom('page-1', 'page-2', '2026-05-12:leads.7'), fc.stringMatching(IDEMPOTENCY_KEY)) },
  // Never empty or padded: an HTTP parser trims a header value's edges, which would change it.
  { weight: 1, arbitrary: headerText({ minLength: 1, maxLength: 300 }).filter((key) => key.trim() === key && key !== '') },
);

const contentTypes = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...JSON_TYPES) },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', null) },
);

export const searchRequests: fc.Arbitrary<SearchRequestCase> = fc.record({ contentType: contentTypes, body: bodies, idempotencyKey: idempotencyKeys });

function parsedJson(request: SearchRequestCase): { ok: true; value: unknown } | { ok: false } {
  if (request.contentType === null || !JSON_TYPES.includes(request.contentType)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(request.body) };
  } catch {
    return { ok: false };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether the body names a session, which asks for property-search-sessions (x-abilities-when-present). */
export function namesSession(request: SearchRequestCase): boolean {
  const parsed = parsedJson(request);
  return parsed.ok && isObject(parsed.value) && isObject(parsed.value.options) && Object.hasOwn(parsed.value.options, 'searchSession');
}

/**
 * What an authorised search is owed: 415 for a body that is not sent as JSON (checked before the
 * body is read), 400 for anything outside the spec's request or combining what the spec says cannot
 * be combined, and for a cursor the server did not sign (none here could be), else 200, or 409 once
 * a session is involved.
 */
export function owedToSearch(request: SearchRequestCase): number[] {
  const sendsBody = request.body !== '';
  if (sendsBody && (request.contentType === null || !JSON_TYPES.includes(request.contentType))) return [415];
  if (request.idempotencyKey !== null && !IDEMPOTENCY_KEY.test(request.idempotencyKey)) return [400];
  const parsed = parsedJson(request);
  if (!parsed.ok || !matchesSearchRequest(parsed.value)) return [400];
  const { options = {} } = parsed.value as { options?: Record<string, unknown> };
  // openapi.yaml: a cursor needs cursor pagination, which takes neither a session nor skip.
  if (options.pageCursor !== undefined) return [400];
  if (options.useCursorPagination === true) return options.searchSession !== undefined || options.skip !== undefined ? [400] : [200];
  // openapi.yaml: skip with a session is refused, a session being forward-only.
  if (options.searchSession !== undefined && options.skip !== undefined) return [400];
  return options.searchSession === undefined ? [200] : [200, 409];
}
