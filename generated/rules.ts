// Generated from openapi.yaml by `npm run generate` (scripts/generate-rules.js). Do not edit:
// change the spec and generate again.

/** The roles a bearerAuth requirement names: the abilities a token can carry. */
export const ABILITIES = ["property-search", "property-search-sessions"] as const;

/** `components.schemas.SearchSessionId.pattern`: the only session ids the API accepts. */
export const SEARCH_SESSION_ID_PATTERN = /^[a-zA-Z0-9_-]{1,128}$/;

/** `components.parameters.Skip.schema`. */
export const SKIP_RANGE = { minimum: 0 } as const;

/** `components.parameters.Take.schema`. */
export const TAKE_RANGE = { minimum: 1, maximum: 100 } as const;

/** `SearchRequest` `options.take`. */
export const SEARCH_TAKE_RANGE = { minimum: 1, maximum: 500 } as const;

/** `SearchRequest` `options.skip`. */
export const SEARCH_SKIP_RANGE = { minimum: 0 } as const;

/** `searchCriteria.query`: its pattern and length limits, and the rule the spec words for people (`x-rule`). */
export const SEARCH_QUERY_RULE = {
  pattern: /^\s*(\d{5}|[A-Za-z]{2}|[^,]*[^,\s][^,]*,\s*[A-Za-z]{2})\s*$/,
  minLength: 2,
  maxLength: 200,
  message: "searchCriteria.query must be a ZIP code (85020), a state (AZ) or a city and state (Phoenix, AZ)",
} as const;

/** The fields `SearchRequest` has, at each level; the API answers 400 to any other. */
export const SEARCH_REQUEST_FIELDS = {
  "": ["searchCriteria", "options"],
  searchCriteria: ["query"],
  options: ["take", "skip", "searchSession", "useCursorPagination", "pageCursor"],
} as const;

/** `options.pageCursor`: its pattern and length limit, and the rule the spec words for people (`x-rule`). */
export const PAGE_CURSOR_RULE = {
  pattern: /^[A-Za-z0-9_-]+$/,
  maxLength: 512,
  message: "options.pageCursor is not a cursor this server issued: send results.nextPageCursor from the previous page unchanged.",
} as const;

/** `components.parameters.IdempotencyKey.schema.pattern`. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,255}$/;

/** The words of the SkipWithSession example, a rule no schema keyword can state. */
export const SKIP_WITH_SESSION_MESSAGE = "options.skip cannot be used with options.searchSession: a search session is forward-only.";

/** The words of the examples PageCursorWithoutCursorPagination, SkipWithCursor and CursorWithSession: the options cursor pagination cannot be combined with. */
export const CURSOR_CONFLICT_MESSAGES = {
  pageCursorAlone: "options.pageCursor needs options.useCursorPagination: true.",
  skip: "options.skip cannot be used with options.useCursorPagination: the cursor marks where the next page starts.",
  searchSession: "options.useCursorPagination cannot be used with options.searchSession: a search session keeps its own place.",
} as const;
