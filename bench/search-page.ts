// A take=500 session page for a session that has received 500,000 properties, from a store of
// 1,000,000, against the first page of a new session, through HTTP against the compiled server in
// its own process, as a ratio to the new session's page measured in the same run.
//
//   npm run bench:search [-- --rounds 20 --properties 1000000 --delivered 500000]
import { parseArgs } from 'node:util';
import { deliverToSession, importMostlyTexas, measureSessionPage } from './measure/session-page.js';
import { benchSetup, reportRatios } from './support.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '20' }, properties: { type: 'string', default: '1000000' }, delivered: { type: 'string', default: '500000' } },
});
const bench = await benchSetup(['property-search', 'property-search-sessions']);
await importMostlyTexas(bench.store, Number(values.properties));
await deliverToSession(bench.store, bench.teamId, 'big', Number(values.delivered));
const server = await bench.start();
const { fresh, big } = await measureSessionPage(server.url, bench.token, 'big', Number(values.rounds));
reportRatios(
  `Session page (take=500, query TX), ${values.rounds} interleaved rounds, store of ${Number(values.properties).toLocaleString('en-US')} properties, ratio to a new session's first page in this run:`,
  [
    { label: "new session's first page (baseline)", samples: fresh },
    { label: `session that has received ${Number(values.delivered).toLocaleString('en-US')}`, samples: big },
  ],
);
await bench.cleanUp(server);
