// Bringing a PostgreSQL store up: the pool, the schema (migrated under the cross-instance lock,
// with the caller's first-start work inside it), then the background purge.
import type { Store } from '../store.js';
import { migrate } from './migrations.js';
import { createPool } from './pool.js';
import { PostgresStore } from './postgres-store.js';
import { createPurger } from './purger.js';

export interface OpenPostgresOptions {
  purge?: boolean;
  onPurgeError?: (error: unknown) => void;
  /** How long an Idempotency-Key's page is kept (default DEFAULT_IDEMPOTENCY_WINDOW_MS). */
  idempotencyWindowMs?: number;
  /** Hears about pooled connections that broke while idle (a database restart, say). */
  onConnectionError?: (error: unknown) => void;
  initialize?: (store: Store) => Promise<void>;
}

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

export async function openPostgresStore(url: string, options: OpenPostgresOptions = {}): Promise<Store> {
  const pool = createPool(url, options.onConnectionError ? { onIdleError: options.onConnectionError } : {});
  const purger =
    options.purge === false
      ? null
      : createPurger(pool, {
          ...(options.onPurgeError ? { onError: options.onPurgeError } : {}),
          ...(options.idempotencyWindowMs !== undefined ? { idempotencyWindowMs: options.idempotencyWindowMs } : {}),
        });
  const store = new PostgresStore(pool, purger);
  try {
    await migrate(pool, () => options.initialize?.(store) ?? Promise.resolve());
  } catch (error) {
    await store.close();
    throw new Error(`Cannot open the PostgreSQL database at ${redactedUrl(url)}: ${(error as Error).message}`, { cause: error });
  }
  purger?.start();
  return store;
}
