// Delete latency: an empty session against one with 1,000,000 delivered ids, and the two 404s,
// through HTTP against the compiled server on SQLite in its own process, as ratios to the empty
// delete measured in the same run.
//
//   npm run bench:delete [-- --rounds 40 --delivered 1000000]
import { parseArgs } from 'node:util';
import { measureDeleteLatency } from './measure/delete-latency.js';
import { benchSetup, reportRatios } from './support.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '40' }, delivered: { type: 'string', default: '1000000' } } });
const delivered = Number(values.delivered);
const bench = await benchSetup(['property-search-sessions']);
const server = await bench.start();
const samples = await measureDeleteLatency({ ...bench, url: server.url, rounds: Number(values.rounds), delivered });
reportRatios(`Delete latency, ${values.rounds} interleaved rounds, median per kind, ratio to the empty-session delete in this run:`, [
  { label: 'empty session (baseline)', samples: samples.empty },
  { label: `session with ${delivered.toLocaleString('en-US')} delivered ids`, samples: samples.full },
  { label: '404, id exists nowhere', samples: samples.missing },
  { label: '404, id exists for another team', samples: samples.foreign },
]);
await bench.cleanUp(server);
