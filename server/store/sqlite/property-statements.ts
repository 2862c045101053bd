// The statements behind search and delivery, one set per query form, each served by its own index
// ((zip, id), (state, id), (state, city_key, id)) so a page reads only the rows it returns. A page
// is read as ids, from the index alone; its records come from PropertyRecords, which reads the ones
// it has not seen with the statement prepareRecordsById makes.
//
// A record leaves SQLite as JSON text, already in the API's shape: handing better-sqlite3 rows
// across instead costs a call into V8 per value and an object per row. The record parsed from it
// remembers the text, which a response then carries as it is (json-text.ts): SQLite writes strings
// exactly as JSON.stringify does.
import type Database from 'better-sqlite3';
import type { PropertyQuery } from '../query.js';

/**
 * A number as JSON.stringify writes it (SQLite's JSON writes 2.0 and 17 digits): a whole number
 * without ".0"; otherwise the shortest of 15 or 16 digits that reads back as the same number, which
 * is JSON.stringify's choice too. Beyond that (17 digits, or below 1e-4 or from 1e15 on, where
 * JavaScript and C disagree on exponents) SQLite's text is kept: another spelling of the same number.
 */
const jsonNumber = (column: string) => `CASE
    WHEN ${column} = CAST(${column} AS INTEGER) THEN CAST(${column} AS INTEGER)
    WHEN abs(${column}) < 1e-4 OR abs(${column}) >= 1e15 THEN ${column}
    WHEN CAST(printf('%.15g', ${column}) AS REAL) = ${column} THEN json(printf('%.15g', ${column}))
    WHEN CAST(printf('%.16g', ${column}) AS REAL) = ${column} THEN json(printf('%.16g', ${column}))
    ELSE ${column} END`;

/** One property as the API writes it. */
const RECORD_JSON = `json_object('id', p.id,
  'address', json_object('street', p.street, 'city', p.city, 'state', p.state, 'zip', p.zip),
  'bedrooms', p.bedrooms, 'bathrooms', ${jsonNumber('p.bathrooms')}, 'yearBuilt', p.year_built, 'estimatedValue', p.estimated_value)`;

/** The JSON text of each stored property among `ids`, in id order. */
export function prepareRecordsById(db: Database.Database): (ids: readonly number[]) => string[] {
  const statement = db
    .prepare<[string], string>(`SELECT ${RECORD_JSON} FROM properties p WHERE p.id IN (SELECT value FROM json_each(?)) ORDER BY p.id`)
    .pluck();
  return (ids) => statement.all(JSON.stringify(ids));
}

const FILTERS: Record<PropertyQuery['kind'], string> = {
  zip: 'p.zip = @zip',
  state: 'p.state = @state',
  city: 'p.state = @state AND p.city_key = @city',
};

/** Whether `p` matches a query given by parameters rather than by the statement (none is NULL). */
const IMPLICIT_MATCH = `(
  (@implicitKind = 'zip' AND p.zip = @implicitZip)
  OR (@implicitKind = 'state' AND p.state = @implicitState)
  OR (@implicitKind = 'city' AND p.state = @implicitState AND p.city_key = @implicitCity))`;

type Bindings = Record<string, string | number>;

export function bindingsOf(query: PropertyQuery): Bindings {
  const { kind: _kind, ...bindings } = query;
  return bindings;
}

export interface QueryStatements {
  /** The ids of the page at @skip, @take long. */
  page: Database.Statement<Bindings, number>;
  /** Matches with an id above `after`. */
  count: Database.Statement<Bindings, number>;
  /** The ids of the next @take matches after @after. */
  after: Database.Statement<Bindings, number>;
  /** The same, leaving out those above @upTo (a cursor walk's pinned end). */
  walk: Database.Statement<Bindings, number>;
  /**
   * The same, leaving out those session @sessionKey has already been delivered: the ids it wrote
   * down, and the matches of its implicit query (@implicitKind, @implicitZip, @implicitState,
   * @implicitCity; all bound, '' where unused) up to @implicitAfter (0 when it has none).
   */
  undelivered: Database.Statement<Bindings, number>;
}

export function prepareQueryStatements(db: Database.Database): Record<PropertyQuery['kind'], QueryStatements> {
  const ids = (from: string) => db.prepare<Bindings, number>(`SELECT p.id FROM properties p ${from}`).pluck();
  const prepare = (filter: string): QueryStatements => ({
    page: ids(`WHERE ${filter} ORDER BY p.id LIMIT @take OFFSET @skip`),
    count: db.prepare<Bindings, number>(`SELECT count(*) FROM properties p WHERE ${filter} AND p.id > @after`).pluck(),
    after: ids(`WHERE ${filter} AND p.id > @after ORDER BY p.id LIMIT @take`),
    walk: ids(`WHERE ${filter} AND p.id > @after AND p.id <= @upTo ORDER BY p.id LIMIT @take`),
    undelivered: ids(
      `WHERE ${filter} AND p.id > @after
         AND NOT EXISTS (SELECT 1 FROM delivered d WHERE d.session_key = @sessionKey AND d.property_id = p.id)
         AND NOT (p.id <= @implicitAfter AND ${IMPLICIT_MATCH})
       ORDER BY p.id LIMIT @take`,
    ),
  });
  return { zip: prepare(FILTERS.zip), state: prepare(FILTERS.state), city: prepare(FILTERS.city) };
}
