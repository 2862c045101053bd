// Thrown by a store when its database cannot answer. The error handler maps status 503 to the
// documented 503 with Retry-After, so the client learns to come back rather than that we broke.
export class StoreUnavailableError extends Error {
  readonly status = 503;
  readonly retryAfterSeconds: number;
  /** What an operator should be told (readiness shows it); never sent to API clients. */
  readonly detail: string | undefined;

  constructor(cause: unknown, retryAfterSeconds = 5, detail?: string) {
    super('The data store is unavailable.', { cause });
    this.retryAfterSeconds = retryAfterSeconds;
    this.detail = detail;
  }
}
