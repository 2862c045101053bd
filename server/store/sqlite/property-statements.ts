// The statements behind search and delivery, one set per query form, each served by its own index
// ((zip, id), (state, id), (state, city_key, id)) so a page reads only the rows it returns.
import type Database from 'better-sqlite3';
import type { PropertyQuery, PropertyRecord } from '../store.js';

export interface PropertyRow {
  id: number;
  street: string;
  city: string;
  state: string;
  zip: string;
  bedrooms: number;
  bathrooms: number;
  year_built: number;
  estimated_value: number;
}

export const COLUMNS = 'p.id, p.street, p.city, p.state, p.zip, p.bedrooms, p.bathrooms, p.year_built, p.estimated_value';

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

export function toPropertyRecord(row: PropertyRow): PropertyRecord {
  return {
    id: row.id,
    address: { street: row.street, city: row.city, state: row.state, zip: row.zip },
    bedrooms: row.bedrooms,
    bathrooms: row.bathrooms,
    yearBuilt: row.year_built,
    estimatedValue: row.estimated_value,
  };
}

export interface QueryStatements {
  page: Database.Statement<Bindings, PropertyRow>;
  /** Matches with an id above `after`. */
  count: Database.Statement<Bindings, number>;
  /** The next `take` matches after `after` that the session has never been delivered. */
  undelivered: Database.Statement<Bindings, PropertyRow>;
}

export function prepareQueryStatements(db: Database.Database): Record<PropertyQuery['kind'], QueryStatements> {
  const prepare = (filter: string): QueryStatements => ({
    page: db.prepare(`SELECT ${COLUMNS} FROM properties p WHERE ${filter} ORDER BY p.id LIMIT @take OFFSET @skip`),
    count: db.prepare<Bindings, number>(`SELECT count(*) FROM properties p WHERE ${filter} AND p.id > @after`).pluck(),
    undelivered: db.prepare(
      `SELECT ${COLUMNS} FROM properties p
        WHERE ${filter} AND p.id > @after
          AND NOT EXISTS (SELECT 1 FROM delivered d WHERE d.session_key = @sessionKey AND d.property_id = p.id)
        ORDER BY p.id LIMIT @take`,
    ),
  });
  return { zip: prepare(FILTERS.zip), state: prepare(FILTERS.state), city: prepare(FILTERS.city) };
}
