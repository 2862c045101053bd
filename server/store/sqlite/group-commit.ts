// Group commit: the writes that arrive in one turn of the event loop share one transaction. Each
// caller still hears back only after the commit that made its own write durable, so nothing is
// acknowledged early; but the commit's fixed cost (the write lock, WAL frames for pages the writes
// share, the WAL index) is paid once per turn instead of once per request.
import type Database from 'better-sqlite3';
import { StoreUnavailableError } from '../store-unavailable.js';
import { guarded, isUnavailable } from './unavailable.js';

interface Pending<Args extends unknown[], Result> {
  args: Args;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<Args extends unknown[], Result> {
  private pending: Pending<Args, Result>[] = [];
  private scheduled: NodeJS.Immediate | null = null;
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
      this.pending.push({ args, resolve, reject });
      // setImmediate runs after the poll phase, so every request read in this turn joins the batch.
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits whatever is waiting now, e.g. before the database is closed under it. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let results: Result[];
    try {
      results = this.applyAll.immediate(batch);
    } catch (error) {
      // The database cannot answer (locked, full, I/O): every write of the batch hears so, at once,
      // rather than each waiting out the lock again on its own.
      if (isUnavailable(error)) return batch.forEach((item) => item.reject(new StoreUnavailableError(error)));
      // Anything else may be one write's own fault: each is retried alone, so it fails alone.
      return batch.forEach((item) => this.applyAlone(item));
    }
    batch.forEach((item, i) => item.resolve(results[i]!));
  }

  private applyAlone(item: Pending<Args, Result>): void {
    try {
      item.resolve(guarded(() => this.applyOne.immediate(...item.args)));
    } catch (error) {
      item.reject(error);
    }
  }
}
