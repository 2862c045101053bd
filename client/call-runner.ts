// One SDK call: attempts under a time limit, with waits between them as the retry policy says.
// Errors are thrown as they are; the caller's abort rejects with the caller's reason, never retried.
import { sleep, withTimeLimit } from './abortable.js';
import { BatchDataError } from './batchdata-error.js';
import { isRetryable, retryAfterOf, retryDelay, type RetryPolicy } from './retry-policy.js';
import { BatchDataTimeoutError } from './transport-error.js';

export interface CallSettings {
  retry: RetryPolicy;
  /** The limit on one attempt; the policy's maxElapsedMs limits them all. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Whether sending the request twice has the effect of sending it once. */
  replaySafe: boolean;
}

async function attemptOnce<T>(attempt: (signal: AbortSignal) => Promise<T>, deadline: number, settings: CallSettings): Promise<T> {
  const limitMs = Math.min(settings.timeoutMs, deadline - Date.now());
  const outcome = await withTimeLimit(attempt, limitMs, settings.signal);
  if (outcome.kind === 'timed-out') throw new BatchDataTimeoutError(limitMs);
  return outcome.value;
}

/** The wait before the next attempt, or undefined when the error is final. */
function nextDelay(error: unknown, attempt: number, deadline: number, settings: CallSettings): number | undefined {
  const { retry } = settings;
  if (!(error instanceof BatchDataError) || attempt >= retry.maxAttempts) return undefined;
  if (!isRetryable(error, retry, settings.replaySafe)) return undefined;
  const now = Date.now();
  const delayMs = retryDelay(retry, attempt, retryAfterOf(error, now), Math.random());
  // A wait that ends at the deadline leaves no time for the attempt it waits for.
  return now + delayMs < deadline ? delayMs : undefined;
}

export async function runCall<T>(attempt: (signal: AbortSignal) => Promise<T>, settings: CallSettings): Promise<T> {
  const deadline = Date.now() + settings.retry.maxElapsedMs;
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attemptOnce(attempt, deadline, settings);
    } catch (error) {
      const delayMs = nextDelay(error, attemptNumber, deadline, settings);
      if (delayMs === undefined) throw error;
      settings.retry.onRetry?.({ attempt: attemptNumber, delayMs, error: error as BatchDataError });
      await sleep(delayMs, settings.signal);
    }
  }
}
