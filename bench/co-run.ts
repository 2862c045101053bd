// Did a change make an operation cheaper? Two builds of our server side by side on the same core,
// under the same load at the same moments (bench/measure/co-run.ts, which says why): each build's
// CPU time per request and the ratio per round. A build measured against itself comes out within
// about 2% of ×1.00.
// With `--base floor`, the base is the operation's floor, (c) of `npm run bench` (Express 5 +
// express-openapi-validator answering the bytes our server sent): the ratio is then what our server
// costs per request against what validating the request costs alone.
//
//   npm run bench:corun -- --base <another checkout, built>|floor [--operation list|search|page|delete]
//                          [--rounds 5] [--seconds 4] [--properties 200000]
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ServerProcess } from '../test/support/servers/server-process.js';
import { OPERATIONS, prepareOneOperation, type OperationKey } from './compare/operations.js';
import { coRun } from './measure/co-run.js';
import { captureBody, startServer } from './compare/servers.js';
import { median, spawnServerUnderLoad } from './support.js';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    operation: { type: 'string', default: 'search' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '4' },
    properties: { type: 'string', default: '200000' },
  },
});
if (!values.base) throw new Error('--base must name another checkout of this repository, built (npm run build), or be floor');
const againstFloor = values.base === 'floor';
const key = values.operation as OperationKey;
if (!OPERATIONS.includes(key)) throw new Error(`--operation must be one of ${OPERATIONS.join(', ')}`);

// Sessions for every DELETE of both builds: (warm-up + rounds) × seconds at up to 4,000 a second each.
const DELETE_POOL = 2 * 4_000 * (5 + Number(values.rounds) * Number(values.seconds));
const { bench, operation } = await prepareOneOperation(key, { properties: Number(values.properties), deletePool: DELETE_POOL });

async function startBase(): Promise<ServerProcess> {
  const target = { dbPath: bench.dbPath, bodyFile: join(bench.dir, 'floor.body') };
  if (againstFloor) {
    const ours = await startServer('d', target);
    await captureBody(ours, operation, target.bodyFile).finally(() => ours.stop());
    return startServer('c', target);
  }
  // Each build on its own copy of the store, so neither waits on the other's write lock.
  const baseDb = join(bench.dir, 'base.db');
  copyFileSync(bench.dbPath, baseDb);
  return spawnServerUnderLoad(baseDb, [], resolve(values.base!));
}
const builds: Record<'base' | 'this', ServerProcess> = { base: await startBase(), this: await spawnServerUnderLoad(bench.dbPath) };

// Our builds get the operation's real requests, the floor their lookalikes (as in `npm run bench`).
let n = 0;
const sides = {
  base: { server: builds.base, next: againstFloor ? () => operation.lookalike(n++) : operation.next },
  this: { server: builds.this, next: operation.next },
};
const options = { method: operation.method, connections: 50 };
await coRun(sides.base, sides.this, { ...options, rounds: 1, seconds: 5 }); // warm-up: V8 compiles the hot paths
const { base, ours, ratios } = await coRun(sides.base, sides.this, { ...options, rounds: Number(values.rounds), seconds: Number(values.seconds) });
await Promise.all([builds.base.stop(), builds.this.stop()]);
await bench.cleanUp();

const list = (numbers: number[], digits: number) => numbers.map((n) => n.toFixed(digits)).join(' ');
console.log(`${operation.label}, co-running on one core, CPU µs per request by round:`);
console.log(`  base (${values.base}): ${list(base, 0)}`);
console.log(`  this checkout:        ${list(ours, 0)}`);
console.log(`  this ÷ base: ${list(ratios, 3)}; median ×${median(ratios).toFixed(3)}`);
