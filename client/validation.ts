// Checks that run before a URL is built. openapi-fetch encodes path values with encodeURIComponent,
// which leaves `.` alone, so an id of `..` would be normalised into a request for another resource;
// the only safe id is one that already matches the spec's pattern. Messages are worded as the
// server words them, from the same schema facts (see rules.ts).
import { IDEMPOTENCY_KEY_PATTERN, SEARCH_SESSION_ID_PATTERN, SKIP_RANGE, TAKE_RANGE } from './rules.js';
import { BatchDataValidationError, type ValidatedParameter } from './validation-error.js';

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
