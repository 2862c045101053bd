import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../server/store/open-store.js';
import { openDatabase } from '../../server/store/sqlite/connection.js';
import { DELETE_BATCH_SQL, DEQUEUE_EMPTY_KEYS_SQL, DEQUEUE_IF_EMPTY_SQL, DeliveredPurger } from '../../server/store/sqlite/purger.js';
import type { Store } from '../../server/store/store.js';
import { countDelivered, createTempDatabase, fillDelivered, purgeQueue, type TempDatabase } from '../support/databases/sqlite-fixtures.js';
import { waitFor } from '../support/servers/loopback.js';

const MILLION = 1_000_000;

let temp: TempDatabase;
let store: Store | null;

beforeEach(() => {
  temp = createTempDatabase();
  store = null;
});

afterEach(async () => {
  await store?.close();
  temp.remove();
});

async function storeWithSession(purge: boolean, sessionId: string): Promise<{ store: Store; teamId: number }> {
  store = await openStore(temp.url, { purge });
  const team = await store.createTeam('acme');
  await store.createSession(team.id, sessionId);
  return { store, teamId: team.id };
}

describe('background purge of a deleted session’s delivered ids', () => {
  it(`physically removes ${MILLION.toLocaleString('en')} rows soon after the delete, sparing other sessions`, async () => {
    const { store, teamId } = await storeWithSession(true, 'huge');
    await store.createSession(teamId, 'neighbour');

    let started = performance.now();
    const key = fillDelivered(temp.file, teamId, 'huge', MILLION);
    const neighbourKey = fillDelivered(temp.file, teamId, 'neighbour', 1_234);
    console.log(`fill of ${MILLION} delivered rows: ${Math.round(performance.now() - started)} ms`);

    started = performance.now();
    expect(await store.deleteSession(teamId, 'huge')).toBe(true);
    console.log(`deleteSession: ${(performance.now() - started).toFixed(1)} ms`);
    expect((await store.listSessions(teamId, 0, 10)).sessions.map((session) => session.id)).toEqual(['neighbour']);

    await waitFor(() => countDelivered(temp.file, key) === 0, 10_000, 'delivered rows still present after 10 s');
    console.log(`purge of ${MILLION} delivered rows: ${Math.round(performance.now() - started)} ms after the delete`);
    await waitFor(() => purgeQueue(temp.file).length === 0, 5_000, 'purge queue not emptied');
    expect(countDelivered(temp.file, neighbourKey)).toBe(1_234);
  });

  it('loses nothing when the process stops before the purge: the next start finishes it', async () => {
    const crashed = await storeWithSession(false, 'interrupted');
    const key = fillDelivered(temp.file, crashed.teamId, 'interrupted', 200_000);
    expect(await crashed.store.deleteSession(crashed.teamId, 'interrupted')).toBe(true);
    await crashed.store.close();

    expect(countDelivered(temp.file, key)).toBe(200_000);
    expect(purgeQueue(temp.file)).toEqual([key]);

    store = await openStore(temp.url);
    await waitFor(() => countDelivered(temp.file, key) === 0, 10_000, 'delivered rows still present after restart');
    await waitFor(() => purgeQueue(temp.file).length === 0, 5_000, 'purge queue not emptied');
  });

  it('is woken by a delete instead of waiting for its next poll, and purges in batches of any size', async () => {
    const db = openDatabase(temp.file);
    const purger = new DeliveredPurger(db, { batchSize: 100, pollIntervalMs: 60_000 });
    try {
      purger.start();
      db.prepare("INSERT INTO teams (name, created_at) VALUES ('acme', 0)").run();
      db.prepare("INSERT INTO sessions (team_id, id, created_at) VALUES (1, 'batched', 0)").run();
      const key = fillDelivered(temp.file, 1, 'batched', 1_050);
      // Let the purger settle into its 60 s sleep before the key is queued.
      await new Promise((resolve) => setTimeout(resolve, 50));
      db.prepare('DELETE FROM sessions WHERE session_key = ?').run(key);
      db.prepare('INSERT INTO purge_queue (session_key) VALUES (?)').run(key);
      purger.wake();

      await waitFor(() => purgeQueue(temp.file).length === 0, 5_000, 'the wake-up was not heard');
      expect(countDelivered(temp.file, key)).toBe(0);
    } finally {
      await purger.close();
      db.close();
    }
  });

  it('leaves no timer behind once closed', async () => {
    const set = vi.spyOn(globalThis, 'setTimeout');
    const clear = vi.spyOn(globalThis, 'clearTimeout');
    try {
      const opened = await openStore(temp.url);
      await opened.close();
      // The purger's poll timer is the unref'd one; whoever else set a timer meanwhile is not ours.
      const pollTimers = set.mock.results.map((result) => result.value as NodeJS.Timeout).filter((timer) => !timer.hasRef());
      expect(pollTimers.length).toBeGreaterThan(0);
      for (const timer of pollTimers) expect(clear.mock.calls.some(([cleared]) => cleared === timer)).toBe(true);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('deletes each batch and checks the queue through the primary-key index', () => {
    const db = openDatabase(temp.file);
    try {
      const plan = (sql: string) =>
        db
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all({ key: 1, limit: 5_000 })
          .map((step) => (step as { detail: string }).detail);
      expect(plan(DELETE_BATCH_SQL)).toEqual([
        'SEARCH delivered USING PRIMARY KEY (session_key=? AND property_id=?)',
        'LIST SUBQUERY 1',
        'SEARCH delivered USING PRIMARY KEY (session_key=?)',
      ]);
      expect(plan(DEQUEUE_IF_EMPTY_SQL)).toContain('SEARCH delivered USING PRIMARY KEY (session_key=?)');
      expect(plan(DEQUEUE_IF_EMPTY_SQL).join('\n')).not.toMatch(/\bSCAN\b/);
      // The bulk dequeue walks the queue (the deleted sessions not yet purged, a short list) and
      // looks each key up in every state table by its primary key, never scanning one.
      const bulk = plan(DEQUEUE_EMPTY_KEYS_SQL);
      expect(bulk.filter((step) => step.startsWith('SEARCH t USING PRIMARY KEY (session_key=?)'))).toHaveLength(3);
      expect(bulk.filter((step) => /\bSCAN\b/.test(step))).toEqual(['SCAN q']);
    } finally {
      db.close();
    }
  });
});

describe('the schema', () => {
  it('keeps delivered ids in a WITHOUT ROWID table keyed by (session_key, property_id)', () => {
    const db = openDatabase(temp.file);
    try {
      const sql = db.prepare<[], string>("SELECT sql FROM sqlite_schema WHERE name = 'delivered'").pluck().get();
      expect(sql).toMatch(/PRIMARY KEY \(session_key, property_id\)/);
      expect(sql).toMatch(/WITHOUT ROWID/);
    } finally {
      db.close();
    }
  });

  it('never hands out a session key twice, even after the newest session is deleted', async () => {
    const { store, teamId } = await storeWithSession(false, 'latest');
    const raw = new Database(temp.file);
    try {
      const keyOf = () => raw.prepare<[], number>("SELECT session_key FROM sessions WHERE id = 'latest'").pluck().get();
      const first = keyOf();
      await store.deleteSession(teamId, 'latest');
      await store.createSession(teamId, 'latest');
      expect(keyOf()).toBeGreaterThan(first!);
    } finally {
      raw.close();
    }
  });
});
