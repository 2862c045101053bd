// resultsFound for a query costs a count over every matching index entry: 20 ms for a state with
// 700,000 properties, against 0.2 ms for the page itself. Properties are only ever appended, with
// ids that only grow, so a count stays true for the ids it covered: remember it with the highest
// id it saw, and on the next request count only the properties added since.
import type Database from 'better-sqlite3';
import { queryKey } from '../../search/parse-query.js';
import type { PropertyQuery } from '../store.js';
import { bindingsOf, type QueryStatements } from './property-statements.js';

const MAX_QUERIES_REMEMBERED = 10_000;

export class MatchCounts {
  private readonly counts = new Map<string, { upToId: number; count: number }>();
  private readonly highestId: Database.Statement<[], number | null>;

  constructor(
    db: Database.Database,
    private readonly queries: Record<PropertyQuery['kind'], QueryStatements>,
  ) {
    this.highestId = db.prepare<[], number | null>('SELECT max(id) FROM properties').pluck();
  }

  /** How many properties match, as of now (call it inside the transaction that needs it). */
  of(query: PropertyQuery): number {
    const key = queryKey(query);
    const upToId = this.highestId.get() ?? 0;
    const known = this.counts.get(key);
    const countAfter = (after: number) => this.queries[query.kind].count.get({ ...bindingsOf(query), after }) ?? 0;
    const count =
      known && known.upToId <= upToId ? known.count + (known.upToId < upToId ? countAfter(known.upToId) : 0) : countAfter(0);
    // Re-inserted so the Map's order is least recently used first.
    this.counts.delete(key);
    this.counts.set(key, { upToId, count });
    if (this.counts.size > MAX_QUERIES_REMEMBERED) this.counts.delete(this.counts.keys().next().value!);
    return count;
  }
}
