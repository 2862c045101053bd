// resultsFound on SQLite through the shared cache: the highest id and the count of properties
// added since, both read inside the caller's transaction.
import type Database from 'better-sqlite3';
import { MatchCountCache } from '../match-count-cache.js';
import type { PropertyQuery } from '../query.js';
import { bindingsOf, type QueryStatements } from './property-statements.js';

export class MatchCounts {
  private readonly cache = new MatchCountCache();
  private readonly highestId: Database.Statement<[], number | null>;

  constructor(
    db: Database.Database,
    private readonly queries: Record<PropertyQuery['kind'], QueryStatements>,
  ) {
    this.highestId = db.prepare<[], number | null>('SELECT max(id) FROM properties').pluck();
  }

  /** The highest property id, as of now. */
  highest(): number {
    return this.highestId.get() ?? 0;
  }

  /** The count remembered for `query` if it is still true with `upToId` the highest id, without a read. */
  remembered(query: PropertyQuery, upToId: number): number | undefined {
    const known = this.cache.known(query);
    return known?.upToId === upToId ? known.count : undefined;
  }

  /**
   * How many properties match, as of now (call it inside the transaction that needs it, with the
   * highest id if the transaction has already read it).
   */
  of(query: PropertyQuery, upToId = this.highest()): number {
    const { base, after } = this.cache.plan(query, upToId);
    const count = base + (after === null ? 0 : (this.queries[query.kind].count.get({ ...bindingsOf(query), after }) ?? 0));
    this.cache.record(query, upToId, count);
    return count;
  }
}
