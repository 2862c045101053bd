// Every error the SDK throws on purpose, under one root class with a literal `kind`: a request it
// refused to send, a failure with no answer, and one class per error status the API documents.

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

// A request the SDK refused to send. It carries the same message the server would have answered
// with, so callers see one wording whether the SDK or the API caught the mistake.
/** The parameter or body field at fault, named as the server names it (`options.take`). */
export type ValidatedParameter =
  | 'searchSessionId'
  | 'skip'
  | 'take'
  | 'Idempotency-Key'
  | 'body'
  | 'searchCriteria'
  | 'searchCriteria.query'
  | 'options'
  | 'options.take'
  | 'options.skip'
  | 'options.searchSession'
  | 'options.useCursorPagination'
  | 'options.pageCursor'
  // An unknown body field, by its path.
  | (string & {});

export class BatchDataValidationError extends BatchDataError {
  // Set explicitly: minifiers rename classes, and `name` is what logs show.
  override readonly name = 'BatchDataValidationError';
  readonly kind = 'validation';

  constructor(
    readonly parameter: ValidatedParameter,
    message: string,
  ) {
    super(message);
  }
}

// Failures with no answer from the API. Neither says whether the server acted on the request, which
// is why only calls that are safe to replay retry them (see retries.ts).
// Node's fetch says only "fetch failed"; the reason (`connect ECONNREFUSED 127.0.0.1:9`) is its cause.
function describe(error: unknown): string {
  const messages: string[] = [];
  for (let current = error; current instanceof Error && messages.length < 3; current = current.cause) {
    messages.push(current.message);
  }
  return messages.length === 0 ? String(error) : messages.join(': ');
}

/** The request could not be sent or its answer not read: refused connection, DNS, reset, CORS. */
export class BatchDataNetworkError extends BatchDataError {
  override readonly name = 'BatchDataNetworkError';
  readonly kind = 'network';

  /** `origin`: where the request went, so a wrong (or missing) base URL is plain to see. */
  constructor(cause: unknown, origin?: string) {
    super(`Could not reach BatchData${origin ? ` at ${origin}` : ''}: ${describe(cause)}`, { cause });
  }
}

