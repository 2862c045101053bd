// The root of every error the SDK throws on purpose. `kind` is a literal on each concrete class, so
// `switch (error.kind)` over `AnyBatchDataError` narrows to the class, fields included, without
// instanceof chains or message compares.

export type BatchDataErrorKind =
  | 'validation'
  | 'network'
  | 'timeout'
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'search-session-not-found'
  | 'conflict'
  | 'rate-limited'
  | 'internal-server-error'
  | 'service-unavailable'
  | 'unexpected-response';

export abstract class BatchDataError extends Error {
  abstract readonly kind: BatchDataErrorKind;
}
