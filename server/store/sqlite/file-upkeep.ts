// Looks after the database's files on disk while the store runs. Two things SQLite does not do by
// itself in WAL mode:
// - notice that the file, or its write-ahead log, was deleted or replaced under an open connection.
//   The connection keeps its descriptors and goes on writing into the unlinked inodes: every write
//   is acknowledged, and all of it is gone at the next start. Once noticed, writes are refused (503)
//   and the store reports why (readiness, the log) until the files are back.
// - give disk space back. A checkpoint copies the WAL into the database but leaves the WAL's size;
//   after a burst or a failed import it would stay that large for good. When no write came for a
//   whole interval, from this connection or any other, a TRUNCATE checkpoint empties it. Another
//   process's writes count too: a truncating checkpoint holds the write lock, so a process that
//   only looked at its own writes (a benchmark or a tool holding the file open beside the server)
//   would take the lock every second from a server under load, whose writes then wait it out.
// The check is one pair of stat() calls a second, off the request path.
import { statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type Database from 'better-sqlite3';
import { StoreUnavailableError } from '../store.js';

export interface FileUpkeepOptions {
  /** How often the files are looked at (default 1 s). */
  intervalMs?: number;
  /** Hears once when the files go missing (the message says which and what follows). */
  onLost?: (message: string) => void;
  /** Hears once when they are back. */
  onRecovered?: (message: string) => void;
}

const DEFAULT_INTERVAL_MS = 1_000;

interface FileIdentity {
  dev: number;
  ino: number;
}

const identityOf = (stats: Stats | null): FileIdentity | null => (stats ? { dev: stats.dev, ino: stats.ino } : null);
const sameFile = (a: FileIdentity, b: FileIdentity) => a.dev === b.dev && a.ino === b.ino;
const statOrNull = (path: string) => stat(path).catch(() => null);

function statSyncOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

export class DatabaseFileUpkeep {
  private readonly database: FileIdentity | null;
  private wal: FileIdentity | null;
  private timer: NodeJS.Timeout | null = null;
  private lost: string | null = null;
  private writesSinceCheck = 0;
  /** PRAGMA data_version at the last look: it moves when another connection commits. */
  private dataVersion: number | null = null;
  private checking: Promise<void> | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly filename: string,
    private readonly options: FileUpkeepOptions = {},
  ) {
    this.database = identityOf(statSyncOrNull(filename));
    this.wal = identityOf(statSyncOrNull(`${filename}-wal`));
  }

  start(): void {
    this.timer ??= setInterval(() => void this.check(), this.options.intervalMs ?? DEFAULT_INTERVAL_MS).unref();
  }

  /** Called before every write: refuses it while the files are missing, and marks the store busy. */
  beforeWrite(): void {
    if (this.lost) throw new StoreUnavailableError(new Error(this.lost), 5, this.lost);
    this.writesSinceCheck++;
  }

  /** Why the store cannot be written to, or null. */
  get problem(): string | null {
    return this.lost;
  }

  /** One look at the files (the timer calls it; a test may too). */
  check(): Promise<void> {
    this.checking ??= this.inspect().finally(() => (this.checking = null));
    return this.checking;
  }

  close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.checking ?? Promise.resolve();
  }

  private async inspect(): Promise<void> {
    if (!this.database) return; // nothing on disk to look after (e.g. an in-memory database)
    const [database, wal] = await Promise.all([statOrNull(this.filename), statOrNull(`${this.filename}-wal`)]);
    if (!this.timer && !this.db.open) return; // closed meanwhile
    const problem = this.problemWith(identityOf(database), identityOf(wal));
    if (problem && !this.lost) this.options.onLost?.(problem);
    if (!problem && this.lost) this.options.onRecovered?.(`The database file ${this.filename} is back; writes are accepted again.`);
    this.lost = problem;
    const dataVersion = this.db.open ? this.othersCommits() : null;
    const idle = this.writesSinceCheck === 0 && dataVersion !== null && dataVersion === this.dataVersion;
    this.writesSinceCheck = 0;
    this.dataVersion = dataVersion;
    if (!problem && idle && wal && wal.size > 0 && this.db.open) this.truncateWal();
  }

  private problemWith(database: FileIdentity | null, wal: FileIdentity | null): string | null {
    const refused = 'writes are refused (503) until it is back, or the server is restarted on a restored copy';
    if (!database) return `The database file ${this.filename} was deleted; ${refused}.`;
    if (!sameFile(database, this.database!)) return `The database file ${this.filename} was replaced by another file; ${refused}.`;
    // The log exists from the first transaction on, for as long as a connection is open.
    if (this.wal && (!wal || !sameFile(wal, this.wal))) return `The write-ahead log ${this.filename}-wal was deleted; ${refused}.`;
    this.wal ??= wal;
    return null;
  }

  /** A number that changes whenever another connection has committed since the last call. */
  private othersCommits(): number | null {
    try {
      return this.db.pragma('data_version', { simple: true }) as number;
    } catch {
      return null; // not known: not idle, so no checkpoint this time
    }
  }

  private truncateWal(): void {
    try {
      // With busy timeout 0 this never waits: a reader or writer elsewhere makes it a no-op, and the
      // next idle interval tries again.
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Same: the next idle interval tries again.
    }
  }
}
