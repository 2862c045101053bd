// Deleting a session only unlinks it (one row, plus its key in purge_queue, in one statement); the
// state keyed by it is removed here, afterwards, in batches. Any number of instances run this at
// once without colliding: a batch holds its queue row FOR UPDATE, and the others SKIP LOCKED past
// it to the next key or to nothing. The queue is a table, so work cut short by a crash resumes.
// The same loop drops the pages of Idempotency-Keys older than the idempotency window.
import type pg from 'pg';
import { BatchLoop, type BatchLoopOptions } from '../batch-loop.js';
import { DEFAULT_IDEMPOTENCY_WINDOW_MS } from '../store.js';
import { inTransaction } from './transaction.js';

/** batchSize: rows per DELETE, small enough that one batch takes milliseconds. The poll is the
 * safety net for deletes made by other instances, which cannot wake this one. */
export type PurgerOptions = Partial<BatchLoopOptions> & { batchSize?: number; idempotencyWindowMs?: number };

const DEFAULT_BATCH_SIZE = 5_000;
const DEFAULT_POLL_INTERVAL_MS = 1_000;

/** Every table holding a session's state, keyed by (session_key, the column named here). */
export const SESSION_STATE = { delivered: 'property_id', delivery_cursors: 'query_key', idempotent_pages: 'key' } as const;

export const NEXT_KEY_SQL = 'SELECT session_key FROM purge_queue ORDER BY session_key LIMIT 1 FOR UPDATE SKIP LOCKED';

// The batch is picked once (an InitPlan) and deleted through the primary key. The ORDER BY is what
// keeps the pick on the index: without it, when the key holds a large share of the table, the
// planner expects to find a batch soonest by a sequential scan with a filter, and then reads every
// other session's rows, and the dead ones of earlier batches, on each batch.
export const deleteBatchSql = (table: keyof typeof SESSION_STATE) => {
  const column = SESSION_STATE[table];
  return `DELETE FROM ${table}
    WHERE session_key = $1
      AND ${column} = ANY (ARRAY(SELECT ${column} FROM ${table} WHERE session_key = $1 ORDER BY ${column} LIMIT $2))`;
};

// No "and the tables are empty of it" check: every write of a session's state happens under its
// row lock (delivery.ts), and the delete took that lock, so nothing is written for a queued key.
// Such a check would also tempt the planner into the sequential scan described above.
export const DEQUEUE_SQL = 'DELETE FROM purge_queue WHERE session_key = $1';

// Oldest first through idempotent_pages_by_age; SKIP LOCKED lets instances share the work.
export const EXPIRE_IDEMPOTENT_PAGES_SQL = `DELETE FROM idempotent_pages WHERE (session_key, key) IN (
    SELECT session_key, key FROM idempotent_pages WHERE created_at < now() - make_interval(secs => $1)
     ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)`;

const TABLES = Object.keys(SESSION_STATE) as Array<keyof typeof SESSION_STATE>;

export function createPurger(pool: pg.Pool, options: PurgerOptions = {}): BatchLoop {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const windowSeconds = (options.idempotencyWindowMs ?? DEFAULT_IDEMPOTENCY_WINDOW_MS) / 1000;
  const expireIdempotentPages = async () =>
    (await pool.query(EXPIRE_IDEMPOTENT_PAGES_SQL, [windowSeconds, batchSize])).rowCount === batchSize;
  const purgeQueuedKey = () =>
    inTransaction(pool, async (client) => {
      const next = await client.query<{ session_key: number }>(NEXT_KEY_SQL);
      const key = next.rows[0]?.session_key;
      if (key === undefined) return false;
      // One batch from the first table that still has rows for the key; the key leaves the queue
      // only once every table is empty of it.
      for (const table of TABLES) {
        const { rowCount } = await client.query(deleteBatchSql(table), [key, batchSize]);
        if (rowCount === batchSize) return true;
      }
      await client.query(DEQUEUE_SQL, [key]);
      return true;
    });
  const purgeOneBatch = async () => {
    const moreExpired = await expireIdempotentPages();
    return (await purgeQueuedKey()) || moreExpired;
  };
  return new BatchLoop(purgeOneBatch, {
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    onError: options.onError ?? ((error) => console.error('Purging delivered ids failed; will retry.', error)),
  });
}
