// Plain search pages are remembered (server/store/page-cache.ts): every answer must still be exactly
// what a fresh read says, through imports that add matches after a full page, into a short one, and
// with strings and numbers SQLite writes as JSON text the response then carries as it is.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { stringifyResponse } from '../../server/json-text.js';
import type { NewProperty } from '../../server/store/store.js';
import type { PropertyQuery } from '../../server/store/query.js';
import { openStore } from '../../server/store/open-store.js';
import { batchesOf } from '../support/search.js';
import { freshStoreEachTest } from '../support/databases/temp-store.js';

const context = freshStoreEachTest();
const AZ: PropertyQuery = { kind: 'state', state: 'AZ' };

const property = (street: string, state = 'AZ', bathrooms = 2): NewProperty => ({
  address: { street, city: 'Phoenix', state, zip: '85020' },
  bedrooms: 3,
  bathrooms,
  yearBuilt: 1990,
  estimatedValue: 400_000,
});
const import_ = (properties: NewProperty[]) => context.store.importProperties(batchesOf(properties));
const streets = async (skip: number, take: number, freshSince?: number) =>
  (await context.store.searchProperties(AZ, skip, take, freshSince)).properties.map((p) => p.address.street);

it('keeps a full page as it was and refreshes a short one once properties are added', async () => {
  await import_(['a', 'b', 'c'].map((s) => property(s)));
  expect(await streets(0, 2)).toEqual(['a', 'b']); // full
  expect(await streets(2, 2)).toEqual(['c']); // short: the query's last page
  await import_([property('x', 'TX'), property('d'), property('e')]);
  expect(await streets(0, 2)).toEqual(['a', 'b']);
  expect(await streets(2, 2)).toEqual(['c', 'd']);
  expect(await streets(4, 2)).toEqual(['e']);
  expect((await context.store.searchProperties(AZ, 0, 2)).resultsFound).toBe(5);
});

// A request may be answered as of any check of the file made since it arrived (FreshSince): the
// highest id, which a remembered page and count hold for, is read again only once another
// connection has committed by then, or this store has imported.
it('shows another connection’s import to a request that arrived after it; one that arrived before may be answered as of its arrival', async () => {
  await import_([property('a')]);
  const arrivedBefore = performance.now();
  expect((await context.store.searchProperties(AZ, 0, 25, arrivedBefore)).resultsFound).toBe(1);
  const other = await openStore(context.temp.url, { purge: false });
  try {
    await other.importProperties(batchesOf([property('b')]));
  } finally {
    await other.close();
  }
  // The check made for the first call came after this request arrived: it stands for it.
  expect(await streets(0, 25, arrivedBefore)).toEqual(['a']);
  expect(await streets(0, 25, performance.now())).toEqual(['a', 'b']);
  expect((await context.store.searchProperties(AZ, 0, 25)).resultsFound).toBe(2);
  expect((await context.store.searchProperties(AZ, 0, 25, arrivedBefore)).resultsFound).toBe(2);
});

it('shows its own import at once, to a request that arrived before it too', async () => {
  await import_([property('a')]);
  const arrivedBefore = performance.now();
  expect(await streets(0, 25, arrivedBefore)).toEqual(['a']);
  await import_([property('b')]);
  expect(await streets(0, 25, arrivedBefore)).toEqual(['a', 'b']);
  expect((await context.store.searchProperties(AZ, 0, 25, arrivedBefore)).resultsFound).toBe(2);
});

it('answers with pages that cannot be changed, so what they remember stays true', async () => {
  await import_([property('a'), property('b')]);
  const { properties } = await context.store.searchProperties(AZ, 0, 2);
  expect(() => (properties as NewProperty[]).push(property('c'))).toThrow();
  expect(() => {
    (properties[0]!.address as { street: string }).street = 'changed';
  }).toThrow();
  expect(await streets(0, 2)).toEqual(['a', 'b']);
});

it('writes a page exactly as JSON.stringify would, whatever the strings and numbers', async () => {
  const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
  // Any number a CSV could sensibly give: up to 16 significant digits. (One that needs all 17 may
  // be spelled otherwise by SQLite: the same number, read back.)
  const shortDecimal = fc.tuple(fc.double({ min: 1e-4, max: 1e6, noNaN: true }), fc.integer({ min: 1, max: 16 })).map(([v, digits]) => Number(v.toPrecision(digits)));
  const arbitrary = fc.array(fc.record({ street: text, bathrooms: fc.oneof(fc.integer({ min: 0, max: 20 }), shortDecimal) }), {
    minLength: 1,
    maxLength: 20,
  });
  const samples = fc.sample(arbitrary, { numRuns: 30, seed: 11 });
  let imported = 0;
  for (const sample of samples) {
    await import_(sample.map(({ street, bathrooms }) => property(street, 'AZ', bathrooms)));
    const page = await context.store.searchProperties(AZ, imported, sample.length);
    imported += sample.length;
    const body = { results: { properties: page.properties } };
    // What the response carries (SQLite's text) against what a fresh serialisation of the records says.
    expect(stringifyResponse(body)).toBe(JSON.stringify(structuredClone(body)));
    expect(page.properties.map((p) => [p.address.street, p.bathrooms])).toEqual(sample.map((s) => [s.street, s.bathrooms]));
  }
});

it('stays bounded when every request asks for another empty page past the end', async () => {
  await import_([property('a')]);
  const cache = (context.store as unknown as { pages: { size: number } }).pages;
  for (let skip = 1_000; skip < 60_000; skip++) await context.store.searchProperties(AZ, skip, 25);
  // 8 MiB of budget at 256 bytes an entry at least.
  expect(cache.size).toBeLessThanOrEqual((8 * 1024 * 1024) / 256);
  expect(cache.size).toBeGreaterThan(1_000);
});