/** No complete answer arrived within the attempt's time limit; the attempt was aborted. */
export class BatchDataTimeoutError extends BatchDataError {
  override readonly name = 'BatchDataTimeoutError';
  readonly kind = 'timeout';
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`BatchData did not answer within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

// Every non-2xx answer becomes one of these, one class per status the API documents, so a caller
// narrows with `instanceof SearchSessionNotFoundError` or `switch (error.kind)` instead of comparing
// messages. Statuses the API does not document become UnexpectedResponseError.
export interface BatchDataApiErrorInit {
  /** The reason phrase, e.g. `Not Found`. */
  text: string;
  message: string;
  /** The request's ULID, to quote to support; absent only when the answer carried none. */
  requestId: string | undefined;
  /** The answer itself; its status is the error's status. Its body has already been read. */
  response: Response;
}

export type ApiErrorKind = Exclude<BatchDataError['kind'], 'validation' | 'network' | 'timeout'>;

export abstract class BatchDataApiError<S extends number = number> extends BatchDataError {
  abstract override readonly kind: ApiErrorKind;
  readonly status: S;
  readonly text: string;
  readonly requestId: string | undefined;
  /** For headers such as `Retry-After` and `RateLimit`. */
  readonly response: Response;

  constructor(init: BatchDataApiErrorInit) {
    super(init.message);
    this.status = init.response.status as S;
    this.text = init.text;
    this.requestId = init.requestId;
    this.response = init.response;
  }
}

type ApiErrorClass<S extends number, K extends ApiErrorKind> = new (init: BatchDataApiErrorInit) => BatchDataApiError<S> & {
  readonly kind: K;
};

// The classes below differ only in status, kind and name, so one function makes their common
// base. `name` is set explicitly because minifiers rename classes, and `name` is what logs show.
// The declared return type keeps the published declarations short and free of Node's types.
function apiErrorClass<S extends number, K extends ApiErrorKind>(kind: K, name: string): ApiErrorClass<S, K> {
  return class extends BatchDataApiError<S> {
    override readonly name = name;
    readonly kind = kind;
  };
}

/** 400: the request broke a rule the message names. Retrying it unchanged fails the same way. */
export class BadRequestError extends apiErrorClass<400, 'bad-request'>('bad-request', 'BadRequestError') {}

/** 401: the token is missing, unknown or revoked (`Invalid token.`). */
export class UnauthorizedError extends apiErrorClass<401, 'unauthorized'>('unauthorized', 'UnauthorizedError') {}

/** 403: the token lacks an ability the operation needs. */
export class ForbiddenError extends apiErrorClass<403, 'forbidden'>('forbidden', 'ForbiddenError') {}

/** 404 from anything but a session delete: usually a base URL that is not this API. */
export class NotFoundError extends apiErrorClass<404, 'not-found'>('not-found', 'NotFoundError') {}

/** 404 from deleteSearchSession: the team has no session with this id (or it was already deleted). */
export class SearchSessionNotFoundError extends apiErrorClass<404, 'search-session-not-found'>('search-session-not-found', 'SearchSessionNotFoundError') {
  constructor(
    init: BatchDataApiErrorInit,
    readonly searchSessionId: string,
  ) {
    super(init);
  }
}

/** 409: the team holds 100 sessions already, or an Idempotency-Key was reused with another body. */
export class ConflictError extends apiErrorClass<409, 'conflict'>('conflict', 'ConflictError') {}

/** 429: the token is over its requests per minute. Retried by the SDK; thrown when retries run out. */
export class RateLimitedError extends apiErrorClass<429, 'rate-limited'>('rate-limited', 'RateLimitedError') {
  /** What `Retry-After` asked for, in milliseconds; undefined when the answer had none. */
  readonly retryAfterMs = parseRetryAfter(this.response.headers.get('Retry-After'), Date.now());
}

/** 500: the server failed; quote `requestId` to support. */
export class InternalServerError extends apiErrorClass<500, 'internal-server-error'>('internal-server-error', 'InternalServerError') {}

/** 503: the API's data store is unreachable for now. Retried by the SDK; thrown when retries run out. */
export class ServiceUnavailableError extends apiErrorClass<503, 'service-unavailable'>('service-unavailable', 'ServiceUnavailableError') {
  /** What `Retry-After` asked for, in milliseconds; undefined when the answer had none. */
  readonly retryAfterMs = parseRetryAfter(this.response.headers.get('Retry-After'), Date.now());
}

/** Any other status, or a 2xx whose body is not the documented response. */
export class UnexpectedResponseError extends apiErrorClass<number, 'unexpected-response'>('unexpected-response', 'UnexpectedResponseError') {}

/** Every API error class, each under the status it stands for; the SDK picks from this table. */
export const API_ERROR_BY_STATUS: Readonly<Record<number, new (init: BatchDataApiErrorInit) => BatchDataApiError>> = {
  400: BadRequestError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitedError,
  500: InternalServerError,
  503: ServiceUnavailableError,
};

export type AnyApiError =
  | BadRequestError
  | UnauthorizedError
  | ForbiddenError
  | NotFoundError
  | SearchSessionNotFoundError
  | ConflictError
  | RateLimitedError
  | InternalServerError
  | ServiceUnavailableError
  | UnexpectedResponseError;

// Every concrete error the SDK throws, as one union: `switch (error.kind)` on it narrows to the
// class, so each case sees that class's own fields (`retryAfterMs`, `searchSessionId`, …).
export type AnyBatchDataError = BatchDataValidationError | BatchDataNetworkError | BatchDataTimeoutError | AnyApiError;

/** True for every error the SDK throws on purpose, typed so that `switch (error.kind)` narrows. */
export function isBatchDataError(error: unknown): error is AnyBatchDataError {
  return error instanceof BatchDataError;
}

// `Retry-After` is either whole seconds or an HTTP date (RFC 9110 §10.2.3). The API sends seconds;
// a proxy or BatchData's production edge may send a date.
/** Milliseconds to wait, or undefined when the header is absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
