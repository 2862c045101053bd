// How much does each operation cost to run, against what it could cost? One run, on loopback, the
// load generator on one core and four servers on the other, each alone in its own process:
//   (a) bare node:http answering the bytes our server sent for that operation — the runtime's limit;
//   (b) bare Express 5 parsing the request, same bytes;
//   (c) Express 5 + express-openapi-validator validating the same request against openapi.yaml, same
//       bytes — the operation's floor: a validated service doing nothing;
//   (d) our server on SQLite: real tokens, rate limit, production logging, real state.
// All four are up at once and the load moves from one to the next in slices of 3 s, 50 connections
// each, in a new order every slice: whatever else this shared machine is doing (its speed drifts by
// a factor of two over tens of seconds) then falls on all four alike, where servers driven one after
// another were compared across different weather. (Slices of 1 s were tried: each slice's first
// requests, on new connections to a server that sat idle, then weigh on the p99.)
// Then (c) and (d) run side by side on that core under the same load at the same moments, a few
// rounds of a slice's length (bench/measure/co-run.ts): each one's CPU per request, read from /proc,
// and their ratio, which the machine's drift leaves alone. Its inverse is the throughput ratio the
// two would show under identical weather, and the figure the throughput targets are judged by: the
// slices' ratio can be a tenth off it either way (the report lists both, round by round). The
// slices give each server's own req/s and latency, and the p99 targets.
// The operations: DELETE a session that exists; GET a list of 50 of a team's 100 sessions; POST a
// plain search (25 properties of a query with thousands of matches); POST a session page, each
// request advancing one of 1,000 sessions of 10 teams. Then, for our server: delete latency with
// 1,000,000 delivered ids, a session page after 500,000, start-up time and peak memory against (c).
// Every figure is a ratio to a baseline measured in this same run.
// Results: bench/results/latest.{md,json,svg}.
//
//   npm run bench            (about 12 minutes)
//   npm run bench -- --quick (about 3 minutes; ratios are rougher)
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { issueToken } from '../server/admin/bootstrap.js';
import { PACKAGE_ROOT } from '../server/spec.js';
import { openStore } from '../server/store/open-store.js';
import type { ServerProcess } from '../test/support/servers/server-process.js';
import { fillSessions } from '../test/support/databases/sqlite-fixtures.js';
import { runLoad, type LoadOptions, type LoadResult } from './compare/load.js';
import { OPERATIONS, prepareOperations, type Operation, type OperationKey } from './compare/operations.js';
import { writeReport, type Report, type Row, type Target } from './compare/report.js';
import { coRun, type CoRunResult } from './measure/co-run.js';
import { measureDeleteLatency } from './measure/delete-latency.js';
import { deliverToSession, importMostlyTexas, measureSessionPage } from './measure/session-page.js';
import { captureBody, KINDS, NAMES, startServer, type Kind } from './compare/servers.js';
import { median, settleStore, spawnServerUnderLoad } from './support.js';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, slices: { type: 'string' }, seconds: { type: 'string' }, properties: { type: 'string' } },
});
const quick = values.quick;
// --only list,search: those operations' throughput alone, for trying a change (no report written);
// --slices, --seconds (a slice's) and --properties override the mode's.
const only = values.only?.split(',') as OperationKey[] | undefined;
if (only?.some((key) => !OPERATIONS.includes(key))) throw new Error(`--only takes a list of ${OPERATIONS.join(', ')}`);
const settings = quick
  ? { sliceSeconds: 2, slices: 2, coRunRounds: 2, connections: 50, properties: 100_000, pageDelivered: 50_000, deleteDelivered: 100_000, latencyRounds: 5, deleteRounds: 5 }
  : { sliceSeconds: 3, slices: 5, coRunRounds: 5, connections: 50, properties: 1_000_000, pageDelivered: 500_000, deleteDelivered: 1_000_000, latencyRounds: 30, deleteRounds: 60 };
// Deletes get rounds of their own: one request after another idle pause varies by half either way,
// so two identical kinds' medians over 40 rounds still differ by up to a tenth (bootstrapped 90%
// interval, ×0.86–×1.14). Each round fills and purges a session of deleteDelivered ids, about 4 s.
if (values.slices) settings.slices = Number(values.slices);
if (values.seconds) settings.sliceSeconds = Number(values.seconds);
if (values.properties) settings.properties = Number(values.properties);
// Long enough for V8 to have compiled the hot paths of every server: their first seconds run at half speed.
const WARM_UP_SECONDS = 3;
const PAGE_TEAMS = 10;

