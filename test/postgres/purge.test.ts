// The background purge on PostgreSQL: a deleted session's state goes away soon after the 200,
// work interrupted by a stop resumes at the next start, several instances purge one queue without
// colliding, and every batch reads through the primary key instead of scanning the table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteBatchSql, DEQUEUE_SQL, NEXT_KEY_SQL, SESSION_STATE } from '../../server/store/postgres/purger.js';
import { openStore } from '../../server/store/open-store.js';
import type { Store } from '../../server/store/store.js';
import { countDelivered, fillDelivered, numbers, purgeQueue, withClient } from '../support/databases/postgres-fixtures.js';
import { storeWithTeam, usePostgresCluster } from '../support/databases/postgres-suite.js';
import { describeWithServices } from '../support/databases/required-services.js';
import { waitFor } from '../support/servers/loopback.js';

const MILLION = 1_000_000;

describeWithServices('postgres')('PostgreSQL purge of deleted sessions', () => {
  const { freshDatabase } = usePostgresCluster();

  it(`removes ${MILLION.toLocaleString('en')} delivered rows soon after the delete, sparing other sessions`, async () => {
    const url = await freshDatabase();
    const { store, teamId } = await storeWithTeam(url);
    try {
      await store.createSession(teamId, 'huge');
      await store.createSession(teamId, 'neighbour');
      const key = await fillDelivered(url, teamId, 'huge', MILLION);
      const neighbourKey = await fillDelivered(url, teamId, 'neighbour', 1_234);

      const started = performance.now();
      expect(await store.deleteSession(teamId, 'huge')).toBe(true);
      console.log(`PostgreSQL deleteSession with ${MILLION} delivered ids: ${(performance.now() - started).toFixed(1)} ms`);
      expect((await store.listSessions(teamId, 0, 10)).sessions.map((session) => session.id)).toEqual(['neighbour']);

      await waitFor(async () => (await countDelivered(url, key)) === 0, 20_000, 'delivered rows still present after 20 s');
      console.log(`PostgreSQL purge of ${MILLION} delivered rows: ${Math.round(performance.now() - started)} ms after the delete`);
      await waitFor(async () => (await purgeQueue(url)).length === 0, 5_000, 'purge queue not emptied');
      expect(await countDelivered(url, neighbourKey)).toBe(1_234);
    } finally {
      await store.close();
    }
  });

  it('loses nothing when the process stops before the purge: the next start finishes it', async () => {
    const url = await freshDatabase();
    const { store: crashed, teamId } = await storeWithTeam(url, { purge: false });
    await crashed.createSession(teamId, 'interrupted');
    const key = await fillDelivered(url, teamId, 'interrupted', 100_000);
    expect(await crashed.deleteSession(teamId, 'interrupted')).toBe(true);
    await crashed.close();
    expect(await countDelivered(url, key)).toBe(100_000);
    expect(await purgeQueue(url)).toEqual([key]);

    const restarted = await openStore(url);
    try {
      await waitFor(async () => (await purgeQueue(url)).length === 0, 10_000, 'purge did not resume after restart');
      expect(await countDelivered(url, key)).toBe(0);
    } finally {
      await restarted.close();
    }
  });

  it('lets several instances purge one queue side by side without a single failed batch', async () => {
    const url = await freshDatabase();
    const { store: setup, teamId } = await storeWithTeam(url, { purge: false });
    const keys: number[] = [];
    for (let i = 0; i < 6; i++) {
      await setup.createSession(teamId, `s-${i}`);
      keys.push(await fillDelivered(url, teamId, `s-${i}`, 40_000));
    }
    for (let i = 0; i < 6; i++) await setup.deleteSession(teamId, `s-${i}`);
    await setup.close();

    const failures: unknown[] = [];
    const purgers = await Promise.all([1, 2, 3].map(() => openStore(url, { onPurgeError: (error) => failures.push(error) })));
    try {
      await waitFor(async () => (await purgeQueue(url)).length === 0, 20_000, 'queue not emptied by three purgers');
      expect(await numbers(url, 'SELECT count(*) FROM delivered')).toEqual([0]);
      expect(failures).toEqual([]);
    } finally {
      await Promise.all(purgers.map((store) => store.close()));
    }
  });

  describe('query plans, on a table holding other sessions’ rows too', () => {
    let url: string;
    let store: Store;
    let key: number;

    beforeAll(async () => {
      url = await freshDatabase();
      let teamId: number;
      ({ store, teamId } = await storeWithTeam(url, { purge: false }));
      for (const id of ['a', 'b', 'c']) await store.createSession(teamId, id);
      const keys = [await fillDelivered(url, teamId, 'a', 100_000), await fillDelivered(url, teamId, 'b', 100_000)];
      keys.push(await fillDelivered(url, teamId, 'c', 100_000));
      key = keys[1]!;
      // Cursors and idempotent pages are few per session in real use; many here, so a plan must choose.
      await withClient(url, async (client) => {
        for (const sessionKey of keys) {
          await client.query(`INSERT INTO delivery_cursors SELECT $1, 'zip:' || n, n FROM generate_series(1, 30000) n`, [sessionKey]);
          await client.query(`INSERT INTO idempotent_pages SELECT $1, 'key-' || n, 'f', '{}', false, 0 FROM generate_series(1, 30000) n`, [sessionKey]);
        }
        await client.query('INSERT INTO purge_queue SELECT n FROM generate_series(1000, 31000) n');
        await client.query('ANALYZE');
      });
    });
    afterAll(async () => {
      await store?.close();
    });

    /** The plan, as text, both as a one-off statement gets it and as a reused prepared one would. */
    async function plans(sql: string, values: number[]): Promise<string[]> {
      return withClient(url, async (client) => {
        const text = async (explain: string, params: unknown[] = []) => (await client.query({ text: explain, values: params, rowMode: 'array' })).rows.join('\n');
        const custom = await text(`EXPLAIN ${sql}`, values);
        await client.query(`PREPARE reused AS ${sql}`);
        await client.query('SET plan_cache_mode = force_generic_plan');
        // Numbers only, so they can stand in the EXECUTE as literals.
        const generic = await text(`EXPLAIN EXECUTE reused${values.length > 0 ? `(${values.join(', ')})` : ''}`);
        if (values.length > 0) expect(generic, 'a generic plan keeps its parameters').toContain('$1');
        return [custom, generic];
      });
    }

    it.each(Object.keys(SESSION_STATE) as Array<keyof typeof SESSION_STATE>)('deletes a batch of %s through its primary key', async (table) => {
      for (const plan of await plans(deleteBatchSql(table), [key, 5_000])) {
        expect(plan).toMatch(new RegExp(`Index (Only )?Scan using ${table}_pkey on ${table}`));
        expect(plan).not.toMatch(/Seq Scan/);
      }
    });

    it('takes the next key from the queue and dequeues it through the queue’s primary key', async () => {
      for (const plan of [...(await plans(NEXT_KEY_SQL, [])), ...(await plans(DEQUEUE_SQL, [key]))]) {
        expect(plan).toMatch(/Index (Only )?Scan using purge_queue_pkey on purge_queue/);
        expect(plan).not.toMatch(/Seq Scan/);
      }
    });
  });
});
