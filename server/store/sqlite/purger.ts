// Deleting a session only unlinks it (one row plus a purge_queue entry); its delivered-id rows are
// removed here, afterwards, in small batches with a turn of the event loop between them. That keeps
// a delete's cost independent of the session's size and never stalls requests behind a million-row
// DELETE. The queue lives in the database, so work interrupted by a crash resumes at the next start.
import type Database from 'better-sqlite3';

export interface PurgerOptions {
  /** Rows per pass, over all its keys: small enough that a pass holds the database for milliseconds. */
  batchSize?: number;
  /** Safety net for wake-ups that never came (e.g. a delete made by another process). */
  pollIntervalMs?: number;
  /** A failed batch is retried at the next poll; this hears about it. */
  onError?: (error: unknown) => void;
}

const DEFAULT_BATCH_SIZE = 5_000;
const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** Keys one pass may take from the queue: under a stream of deletes, one commit serves many. */
const KEYS_PER_PASS = 256;
/** A delete's wake-up waits this long, so the deletes of a busy moment share one pass. */
const WAKE_DELAY_MS = 20;

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

// Most deleted sessions have little or no state left: one statement takes every such key off the
// queue at once, instead of four statements per key.
export const DEQUEUE_EMPTY_KEYS_SQL = `DELETE FROM purge_queue
  WHERE session_key IN (
    SELECT q.session_key FROM purge_queue q
     WHERE ${SESSION_STATE_TABLES.map(({ table }) => `NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.session_key = q.session_key)`).join('\n       AND ')}
     ORDER BY q.session_key LIMIT @limit)`;

export class DeliveredPurger {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly pass: { immediate: () => boolean };
  private loop: Promise<void> | null = null;
  private stopped = false;
  private interruptSleep: (() => void) | null = null;
  private pendingWake: NodeJS.Timeout | null = null;

  constructor(db: Database.Database, options: PurgerOptions = {}) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.onError = options.onError ?? ((error) => console.error('Purging delivered ids failed; will retry.', error));
    const nextKeys = db.prepare<[number], number>('SELECT session_key FROM purge_queue ORDER BY session_key LIMIT ?').pluck();
    const deleteBatches = SESSION_STATE_TABLES.map((table) => db.prepare<{ key: number; limit: number }>(deleteBatchSql(table)));
    const dequeueIfEmpty = db.prepare<{ key: number }>(DEQUEUE_IF_EMPTY_SQL);
    // One transaction, one commit: rows of as many queued keys as the row budget allows, each key
    // leaving the queue once every table is empty of it. true while there may be more to do.
    const dequeueEmptyKeys = db.prepare<{ limit: number }>(DEQUEUE_EMPTY_KEYS_SQL);
    this.pass = db.transaction((): boolean => {
      dequeueEmptyKeys.run({ limit: KEYS_PER_PASS });
      const keys = nextKeys.all(KEYS_PER_PASS);
      if (keys.length === 0) return false;
      let budget = this.batchSize;
      for (const key of keys) {
        for (const deleteBatch of deleteBatches) {
          budget -= deleteBatch.run({ key, limit: budget }).changes;
          if (budget === 0) return true;
        }
        dequeueIfEmpty.run({ key });
      }
      return true;
    });
  }

  start(): void {
    if (this.loop || this.stopped) return;
    this.loop = this.run();
  }

  /**
   * Called after a delete has queued a key, so the purge starts soon rather than at the next poll.
   * Never at once: a pass run ahead of the delete's own response would be charged to the delete,
   * and under a stream of deletes one pass shortly after serves them all.
   */
  wake(): void {
    if (this.pendingWake || this.stopped) return;
    this.pendingWake = setTimeout(() => {
      this.pendingWake = null;
      this.interruptSleep?.();
    }, WAKE_DELAY_MS);
    this.pendingWake.unref();
  }

  /** Resolves once the loop has finished its pass and no timer of it is left. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.pendingWake) clearTimeout(this.pendingWake);
    this.pendingWake = null;
    this.interruptSleep?.();
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
    return this.pass.immediate();
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
