// How much does each operation cost to run, against what it could cost? One run, on loopback, each
// server alone in its own process pinned to one core, the load generator on the other, the servers
// driven in turn with equal duration and connections, operation by operation:
//   (a) bare node:http answering the bytes our server sent for that operation — the runtime's limit;
//   (b) bare Express 5 parsing the request, same bytes;
//   (c) Express 5 + express-openapi-validator validating the same request against openapi.yaml, same
//       bytes — the operation's floor: a validated service doing nothing;
//   (d) our server on SQLite: real tokens, rate limit, production logging, real state.
// The operations: DELETE a session that exists; GET a list of 50 of a team's 100 sessions; POST a
// plain search (25 properties of a query with thousands of matches); POST a session page, each
// request advancing one of 1,000 sessions of 10 teams. Then, for our server: delete latency with
// 1,000,000 delivered ids, a session page after 500,000, start-up time and peak memory against (c).
// Every figure is a ratio to a baseline measured in this same run.
// Results: bench/results/latest.{md,json,svg}.
//
//   npm run bench            (about 8 minutes)
//   npm run bench -- --quick (about 2 minutes; ratios are rougher)
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { issueToken } from '../server/admin/issue-token.js';
import { PACKAGE_ROOT } from '../server/spec.js';
import { openStore } from '../server/store/open-store.js';
import type { ServerProcess } from '../test/support/server-process.js';
import { checkpoint, fillSessions } from '../test/support/sqlite-fixtures.js';
import { runLoad, type LoadResult } from './compare/load.js';
import { OPERATIONS, prepareOperations, type Operation, type OperationKey } from './compare/operations.js';
import { writeReport, type Report, type Row, type Target } from './compare/report.js';
import { measureDeleteLatency } from './measure/delete-latency.js';
import { deliverToSession, importMostlyTexas, measureSessionPage } from './measure/session-page.js';
import { captureBody, KINDS, NAMES, startServer, type Kind } from './compare/servers.js';
import { median, spawnServerUnderLoad } from './support.js';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, rounds: { type: 'string' }, seconds: { type: 'string' }, properties: { type: 'string' } },
});
const quick = values.quick;
// --only list,search: those operations' throughput alone, for trying a change (no report written);
// --rounds, --seconds and --properties override the mode's.
const only = values.only?.split(',') as OperationKey[] | undefined;
if (only?.some((key) => !OPERATIONS.includes(key))) throw new Error(`--only takes a list of ${OPERATIONS.join(', ')}`);
const settings = quick
  ? { durationSeconds: 2, rounds: 1, connections: 50, properties: 100_000, pageDelivered: 50_000, deleteDelivered: 100_000, latencyRounds: 5 }
  : { durationSeconds: 5, rounds: 3, connections: 50, properties: 1_000_000, pageDelivered: 500_000, deleteDelivered: 1_000_000, latencyRounds: 30 };
if (values.rounds) settings.rounds = Number(values.rounds);
if (values.seconds) settings.durationSeconds = Number(values.seconds);
if (values.properties) settings.properties = Number(values.properties);
const WARM_UP_SECONDS = 1;
const PAGE_TEAMS = 10;

// ---- the store our server runs on, prepared before anything is timed ----
const dir = mkdtempSync(join(tmpdir(), 'bd-compare-'));
const dbPath = join(dir, 'compare.db');
const store = await openStore(`sqlite:${dbPath}`, { purge: false });
// Enough sessions for every DELETE of the run at ten thousand a second, and some to spare.
const deletePool = Math.ceil((settings.rounds * (settings.durationSeconds + WARM_UP_SECONDS) * 12_000) / 100) * 100;
console.log(`Preparing: ${settings.properties.toLocaleString('en-US')} properties, ${deletePool.toLocaleString('en-US')} sessions to delete…`);
await importMostlyTexas(store, settings.properties);
const operations = await prepareOperations(store, (teamId, prefix, count) => fillSessions(dbPath, teamId, prefix, count), { deletePool, pageTeams: PAGE_TEAMS });
const pageTeam = await store.createTeam('pages');
const pageToken = (await issueToken(store, pageTeam.id, ['property-search', 'property-search-sessions'])).token;
await deliverToSession(store, pageTeam.id, 'big', settings.pageDelivered);
checkpoint(dbPath);

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

