// resultsFound for a query is a count over every matching property: 20 ms for a state with 700,000
// properties on SQLite, more on PostgreSQL, against well under a millisecond for the page itself.
// Properties are only ever appended, with ids that grow in commit order (both stores guarantee it),
// so a count stays true for the ids it covered. This remembers each query's count with the highest
// id it saw; a store then counts only the properties added since. Which queries it runs is the
// store's business; this holds no connection and works for synchronous and asynchronous stores.
import { queryKey, type PropertyQuery } from './query.js';
import { Lru } from './lru.js';

const MAX_QUERIES_REMEMBERED = 10_000;

export interface CountPlan {
  /** Matches already counted. */
  base: number;
  /** Count the matches with an id above this and add them to `base`; null when none can exist. */
  after: number | null;
}

export class MatchCountCache {
  private readonly counts = new Lru<string, { upToId: number; count: number }>(MAX_QUERIES_REMEMBERED);

  /** The count remembered for `query`, and the highest id it covered. */
  known(query: PropertyQuery): { upToId: number; count: number } | undefined {
    return this.counts.peek(queryKey(query));
  }

  /** What is left to count for `query` when the highest property id is now `upToId`. */
  plan(query: PropertyQuery, upToId: number): CountPlan {
    const known = this.known(query);
    if (!known || known.upToId > upToId) return { base: 0, after: 0 };
    return { base: known.count, after: known.upToId < upToId ? known.upToId : null };
  }

  /** Remembers a count, least recently used queries first to go. */
  record(query: PropertyQuery, upToId: number, count: number): void {
    this.counts.set(queryKey(query), { upToId, count });
  }
}
