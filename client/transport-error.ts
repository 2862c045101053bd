// Failures with no answer from the API. Neither says whether the server acted on the request, which
// is why only calls that are safe to replay retry them (see retry-policy.ts).
import { BatchDataError } from './batchdata-error.js';

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
