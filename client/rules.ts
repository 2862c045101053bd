// The request rules openapi.yaml states, held once so every check and its message agree.
// test/client/spec-drift.test.ts fails when these stop matching the spec.

/** `components.schemas.SearchSessionId.pattern`: the only ids the API accepts. */
export const SEARCH_SESSION_ID_PATTERN = /^[a-zA-Z0-9_-]{1,128}$/;

/** `components.parameters.Skip.schema`: an integer with no upper bound. */
export const SKIP_RANGE = { minimum: 0 } as const;

/** `components.parameters.Take.schema`. */
export const TAKE_RANGE = { minimum: 1, maximum: 100 } as const;
