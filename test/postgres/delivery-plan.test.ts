// A session page on PostgreSQL reads only about what it returns: the next matches after the
// (session, query) cursor through an index in id order, each checked against the session's
// delivered ids through their primary key. No plan may read the delivered ids as a whole (a hash
// anti-join would) nor sort every match after the cursor, or a page would cost more the more the
// session (or the whole store) holds.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { syntheticProperties } from '../../server/properties/synthetic.js';
import { undeliveredBatch } from '../../server/store/postgres/undelivered.js';
import type { Store } from '../../server/store/store.js';
import type { PropertyQuery } from '../../server/store/query.js';
import { withClient } from '../support/databases/postgres-fixtures.js';
import { storeWithTeam, usePostgresCluster } from '../support/databases/postgres-suite.js';
import { describeWithServices } from '../support/databases/required-services.js';

const QUERIES: PropertyQuery[] = [
  { kind: 'state', state: 'TX' },
  { kind: 'zip', zip: '78701' },
  { kind: 'city', city: 'houston', state: 'TX' },
];

describeWithServices('postgres')('the plan of a session page on PostgreSQL', () => {
  const postgres = usePostgresCluster();
  let url: string;
  let store: Store;
  let sessionKey: number;

  beforeAll(async () => {
    url = await postgres.freshDatabase();
    let teamId: number;
    ({ store, teamId } = await storeWithTeam(url, { purge: false }));
    await store.importProperties(syntheticProperties(100_000, 5));
    // A session that has already received most of Texas, page by page, as a client would.
    for (let i = 0; i < 30; i++) await store.deliver({ teamId, sessionId: 'busy', query: QUERIES[0]!, take: 500 });
    await withClient(url, async (client) => {
      sessionKey = Number((await client.query("SELECT session_key FROM sessions WHERE id = 'busy'")).rows[0].session_key);
      await client.query('ANALYZE');
    });
  });
  afterAll(async () => {
    await store?.close();
  });

  it.each(QUERIES)('reads the next page of %j through indexes only', async (query) => {
    const cursor = await withClient(url, async (client) => Number((await client.query('SELECT coalesce(max(last_id), 0) AS c FROM delivery_cursors')).rows[0].c));
    const { text, values } = undeliveredBatch(sessionKey, query, cursor, 500);
    const plan = await withClient(url, async (client) => (await client.query({ text: `EXPLAIN (COSTS OFF) ${text}`, values, rowMode: 'array' })).rows.join('\n'));
    expect(plan).not.toMatch(/Seq Scan|Hash/);
    // Each candidate probes the session's delivered ids through their primary key, nothing more.
    expect(plan).toMatch(/Index Only Scan using delivered_pkey on delivered d\s+Index Cond: \(\(session_key = '\d+'::bigint\) AND \(property_id = p_1\.id\)\)/);
    // Properties are read from the cursor on, through an index: never from the first match.
    expect(plan).toMatch(new RegExp(`Index Cond: \\(.*id > '${cursor}'::bigint\\)`));
  });
});
