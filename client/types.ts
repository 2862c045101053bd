// The shapes callers handle, named once and taken from the types generated from openapi.yaml.
import type { components, operations } from '../generated/openapi.js';

type Success<Operation extends keyof operations> =
  operations[Operation]['responses'][200]['content']['application/json'];

export type DeleteSearchSessionResponse = Success<'deleteSearchSession'>;
export type ListSearchSessionsResponse = Success<'listSearchSessions'>;
export type SearchPropertiesResponse = Success<'searchProperties'>;
export type ListSearchSessionsQuery = NonNullable<operations['listSearchSessions']['parameters']['query']>;
export type SearchSession = components['schemas']['SearchSession'];
export type Property = components['schemas']['Property'];

type GeneratedSearchRequest = components['schemas']['SearchRequest'];
type GeneratedOptions = NonNullable<GeneratedSearchRequest['options']>;

// The generated options mark `take` and `skip` required because the spec gives them defaults; in a
// request both are optional, and `skip` with `searchSession` is a 400, which these types rule out.
export interface PlainSearchOptions {
  take?: GeneratedOptions['take'];
  skip?: GeneratedOptions['skip'];
  useCursorPagination?: false;
  searchSession?: never;
  pageCursor?: never;
}

export interface SessionSearchOptions {
  take?: GeneratedOptions['take'];
  searchSession: NonNullable<GeneratedOptions['searchSession']>;
  skip?: never;
  useCursorPagination?: false;
  pageCursor?: never;
}

/** Cursor pagination: without `pageCursor` a walk's first page, with it the page after that cursor. */
export interface CursorSearchOptions {
  take?: GeneratedOptions['take'];
  useCursorPagination: true;
  pageCursor?: NonNullable<GeneratedOptions['pageCursor']>;
  skip?: never;
  searchSession?: never;
}

export interface SearchRequest {
  searchCriteria: GeneratedSearchRequest['searchCriteria'];
  options?: PlainSearchOptions | SessionSearchOptions | CursorSearchOptions;
}

/**
 * A walk by cursor, as searchCursorPages takes it (the SDK asks for cursor pagination itself). With
 * `pageCursor`, a walk resumed after the page that cursor came with, e.g. one saved before a crash.
 */
export interface CursorWalkRequest {
  searchCriteria: GeneratedSearchRequest['searchCriteria'];
  options?: { take?: GeneratedOptions['take']; pageCursor?: NonNullable<GeneratedOptions['pageCursor']> };
}

/** A search through a session, as searchSessionPages takes it. */
export interface SessionSearchRequest {
  searchCriteria: GeneratedSearchRequest['searchCriteria'];
  options: SessionSearchOptions;
}
