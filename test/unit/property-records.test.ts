// Properties by id, remembered (server/store/property-records.ts): a page is assembled from records
// read once, in the order asked, with the very text SQLite wrote for each.
import { expect, it } from 'vitest';
import { stringifyResponse } from '../../server/json-text.js';
import { PropertyRecords } from '../../server/store/property-records.js';

const textOf = (id: number) => `{"id":${id},"address":{"street":"${id} Main St","city":"Austin","state":"TX","zip":"78701"},"bedrooms":3,"bathrooms":2.50,"yearBuilt":1990,"estimatedValue":100000}`;

function recordsOver(stored: number[]) {
  const reads: (readonly number[])[] = [];
  const records = new PropertyRecords((ids) => {
    reads.push(ids);
    return ids.filter((id) => stored.includes(id)).map(textOf);
  });
  return { records, reads };
}

it('reads only the records it has not seen, and answers in the order of the ids', () => {
  const { records, reads } = recordsOver([1, 2, 3, 4, 5]);
  expect(records.byIds([1, 2, 3]).map((record) => record.id)).toEqual([1, 2, 3]);
  expect(records.byIds([2, 3, 4, 5]).map((record) => record.id)).toEqual([2, 3, 4, 5]);
  expect(records.byIds([1, 5])).toHaveLength(2);
  expect(reads).toEqual([[1, 2, 3], [4, 5]]);
  expect(records.size).toBe(5);
});

it('gives a frozen page that a response writes as the stored texts, unchanged', () => {
  const { records } = recordsOver([7, 8]);
  records.byIds([8]);
  const page = records.byIds([7, 8]);
  expect(Object.isFrozen(page) && Object.isFrozen(page[0]) && Object.isFrozen(page[0]!.address)).toBe(true);
  expect(stringifyResponse({ properties: page })).toBe(`{"properties":[${textOf(7)},${textOf(8)}]}`);
});

it('leaves out an id with no stored property', () => {
  const { records } = recordsOver([1, 3]);
  expect(records.byIds([1, 2, 3]).map((record) => record.id)).toEqual([1, 3]);
});

it('keeps no more than its budget of text, forgetting the least recently used', () => {
  const { records, reads } = recordsOver(Array.from({ length: 60_000 }, (_, i) => i + 1));
  for (let first = 1; first <= 60_000; first += 100) records.byIds(Array.from({ length: 100 }, (_, i) => first + i));
  expect(records.size).toBeLessThan(60_000);
  expect(records.size).toBeGreaterThan(10_000);
  reads.length = 0;
  records.byIds([1, 60_000]); // the newest is still there, the oldest is gone
  expect(reads).toEqual([[1]]);
});

it('reads a large page whole, past the cache, and remembers none of it', () => {
  const { records, reads } = recordsOver(Array.from({ length: 300 }, (_, i) => i + 1));
  records.byIds([1, 2]);
  const large = Array.from({ length: 101 }, (_, i) => i + 1);
  const page = records.byIds(large);
  expect(page.map((record) => record.id)).toEqual(large);
  expect(stringifyResponse(page)).toBe(`[${large.map(textOf).join(',')}]`);
  expect(reads.at(-1)).toEqual(large);
  expect(records.size).toBe(2);
});
