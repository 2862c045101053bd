// resultsFound on SQLite through the shared cache: the highest id and the count of properties
// added since, both read inside the caller's transaction.
import type Database from 'better-sqlite3';
import { MatchCountCache } from '../match-count-cache.js';
import type { PropertyQuery } from '../query.js';
import { bindingsOf, type QueryStatements } from './property-statements.js';

export class MatchCounts {
  private readonly cache = new MatchCountCache();
  private readonly highestId: Database.Statement<[], number | null>;
  /** The highest id as last read by highestAsOf(), and other connections' commits as of then. */
  private lastRead: { id: number; othersCommits: number } | null = null;

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

  /**
   * The highest property id at a moment since a request arrived, given `othersCommits` (PRAGMA
   * data_version as of a check made since): read again only once another connection has committed
   * or this one has imported (forgetHighest). Properties are added by nothing else.
   */
  highestAsOf(othersCommits: number): number {
    if (this.lastRead?.othersCommits === othersCommits) return this.lastRead.id;
    const id = this.highest();
    this.lastRead = { id, othersCommits };
    return id;
  }

  /** After this connection has added properties, which other connections' commits do not show. */
  forgetHighest(): void {
    this.lastRead = null;
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
