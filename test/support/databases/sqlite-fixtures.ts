// Direct access to a SQLite store's file for what the Store interface does not (yet) offer:
// filling a session's delivered-id state and looking at rows the store hides, and another process
// (the sqlite3 shell) holding its write lock.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { waitFor } from '../servers/loopback.js';

export interface TempDatabase {
  dir: string;
  file: string;
  url: string;
  remove(): void;
}

export function createTempDatabase(): TempDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'batchdata-store-'));
  const file = join(dir, 'store.db');
  return { dir, file, url: `sqlite:${file}`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function withDatabase<T>(file: string, work: (db: Database.Database) => T): T {
  const db = new Database(file, { fileMustExist: true, timeout: 5_000 });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/**
 * Records property ids 1..count as delivered to the session, as a search would have, and returns
 * the session's internal key. A recursive CTE writes a million rows in well under a second.
 */
export function fillDelivered(file: string, teamId: number, sessionId: string, count: number): number {
  return withDatabase(file, (db) =>
    db.transaction(() => {
      const sessionKey = db
        .prepare<[number, string], number>('SELECT session_key FROM sessions WHERE team_id = ? AND id = ?')
        .pluck()
        .get(teamId, sessionId);
      if (sessionKey === undefined) throw new Error(`No session ${sessionId} in team ${teamId}`);
      db.prepare(
        `WITH RECURSIVE ids(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM ids WHERE n < @count)
         INSERT INTO delivered (session_key, property_id) SELECT @sessionKey, n FROM ids`,
      ).run({ count, sessionKey });
      db.prepare('UPDATE sessions SET total_delivered = total_delivered + ?, last_request_at = ? WHERE session_key = ?').run(
        count,
        Date.now(),
        sessionKey,
      );
      return sessionKey;
    }).immediate(),
  );
}

export function countDelivered(file: string, sessionKey: number): number {
  return withDatabase(file, (db) =>
    db.prepare<[number], number>('SELECT count(*) FROM delivered WHERE session_key = ?').pluck().get(sessionKey) ?? 0,
  );
}

export function purgeQueue(file: string): number[] {
  return withDatabase(file, (db) => db.prepare<[], number>('SELECT session_key FROM purge_queue ORDER BY 1').pluck().all());
}

export function sessionKeyOf(file: string, teamId: number, sessionId: string): number | undefined {
  return withDatabase(file, (db) =>
    db.prepare<[number, string], number>('SELECT session_key FROM sessions WHERE team_id = ? AND id = ?').pluck().get(teamId, sessionId),
  );
}


/** Creates `count` empty sessions `${prefix}0`, `${prefix}1`… for a team in one statement. */
export function fillSessions(file: string, teamId: number, prefix: string, count: number): void {
  withDatabase(file, (db) =>
    db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @count)
         INSERT INTO sessions (team_id, id, created_at) SELECT @teamId, @prefix || i, @now FROM n`,
      )
      .run({ count, teamId, prefix, now: Date.now() }),
  );
}

/**
 * Copies the WAL into the database file and starts it over, so a bulk fixture write leaves nothing
 * for the server to checkpoint. RESTART, not TRUNCATE: the file keeps its size, as a running
 * server's WAL does, so the next write does not pay for growing it again from nothing.
 */
export function checkpoint(file: string): void {
  withDatabase(file, (db) => void db.pragma('wal_checkpoint(RESTART)'));
}

/** The sqlite3 shell in BEGIN EXCLUSIVE on the file until release() (or its exit). */
export async function holdWriteLock(file: string): Promise<{ release(): Promise<void> }> {
  const shell: ChildProcess = spawn('sqlite3', [file], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  shell.stdout!.on('data', (chunk) => (out += chunk));
  shell.stdin!.write('.timeout 5000\nBEGIN EXCLUSIVE;\nINSERT INTO teams (name, created_at) VALUES (\'neighbour\', 0);\n.print locked\n');
  await waitFor(() => out.includes('locked'), 10_000, 'the sqlite3 shell did not take the lock');
  return {
    async release() {
      if (shell.exitCode !== null) return;
      shell.stdin!.end('ROLLBACK;\n.quit\n');
      await once(shell, 'exit');
    },
  };
}
