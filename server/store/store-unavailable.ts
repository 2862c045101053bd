// Thrown by a store when its database cannot answer. The error handler maps status 503 to the
// documented 503 with Retry-After, so the client learns to come back rather than that we broke.
export class StoreUnavailableError extends Error {
  readonly status = 503;
  readonly retryAfterSeconds: number;

  constructor(cause: unknown, retryAfterSeconds = 5) {
    super('The data store is unavailable.', { cause });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
