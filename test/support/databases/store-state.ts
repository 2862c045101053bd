// What a test may look at below the Store interface, the same way whichever database the server
// under test runs on: a session's internal key, its delivered-id state, the purge queue. Contract
// tests use this (through TestServer.state), so one test runs unchanged on SQLite and PostgreSQL.
import Database from 'better-sqlite3';
import * as postgres from './postgres-fixtures.js';
import * as sqlite from './sqlite-fixtures.js';

/** Tables that hold state keyed by session_key. */
export type StateTable = 'delivered' | 'delivery_cursors' | 'idempotent_pages' | 'purge_queue';
const STATE_TABLES: readonly StateTable[] = ['delivered', 'delivery_cursors', 'idempotent_pages', 'purge_queue'];

export interface StoreState {
  sessionKeyOf(teamId: number, sessionId: string): Promise<number | undefined>;
  /** Records property ids 1..count as delivered to the session, as searches would; resolves with its key. */
  fillDelivered(teamId: number, sessionId: string, count: number): Promise<number>;
  /** The keys waiting for the purger. */
  purgeQueue(): Promise<number[]>;
  /** How many rows a table holds for a session key. */
  rowsOf(table: StateTable, sessionKey: number): Promise<number>;
}

// Table names cannot be bind parameters: only these fixed ones ever reach the SQL.
function checked(table: StateTable): StateTable {
  if (!STATE_TABLES.includes(table)) throw new Error(`Not a session state table: ${table}`);
  return table;
}

export function sqliteState(file: string): StoreState {
  return {
    sessionKeyOf: async (teamId, sessionId) => sqlite.sessionKeyOf(file, teamId, sessionId),
    fillDelivered: async (teamId, sessionId, count) => sqlite.fillDelivered(file, teamId, sessionId, count),
    purgeQueue: async () => sqlite.purgeQueue(file),
    async rowsOf(table, sessionKey) {
      const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5_000 });
      try {
        return db.prepare<[number], number>(`SELECT count(*) FROM ${checked(table)} WHERE session_key = ?`).pluck().get(sessionKey) ?? 0;
      } finally {
        db.close();
      }
    },
  };
}

export function postgresState(url: string): StoreState {
  return {
    sessionKeyOf: (teamId, sessionId) => postgres.sessionKeyOf(url, teamId, sessionId),
    fillDelivered: (teamId, sessionId, count) => postgres.fillDelivered(url, teamId, sessionId, count),
    purgeQueue: () => postgres.purgeQueue(url),
    async rowsOf(table, sessionKey) {
      return (await postgres.numbers(url, `SELECT count(*) FROM ${checked(table)} WHERE session_key = $1`, [sessionKey]))[0]!;
    },
  };
}
