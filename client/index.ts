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
export { BatchDataError, type BatchDataErrorKind } from './batchdata-error.js';
export {
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
} from './api-error.js';
export { BatchDataNetworkError, BatchDataTimeoutError } from './transport-error.js';
export type { Fetch } from './transport.js';
export { BatchDataValidationError, type ValidatedParameter } from './validation-error.js';
export { isBatchDataError, type AnyBatchDataError } from './any-error.js';
export { DEFAULT_RETRY, NEVER_RETRIED, type RetryEvent, type RetryOptions } from './retry-policy.js';
export {
  CURSOR_CONFLICT_MESSAGES,
  IDEMPOTENCY_KEY_PATTERN,
  PAGE_CURSOR_RULE,
  SEARCH_SESSION_ID_PATTERN,
  SEARCH_SKIP_RANGE,
  SEARCH_TAKE_RANGE,
  SKIP_RANGE,
  TAKE_RANGE,
} from './rules.js';
export type * from './types.js';
export type { components, operations, paths } from '../generated/openapi.js';
