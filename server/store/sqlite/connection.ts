// One place decides how every connection to the file behaves, so the server, the admin CLI and a
// second process opening the same file all agree on journaling and locking.
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

/**
 * How long opening (the migration) waits for another process's lock. better-sqlite3 waits
 * synchronously, blocking the event loop, which is harmless before the server listens; afterwards
 * the busy timeout is 0 and busy-wait.ts waits out locks on timers instead.
 */
const OPEN_BUSY_TIMEOUT_MS = 2_000;

/**
 * The WAL is cut back to this size whenever a checkpoint lets it start over, so one large
 * transaction (an import, even a failed one) does not leave a file that large behind for good.
 */
export const JOURNAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

export function openDatabase(filename: string): Database.Database {
  const db = new Database(filename, { timeout: OPEN_BUSY_TIMEOUT_MS });
  try {
    // WAL lets readers run beside the single writer; with WAL, NORMAL is still safe against
    // corruption and only risks the last commits on power loss, not on a process crash.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
    migrate(db);
    db.pragma('busy_timeout = 0');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Other connections' commits to the file, as PRAGMA data_version counts them on this connection:
 * what the store's remembered principals, lists and highest property id hold until. A request asks
 * as of the moment it arrived (FreshSince in store.ts), and a check made at or after that moment,
 * for whichever request, answers it: a request's token check makes the one check the rest of the
 * request reads. A check is a statement and two file-lock system calls; a plain search that made a
 * second one per request cost ×1.06 the CPU.
 */
export class OthersCommits {
  private readonly statement: Database.Statement<[], number>;
  private version = 0;
  /** When the last check began (performance.now()): it read the file at or after this moment. */
  private checkedAt = -Infinity;

  constructor(db: Database.Database) {
    this.statement = db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /** The count as of a check made at or after `moment`; checks now if the last one began before it. */
  since(moment: number): number {
    if (this.checkedAt >= moment) return this.version;
    this.checkedAt = performance.now();
    this.version = this.statement.get()!;
    return this.version;
  }
}
