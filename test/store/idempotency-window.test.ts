// An Idempotency-Key is honoured for a window, not forever: its page is purged afterwards, and a
// page that delivered nothing is never stored. On both stores, with a window of a fraction of a
// second so the test needs no clock tricks (the purge polls once a second).
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticProperties } from '../../server/properties/synthetic.js';
import { openStore } from '../../server/store/open-store.js';
import type { PropertyQuery } from '../../server/store/query.js';
import type { DeliveryOutcome, Store } from '../../server/store/store.js';
import { withClient } from '../support/databases/postgres-fixtures.js';
import { usePostgresCluster } from '../support/databases/postgres-suite.js';
import { describeWithServices } from '../support/databases/required-services.js';
import { createTempDatabase, type TempDatabase } from '../support/databases/sqlite-fixtures.js';
import { waitFor } from '../support/servers/loopback.js';

const ARIZONA: PropertyQuery = { kind: 'state', state: 'AZ' };
const NOWHERE: PropertyQuery = { kind: 'zip', zip: '00000' };
const WINDOW_MS = 300;

function ids(outcome: DeliveryOutcome): number[] {
  if (outcome.kind !== 'delivered') throw new Error(`expected a page, got ${outcome.kind}`);
  return outcome.properties.map((property) => property.id);
}

/** The same checks on either store; `storedPages` counts idempotent_pages rows. */
function expiresIdempotentPages(open: () => Promise<{ store: Store; storedPages: () => Promise<number> }>) {
  return async () => {
    const { store, storedPages } = await open();
    try {
      await store.importProperties(syntheticProperties(500, 3));
      const teamId = (await store.createTeam('acme')).id;
      const page = (query: PropertyQuery, key: string) =>
        store.deliver({ teamId, sessionId: 'polled', query, take: 5, idempotency: { key, fingerprint: JSON.stringify(query) } });

      const first = await page(ARIZONA, 'key-1');
      expect(await page(ARIZONA, 'key-1')).toEqual(first); // a retry inside the window: the same page
      expect(ids(await page(NOWHERE, 'empty-1'))).toEqual([]);
      expect(ids(await page(NOWHERE, 'empty-2'))).toEqual([]);
      expect(await storedPages()).toBe(1); // the empty pages were not kept

      await waitFor(async () => (await storedPages()) === 0, 10_000, 'expired idempotency pages were not purged');
      // Past the window the key names a new request: the session's next page, nothing twice.
      const later = ids(await page(ARIZONA, 'key-1'));
      expect(later).toHaveLength(5);
      expect(later.filter((id) => ids(first).includes(id))).toEqual([]);
    } finally {
      await store.close();
    }
  };
}

describe('the idempotency window on SQLite', () => {
  let temp: TempDatabase;
  beforeEach(() => void (temp = createTempDatabase()));
  afterEach(() => temp.remove());

  it(
    'keeps a key’s page for the window, then purges it, and never stores an empty page',
    expiresIdempotentPages(async () => ({
      store: await openStore(temp.url, { idempotencyWindowMs: WINDOW_MS }),
      storedPages: async () => {
        const db = new Database(temp.file, { readonly: true });
        try {
          return db.prepare<[], number>('SELECT count(*) FROM idempotent_pages').pluck().get()!;
        } finally {
          db.close();
        }
      },
    })),
  );
});

describeWithServices('postgres')('the idempotency window on PostgreSQL', () => {
  const { freshDatabase } = usePostgresCluster();

  it(
    'keeps a key’s page for the window, then purges it, and never stores an empty page',
    expiresIdempotentPages(async () => {
      const url = await freshDatabase();
      return {
        store: await openStore(url, { idempotencyWindowMs: WINDOW_MS }),
        storedPages: () => withClient(url, async (client) => Number((await client.query('SELECT count(*) FROM idempotent_pages')).rows[0].count)),
      };
    }),
  );
});
