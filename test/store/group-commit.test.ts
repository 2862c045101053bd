import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../server/store/store.js';
import { GroupCommit } from '../../server/store/sqlite/group-commit.js';
import { openStore } from '../../server/store/open-store.js';
import { createTempDatabase, type TempDatabase } from '../support/databases/sqlite-fixtures.js';

let temp: TempDatabase;
let db: Database.Database;

beforeEach(() => {
  temp = createTempDatabase();
  db = new Database(temp.file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE notes (text TEXT NOT NULL)');
});

afterEach(() => {
  db.close();
  temp.remove();
});

const notes = (from = db) => from.prepare('SELECT text FROM notes ORDER BY rowid').pluck().all();

/** A write that inserts its note, and fails as told when the note says so. */
function noteWriter() {
  const insert = db.prepare('INSERT INTO notes (text) VALUES (?)');
  return new GroupCommit(db, (text: string) => {
    if (text === 'disk-full') throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    if (text === 'bug') throw new TypeError('a bug in this one write');
    return insert.run(text).lastInsertRowid;
  });
}

describe('GroupCommit', () => {
  it('answers each write in order, and only once another connection can see it committed', async () => {
    const writes = noteWriter();
    const observer = new Database(temp.file, { readonly: true });
    try {
      const seenAtAnswer = await Promise.all(['a', 'b', 'c'].map((text) => writes.submit(text).then(() => notes(observer))));
      expect(seenAtAnswer).toEqual([['a', 'b', 'c'], ['a', 'b', 'c'], ['a', 'b', 'c']]);
    } finally {
      observer.close();
    }
  });

  it('puts the writes of one turn in one transaction: an outage rolls back all of them, and all hear it', async () => {
    const writes = noteWriter();
    const outcomes = await Promise.allSettled(['a', 'b', 'disk-full'].map((text) => writes.submit(text)));
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    }
    // 'a' and 'b' ran before the failure: had they committed on their own, they would be here.
    expect(notes()).toEqual([]);
  });

  it('lets a write that fails by its own fault fail alone; its neighbours still commit', async () => {
    const writes = noteWriter();
    const outcomes = await Promise.allSettled(['a', 'bug', 'c'].map((text) => writes.submit(text)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(TypeError);
    expect(notes()).toEqual(['a', 'c']);
  });

  it('starts a new transaction for writes that arrive in a later turn', async () => {
    const writes = noteWriter();
    await writes.submit('first');
    const later = writes.submit('disk-full');
    await expect(later).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(notes()).toEqual(['first']);
  });

  it('commits waiting writes when flushed at once, without waiting for the next turn', async () => {
    const writes = noteWriter();
    const answer = writes.submit('urgent');
    writes.flush();
    expect(notes()).toEqual(['urgent']);
    await expect(answer).resolves.toBe(1);
  });
});

describe('the SQLite store’s deletes', () => {
  it('commits a delete still waiting for its turn when the store closes, instead of dropping it', async () => {
    const own = createTempDatabase();
    const store = await openStore(own.url, { purge: false });
    const team = await store.createTeam('acme');
    await store.createSession(team.id, 'last-words');
    const deleted = store.deleteSession(team.id, 'last-words');
    await store.close();
    await expect(deleted).resolves.toBe(true);

    const reopened = await openStore(own.url, { purge: false });
    try {
      expect((await reopened.listSessions(team.id, 0, 10)).total).toBe(0);
    } finally {
      await reopened.close();
      own.remove();
    }
  });
});
