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
