// Checks a search body as the server would, before anything is sent, and returns a fresh copy of
// it: the copy is what every retry sends, so a caller reusing or changing its object mid-call can
// never make a retry's body differ from the first attempt's (which the API answers with a 409).
import {
  CURSOR_CONFLICT_MESSAGES,
  PAGE_CURSOR_RULE,
  SEARCH_QUERY_RULE,
  SEARCH_REQUEST_FIELDS,
  SEARCH_SESSION_ID_PATTERN,
  SEARCH_SKIP_RANGE,
  SEARCH_TAKE_RANGE,
  SKIP_WITH_SESSION_MESSAGE,
} from './rules.js';
import type { SearchRequest } from './types.js';
import { assertMatches, assertOptionalInteger, refuse } from './validation.js';
import { withoutUndefined } from './without-undefined.js';

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
