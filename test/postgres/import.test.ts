// Imports on PostgreSQL: all or nothing, and one at a time, so property ids grow in commit order and
// a delivery cursor can never have passed a property that commits later.
import { expect, it } from 'vitest';
import { syntheticProperties } from '../../server/properties/synthetic.js';
import type { NewProperty } from '../../server/store/store.js';
import { numbers } from '../support/databases/postgres-fixtures.js';
import { storeWithTeam, usePostgresCluster } from '../support/databases/postgres-suite.js';
import { describeWithServices } from '../support/databases/required-services.js';

describeWithServices('postgres')('importing properties into PostgreSQL', () => {
  const postgres = usePostgresCluster();

  it('adds nothing when the source fails half-way, and rethrows its error', async () => {
    const url = await postgres.freshDatabase();
    const { store } = await storeWithTeam(url, { purge: false });
    try {
      async function* failing(): AsyncGenerator<NewProperty[]> {
        for await (const batch of syntheticProperties(3_000, 1, 1_000)) {
          yield batch;
          throw new Error('line 1001: zip must be five digits');
        }
      }
      await expect(store.importProperties(failing())).rejects.toThrow('line 1001: zip must be five digits');
      expect(await store.countProperties()).toBe(0);
      expect(await store.importProperties(syntheticProperties(2_000, 1))).toBe(2_000);
    } finally {
      await store.close();
    }
  });

  it('runs two imports one after the other, each a contiguous run of ids', async () => {
    const url = await postgres.freshDatabase();
    const { store } = await storeWithTeam(url, { purge: false });
    try {
      // Slow sources, so the two would interleave if nothing made them take turns.
      async function* slowly(source: string): AsyncGenerator<NewProperty[]> {
        for await (const batch of syntheticProperties(1_000, 1, 100)) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          yield batch.map((property) => ({ ...property, address: { ...property.address, street: `${source} ${property.address.street}` } }));
        }
      }
      expect(await Promise.all([store.importProperties(slowly('A')), store.importProperties(slowly('B'))])).toEqual([1_000, 1_000]);
      // In id order the source changes exactly once: A…A then B…B, or the other way round.
      const changes = await numbers(
        url,
        `SELECT count(*) FROM (SELECT left(street, 1) AS source, lag(left(street, 1)) OVER (ORDER BY id) AS before FROM properties) t
          WHERE source <> before`,
      );
      expect(changes).toEqual([1]);
    } finally {
      await store.close();
    }
  });
});
