// The stores' caches forget by one rule: least recently used first, once their entries weigh more
// than the budget.
import { expect, it } from 'vitest';
import { Lru } from '../../server/store/lru.js';

it('forgets the least recently used entries once over budget; a read makes an entry the most recent', () => {
  const lru = new Lru<string, number>(3);
  for (const key of ['a', 'b', 'c']) lru.set(key, 1);
  expect(lru.get('a')).toBe(1);
  lru.set('d', 1);
  expect([lru.peek('a'), lru.peek('b'), lru.peek('c'), lru.peek('d')]).toEqual([1, undefined, 1, 1]);
  // peek leaves the order alone: 'c' is still the oldest.
  lru.peek('c');
  lru.set('e', 1);
  expect(lru.peek('c')).toBeUndefined();
  expect(lru.size).toBe(3);
});

it('weighs entries, reweighs one set again, and forgets as many as the budget needs', () => {
  const lru = new Lru<string, number[]>(10, (value) => value.length);
  lru.set('a', [1, 2, 3]);
  lru.set('b', [1, 2, 3]);
  lru.set('a', [1]); // replaced: now the most recent, weighing 1
  expect(lru.weight).toBe(4);
  lru.set('c', [1, 2, 3, 4, 5, 6, 7, 8]); // 12: 'b', the oldest, goes, and 9 is within budget
  expect([lru.peek('a'), lru.peek('b')]).toEqual([[1], undefined]);
  expect(lru.weight).toBe(9);
  lru.set('d', [1, 2]); // 11: 'a' goes
  expect([lru.peek('a'), lru.weight]).toEqual([undefined, 10]);
  lru.delete('c');
  lru.delete('d');
  lru.delete('nothing');
  expect([lru.weight, lru.size]).toEqual([0, 0]);
});

it('keeps nothing heavier than the whole budget', () => {
  const lru = new Lru<string, number>(5, (value) => value);
  lru.set('big', 6);
  expect([lru.peek('big'), lru.weight]).toEqual([undefined, 0]);
});
