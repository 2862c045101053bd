// A session page's cost must not grow with what the session already has: a take=500 page for a
// session that has received 500,000 properties, from a store of 1,000,000, against the first page
// of a new session — through HTTP against the compiled server in its own process, interleaved,
// reported as a ratio to the new session's page measured in the same run.
//
//   npm run bench:search [-- --rounds 20 --properties 1000000 --delivered 500000]
import { parseArgs } from 'node:util';
import { CITIES, syntheticProperties } from '../server/properties/synthetic.js';
import { benchSetup, reportRatios, timedFetch } from './support.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    properties: { type: 'string', default: '1000000' },
    delivered: { type: 'string', default: '500000' },
  },
});
const rounds = Number(values.rounds);
const propertyCount = Number(values.properties);
const delivered = Number(values.delivered);
const TAKE = 500;

const bench = await benchSetup(['property-search', 'property-search-sessions']);

// Seven in ten properties in Texas, so one query has enough matches to have delivered 500,000
// and still have pages left.
const texas = CITIES.filter((city) => city.state === 'TX');
let index = 0;
await bench.store.importProperties(
  (async function* () {
    for await (const batch of syntheticProperties(propertyCount, 42)) {
      yield batch.map((property) => {
        const i = index++;
        if (i % 10 >= 7) return property;
        const city = texas[i % texas.length]!;
        return { ...property, address: { ...property.address, city: city.name, state: 'TX', zip: city.zips[i % city.zips.length]! } };
      });
    }
  })(),
);

// The big session gets its 500,000 the way a client would have, page by page (through the store
// directly, to save the HTTP round trips of the set-up).
const query = { kind: 'state', state: 'TX' } as const;
for (let sent = 0; sent < delivered; sent += TAKE) {
  await bench.store.deliver({ teamId: bench.teamId, sessionId: 'big', query, take: TAKE });
}
const server = await bench.start();

const page = (searchSession: string) =>
  timedFetch(
    `${server.url}/api/v1/property/search`,
    {
      method: 'POST',
      headers: { Authorization: `Bearer ${bench.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ searchCriteria: { query: 'TX' }, options: { take: TAKE, searchSession } }),
    },
    200,
  );

const fresh: number[] = [];
const big: number[] = [];
for (let round = 0; round < rounds + 2; round++) {
  await page('big'); // untimed: each figure follows a request, never an idle connection
  const order = round % 2 === 0 ? (['fresh', 'big'] as const) : (['big', 'fresh'] as const);
  for (const kind of order) {
    const ms = await page(kind === 'fresh' ? `fresh-${round}` : 'big');
    if (round >= 2) (kind === 'fresh' ? fresh : big).push(ms);
  }
}

reportRatios(
  `Session page (take=${TAKE}, query TX), ${rounds} interleaved rounds, store of ${propertyCount.toLocaleString('en-US')} properties, ratio to a new session's first page in this run:`,
  [
    { label: "new session's first page (baseline)", samples: fresh },
    { label: `session that has received ${delivered.toLocaleString('en-US')}`, samples: big },
  ],
);
await bench.cleanUp(server);
