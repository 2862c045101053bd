// Checks that run before a URL is built. openapi-fetch encodes path values with encodeURIComponent,
// which leaves `.` alone, so an id of `..` would be normalised into a request for another resource;
// the only safe id is one that already matches the spec's pattern.
import { SEARCH_SESSION_ID_PATTERN, SKIP_RANGE, TAKE_RANGE } from './rules.js';
import { BatchDataValidationError } from './validation-error.js';

/** The page parameters as a caller may pass them; plain JavaScript callers can pass anything. */
export interface PageQuery {
  skip?: unknown;
  take?: unknown;
}

// Safe integers only: anything larger is serialised in exponent form, which the server rejects.
function isInteger(value: unknown): value is number {
  return Number.isSafeInteger(value);
}

export function assertSearchSessionId(value: unknown): asserts value is string {
  if (typeof value !== 'string' || !SEARCH_SESSION_ID_PATTERN.test(value)) {
    throw new BatchDataValidationError('searchSessionId', `searchSessionId must match ${SEARCH_SESSION_ID_PATTERN}`);
  }
}

/** Absent parameters are left to the server's defaults. */
export function assertPageQuery({ skip, take }: PageQuery): void {
  if (skip !== undefined && !(isInteger(skip) && skip >= SKIP_RANGE.minimum)) {
    throw new BatchDataValidationError('skip', `skip must be an integer >= ${SKIP_RANGE.minimum}`);
  }
  if (take !== undefined && !(isInteger(take) && take >= TAKE_RANGE.minimum && take <= TAKE_RANGE.maximum)) {
    throw new BatchDataValidationError(
      'take',
      `take must be an integer between ${TAKE_RANGE.minimum} and ${TAKE_RANGE.maximum}`,
    );
  }
}
