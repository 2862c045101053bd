import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/open-store.js';
import { isUnavailable } from '../../server/store/sqlite/unavailable.js';
import { type Store, StoreUnavailableError } from '../../server/store/store.js';
import { createTempDatabase, type TempDatabase } from '../support/databases/sqlite-fixtures.js';

describe('isUnavailable', () => {
  it('recognises outages by SQLite result code, extended codes included', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_IOERR_WRITE', 'SQLITE_CANTOPEN', 'SQLITE_FULL', 'SQLITE_READONLY']) {
      expect(isUnavailable(Object.assign(new Error(code), { code }))).toBe(true);
    }
  });

  it('leaves bugs and constraint violations alone', () => {
    for (const code of ['SQLITE_ERROR', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_MISMATCH', 'SQLITE_BUSYNESS', undefined]) {
      expect(isUnavailable(Object.assign(new Error('x'), { code }))).toBe(false);
    }
    expect(isUnavailable(new TypeError('x'))).toBe(false);
    expect(isUnavailable(null)).toBe(false);
  });
});

describe('a store whose database is locked by another process', () => {
  let temp: TempDatabase;
  let store: Store;
  let other: Database.Database;

  beforeEach(async () => {
    temp = createTempDatabase();
    store = await openStore(temp.url, { purge: false });
    other = new Database(temp.file);
  });

  afterEach(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await store.close();
    temp.remove();
  });

  it('answers StoreUnavailableError, with the cause attached, once the busy timeout has passed', async () => {
    const team = await store.createTeam('acme');
    other.exec('BEGIN IMMEDIATE');

    const error = await store.createSession(team.id, 'blocked').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).cause).toMatchObject({ code: 'SQLITE_BUSY' });

    // WAL still lets readers through while a writer holds the lock.
    expect(await store.listSessions(team.id, 0, 10)).toEqual({ sessions: [], total: 0 });
    other.exec('ROLLBACK');
    expect(await store.createSession(team.id, 'blocked')).toBe('created');
  });
});
