// A session page's cost must not grow with what the session already has: a take=500 page for a
// session that has received N properties, against the first page of a new session, interleaved.
import { CITIES, syntheticProperties } from '../../server/properties/synthetic.js';
import type { Store } from '../../server/store/store.js';
import { timedFetch } from '../support.js';

const TAKE = 500;

/** Imports `count` synthetic properties, seven in ten of them in Texas (the query these pages use). */
export async function importMostlyTexas(store: Store, count: number): Promise<void> {
  const texas = CITIES.filter((city) => city.state === 'TX');
  let index = 0;
  await store.importProperties(
    (async function* () {
      for await (const batch of syntheticProperties(count, 42)) {
        yield batch.map((property) => {
          const i = index++;
          if (i % 10 >= 7) return property;
          const city = texas[i % texas.length]!;
          return { ...property, address: { ...property.address, city: city.name, state: 'TX', zip: city.zips[i % city.zips.length]! } };
        });
      }
    })(),
  );
}

/** Delivers `count` Texas properties to a session, page by page, as a client would have. */
export async function deliverToSession(store: Store, teamId: number, sessionId: string, count: number): Promise<void> {
  for (let sent = 0; sent < count; sent += TAKE) {
    await store.deliver({ teamId, sessionId, query: { kind: 'state', state: 'TX' }, take: TAKE });
  }
}

export async function measureSessionPage(url: string, token: string, bigSession: string, rounds: number): Promise<{ fresh: number[]; big: number[] }> {
  const page = (searchSession: string) =>
    timedFetch(
      `${url}/api/v1/property/search`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ searchCriteria: { query: 'TX' }, options: { take: TAKE, searchSession } }),
      },
      200,
    );
  const fresh: number[] = [];
  const big: number[] = [];
  const tag = Date.now();
  for (let round = 0; round < rounds + 2; round++) {
    await page(bigSession); // untimed: each figure follows a request, never an idle connection
    const order = round % 2 === 0 ? (['fresh', 'big'] as const) : (['big', 'fresh'] as const);
    for (const kind of order) {
      const ms = await page(kind === 'fresh' ? `fresh-${tag}-${round}` : bigSession);
      if (round >= 2) (kind === 'fresh' ? fresh : big).push(ms);
    }
  }
  return { fresh, big };
}
