// What the SDK refuses before anything is sent, in the words the server would answer with: path and
// query parameters (on the raw client too), Idempotency-Key, and the search body.
import type { Middleware } from 'openapi-fetch';
import {
  CURSOR_CONFLICT_MESSAGES,
  IDEMPOTENCY_KEY_PATTERN,
  PAGE_CURSOR_RULE,
  SEARCH_QUERY_RULE,
  SEARCH_REQUEST_FIELDS,
  SEARCH_SESSION_ID_PATTERN,
  SEARCH_SKIP_RANGE,
  SEARCH_TAKE_RANGE,
  SKIP_RANGE,
  SKIP_WITH_SESSION_MESSAGE,
  TAKE_RANGE,
} from '../generated/rules.js';
import type { SearchRequest } from './types.js';
import { BatchDataValidationError, type ValidatedParameter } from './errors.js';

// Checks that run before a URL is built. openapi-fetch encodes path values with encodeURIComponent,
// which leaves `.` alone, so an id of `..` would be normalised into a request for another resource;
// the only safe id is one that already matches the spec's pattern. Messages are worded as the
// server words them, from the same schema facts (generated/rules.ts).
/** The page parameters as a caller may pass them; plain JavaScript callers can pass anything. */
export interface PageQuery {
  skip?: unknown;
  take?: unknown;
}

export interface IntegerRange {
  minimum: number;
  maximum?: number;
}

export function refuse(parameter: ValidatedParameter, message: string): never {
  throw new BatchDataValidationError(parameter, message);
}

function integerRule(name: string, { minimum, maximum }: IntegerRange): string {
  return maximum === undefined
    ? `${name} must be an integer >= ${minimum}`
    : `${name} must be an integer between ${minimum} and ${maximum}`;
}

// Safe integers only: anything larger is serialised in exponent form, which the server rejects.
function isIntegerIn(value: unknown, { minimum, maximum = Infinity }: IntegerRange): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= minimum && value <= maximum;
}

/** Absent values are left to the server's defaults. */
export function assertOptionalInteger(name: ValidatedParameter, value: unknown, range: IntegerRange): void {
  if (value !== undefined && !isIntegerIn(value, range)) refuse(name, integerRule(name, range));
}

export function assertMatches(name: ValidatedParameter, value: unknown, pattern: RegExp): asserts value is string {
  if (typeof value !== 'string' || !pattern.test(value)) refuse(name, `${name} must match ${pattern}`);
}

export function assertSearchSessionId(value: unknown): asserts value is string {
  assertMatches('searchSessionId', value, SEARCH_SESSION_ID_PATTERN);
}

export function assertIdempotencyKey(value: unknown): asserts value is string {
  assertMatches('Idempotency-Key', value, IDEMPOTENCY_KEY_PATTERN);
}

export function assertPageQuery({ skip, take }: PageQuery): void {
  assertOptionalInteger('skip', skip, SKIP_RANGE);
  assertOptionalInteger('take', take, TAKE_RANGE);
}

// The raw client builds URLs from the same parameters as the helpers, so it gets the same checks:
// otherwise `raw.DELETE(…, { params: { path: { searchSessionId: '..' } } })` would send a request
// for a different resource. openapi-fetch runs this after building the Request, before fetching.
export const parameterGuard: Middleware = {
  onRequest({ schemaPath, params }) {
    if (schemaPath.includes('{searchSessionId}')) assertSearchSessionId(params.path?.searchSessionId);
    assertPageQuery(params.query ?? {});
  },
};

// Checks a search body as the server would, before anything is sent, and returns a fresh copy of
// it: the copy is what every retry sends, so a caller reusing or changing its object mid-call can
// never make a retry's body differ from the first attempt's (which the API answers with a 409).
type Level = keyof typeof SEARCH_REQUEST_FIELDS;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `level`, refusing a non-object and any field the spec does not have there. */
function objectAt(level: Level, value: unknown): Record<string, unknown> {
  if (!isObject(value)) {
    refuse(level || 'body', level ? `${level} must be an object` : 'The request body must be a JSON object.');
  }
  const known: readonly string[] = SEARCH_REQUEST_FIELDS[level];
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) {
    const path = level ? `${level}.${unknown}` : unknown;
    refuse(path, `Unknown field: ${path}`);
  }
  return value;
}

function checkedQuery(query: unknown): string {
  if (query === undefined) refuse('searchCriteria.query', 'searchCriteria.query is required');
  const { pattern, minLength, maxLength, message } = SEARCH_QUERY_RULE;
  const length = typeof query === 'string' ? [...query].length : 0;
  if (typeof query !== 'string' || length < minLength || length > maxLength || !pattern.test(query)) {
    refuse('searchCriteria.query', message);
  }
  return query;
}

function checkedPageCursor(pageCursor: unknown): string {
  const { pattern, maxLength, message } = PAGE_CURSOR_RULE;
  if (typeof pageCursor !== 'string' || pageCursor.length > maxLength || !pattern.test(pageCursor)) refuse('options.pageCursor', message);
  return pageCursor;
}

function checkedOptions(value: unknown): NonNullable<SearchRequest['options']> {
  const { take, skip, searchSession, useCursorPagination, pageCursor } = objectAt('options', value);
  assertOptionalInteger('options.take', take, SEARCH_TAKE_RANGE);
  assertOptionalInteger('options.skip', skip, SEARCH_SKIP_RANGE);
  if (searchSession !== undefined) assertMatches('options.searchSession', searchSession, SEARCH_SESSION_ID_PATTERN);
  if (useCursorPagination !== undefined && typeof useCursorPagination !== 'boolean') {
    refuse('options.useCursorPagination', 'options.useCursorPagination must be true or false');
  }
  const cursor = pageCursor === undefined ? undefined : checkedPageCursor(pageCursor);
  // In the server's order: a cursor needs cursor pagination, which takes neither a session nor skip.
  if (cursor !== undefined && useCursorPagination !== true) refuse('options.pageCursor', CURSOR_CONFLICT_MESSAGES.pageCursorAlone);
  if (useCursorPagination === true && searchSession !== undefined) refuse('options.useCursorPagination', CURSOR_CONFLICT_MESSAGES.searchSession);
  if (useCursorPagination === true && skip !== undefined) refuse('options.skip', CURSOR_CONFLICT_MESSAGES.skip);
  // Absent options stay absent, so the server applies its own defaults.
  const checkedTake = take as number | undefined;
  if (useCursorPagination === true) return { ...withoutUndefined({ take: checkedTake, pageCursor: cursor }), useCursorPagination: true };
  const plainFlag = useCursorPagination === false ? { useCursorPagination: false as const } : {};
  if (searchSession === undefined) return { ...withoutUndefined({ take: checkedTake, skip: skip as number | undefined }), ...plainFlag };
  if (skip !== undefined) refuse('options.skip', SKIP_WITH_SESSION_MESSAGE);
  return { ...withoutUndefined({ take: checkedTake }), searchSession: searchSession as string, ...plainFlag };
}

export function checkedSearchRequest(body: unknown): SearchRequest {
  const { searchCriteria, options } = objectAt('', body);
  if (searchCriteria === undefined) refuse('searchCriteria', 'searchCriteria is required');
  const query = checkedQuery(objectAt('searchCriteria', searchCriteria).query);
  return options === undefined ? { searchCriteria: { query } } : { searchCriteria: { query }, options: checkedOptions(options) };
}

// Options and request fields a caller left undefined must not override a default: spreading
// `{ take: undefined }` would.
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
