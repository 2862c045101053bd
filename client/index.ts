// The BatchData Search Sessions SDK. Everything a caller imports is exported here and nowhere else.
export {
  createClient,
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  type BatchDataClient,
  type CallOptions,
  type ClientOptions,
  type SearchCallOptions,
  type SessionListOptions,
} from './client.js';
export {
  BatchDataError,
  type BatchDataErrorKind,
  BatchDataNetworkError,
  BatchDataTimeoutError,
  BatchDataValidationError,
  type ValidatedParameter,
  isBatchDataError,
  type AnyBatchDataError,
  BadRequestError,
  BatchDataApiError,
  ConflictError,
  ForbiddenError,
  InternalServerError,
  NotFoundError,
  RateLimitedError,
  SearchSessionNotFoundError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnexpectedResponseError,
  type AnyApiError,
  type ApiErrorKind,
  type BatchDataApiErrorInit,
} from './errors.js';
export type { Fetch } from './responses.js';
export { DEFAULT_RETRY, NEVER_RETRIED, type RetryEvent, type RetryOptions } from './retries.js';
export {
  CURSOR_CONFLICT_MESSAGES,
  IDEMPOTENCY_KEY_PATTERN,
  PAGE_CURSOR_RULE,
  SEARCH_SESSION_ID_PATTERN,
  SEARCH_SKIP_RANGE,
  SEARCH_TAKE_RANGE,
  SKIP_RANGE,
  TAKE_RANGE,
} from '../generated/rules.js';
export type * from './types.js';
export type { components, operations, paths } from '../generated/openapi.js';
