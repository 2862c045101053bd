// Waiting out another process's lock without stopping this one. better-sqlite3 is synchronous: with
// SQLite's own busy timeout, a write that meets a lock held elsewhere (a backup tool, the admin CLI
// importing a file, the sqlite3 shell) would sleep inside the call, and the event loop with it, so
// every request, /healthz included, would wait too. Connections of the server therefore fail at
// once on a lock (busy timeout 0), and the call is tried again on a timer: the requests that do not
// need the lock (reads in WAL mode) go on being answered meanwhile.
import { StoreUnavailableError } from '../store.js';
import { isUnavailable } from './unavailable.js';

/** How long a call keeps trying before its caller hears 503: longer than any transaction here holds the lock. */
export const LOCK_WAIT_MS = 2_000;
/** The first retry comes after 1 ms, each later one after twice as long, up to 50 ms. */
export const nextRetryDelay = (previousMs: number) => Math.min(Math.max(1, previousMs * 2), 50);

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

const asStoreError = (error: unknown) => (isUnavailable(error) ? new StoreUnavailableError(error) : error);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` (one synchronous database call, safe to repeat because a busy call changed nothing).
 * Answers synchronously when it succeeds or fails for another reason at the first try; on a lock,
 * retries on timers until `waitMs` has passed, then rejects with StoreUnavailableError.
 */
export function retryWhileBusy<T>(work: () => T, waitMs = LOCK_WAIT_MS): T | Promise<T> {
  try {
    return work();
  } catch (error) {
    if (!isBusy(error)) throw asStoreError(error);
    return retryUntil(work, performance.now() + waitMs, error);
  }
}

async function retryUntil<T>(work: () => T, deadline: number, firstError: unknown): Promise<T> {
  let lastError = firstError;
  for (let delay = nextRetryDelay(0); performance.now() + delay <= deadline; delay = nextRetryDelay(delay)) {
    await sleep(delay);
    try {
      return work();
    } catch (error) {
      if (!isBusy(error)) throw asStoreError(error);
      lastError = error;
    }
  }
  throw asStoreError(lastError);
}
