// Deleting a session only unlinks it (one row plus a purge_queue entry); its delivered-id rows are
// removed here, afterwards, in small batches with a turn of the event loop between them. That keeps
// a delete's cost independent of the session's size and never stalls requests behind a million-row
// DELETE. The queue lives in the database, so work interrupted by a crash resumes at the next start.
import type Database from 'better-sqlite3';

export interface PurgerOptions {
  /** Rows per DELETE: small enough that one batch holds the database for milliseconds. */
  batchSize?: number;
  /** Safety net for wake-ups that never came (e.g. a delete made by another process). */
  pollIntervalMs?: number;
  /** A failed batch is retried at the next poll; this hears about it. */
  onError?: (error: unknown) => void;
}

const DEFAULT_BATCH_SIZE = 5_000;
const DEFAULT_POLL_INTERVAL_MS = 1_000;

/** Every table holding a session's state, keyed by (session_key, the column named here). */
export const SESSION_STATE_TABLES = [
  { table: 'delivered', column: 'property_id' },
  { table: 'delivery_cursors', column: 'query_key' },
  { table: 'idempotent_pages', column: 'key' },
] as const;

// WITHOUT ROWID rules out "WHERE rowid IN (…)"; both halves of this search the primary key.
export const deleteBatchSql = ({ table, column }: (typeof SESSION_STATE_TABLES)[number]) => `DELETE FROM ${table}
  WHERE session_key = @key
    AND ${column} IN (SELECT ${column} FROM ${table} WHERE session_key = @key LIMIT @limit)`;

export const DELETE_BATCH_SQL = deleteBatchSql(SESSION_STATE_TABLES[0]);

// One statement, so a row written for the key after the last batch keeps it queued.
export const DEQUEUE_IF_EMPTY_SQL = `DELETE FROM purge_queue
  WHERE session_key = @key
    ${SESSION_STATE_TABLES.map(({ table }) => `AND NOT EXISTS (SELECT 1 FROM ${table} WHERE session_key = @key)`).join('\n    ')}`;

export class DeliveredPurger {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly nextKey: Database.Statement<[], { session_key: number }>;
  private readonly deleteBatches: Array<Database.Statement<{ key: number; limit: number }>>;
  private readonly dequeueIfEmpty: Database.Statement<{ key: number }>;
  private loop: Promise<void> | null = null;
  private stopped = false;
  private interruptSleep: (() => void) | null = null;

  constructor(db: Database.Database, options: PurgerOptions = {}) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.onError = options.onError ?? ((error) => console.error('Purging delivered ids failed; will retry.', error));
    this.nextKey = db.prepare('SELECT session_key FROM purge_queue ORDER BY session_key LIMIT 1');
    this.deleteBatches = SESSION_STATE_TABLES.map((table) => db.prepare(deleteBatchSql(table)));
    this.dequeueIfEmpty = db.prepare(DEQUEUE_IF_EMPTY_SQL);
  }

  start(): void {
    if (this.loop || this.stopped) return;
    this.loop = this.run();
  }

  /**
   * Called after a delete has queued a key, so the purge starts now rather than at the next poll.
   * "Now" is the next turn of the event loop: resolving the sleep at once would run a batch in the
   * microtask queue ahead of the delete's own response, charging the purge to the delete.
   */
  wake(): void {
    setImmediate(() => this.interruptSleep?.());
  }

  /** Resolves once the loop has finished its batch and no timer of it is left. */
  async close(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let moreWork: boolean;
      try {
        moreWork = this.purgeOneBatch();
      } catch (error) {
        this.onError(error);
        moreWork = false;
      }
      if (this.stopped) return;
      await (moreWork ? turnOfEventLoop() : this.sleep());
    }
  }

  /** true while the queue may hold more work. */
  private purgeOneBatch(): boolean {
    const next = this.nextKey.get();
    if (!next) return false;
    const key = next.session_key;
    // One batch from the first table that still has rows for the key; the key leaves the queue
    // only once every table is empty of it.
    for (const deleteBatch of this.deleteBatches) {
      if (deleteBatch.run({ key, limit: this.batchSize }).changes === this.batchSize) return true;
    }
    this.dequeueIfEmpty.run({ key });
    return true;
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.interruptSleep = null;
        resolve();
      };
      const timer = setTimeout(finish, this.pollIntervalMs);
      // The purger alone must never keep a process alive.
      timer.unref();
      this.interruptSleep = finish;
    });
  }
}

function turnOfEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
