// When to try again and how long to wait, as BatchData advises: back off exponentially, doubling
// each time, and honour Retry-After. Only answers that say "not now" (429, 503) are retried, and
// failures with no answer only for calls that are safe to replay; a 400, 401, 403, 404 or 409
// would fail the same way again, so no option can make the SDK retry one.
import type { BatchDataError } from './batchdata-error.js';
import { BatchDataApiError } from './api-error.js';
import { parseRetryAfter } from './retry-after.js';
import { withoutUndefined } from './without-undefined.js';

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
