// Where does an operation's time go in our server? The compiled server on SQLite under the load
// `npm run bench` puts on it (pinned to one core, 50 connections, the same requests), with V8's CPU
// profiler on. Prints the self time of each package (and each module of ours) in microseconds per
// request, counting only the samples taken during the timed load, and keeps the .cpuprofile for
// Chrome DevTools.
//
// With --server c, the same for that operation's floor (Express 5 + express-openapi-validator
// answering the bytes our server sent): the two side by side show what our server adds.
//
//   npm run bench:profile [-- --operation delete|list|search|page --server d|c --seconds 10 --properties 200000]
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad } from './compare/load.js';
import { OPERATIONS, prepareOneOperation, type OperationKey } from './compare/operations.js';
import { selfTimePerRequest } from './measure/self-time.js';
import { captureBody, KINDS, NAMES, startServer, type Kind } from './compare/servers.js';

const { values } = parseArgs({
  options: {
    operation: { type: 'string', default: 'delete' },
    server: { type: 'string', default: 'd' },
    seconds: { type: 'string', default: '10' },
    properties: { type: 'string', default: '200000' },
    sessions: { type: 'string', default: '200000' },
  },
});
const key = values.operation as OperationKey;
if (!OPERATIONS.includes(key)) throw new Error(`--operation must be one of ${OPERATIONS.join(', ')}`);
const kind = values.server as Kind;
if (!KINDS.includes(kind)) throw new Error(`--server must be one of ${KINDS.join(', ')}`);
const { bench, operation } = await prepareOneOperation(key, { properties: Number(values.properties), deletePool: Number(values.sessions) });
// Outside the scratch store's folder, which is removed at the end: the profile is kept.
const profileDir = mkdtempSync(join(tmpdir(), 'bd-profile-'));
const target = { dbPath: bench.dbPath, bodyFile: join(bench.dir, 'floor.body') };
if (kind !== 'd') {
  const ours = await startServer('d', target);
  await captureBody(ours, operation, target.bodyFile).finally(() => ours.stop());
}
const server = await startServer(kind, target, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
let n = 0;
const load = { url: server.url, connections: 50, method: operation.method, next: kind === 'd' ? operation.next : () => operation.lookalike(n++), expectedStatus: 200 };
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
console.log(`${operation.label}, ${NAMES[kind]}: ${result.requestsPerSecond.toFixed(0)} req/s under the profiler; per request ${busy.toFixed(1)} µs of CPU and ${idle.toFixed(1)} µs idle. The CPU time by where it was spent:`);
for (const row of working.slice(0, 30)) console.log(`  ${row.microseconds.toFixed(1).padStart(7)} µs  ${((100 * row.microseconds) / busy).toFixed(1).padStart(5)}%  ${row.name}`);
console.log(`\nThe profile, for Chrome DevTools (Performance → Load profile): ${file}`);
await bench.cleanUp();
