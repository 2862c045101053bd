// The SQL that reads properties: a WHERE clause per query form, each served by its own index
// ((zip, id), (state, id), (state, city_key, id)), and the JSON shape of a PropertyRecord built by
// the database, so a row needs no mapping on its way out.
import type { PropertyQuery } from '../query.js';

/** Bind parameters in order: `$n` in the SQL is `values[n - 1]`. */
export class Parameters {
  readonly values: unknown[] = [];

  /** The placeholder for a new parameter holding `value`. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The condition a property (aliased `p`) must meet to match the query. */
export function matches(query: PropertyQuery, parameters: Parameters): string {
  switch (query.kind) {
    case 'zip':
      return `p.zip = ${parameters.add(query.zip)}`;
    case 'state':
      return `p.state = ${parameters.add(query.state)}`;
    case 'city':
      return `p.state = ${parameters.add(query.state)} AND p.city_key = ${parameters.add(query.city)}`;
  }
}

export const PROPERTY_JSON = `json_build_object(
  'id', p.id,
  'address', json_build_object('street', p.street, 'city', p.city, 'state', p.state, 'zip', p.zip),
  'bedrooms', p.bedrooms,
  'bathrooms', p.bathrooms,
  'yearBuilt', p.year_built,
  'estimatedValue', p.estimated_value)`;

/** A JSON array of the selected properties (aliased `p`) in id order, `[]` when there are none. */
export const PROPERTY_ARRAY = `coalesce(json_agg(${PROPERTY_JSON} ORDER BY p.id), '[]')`;
