// Group commit: the writes that arrive in one turn of the event loop share one transaction. Each
// caller still hears back only after the commit that made its own write durable, so nothing is
// acknowledged early; but the commit's fixed cost (the write lock, WAL frames for pages the writes
// share, the WAL index) is paid once per turn instead of once per request.
import type Database from 'better-sqlite3';
import { StoreUnavailableError } from '../store.js';
import { guarded, isUnavailable } from './unavailable.js';
import { isBusy, LOCK_WAIT_MS, nextRetryDelay } from './busy-wait.js';

interface Pending<Args extends unknown[], Result> {
  args: Args;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
  /** performance.now() after which a lock held elsewhere is reported instead of waited out. */
  giveUpAt: number;
}

export class GroupCommit<Args extends unknown[], Result> {
  private pending: Pending<Args, Result>[] = [];
  private scheduled: NodeJS.Immediate | NodeJS.Timeout | null = null;
  private retryDelayMs = 0;
  private readonly applyAll: Database.Transaction<(batch: Pending<Args, Result>[]) => Result[]>;
  private readonly applyOne: Database.Transaction<(...args: Args) => Result>;

  /** `write` runs inside the shared transaction; it must not start one of its own. */
  constructor(db: Database.Database, write: (...args: Args) => Result) {
    this.applyAll = db.transaction((batch: Pending<Args, Result>[]) => batch.map((item) => write(...item.args)));
    this.applyOne = db.transaction(write);
  }

  /** Resolves with the write's result once the transaction holding it has committed. */
  submit(...args: Args): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.pending.push({ args, resolve, reject, giveUpAt: performance.now() + LOCK_WAIT_MS });
      // setImmediate runs after the poll phase, so every request read in this turn joins the batch.
      // While a retry is pending (another process holds the lock), new writes join its batch.
      this.scheduled ??= setImmediate(() => this.commit(true));
    });
  }

  /** Commits whatever is waiting now, e.g. before the database is closed under it: no retry on a lock. */
  flush(): void {
    this.commit(false);
  }

  private commit(retryWhileLocked: boolean): void {
    if (this.scheduled) {
      clearImmediate(this.scheduled as NodeJS.Immediate);
      clearTimeout(this.scheduled as NodeJS.Timeout);
    }
    this.scheduled = null;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let results: Result[];
    try {
      results = this.applyAll.immediate(batch);
    } catch (error) {
      // Another process holds the write lock: try the batch again on a timer rather than waiting
      // inside the call with the event loop stopped. Writes that have waited long enough hear 503.
      if (retryWhileLocked && isBusy(error)) return this.retryLater(batch, error);
      // The database cannot answer (locked, full, I/O): every write of the batch hears so, at once,
      // rather than each waiting out the lock again on its own.
      if (isUnavailable(error)) return batch.forEach((item) => item.reject(new StoreUnavailableError(error)));
      // Anything else may be one write's own fault: each is retried alone, so it fails alone.
      return batch.forEach((item) => this.applyAlone(item));
    }
    this.retryDelayMs = 0;
    batch.forEach((item, i) => item.resolve(results[i]!));
  }

  private retryLater(batch: Pending<Args, Result>[], error: unknown): void {
    const now = performance.now();
    const waiting = batch.filter((item) => item.giveUpAt > now);
    batch.filter((item) => item.giveUpAt <= now).forEach((item) => item.reject(new StoreUnavailableError(error)));
    this.pending = [...waiting, ...this.pending];
    if (this.pending.length === 0) return;
    this.retryDelayMs = nextRetryDelay(this.retryDelayMs);
    this.scheduled = setTimeout(() => this.commit(true), this.retryDelayMs);
  }

  private applyAlone(item: Pending<Args, Result>): void {
    try {
      item.resolve(guarded(() => this.applyOne.immediate(...item.args)));
    } catch (error) {
      item.reject(error);
    }
  }
}
