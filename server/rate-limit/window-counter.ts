// The per-token hit counts of one process: a fixed window per key that starts at the key's first
// hit. Counting is synchronous (a request over budget never waits on a promise to be refused), and
// memory stays bounded by the keys seen in the last two windows: keys idle for a whole window are
// dropped wholesale at the next sweep.

export interface WindowCount {
  totalHits: number;
  /** When this key's window ends and its count starts again from zero. */
  resetTime: Date;
}

/** Counts a hit and answers with the count so far; the shared (Redis) counter answers later. */
export interface HitCounter {
  increment(key: string): WindowCount | Promise<WindowCount>;
}

export class WindowCounter implements HitCounter {
  private current = new Map<string, WindowCount>();
  private previous = new Map<string, WindowCount>();

  constructor(private readonly windowMs: number) {
    setInterval(() => {
      this.previous = this.current;
      this.current = new Map();
    }, windowMs).unref();
  }

  /** The key's count in its current window, without counting a hit. */
  peek(key: string): WindowCount | undefined {
    const count = this.current.get(key) ?? this.previous.get(key);
    return count && count.resetTime.getTime() > Date.now() ? count : undefined;
  }

  increment(key: string): WindowCount {
    const now = Date.now();
    let count = this.current.get(key);
    if (!count) {
      count = this.previous.get(key) ?? { totalHits: 0, resetTime: new Date(now + this.windowMs) };
      this.previous.delete(key);
      this.current.set(key, count);
    }
    if (count.resetTime.getTime() <= now) {
      count.totalHits = 0;
      count.resetTime = new Date(now + this.windowMs);
    }
    count.totalHits++;
    return count;
  }
}
