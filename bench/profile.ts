// Where does a DELETE's time go in our server? The compiled server on SQLite under the load of (d)
// in `npm run bench` (pinned to one core, 50 connections, sessions that exist), with V8's CPU
// profiler on. Prints the self time of each package (and each module of ours) in microseconds per
// request, counting only the samples taken during the timed load, and keeps the .cpuprofile for
// Chrome DevTools.
//
//   npm run bench:profile [-- --seconds 10 --sessions 200000]
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkpoint } from '../test/support/sqlite-fixtures.js';
import { runLoad } from './compare/load.js';
import { createDeletePool } from './measure/delete-pool.js';
import { selfTimePerRequest } from './profile/self-time.js';
import { benchSetup, spawnServerUnderLoad } from './support.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, sessions: { type: 'string', default: '200000' } } });
const bench = await benchSetup(['property-search-sessions']);
const pool = await createDeletePool(bench.store, bench.dbPath, Number(values.sessions));
checkpoint(bench.dbPath);
// Outside the scratch store's folder, which is removed at the end: the profile is kept.
const profileDir = mkdtempSync(join(tmpdir(), 'bd-profile-'));
const server = await spawnServerUnderLoad(bench.dbPath, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
const load = { url: server.url, connections: 50, method: 'DELETE' as const, next: () => pool.next(), expectedStatus: 200 };
await runLoad({ ...load, durationSeconds: 1 });
// V8 stamps samples with the monotonic clock, the one hrtime reads in this process too.
const from = process.hrtime.bigint() / 1000n;
const result = await runLoad({ ...load, durationSeconds: Number(values.seconds) });
const to = process.hrtime.bigint() / 1000n;
await server.stop(); // the profile is written as the process exits
if (result.unexpected > 0) throw new Error(`${result.unexpected} of ${result.requests} answers were not 200`);

const file = join(profileDir, readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))!);
const rows = selfTimePerRequest(JSON.parse(readFileSync(file, 'utf8')), { from: Number(from), to: Number(to) }, result.requests);
const working = rows.filter((row) => row.name !== '(idle)');
const busy = working.reduce((sum, row) => sum + row.microseconds, 0);
const idle = rows.find((row) => row.name === '(idle)')?.microseconds ?? 0;
console.log(`${result.requestsPerSecond.toFixed(0)} req/s under the profiler; per request ${busy.toFixed(1)} µs of CPU and ${idle.toFixed(1)} µs idle. The CPU time by where it was spent:`);
for (const row of working.slice(0, 30)) console.log(`  ${row.microseconds.toFixed(1).padStart(7)} µs  ${((100 * row.microseconds) / busy).toFixed(1).padStart(5)}%  ${row.name}`);
console.log(`\nThe profile, for Chrome DevTools (Performance → Load profile): ${file}`);
await bench.cleanUp();
