import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WindowCounter } from '../../server/rate-limit/window-counter.js';

const WINDOW_MS = 60_000;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-29T12:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('WindowCounter', () => {
  it('counts each key on its own, in a window that starts at the key’s first hit', () => {
    const counter = new WindowCounter(WINDOW_MS);
    expect(counter.increment('a')).toEqual({ totalHits: 1, resetTime: new Date('2026-11-29T12:01:00Z') });
    vi.advanceTimersByTime(10_000);
    expect(counter.increment('a').totalHits).toBe(2);
    expect(counter.increment('b')).toEqual({ totalHits: 1, resetTime: new Date('2026-11-29T12:01:10Z') });
  });

  it('starts from zero once the window has ended, with a new reset time', () => {
    const counter = new WindowCounter(WINDOW_MS);
    for (let i = 0; i < 5; i++) counter.increment('a');
    vi.advanceTimersByTime(WINDOW_MS - 1);
    expect(counter.increment('a').totalHits).toBe(6);
    vi.advanceTimersByTime(1);
    expect(counter.increment('a')).toEqual({ totalHits: 1, resetTime: new Date(Date.now() + WINDOW_MS) });
  });

  it('keeps a count across a sweep while its window lasts', () => {
    const counter = new WindowCounter(WINDOW_MS);
    vi.advanceTimersByTime(WINDOW_MS / 2);
    counter.increment('a');
    vi.advanceTimersByTime(WINDOW_MS / 2); // a sweep: 'a' moves to the previous generation
    expect(counter.increment('a').totalHits).toBe(2);
  });

  it('forgets keys idle for a whole window, so memory follows the tokens in use', () => {
    const counter = new WindowCounter(WINDOW_MS);
    const keys = Array.from({ length: 1_000 }, (_, i) => `k${i}`);
    keys.forEach((key) => counter.increment(key));
    vi.advanceTimersByTime(2 * WINDOW_MS); // two sweeps
    const generations = counter as unknown as { current: Map<string, unknown>; previous: Map<string, unknown> };
    expect(generations.current.size + generations.previous.size).toBe(0);
    expect(counter.increment('k1').totalHits).toBe(1);
  });
});
