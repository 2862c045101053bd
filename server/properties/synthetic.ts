// A reproducible, realistic-looking property set: the same seed always yields the same properties,
// so a fresh `npm start` serves the same searches on every machine, and tests can rely on it.
import type { NewProperty, Store } from '../store/store.js';

interface City {
  name: string;
  state: string;
  /** The ZIP codes the city's properties are spread over. */
  zips: readonly string[];
}

const range = (first: number, count: number) => Array.from({ length: count }, (_, i) => String(first + i).padStart(5, '0'));

export const CITIES: readonly City[] = [
  { name: 'Phoenix', state: 'AZ', zips: range(85003, 30) },
  { name: 'Scottsdale', state: 'AZ', zips: range(85250, 12) },
  { name: 'Tucson', state: 'AZ', zips: range(85701, 20) },
  { name: 'Mesa', state: 'AZ', zips: range(85201, 14) },
  { name: 'Austin', state: 'TX', zips: range(78701, 30) },
  { name: 'Dallas', state: 'TX', zips: range(75201, 30) },
  { name: 'Houston', state: 'TX', zips: range(77002, 40) },
  { name: 'San Antonio', state: 'TX', zips: range(78201, 30) },
  { name: 'Denver', state: 'CO', zips: range(80202, 30) },
  { name: 'Colorado Springs', state: 'CO', zips: range(80903, 18) },
  { name: 'Las Vegas', state: 'NV', zips: range(89101, 30) },
  { name: 'Reno', state: 'NV', zips: range(89501, 12) },
  { name: 'Miami', state: 'FL', zips: range(33125, 30) },
  { name: 'Orlando', state: 'FL', zips: range(32801, 30) },
  { name: 'Tampa', state: 'FL', zips: range(33602, 20) },
  { name: 'Atlanta', state: 'GA', zips: range(30303, 30) },
  { name: 'Savannah', state: 'GA', zips: range(31401, 10) },
  { name: 'Seattle', state: 'WA', zips: range(98101, 30) },
  { name: 'Spokane', state: 'WA', zips: range(99201, 14) },
];

const STREET_NAMES = [
  'Glendale', 'Camelback', 'Central', 'Main', 'Oak', 'Maple', 'Cedar', 'Elm', 'Washington', 'Lincoln',
  'Jefferson', 'Madison', 'Sunset', 'Highland', 'Lake', 'Hill', 'Park', 'Ridge', 'Mesa', 'Canyon',
  'Willow', 'Pine', 'Spruce', 'Aspen', 'Juniper', 'Mission', 'Broadway', 'Grand', 'Valley', 'River',
];
const SUFFIXES = ['St', 'Ave', 'Rd', 'Dr', 'Ln', 'Blvd', 'Way', 'Ct', 'Pl'];
const DIRECTIONS = ['N', 'S', 'E', 'W', ''];

/** mulberry32: tiny, fast, and the same sequence on every platform for a given seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Yields `count` properties for `seed` in batches, so a million never sit in memory at once. */
export async function* syntheticProperties(count: number, seed: number, batchSize = 5_000): AsyncGenerator<NewProperty[]> {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  for (let made = 0; made < count; ) {
    const batch: NewProperty[] = [];
    for (; batch.length < batchSize && made < count; made++) {
      const city = pick(CITIES);
      const direction = pick(DIRECTIONS);
      const bedrooms = 1 + Math.floor(next() * 6);
      batch.push({
        address: {
          street: `${100 + Math.floor(next() * 9900)} ${direction ? `${direction} ` : ''}${pick(STREET_NAMES)} ${pick(SUFFIXES)}`,
          city: city.name,
          state: city.state,
          zip: pick(city.zips),
        },
        bedrooms,
        bathrooms: Math.max(1, Math.round((bedrooms * 0.75 + next()) * 2) / 2),
        yearBuilt: 1920 + Math.floor(next() * 105),
        estimatedValue: Math.round((150_000 + bedrooms * 60_000 + next() * 400_000) / 1000) * 1000,
      });
    }
    yield batch;
  }
}

// A fresh install answers searches straight away: on first start, an empty property store is filled
// with the reproducible synthetic set, the same on every machine.
export const FIRST_START_PROPERTIES = 25_000;
export const FIRST_START_SEED = 1;

/** Resolves with how many properties were added: 0 when the store already had some. */
export async function ensureProperties(store: Store): Promise<number> {
  if ((await store.countProperties()) > 0) return 0;
  return store.importProperties(syntheticProperties(FIRST_START_PROPERTIES, FIRST_START_SEED));
}