async function measure(server: ServerProcess, operation: Operation, kind: Kind): Promise<LoadResult> {
  let n = 0;
  const load = {
    url: server.url,
    connections: settings.connections,
    method: operation.method,
    next: kind === 'd' ? operation.next : () => operation.lookalike(n++),
    expectedStatus: 200,
  };
  await runLoad({ ...load, durationSeconds: WARM_UP_SECONDS });
  const result = await runLoad({ ...load, durationSeconds: settings.durationSeconds });
  if (result.unexpected > 0) throw new Error(`${result.unexpected} of ${result.requests} answers were not 200`);
  return result;
}

const results = Object.fromEntries(OPERATIONS.map((key) => [key, { a: [] as LoadResult[], b: [] as LoadResult[], c: [] as LoadResult[], d: [] as LoadResult[] }])) as Record<OperationKey, Record<Kind, LoadResult[]>>;
const memory: Partial<Record<Kind, number>> = {};
for (const key of only ?? OPERATIONS) {
  for (let round = 0; round < settings.rounds; round++) {
    // A different server goes first each round, so none is favoured by its position.
    for (let i = 0; i < KINDS.length; i++) {
      const kind = KINDS[(round + i) % KINDS.length]!;
      const server = await start(kind, key);
      try {
        const result = await measure(server, operations[key], kind);
        results[key][kind].push(result);
        memory[kind] = Math.max(memory[kind] ?? 0, peakMemoryMiB(server.child.pid!));
        console.log(`${key}, round ${round + 1}: ${NAMES[kind]}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`);
      } finally {
        await server.stop();
      }
    }
  }
}

if (only) {
  for (const key of only) {
    const of = (kind: Kind) => median(results[key][kind].map((r) => r.requestsPerSecond));
    const p99 = (kind: Kind) => median(results[key][kind].map((r) => r.p99));
    console.log(`${key}: (d) ÷ (c) throughput ×${(of('d') / of('c')).toFixed(2)}, p99 ×${(p99('d') / p99('c')).toFixed(2)}`);
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
  latency = await measureDeleteLatency({ url: ours.url, token: latencyToken, store, dbPath, teamId: latencyTeam.id, rounds: settings.latencyRounds, delivered: settings.deleteDelivered });
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
const medianOf = (runs: LoadResult[], key: 'requestsPerSecond' | 'p50' | 'p99') => median(runs.map((r) => r[key]));
const ratio = (a: number[], b: number[]) => median(a) / median(b);
const sections: Report['sections'] = OPERATIONS.map((key) => {
  const floor = { rps: medianOf(results[key].c, 'requestsPerSecond'), p99: medianOf(results[key].c, 'p99') };
  return {
    heading: `${operations[key].label} (${bodySizes[key].toLocaleString('en-US')}-byte answer)`,
    baseline: "(c), this operation's floor",
    rows: KINDS.map(
      (kind): Row => ({
        name: NAMES[kind],
        value: medianOf(results[key][kind], 'requestsPerSecond'),
        unit: 'req/s',
        ratio: medianOf(results[key][kind], 'requestsPerSecond') / floor.rps,
        p50: medianOf(results[key][kind], 'p50'),
        p99: medianOf(results[key][kind], 'p99'),
        p99Ratio: medianOf(results[key][kind], 'p99') / floor.p99,
      }),
    ),
  };
});
const ofFloor = (key: OperationKey, figure: 'requestsPerSecond' | 'p99') => medianOf(results[key].d, figure) / medianOf(results[key].c, figure);
const throughputFloor: Record<OperationKey, number> = { delete: 0.9, list: 0.9, search: 0.9, page: 0.8 };
const targets: Target[] = [
  ...OPERATIONS.map((key) => {
    const measured = ofFloor(key, 'requestsPerSecond');
    return { what: `${key}: throughput, (d) ÷ (c)`, limit: `>= ${throughputFloor[key]}`, measured, met: measured >= throughputFloor[key] };
  }),
  ...OPERATIONS.map((key) => {
    const measured = ofFloor(key, 'p99');
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
