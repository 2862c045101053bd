// Every concrete error the SDK throws, as one union: `switch (error.kind)` on it narrows to the
// class, so each case sees that class's own fields (`retryAfterMs`, `searchSessionId`, …).
import type { AnyApiError } from './api-error.js';
import { BatchDataError } from './batchdata-error.js';
import type { BatchDataNetworkError, BatchDataTimeoutError } from './transport-error.js';
import type { BatchDataValidationError } from './validation-error.js';

export type AnyBatchDataError = BatchDataValidationError | BatchDataNetworkError | BatchDataTimeoutError | AnyApiError;

/** True for every error the SDK throws on purpose, typed so that `switch (error.kind)` narrows. */
export function isBatchDataError(error: unknown): error is AnyBatchDataError {
  return error instanceof BatchDataError;
}
