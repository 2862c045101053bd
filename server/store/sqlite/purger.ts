// Deleting a session only unlinks it (one row plus a purge_queue entry); its delivered-id rows are
// removed here, afterwards, in small batches with a turn of the event loop between them. That keeps
// a delete's cost independent of the session's size and never stalls requests behind a million-row
// DELETE. The queue lives in the database, so work interrupted by a crash resumes at the next start.
// The same passes drop the pages of Idempotency-Keys older than the idempotency window.
import type Database from 'better-sqlite3';
import { BatchLoop } from '../batch-loop.js';
import { DEFAULT_IDEMPOTENCY_WINDOW_MS } from '../store.js';
import { retryWhileBusy } from './busy-wait.js';

export interface PurgerOptions {
  /** Rows per pass, over all its keys: small enough that a pass holds the database for milliseconds. */
  batchSize?: number;
  /** Safety net for wake-ups that never came (e.g. a delete made by another process). */
  pollIntervalMs?: number;
  /** A failed batch is retried at the next poll; this hears about it. */
  onError?: (error: unknown) => void;
  /** How long an Idempotency-Key's page is kept (default DEFAULT_IDEMPOTENCY_WINDOW_MS). */
  idempotencyWindowMs?: number;
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

// Oldest first through idempotent_pages_by_age (WITHOUT ROWID: the primary key names the rows).
export const EXPIRE_IDEMPOTENT_PAGES_SQL = `DELETE FROM idempotent_pages WHERE (session_key, key) IN (
    SELECT session_key, key FROM idempotent_pages WHERE created_at < @before ORDER BY created_at LIMIT @limit)`;

/**
 * The background purge of deleted sessions' state on SQLite. A delete's wake-up waits WAKE_DELAY_MS,
 * never running a pass ahead of the delete's own response, and the deletes of a busy moment share
 * one pass; each pass is one transaction over many queued keys with one row budget.
 */
export class DeliveredPurger {
  private readonly loop: BatchLoop;

  constructor(db: Database.Database, options: PurgerOptions = {}) {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const nextKeys = db.prepare<[number], number>('SELECT session_key FROM purge_queue ORDER BY session_key LIMIT ?').pluck();
    const deleteBatches = SESSION_STATE_TABLES.map((table) => db.prepare<{ key: number; limit: number }>(deleteBatchSql(table)));
    const dequeueIfEmpty = db.prepare<{ key: number }>(DEQUEUE_IF_EMPTY_SQL);
    const dequeueEmptyKeys = db.prepare<{ limit: number }>(DEQUEUE_EMPTY_KEYS_SQL);
    const expireIdempotentPages = db.prepare<{ before: number; limit: number }>(EXPIRE_IDEMPOTENT_PAGES_SQL);
    const windowMs = options.idempotencyWindowMs ?? DEFAULT_IDEMPOTENCY_WINDOW_MS;
    // One transaction, one commit: rows of as many queued keys as the row budget allows, each key
    // leaving the queue once every table is empty of it. true while there may be more to do.
    const pass = db.transaction((): boolean => {
      let budget = batchSize - expireIdempotentPages.run({ before: Date.now() - windowMs, limit: batchSize }).changes;
      if (budget === 0) return true;
      dequeueEmptyKeys.run({ limit: KEYS_PER_PASS });
      const keys = nextKeys.all(KEYS_PER_PASS);
      if (keys.length === 0) return false;
      for (const key of keys) {
        for (const deleteBatch of deleteBatches) {
          budget -= deleteBatch.run({ key, limit: budget }).changes;
          if (budget === 0) return true;
        }
        dequeueIfEmpty.run({ key });
      }
      return true;
    });
    // Another process's lock is waited out on timers, as for requests (busy-wait.ts).
    this.loop = new BatchLoop(async () => retryWhileBusy(() => pass.immediate()), {
      pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      onError: options.onError ?? ((error) => console.error('Purging delivered ids failed; will retry.', error)),
      wakeDelayMs: WAKE_DELAY_MS,
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Called after a delete has queued a key, so the purge starts soon rather than at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  /** Resolves once the pass in progress has finished and no timer of the purger is left. */
  close(): Promise<void> {
    return this.loop.close();
  }
}
