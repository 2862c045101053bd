// Did a change make an operation cheaper? Two builds of our server run side by side on the same
// core, under the same load at the same moments, so whatever else the machine is doing falls on
// both alike. Alternating slices (`npm run bench`) cannot promise that at the level of a few
// percent: this machine's speed drifts by a factor of two within a minute. Reports each build's
// CPU time per request, read from /proc (so the load generator's share is not counted), and the
// ratio per round; a build measured against itself comes out within about 2% of ×1.00.
//
//   npm run bench:corun -- --base <another checkout, built> [--operation list|search|page|delete]
//                          [--rounds 5] [--seconds 4] [--properties 200000]
import { copyFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../server/spec.js';
import { fillSessions } from '../test/support/databases/sqlite-fixtures.js';
import { spawnNodeServer, type ServerProcess } from '../test/support/servers/server-process.js';
import { runLoad } from './compare/load.js';
import { OPERATIONS, prepareOperations, type OperationKey } from './compare/operations.js';
import { importMostlyTexas } from './measure/session-page.js';
import { benchSetup, median, SERVER_CPU, settleStore } from './support.js';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    operation: { type: 'string', default: 'search' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '4' },
    properties: { type: 'string', default: '200000' },
  },
});
if (!values.base) throw new Error('--base must name another checkout of this repository, built (npm run build)');
const key = values.operation as OperationKey;
if (!OPERATIONS.includes(key)) throw new Error(`--operation must be one of ${OPERATIONS.join(', ')}`);

// Sessions for every DELETE of both builds: (warm-up + rounds) × seconds at up to 4,000 a second each.
const DELETE_POOL = 2 * 4_000 * (5 + Number(values.rounds) * Number(values.seconds));

const bench = await benchSetup(['property-search-sessions']);
if (key === 'search' || key === 'page') await importMostlyTexas(bench.store, Number(values.properties));
const operation = (await prepareOperations(bench.store, (teamId, prefix, count) => fillSessions(bench.dbPath, teamId, prefix, count), { deletePool: key === 'delete' ? DELETE_POOL : 100, pageTeams: 10 }))[key];
settleStore(bench.dbPath);
// Each build on its own copy of the store, so neither waits on the other's write lock.
const baseDb = join(bench.dir, 'base.db');
copyFileSync(bench.dbPath, baseDb);

const start = (root: string, dbPath: string) =>
  spawnNodeServer(
    join(root, 'dist/server/main.js'),
    { DATABASE_URL: `sqlite:${dbPath}`, NODE_ENV: 'production', LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '100000000' },
    { cpu: SERVER_CPU, keepOutput: false },
  );
const builds: Record<'base' | 'this', ServerProcess> = { base: await start(resolve(values.base), baseDb), this: await start(PACKAGE_ROOT, bench.dbPath) };

/** User and system CPU of a process so far, in microseconds (taskset execs node: same pid). */
function cpuMicroseconds(server: ServerProcess): number {
  const stat = readFileSync(`/proc/${server.child.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // clock ticks of 1/100 s
}

const load = (server: ServerProcess, seconds: number) =>
  runLoad({ url: server.url, connections: 50, durationSeconds: seconds, method: operation.method, next: operation.next, expectedStatus: 200 });

await Promise.all([load(builds.base, 5), load(builds.this, 5)]); // warm-up: V8 compiles the hot paths
const perRequest: Record<'base' | 'this', number[]> = { base: [], this: [] };
for (let round = 0; round < Number(values.rounds); round++) {
  const before = { base: cpuMicroseconds(builds.base), this: cpuMicroseconds(builds.this) };
  const [base, ours] = await Promise.all([load(builds.base, Number(values.seconds)), load(builds.this, Number(values.seconds))]);
  if (base!.unexpected + ours!.unexpected > 0 || base!.requests === 0 || ours!.requests === 0) {
    throw new Error(`answers that were not 200: ${base!.unexpected} (base), ${ours!.unexpected} (this), of ${base!.requests} and ${ours!.requests}`);
  }
  perRequest.base.push((cpuMicroseconds(builds.base) - before.base) / base!.requests);
  perRequest.this.push((cpuMicroseconds(builds.this) - before.this) / ours!.requests);
}
await Promise.all([builds.base.stop(), builds.this.stop()]);
await bench.cleanUp();

const ratios = perRequest.this.map((us, i) => us / perRequest.base[i]!);
const list = (numbers: number[], digits: number) => numbers.map((n) => n.toFixed(digits)).join(' ');
console.log(`${operation.label}, co-running on one core, CPU µs per request by round:`);
console.log(`  base (${values.base}): ${list(perRequest.base, 0)}`);
console.log(`  this checkout:        ${list(perRequest.this, 0)}`);
console.log(`  this ÷ base: ${list(ratios, 3)}; median ×${median(ratios).toFixed(3)}`);
