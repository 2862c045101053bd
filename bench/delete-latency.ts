// Delete latency: an empty session against one with 1,000,000 delivered ids, and the two 404s
// (an id that exists nowhere, one that exists for another team) — all through HTTP against the
// compiled server on SQLite in its own process, interleaved in one run, reported as ratios to the
// empty delete. The server runs apart from this client so that its background purge, which starts
// right after a delete has answered, is never charged to the client's clock.
//
//   npm run bench:delete [-- --rounds 15 --delivered 1000000]
import { parseArgs } from 'node:util';
import { eventually, fillDelivered, purgeQueue } from '../test/support/sqlite-fixtures.js';
import { benchSetup, reportRatios, timedFetch } from './support.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' }, delivered: { type: 'string', default: '1000000' } } });
const rounds = Number(values.rounds);
const delivered = Number(values.delivered);

const bench = await benchSetup(['property-search-sessions']);
const other = await bench.store.createTeam('bench-other');
const server = await bench.start();

const send = (id: string, expected: number) =>
  timedFetch(`${server.url}/api/v2/property/search-sessions/${id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${bench.token}` } }, expected);

async function timedDelete(id: string, expected: number): Promise<number> {
  // Each figure is the delete alone: any earlier purge has finished, and an untimed request has
  // absorbed the first read after it (after a 1,000,000-row purge that read costs about 1 ms more,
  // whichever kind of request it is).
  await eventually(() => purgeQueue(bench.dbPath).length === 0, 60_000, 'purge did not drain');
  await send('untimed-warm-up', 404);
  return send(id, expected);
}

type Kind = 'empty' | 'full' | 'missing' | 'foreign';
const kinds: Kind[] = ['empty', 'full', 'missing', 'foreign'];
const samples: Record<Kind, number[]> = { empty: [], full: [], missing: [], foreign: [] };
for (let round = 0; round < rounds + 2; round++) {
  await bench.store.createSession(bench.teamId, `empty-${round}`);
  await bench.store.createSession(bench.teamId, `full-${round}`);
  fillDelivered(bench.dbPath, bench.teamId, `full-${round}`, delivered);
  await bench.store.createSession(other.id, `foreign-${round}`);
  const expected: Record<Kind, [string, number]> = {
    empty: [`empty-${round}`, 200],
    full: [`full-${round}`, 200],
    missing: [`missing-${round}`, 404],
    foreign: [`foreign-${round}`, 404],
  };
  // A different kind goes first each round, so no kind is favoured by its position.
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[(round + i) % kinds.length]!;
    const ms = await timedDelete(...expected[kind]);
    if (round >= 2) samples[kind].push(ms); // the first two rounds warm up
  }
}

reportRatios(`Delete latency, ${rounds} interleaved rounds, median per kind, ratio to the empty-session delete in this run:`, [
  { label: 'empty session (baseline)', samples: samples.empty },
  { label: `session with ${delivered.toLocaleString('en-US')} delivered ids`, samples: samples.full },
  { label: '404, id exists nowhere', samples: samples.missing },
  { label: '404, id exists for another team', samples: samples.foreign },
]);
await bench.cleanUp(server);
