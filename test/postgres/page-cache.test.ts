// Plain search pages remembered on PostgreSQL (server/store/page-cache.ts): a full page as it was, a
// short one read again once properties are added, and the page and resultsFound of one moment.
import { expect, it } from 'vitest';
import type { NewProperty } from '../../server/store/store.js';
import type { PropertyQuery } from '../../server/store/query.js';
import { batchesOf } from '../support/search.js';
import { storeWithTeam, usePostgresCluster } from '../support/databases/postgres-suite.js';
import { describeWithServices } from '../support/databases/required-services.js';

const AZ: PropertyQuery = { kind: 'state', state: 'AZ' };
const property = (street: string, state = 'AZ'): NewProperty => ({
  address: { street, city: 'Phoenix', state, zip: '85020' },
  bedrooms: 3,
  bathrooms: 2.5,
  yearBuilt: 1990,
  estimatedValue: 400_000,
});

describeWithServices('postgres')('plain search pages on PostgreSQL', () => {
  const postgres = usePostgresCluster();

  it('keeps a full page as it was and reads a short one again once properties are added', async () => {
    const { store } = await storeWithTeam(await postgres.freshDatabase(), { purge: false });
    try {
      const streets = async (skip: number, take: number) => {
        const page = await store.searchProperties(AZ, skip, take);
        return [page.resultsFound, ...page.properties.map((p) => p.address.street)];
      };
      await store.importProperties(batchesOf(['a', 'b', 'c'].map((s) => property(s))));
      expect(await streets(0, 2)).toEqual([3, 'a', 'b']);
      expect(await streets(2, 2)).toEqual([3, 'c']);
      await store.importProperties(batchesOf([property('x', 'TX'), property('d'), property('e')]));
      expect(await streets(0, 2)).toEqual([5, 'a', 'b']);
      expect(await streets(2, 2)).toEqual([5, 'c', 'd']);
      expect(await streets(4, 2)).toEqual([5, 'e']);
      const { properties } = await store.searchProperties(AZ, 0, 2);
      expect(() => (properties as NewProperty[]).push(property('z'))).toThrow();
    } finally {
      await store.close();
    }
  });
});
