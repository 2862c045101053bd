// The one forgetting rule every cache of the stores follows: keep what was used last, and once the
// entries weigh more than a budget (a count of entries, of sessions, of bytes of text), drop the
// least recently used until they do not. A Map keeps insertion order, so moving an entry to the
// back on each use makes its first entry the least recently used.

export class Lru<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private total = 0;

  /** `weigh` gives an entry's share of `budget`; each weighs 1 without it. */
  constructor(
    private readonly budget: number,
    private readonly weigh: (value: V) => number = () => 1,
  ) {}

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The value, its place unchanged. */
  peek(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Remembers the value (weighed now) as the most recently used, then forgets the oldest while over budget. */
  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.weigh(value);
    this.entries.set(key, { value, weight });
    this.total += weight;
    if (this.total <= this.budget) return;
    for (const oldest of this.entries.keys()) {
      if (this.total <= this.budget) break;
      this.delete(oldest);
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.total -= entry.weight;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  /** What the entries weigh together. */
  get weight(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * An Lru whose entries hold only for one version of what they were read from (SQLite's PRAGMA
 * data_version, which changes with every commit of another connection): revalidate() with the
 * version before using the entries forgets them all once it has moved.
 */
export class VersionedLru<K, V> extends Lru<K, V> {
  private seenVersion: number | undefined;

  revalidate(version: number): void {
    if (version === this.seenVersion) return;
    this.clear();
    this.seenVersion = version;
  }
}