// ---- the store our server runs on, prepared before anything is timed ----
const dir = mkdtempSync(join(tmpdir(), 'bd-compare-'));
const dbPath = join(dir, 'compare.db');
const store = await openStore(`sqlite:${dbPath}`, { purge: false });
// Enough sessions for every DELETE of the run at ten thousand a second, and some to spare.
const deletePool = Math.ceil((((settings.slices + settings.coRunRounds) * settings.sliceSeconds + WARM_UP_SECONDS) * 12_000) / 100) * 100;
console.log(`Preparing: ${settings.properties.toLocaleString('en-US')} properties, ${deletePool.toLocaleString('en-US')} sessions to delete…`);
await importMostlyTexas(store, settings.properties);
const operations = await prepareOperations(store, (teamId, prefix, count) => fillSessions(dbPath, teamId, prefix, count), { deletePool, pageTeams: PAGE_TEAMS });
const pageTeam = await store.createTeam('pages');
const pageToken = (await issueToken(store, pageTeam.id, ['property-search', 'property-search-sessions'])).token;
await deliverToSession(store, pageTeam.id, 'big', settings.pageDelivered);
settleStore(dbPath);

// ---- the floors answer the bytes our server sent for the very same request ----
const bodyFile = (key: OperationKey) => join(dir, `${key}.body`);
const start = (kind: Kind, key: OperationKey) => startServer(kind, { dbPath, bodyFile: bodyFile(key) });
const bodySizes = {} as Record<OperationKey, number>;
{
  const server = await start('d', 'delete');
  try {
    for (const key of OPERATIONS) bodySizes[key] = await captureBody(server, operations[key], bodyFile(key));
  } finally {
    await server.stop();
  }
}

function peakMemoryMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** The load one server gets: ours the operation's real requests, a floor their lookalikes. */
function loadOn(server: ServerProcess, operation: Operation, kind: Kind): Omit<LoadOptions, 'durationSeconds'> {
  let n = 0;
  return {
    url: server.url,
    connections: settings.connections,
    method: operation.method,
    next: kind === 'd' ? operation.next : () => operation.lookalike(n++),
    expectedStatus: 200,
  };
}

