// Request ids: the ULID format the spec declares, unique, and sorted in the order they were made,
// also many within one millisecond and when the clock stands still or steps back.
import { expect, it } from 'vitest';
import { ulid } from '../../server/http/request-id.js';

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const timeOf = (id: string) => [...id.slice(0, 10)].reduce((t, c) => t * 32 + CROCKFORD.indexOf(c), 0);

it('makes 100,000 valid, unique ids in increasing order', () => {
  const ids = Array.from({ length: 100_000 }, () => ulid());
  for (const id of ids) expect(id).toMatch(ULID);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(ids);
});

it('encodes the millisecond in its first ten characters', () => {
  // Later than any id made so far in this file: the generator never goes back in time.
  const later = Date.UTC(2031, 4, 10, 14, 23, 11, 123);
  expect(timeOf(ulid(later))).toBe(later);
});

it('keeps increasing when the clock stands still or steps back', () => {
  const fixed = Date.UTC(2030, 0, 1);
  const ids = [ulid(fixed), ulid(fixed), ulid(fixed - 5_000), ulid(fixed)];
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(4);
});
