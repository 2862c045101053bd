// One place decides how every connection to the file behaves, so the server, the admin CLI and a
// second process opening the same file all agree on journaling and locking.
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

/**
 * How long a write waits for another process's lock before SQLITE_BUSY (then a 503). better-sqlite3
 * waits synchronously, blocking the event loop, so this is kept to a couple of seconds: far longer
 * than any transaction here holds the lock, short enough that a stuck lock surfaces as an error.
 */
const BUSY_TIMEOUT_MS = 2_000;

export function openDatabase(filename: string): Database.Database {
  const db = new Database(filename, { timeout: BUSY_TIMEOUT_MS });
  try {
    // WAL lets readers run beside the single writer; with WAL, NORMAL is still safe against
    // corruption and only risks the last commits on power loss, not on a process crash.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
