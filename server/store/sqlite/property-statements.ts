// The statements behind search and delivery, one set per query form, each served by its own index
// ((zip, id), (state, id), (state, city_key, id)) so a page reads only the rows it returns.
//
// A page comes back from SQLite as one JSON text, already in the API's shape, which JSON.parse turns
// into records. Handing better-sqlite3 rows across instead costs a call into V8 per value and an
// object per row: for a 25-property page that was about twice the time of the whole JSON route.
import type Database from 'better-sqlite3';
import type { PropertyQuery, PropertyRecord } from '../store.js';

/** One property as the API writes it (REAL bathrooms come out as 2.0: JSON.parse reads 2). */
const RECORD_JSON = `json_object('id', p.id,
  'address', json_object('street', p.street, 'city', p.city, 'state', p.state, 'zip', p.zip),
  'bedrooms', p.bedrooms, 'bathrooms', p.bathrooms, 'yearBuilt', p.year_built, 'estimatedValue', p.estimated_value)`;

/** The properties `p` that `from` (`FROM properties p WHERE … LIMIT …`) selects, in id order, as one JSON array text. */
export const recordsAsJson = (from: string) =>
  `SELECT '[' || ifnull(group_concat(record, ',' ORDER BY id), '') || ']' FROM (SELECT p.id, ${RECORD_JSON} AS record ${from})`;

export function parseRecords(json: string): PropertyRecord[] {
  return JSON.parse(json) as PropertyRecord[];
}

const FILTERS: Record<PropertyQuery['kind'], string> = {
  zip: 'p.zip = @zip',
  state: 'p.state = @state',
  city: 'p.state = @state AND p.city_key = @city',
};

type Bindings = Record<string, string | number>;

export function bindingsOf(query: PropertyQuery): Bindings {
  const { kind: _kind, ...bindings } = query;
  return bindings;
}

export interface QueryStatements {
  /** The page at @skip, @take long, as a JSON array of records. */
  page: Database.Statement<Bindings, string>;
  /** Matches with an id above `after`. */
  count: Database.Statement<Bindings, number>;
  /** The next @take matches after @after that session @sessionKey has never been delivered, as a JSON array of records. */
  undelivered: Database.Statement<Bindings, string>;
}

export function prepareQueryStatements(db: Database.Database): Record<PropertyQuery['kind'], QueryStatements> {
  const prepare = (filter: string): QueryStatements => ({
    page: db.prepare<Bindings, string>(recordsAsJson(`FROM properties p WHERE ${filter} ORDER BY p.id LIMIT @take OFFSET @skip`)).pluck(),
    count: db.prepare<Bindings, number>(`SELECT count(*) FROM properties p WHERE ${filter} AND p.id > @after`).pluck(),
    undelivered: db
      .prepare<Bindings, string>(
        recordsAsJson(
          `FROM properties p
            WHERE ${filter} AND p.id > @after
              AND NOT EXISTS (SELECT 1 FROM delivered d WHERE d.session_key = @sessionKey AND d.property_id = p.id)
            ORDER BY p.id LIMIT @take`,
        ),
      )
      .pluck(),
  });
  return { zip: prepare(FILTERS.zip), state: prepare(FILTERS.state), city: prepare(FILTERS.city) };
}