/** Every server's slices of one operation, the four servers up at once, then (c) and (d) co-running (see the top of the file). */
async function measureOperation(key: OperationKey): Promise<{ slices: Record<Kind, LoadResult[]>; coRun: CoRunResult }> {
  const servers: Partial<Record<Kind, ServerProcess>> = {};
  try {
    for (const kind of KINDS) servers[kind] = await start(kind, key);
    const loads = Object.fromEntries(KINDS.map((kind) => [kind, loadOn(servers[kind]!, operations[key], kind)])) as Record<Kind, ReturnType<typeof loadOn>>;
    for (const kind of KINDS) await runLoad({ ...loads[kind], durationSeconds: WARM_UP_SECONDS });
    const slices: Record<Kind, LoadResult[]> = { a: [], b: [], c: [], d: [] };
    for (let slice = 0; slice < settings.slices; slice++) {
      // A different server goes first each slice, so none is favoured by its position.
      for (let i = 0; i < KINDS.length; i++) {
        const kind = KINDS[(slice + i) % KINDS.length]!;
        const result = await runLoad({ ...loads[kind], durationSeconds: settings.sliceSeconds });
        if (result.unexpected > 0) throw new Error(`${key}, ${NAMES[kind]}: ${result.unexpected} of ${result.requests} answers were not 200`);
        slices[kind].push(result);
      }
    }
    const side = (kind: 'c' | 'd') => ({ server: servers[kind]!, next: loads[kind].next });
    const shared = await coRun(side('c'), side('d'), { method: operations[key].method, connections: settings.connections, rounds: settings.coRunRounds, seconds: settings.sliceSeconds });
    for (const kind of KINDS) memory[kind] = Math.max(memory[kind] ?? 0, peakMemoryMiB(servers[kind]!.child.pid!));
    return { slices, coRun: shared };
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
}

/** Throughput over all of a server's slices; latency, the median slice's. */
function summarise(slices: LoadResult[]) {
  const requests = slices.reduce((sum, r) => sum + r.requests, 0);
  const seconds = slices.reduce((sum, r) => sum + r.seconds, 0);
  return { requestsPerSecond: requests / seconds, p50: median(slices.map((r) => r.p50)), p99: median(slices.map((r) => r.p99)) };
}

const results = {} as Record<OperationKey, Record<Kind, ReturnType<typeof summarise>>>;
/** (d)'s throughput ÷ (c)'s, slice round by slice round: how far the weather moves the in-turn ratio. */
const inTurnRounds = {} as Record<OperationKey, number[]>;
const coRuns = {} as Record<OperationKey, CoRunResult>;
const memory: Partial<Record<Kind, number>> = {};
for (const key of only ?? OPERATIONS) {
  const { slices, coRun: shared } = await measureOperation(key);
  coRuns[key] = shared;
  inTurnRounds[key] = slices.d.map((result, round) => result.requestsPerSecond / slices.c[round]!.requestsPerSecond);
  results[key] = Object.fromEntries(KINDS.map((kind) => [kind, summarise(slices[kind])])) as Record<Kind, ReturnType<typeof summarise>>;
  for (const kind of KINDS) {
    const { requestsPerSecond, p50, p99 } = results[key][kind];
    console.log(`${key}: ${NAMES[kind]}: ${requestsPerSecond.toFixed(0)} req/s, p50 ${p50} ms, p99 ${p99} ms (slices: ${slices[kind].map((r) => r.requestsPerSecond.toFixed(0)).join(' ')})`);
  }
  console.log(`${key}: co-running, CPU µs per request of (c) ${shared.base.map((us) => us.toFixed(0)).join(' ')}, of (d) ${shared.ours.map((us) => us.toFixed(0)).join(' ')}; (d) ÷ (c) ×${median(shared.ratios).toFixed(3)}`);
}

if (only) {
  for (const key of only) {
    const { c, d } = results[key];
    console.log(`${key}: (d) ÷ (c) throughput ×${(d.requestsPerSecond / c.requestsPerSecond).toFixed(2)}, p99 ×${(d.p99 / c.p99).toFixed(2)}; co-running, (c)'s CPU per request ÷ (d)'s ×${(1 / median(coRuns[key].ratios)).toFixed(2)}`);
  }
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

// ---- our server's latency figures ----
const ours = await spawnServerUnderLoad(dbPath);
let latency: Awaited<ReturnType<typeof measureDeleteLatency>>;
let pages: Awaited<ReturnType<typeof measureSessionPage>>;
try {
  const latencyTeam = await store.createTeam('latency');
  const latencyToken = (await issueToken(store, latencyTeam.id, ['property-search-sessions'])).token;
  latency = await measureDeleteLatency({ url: ours.url, token: latencyToken, store, dbPath, teamId: latencyTeam.id, rounds: settings.deleteRounds, delivered: settings.deleteDelivered });
  pages = await measureSessionPage(ours.url, pageToken, 'big', settings.latencyRounds);
} finally {
  await ours.stop();
}

/** Milliseconds from spawning a server to its first 200: /readyz for ours, a validated list for (c). */
async function startUp(kind: 'c' | 'd'): Promise<number> {
  const started = performance.now();
  const server = await start(kind, 'list');
  const { path, headers } = operations.list.lookalike(0);
  try {
    for (;;) {
      const ok = await fetch(`${server.url}${kind === 'd' ? '/readyz' : path}`, { headers }).then((r) => r.status === 200, () => false);
      if (ok) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    await server.stop();
  }
}
const startUps = { c: [] as number[], d: [] as number[] };
for (let i = 0; i < 5; i++) {
  startUps.c.push(await startUp('c'));
  startUps.d.push(await startUp('d'));
}

await store.close();
rmSync(dir, { recursive: true, force: true });

// ---- the report: every operation against its own floor, (c) ----
const ratio = (a: number[], b: number[]) => median(a) / median(b);
/** (d)'s throughput ÷ (c)'s under the same weather: the inverse of their CPU per request co-running. */
const coRunThroughput = (key: OperationKey) => 1 / median(coRuns[key].ratios);
const ratioList = (ratios: number[]) => ratios.map((r) => `×${r.toFixed(2)}`).join(' ');
const sections: Report['sections'] = OPERATIONS.map((key) => {
  const floor = results[key].c;
  return {
    heading: `${operations[key].label} (${bodySizes[key].toLocaleString('en-US')}-byte answer)`,
    baseline: "(c), this operation's floor",
    rows: [
      ...KINDS.map(
        (kind): Row => ({
          name: NAMES[kind],
          value: results[key][kind].requestsPerSecond,
          unit: 'req/s',
          ratio: results[key][kind].requestsPerSecond / floor.requestsPerSecond,
          p50: results[key][kind].p50,
          p99: results[key][kind].p99,
          p99Ratio: results[key][kind].p99 / floor.p99,
        }),
      ),
      {
        name: `(d) co-running with (c) on one core, requests per CPU second (median of ${settings.coRunRounds} rounds)`,
        value: 1e6 / median(coRuns[key].ours),
        unit: 'req/CPU-s',
        ratio: coRunThroughput(key),
      },
    ],
    notes: [
      `(d) ÷ (c) throughput round by round: in turn ${ratioList(inTurnRounds[key])}; co-running ${ratioList(coRuns[key].ratios.map((cpu) => 1 / cpu))}.`,
    ],
  };
});
const throughputFloor: Record<OperationKey, number> = { delete: 0.9, list: 0.9, search: 0.9, page: 0.8 };
// Throughput is judged co-running: the in-turn ratio moves by a tenth or more either way between one
// slice round and the next (its rounds are listed under each table), the co-run's by a few percent.
const targets: Target[] = [
  ...OPERATIONS.map((key) => {
    const measured = coRunThroughput(key);
    return { what: `${key}: throughput, (d) ÷ (c), co-running (requests per CPU second)`, limit: `>= ${throughputFloor[key]}`, measured, met: measured >= throughputFloor[key] };
  }),
  ...OPERATIONS.map((key) => {
    const measured = results[key].d.p99 / results[key].c.p99;
    return { what: `${key}: p99 at ${settings.connections} connections, (d) ÷ (c)`, limit: '<= 1.5', measured, met: measured <= 1.5 };
  }),
];
const limited = (what: string, limit: number, measured: number): Target => ({ what, limit: `<= ${limit}`, measured, met: measured <= limit });
const figures = {
  deleteFull: ratio(latency.full, latency.empty),
  pageAfter: ratio(pages.big, pages.fresh),
  startUp: ratio(startUps.d, startUps.c),
  memory: memory.d! / memory.c!,
};
targets.push(
  limited(`delete with ${settings.deleteDelivered.toLocaleString('en-US')} delivered ids ÷ empty`, 1.2, figures.deleteFull),
  limited(`session page after ${settings.pageDelivered.toLocaleString('en-US')} ÷ new session`, 2, figures.pageAfter),
  limited('start-up to the first 200, (d) ÷ (c)', 1.5, figures.startUp),
  limited('peak memory under load, (d) ÷ (c)', 1.5, figures.memory),
);

const report: Report = {
  title: 'Every operation against its floor',
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node.js ${process.version}`,
  settings: { ...settings, warmUpSeconds: WARM_UP_SECONDS, deletePool, pageTeams: PAGE_TEAMS, quick },
  sections: [
    ...sections,
    {
      heading: 'Our server, latency and resources',
      baseline: 'each row names its own, measured in this run',
      rows: [
        { name: `delete with ${settings.deleteDelivered.toLocaleString('en-US')} delivered ids ÷ empty`, value: median(latency.full), unit: 'ms', ratio: figures.deleteFull },
        { name: "404, another team's id ÷ a missing id", value: median(latency.foreign), unit: 'ms', ratio: ratio(latency.foreign, latency.missing) },
        { name: `session page (take=500) after ${settings.pageDelivered.toLocaleString('en-US')} ÷ a new session's`, value: median(pages.big), unit: 'ms', ratio: figures.pageAfter },
        { name: 'start-up to the first 200 (/readyz) ÷ (c)', value: median(startUps.d), unit: 'ms', ratio: figures.startUp },
        { name: 'peak memory under load ÷ (c)', value: memory.d!, unit: 'MiB', ratio: figures.memory },
      ],
    },
  ],
  targets,
};
const files = writeReport(report, join(PACKAGE_ROOT, 'bench', 'results'));
console.log(readFileSync(files.markdown, 'utf8'));
console.log(`Written: ${Object.values(files).join(', ')}`);
