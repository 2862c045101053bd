// resultsFound is remembered per query and topped up with properties added since: it must stay
// exactly what a fresh count would say, through imports of matching and non-matching properties.
import { expect, it } from 'vitest';
import type { NewProperty } from '../../server/store/store.js';
import type { PropertyQuery } from '../../server/store/query.js';
import { batchesOf, syntheticList } from '../support/search.js';
import { freshStoreEachTest } from '../support/databases/temp-store.js';

const context = freshStoreEachTest();

const queries: PropertyQuery[] = [
  { kind: 'state', state: 'AZ' },
  { kind: 'city', state: 'TX', city: 'austin' },
  { kind: 'zip', zip: '85020' },
];

it('stays equal to a fresh count as properties are added', async () => {
  const all = await syntheticList(6_000, 5);
  const truth = (upTo: number, q: PropertyQuery) =>
    all.slice(0, upTo).filter((p: NewProperty) =>
      q.kind === 'zip' ? p.address.zip === q.zip : q.kind === 'state' ? p.address.state === q.state : p.address.state === q.state && p.address.city.toLowerCase() === q.city,
    ).length;
  let imported = 0;
  for (const upTo of [1_000, 1_001, 3_500, 6_000]) {
    await context.store.importProperties(batchesOf(all.slice(imported, upTo)));
    imported = upTo;
    for (const query of queries) {
      expect((await context.store.searchProperties(query, 0, 1)).resultsFound).toBe(truth(upTo, query));
      // Asked again without changes: the remembered figure.
      expect((await context.store.searchProperties(query, 0, 1)).resultsFound).toBe(truth(upTo, query));
    }
  }
});
