// The only place that knows which Store a DATABASE_URL means and how to bring it up.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openDatabase } from './sqlite/connection.js';
import { DatabaseFileUpkeep } from './sqlite/file-upkeep.js';
import { DeliveredPurger } from './sqlite/purger.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /**
   * Run the background purge of deleted sessions' delivered ids (default true). Off for one-shot
   * tools and for tests that simulate a crash before the purge.
   */
  purge?: boolean;
  /** Hears about a failed purge batch (it is retried); defaults to stderr. */
  onPurgeError?: (error: unknown) => void;
  /** How long an Idempotency-Key's page is kept before the purge drops it (default 15 minutes). */
  idempotencyWindowMs?: number;
  /** SQLite only: hears once when the database file or its WAL is deleted or replaced (writes are then refused). */
  onDatabaseFileLost?: (message: string) => void;
  /** SQLite only: hears once when the lost file is back at its path. */
  onDatabaseFileRestored?: (message: string) => void;
  /** PostgreSQL only: hears about pooled connections that broke while idle. */
  onConnectionError?: (error: unknown) => void;
  /**
   * First-start work (a demo team, a property set), run once the schema is current. On PostgreSQL
   * it runs under the same cross-instance lock as the migrations, so instances starting at once
   * on an empty database do it once between them.
   */
  initialize?: (store: Store) => Promise<void>;
}

const SQLITE_SCHEME = 'sqlite:';
const IN_MEMORY = ':memory:';
const POSTGRES_URL = /^postgres(ql)?:\/\//;

/** The file a `sqlite:<path>` URL names, resolved against the working directory. */
export function sqliteFilenameFrom(databaseUrl: string): string {
  if (!databaseUrl.startsWith(SQLITE_SCHEME) || databaseUrl.length === SQLITE_SCHEME.length) {
    throw new Error(`Unsupported DATABASE_URL "${databaseUrl}": only sqlite:<path> is supported.`);
  }
  const path = databaseUrl.slice(SQLITE_SCHEME.length);
  return path === IN_MEMORY ? IN_MEMORY : resolve(path);
}

async function openSqliteStore(databaseUrl: string, options: OpenStoreOptions): Promise<Store> {
  const filename = sqliteFilenameFrom(databaseUrl);
  let db;
  try {
    if (filename !== IN_MEMORY) mkdirSync(dirname(filename), { recursive: true });
    db = openDatabase(filename);
  } catch (error) {
    throw new Error(`Cannot open the SQLite database at ${filename}: ${(error as Error).message}`, { cause: error });
  }
  const purger =
    options.purge === false
      ? null
      : new DeliveredPurger(db, {
          ...(options.onPurgeError ? { onError: options.onPurgeError } : {}),
          ...(options.idempotencyWindowMs !== undefined ? { idempotencyWindowMs: options.idempotencyWindowMs } : {}),
        });
  purger?.start();
  const files =
    filename === IN_MEMORY
      ? null
      : new DatabaseFileUpkeep(db, filename, {
          onLost: options.onDatabaseFileLost ?? ((message) => console.error(message)),
          ...(options.onDatabaseFileRestored ? { onRecovered: options.onDatabaseFileRestored } : {}),
        });
  files?.start();
  const store = new SqliteStore(db, purger, files);
  try {
    await options.initialize?.(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (!POSTGRES_URL.test(databaseUrl)) return openSqliteStore(databaseUrl, options);
  // Loaded only when asked for: the pg driver adds about 80 ms to every SQLite start-up otherwise.
  const { openPostgresStore } = await import('./postgres/open-postgres-store.js');
  return openPostgresStore(databaseUrl, options);
}
