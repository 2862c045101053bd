// `searchCriteria.query` in its three decided forms: a ZIP code (`85020`), a state (`AZ`), or a
// city and state (`Phoenix, AZ`), case-insensitive. openapi.yaml's pattern admits exactly these;
// this turns an admitted text into the query the store runs.


/**
 * A parsed `searchCriteria.query`. `state` is upper-case; `city` is normalised (trimmed, inner
 * whitespace collapsed, lower-case) and matched against the address's city normalised the same way.
 */
export type PropertyQuery =
  | { kind: 'zip'; zip: string }
  | { kind: 'state'; state: string }
  | { kind: 'city'; city: string; state: string };

const ZIP = /^\d{5}$/;
const STATE = /^[A-Za-z]{2}$/;
const CITY_STATE = /^([^,]*[^,\s][^,]*),\s*([A-Za-z]{2})$/;

/** How a city is compared: trimmed, inner whitespace collapsed, lower-case. */
export function normalizeCity(city: string): string {
  return city.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function parseSearchQuery(text: string): PropertyQuery | null {
  const query = text.trim();
  if (ZIP.test(query)) return { kind: 'zip', zip: query };
  if (STATE.test(query)) return { kind: 'state', state: query.toUpperCase() };
  const cityState = CITY_STATE.exec(query);
  if (cityState) return { kind: 'city', city: normalizeCity(cityState[1]!), state: cityState[2]!.toUpperCase() };
  return null;
}

/** One stable string per distinct query, e.g. `city:AZ:phoenix`: the key of a session's cursor. */
export function queryKey(query: PropertyQuery): string {
  switch (query.kind) {
    case 'zip':
      return `zip:${query.zip}`;
    case 'state':
      return `state:${query.state}`;
    case 'city':
      return `city:${query.state}:${query.city}`;
  }
}

/** The query a key stands for: queryKey's inverse (a city may itself hold a colon). */
export function queryFromKey(key: string): PropertyQuery {
  const [kind = '', first = '', ...rest] = key.split(':');
  if (kind === 'zip') return { kind, zip: first };
  if (kind === 'state') return { kind, state: first };
  if (kind === 'city') return { kind, state: first, city: rest.join(':') };
  throw new Error(`Not a query key: ${key}`);
}

// The API allows any skip >= 0, but a database offset is a 64-bit integer and a JavaScript number
// is exact only to 2^53. A skip that large is past the end of every table, which the largest exact
// integer says just as well, so every store binds this instead of the raw skip.
export function asOffset(skip: number): number {
  return Math.min(skip, Number.MAX_SAFE_INTEGER);
}
