import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, sqliteFilenameFrom } from '../../server/store/open-store.js';
import { MIGRATIONS } from '../../server/store/sqlite/migrations.js';
import { createTempDatabase, type TempDatabase } from '../support/databases/sqlite-fixtures.js';

let temp: TempDatabase;

beforeEach(() => {
  temp = createTempDatabase();
});

afterEach(() => {
  temp.remove();
});

describe('sqliteFilenameFrom', () => {
  it('resolves a relative path against the working directory and keeps an absolute one', () => {
    expect(sqliteFilenameFrom('sqlite:./data/batchdata.db')).toBe(resolve(process.cwd(), 'data/batchdata.db'));
    expect(sqliteFilenameFrom('sqlite:/var/lib/x.db')).toBe('/var/lib/x.db');
    expect(sqliteFilenameFrom('sqlite::memory:')).toBe(':memory:');
  });

  it('refuses every other scheme with a message that says what is supported', () => {
    for (const url of ['postgres://user@localhost/db', 'sqlite:', 'file:x.db', '']) {
      expect(() => sqliteFilenameFrom(url)).toThrow(/only sqlite:<path> is supported/);
    }
  });
});

describe('openStore', () => {
  it('creates missing parent directories and a migrated, WAL-journaled database', async () => {
    const file = join(temp.dir, 'a', 'b', 'store.db');
    const store = await openStore(`sqlite:${file}`, { purge: false });
    await store.close();

    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    } finally {
      db.close();
    }
  });

  it('opens an in-memory store', async () => {
    const store = await openStore('sqlite::memory:');
    const team = await store.createTeam('acme');
    expect(await store.createSession(team.id, 'ephemeral')).toBe('created');
    await store.close();
  });

  it('refuses a database written by a newer release', async () => {
    const db = new Database(temp.file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    await expect(openStore(temp.url)).rejects.toThrow(/newer than this release knows/);
  });

  it('names the file it could not open', async () => {
    writeFileSync(join(temp.dir, 'not-a-directory'), '');
    const file = join(temp.dir, 'not-a-directory', 'store.db');
    await expect(openStore(`sqlite:${file}`)).rejects.toThrow(`Cannot open the SQLite database at ${file}`);
  });

  it('shares one file between two open stores, migrating it only once', async () => {
    const [first, second] = await Promise.all([openStore(temp.url, { purge: false }), openStore(temp.url, { purge: false })]);
    await first.createTeam('acme');
    expect(await second.countTeams()).toBe(1);
    await Promise.all([first.close(), second.close()]);
  });
});
