// The next properties matching a query that a session has never been delivered, after its cursor,
// in id order. Its cost is bounded by the page, whatever the session has received: candidates are
// read in id order from the cursor, `take` at a time, and each is checked against the session's
// delivered ids with one primary-key probe. Left to plan "matches minus delivered" as it likes,
// PostgreSQL may hash every delivered row of every session for the anti-join, or sort all the
// matches after the cursor to keep a few; the bounded batch rules both out.
import type pg from 'pg';
import type { PropertyRecord } from '../store.js';
import type { PropertyQuery } from '../query.js';
import { matches, Parameters, PROPERTY_ARRAY } from './property-sql.js';

interface BatchRow {
  properties: PropertyRecord[];
  examined: number;
  last_examined: number | null;
}

/** One batch: of the next `batch` matches after `after`, those the session has never had. */
export function undeliveredBatch(sessionKey: number, query: PropertyQuery, after: number, batch: number) {
  const parameters = new Parameters();
  // MATERIALIZED keeps the LIMIT where it is: the probe below runs on these rows only.
  const text = `WITH candidates AS MATERIALIZED (
      SELECT p.* FROM properties p
       WHERE ${matches(query, parameters)} AND p.id > ${parameters.add(after)}
       ORDER BY p.id LIMIT ${parameters.add(batch)}
    )
    SELECT (SELECT ${PROPERTY_ARRAY} FROM candidates p
             WHERE (SELECT true FROM delivered d WHERE d.session_key = ${parameters.add(sessionKey)} AND d.property_id = p.id) IS NULL
           ) AS properties,
           (SELECT count(*) FROM candidates) AS examined,
           (SELECT max(id) FROM candidates) AS last_examined`;
  return { text, values: parameters.values };
}

/** Up to `take` properties, in id order; runs inside the caller's transaction. */
export async function nextUndelivered(
  client: pg.PoolClient,
  sessionKey: number,
  query: PropertyQuery,
  after: number,
  take: number,
): Promise<PropertyRecord[]> {
  const page: PropertyRecord[] = [];
  // Each round skips only what the session already had from another query; it ends when the
  // page is full or the matches run out.
  for (let from = after; page.length < take; ) {
    const { properties, examined, last_examined } = (await client.query<BatchRow>(undeliveredBatch(sessionKey, query, from, take))).rows[0]!;
    page.push(...properties.slice(0, take - page.length));
    if (examined < take || last_examined === null) break;
    from = last_examined;
  }
  return page;
}
