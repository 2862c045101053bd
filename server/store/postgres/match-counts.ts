// resultsFound on PostgreSQL through the shared cache, in one round trip: the highest id now, and
// the matches above the one the cache already covers (all of them the first time).
import type pg from 'pg';
import { MatchCountCache } from '../match-count-cache.js';
import type { PropertyQuery } from '../query.js';
import { matches, Parameters } from './property-sql.js';

type Queryable = pg.Pool | pg.PoolClient;

export class MatchCounts {
  private readonly cache = new MatchCountCache();

  /** How many properties match, as of now, read through `client` (inside a caller's transaction if any). */
  async of(client: Queryable, query: PropertyQuery): Promise<number> {
    return (await this.measure(client, query)).count;
  }

  /** The same, with the highest property id it covers: the moment the count describes. */
  async measure(client: Queryable, query: PropertyQuery): Promise<{ count: number; upTo: number }> {
    const known = this.cache.known(query);
    let { upTo, added } = await this.countAbove(client, query, known?.upToId ?? 0);
    // Only if the table shrank under the cache (rows removed by hand) is the remembered count wrong.
    if (known && known.upToId > upTo) ({ upTo, added } = await this.countAbove(client, query, 0));
    const count = (known && known.upToId <= upTo ? known.count : 0) + added;
    this.cache.record(query, upTo, count);
    return { count, upTo };
  }

  private async countAbove(client: Queryable, query: PropertyQuery, after: number): Promise<{ upTo: number; added: number }> {
    const parameters = new Parameters();
    const afterParameter = parameters.add(after);
    const text = `WITH top AS (SELECT coalesce(max(id), 0)::bigint AS up_to FROM properties)
      SELECT top.up_to AS "upTo",
             (SELECT count(*) FROM properties p WHERE ${matches(query, parameters)} AND p.id > ${afterParameter} AND p.id <= top.up_to) AS added
        FROM top`;
    return (await client.query<{ upTo: number; added: number }>(text, parameters.values)).rows[0]!;
  }
}
