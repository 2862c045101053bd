// Retries: the policy (when to try again, how long to wait), the runner that applies it to one
// call, and the time limit on each attempt.
import { BatchDataApiError, BatchDataError, BatchDataTimeoutError, parseRetryAfter } from './errors.js';
import { withoutUndefined } from './input-checks.js';

// When to try again and how long to wait, as BatchData advises: back off exponentially, doubling
// each time, and honour Retry-After. Only answers that say "not now" (429, 503) are retried, and
// failures with no answer only for calls that are safe to replay; a 400, 401, 403, 404 or 409
// would fail the same way again, so no option can make the SDK retry one.
export interface RetryEvent {
  /** The attempt that failed, from 1. */
  attempt: number;
  /** How long the SDK waits before the next attempt. */
  delayMs: number;
  error: BatchDataError;
}

export interface RetryOptions {
  /** Attempts in all, the first included; 1 turns retrying off. Default 5. */
  maxAttempts?: number;
  /** The wait before the first retry; each later wait doubles it. Default 500 ms. */
  initialDelayMs?: number;
  /** The longest doubled wait. A longer Retry-After is still honoured. Default 20,000 ms. */
  maxDelayMs?: number;
  /**
   * The whole call, attempts and waits together, ends by then: no wait is started that would end
   * later, and an attempt in flight is cut at it. Default 120,000 ms.
   */
  maxElapsedMs?: number;
  /**
   * Each wait is stretched by a random fraction of itself, up to this (0 to 1), so clients told the
   * same Retry-After do not come back at the same instant. Default 0.2.
   */
  jitter?: number;
  /** Statuses to retry. Default [429, 503]. 400, 401, 403, 404 and 409 are refused. */
  statuses?: readonly number[];
  /** Retry network failures and timeouts of calls that are safe to replay (list, search). Default true. */
  networkErrors?: boolean;
  /** Called before each wait, e.g. to log it. */
  onRetry?: (event: RetryEvent) => void;
}

export type RetryPolicy = Required<Omit<RetryOptions, 'onRetry'>> & Pick<RetryOptions, 'onRetry'>;

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  initialDelayMs: 500,
  maxDelayMs: 20_000,
  maxElapsedMs: 120_000,
  jitter: 0.2,
  statuses: Object.freeze([429, 503]),
  networkErrors: true,
});

/** The seed: "Retrying on 400 … will fail the same way". The same holds for these. */
export const NEVER_RETRIED = Object.freeze([400, 401, 403, 404, 409]);

function assertNumber(name: keyof RetryOptions, value: number, minimum: number, maximum = Infinity): void {
  if (!(Number.isFinite(value) || value === Infinity) || value < minimum || value > maximum) {
    throw new TypeError(`retry.${name} must be a number between ${minimum} and ${maximum}, got ${value}`);
  }
}

/** Later layers win; `false` means a single attempt. Throws TypeError for a policy that cannot hold. */
export function resolveRetryPolicy(...layers: ReadonlyArray<RetryOptions | false | undefined>): RetryPolicy {
  let policy: RetryPolicy = DEFAULT_RETRY;
  for (const layer of layers) {
    if (layer === false) policy = { ...policy, maxAttempts: 1 };
    else if (layer !== undefined) policy = { ...policy, ...withoutUndefined(layer) };
  }
  if (!Number.isInteger(policy.maxAttempts)) throw new TypeError(`retry.maxAttempts must be an integer, got ${policy.maxAttempts}`);
  assertNumber('maxAttempts', policy.maxAttempts, 1);
  assertNumber('initialDelayMs', policy.initialDelayMs, 0);
  assertNumber('maxDelayMs', policy.maxDelayMs, 0);
  assertNumber('maxElapsedMs', policy.maxElapsedMs, 1);
  assertNumber('jitter', policy.jitter, 0, 1);
  const refused = policy.statuses.filter((status) => NEVER_RETRIED.includes(status));
  if (refused.length > 0) throw new TypeError(`retry.statuses may not include ${refused.join(', ')}: they fail the same way again`);
  return policy;
}

/**
 * The wait before retry number `retry` (from 1): the doubled delay, capped, or Retry-After when it
 * asks for longer, then stretched by jitter. Never shorter than Retry-After.
 */
export function retryDelay(policy: RetryPolicy, retry: number, retryAfterMs: number | undefined, random: number): number {
  const doubled = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (retry - 1));
  const base = Math.max(doubled, retryAfterMs ?? 0);
  return Math.round(base * (1 + policy.jitter * random));
}

/** Whether this failure may be retried at all; attempts and time are the runner's to count. */
export function isRetryable(error: BatchDataError, policy: RetryPolicy, replaySafe: boolean): boolean {
  if (error instanceof BatchDataApiError) return policy.statuses.includes(error.status);
  if (error.kind === 'network' || error.kind === 'timeout') return replaySafe && policy.networkErrors;
  return false;
}

/** What the answer's Retry-After asks for, whatever its status. */
export function retryAfterOf(error: BatchDataError, now: number): number | undefined {
  return error instanceof BatchDataApiError ? parseRetryAfter(error.response.headers.get('Retry-After'), now) : undefined;
}

// Timers that give way to an AbortSignal at once, leaving no timer or listener behind either way.
// setTimeout fires at once for anything longer (2^31 - 1 ms, about 24.8 days).
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.min(ms, LONGEST_TIMER_MS));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export type TimedOutcome<T> = { kind: 'done'; value: T } | { kind: 'timed-out' };

/**
 * Runs `task` with a signal that aborts when the caller's does or after `limitMs`. A failure after
 * the caller aborted rethrows the caller's reason; one after the limit reports `timed-out`.
 */
export async function withTimeLimit<T>(
  task: (signal: AbortSignal) => Promise<T>,
  limitMs: number,
  signal?: AbortSignal,
): Promise<TimedOutcome<T>> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  let timedOut = false;
  // A limit past the longest timer is no limit at all, not an immediate timeout.
  const timer =
    limitMs > LONGEST_TIMER_MS
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, limitMs);
  // Linked by hand rather than AbortSignal.any, which older browsers lack.
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return { kind: 'done', value: await task(controller.signal) };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (timedOut) return { kind: 'timed-out' };
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

// One SDK call: attempts under a time limit, with waits between them as the retry policy says.
// Errors are thrown as they are; the caller's abort rejects with the caller's reason, never retried.
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
