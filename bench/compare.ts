// How much does our server cost to run, against what it could cost? One run, on loopback, each
// server alone in its own process pinned to one core, the load generator on the other, the servers
// driven in turn with equal duration and connections:
//   (a) bare node:http answering every DELETE with the 200 body — the runtime's limit;
//   (b) bare Express 5, same body;
//   (c) Express 5 + express-openapi-validator on openapi.yaml, same body — a validated service
//       doing nothing;
//   (d) our server on SQLite: real tokens, rate limit, production logging, deleting sessions that
//       exist.
// Then, for our server: list and search throughput, delete latency with 1,000,000 delivered ids,
// a session page after 500,000, start-up time and peak memory. Every figure is a ratio to a
// baseline measured in this same run. Results: bench/results/latest.{md,json,svg}.
//
//   npm run bench            (about 5–6 minutes)
//   npm run bench -- --quick (under a minute)
import { cpus } from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { issueToken } from '../server/admin/issue-token.js';
import { PACKAGE_ROOT } from '../server/spec.js';
import { openStore } from '../server/store/open-store.js';
import { spawnNodeServer, type ServerProcess } from '../test/support/server-process.js';
import { fillSessions } from '../test/support/sqlite-fixtures.js';
import { runLoad, type LoadResult } from './compare/load.js';
import { writeReport, type Report, type Row } from './compare/report.js';
import { measureDeleteLatency } from './measure/delete-latency.js';
import { createDeletePool } from './measure/delete-pool.js';
import { deliverToSession, importMostlyTexas, measureSessionPage } from './measure/session-page.js';
import { median, SERVER_CPU, spawnServerUnderLoad } from './support.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick;
const settings = quick
  ? { durationSeconds: 2, rounds: 1, connections: 50, properties: 100_000, pageDelivered: 50_000, deleteDelivered: 100_000, latencyRounds: 5, sessionPool: 60_000 }
  : { durationSeconds: 10, rounds: 5, connections: 50, properties: 1_000_000, pageDelivered: 500_000, deleteDelivered: 1_000_000, latencyRounds: 30, sessionPool: 800_000 };
const WARM_UP_SECONDS = 1;
const DIST = join(PACKAGE_ROOT, 'dist');

// ---- the store our server runs on, prepared before anything is timed ----
const dir = mkdtempSync(join(tmpdir(), 'bd-compare-'));
const dbPath = join(dir, 'compare.db');
const store = await openStore(`sqlite:${dbPath}`, { purge: false });
console.log(`Preparing: ${settings.properties.toLocaleString('en-US')} properties, ${settings.sessionPool.toLocaleString('en-US')} sessions to delete…`);
await importMostlyTexas(store, settings.properties);
const deletePool = await createDeletePool(store, dbPath, settings.sessionPool);
const listTeam = await store.createTeam('list');
fillSessions(dbPath, listTeam.id, 'listed-', 100);
const listToken = (await issueToken(store, listTeam.id, ['property-search-sessions'])).token;
// Two teams, as each holds at most 100 sessions: one for the search load, one for the page latency.
const searchAbilities = ['property-search', 'property-search-sessions'] as const;
const searchLoadTeam = await store.createTeam('search-load');
const searchToken = (await issueToken(store, searchLoadTeam.id, [...searchAbilities])).token;
const pageTeam = await store.createTeam('pages');
const pageToken = (await issueToken(store, pageTeam.id, [...searchAbilities])).token;
await deliverToSession(store, pageTeam.id, 'big', settings.pageDelivered);

// ---- the four servers ----
type Kind = 'a' | 'b' | 'c' | 'd';
const SERVERS: Record<Kind, { name: string; start: () => Promise<ServerProcess> }> = {
  a: { name: '(a) node:http, the runtime limit', start: () => spawnNodeServer(join(DIST, 'bench/servers/bare-node.js'), {}, { cpu: SERVER_CPU }) },
  b: { name: '(b) bare Express 5', start: () => spawnNodeServer(join(DIST, 'bench/servers/bare-express.js'), {}, { cpu: SERVER_CPU }) },
  c: { name: '(c) Express 5 + express-openapi-validator', start: () => spawnNodeServer(join(DIST, 'bench/servers/validated-express.js'), {}, { cpu: SERVER_CPU }) },
  d: { name: '(d) our server on SQLite', start: () => spawnServerUnderLoad(dbPath) },
};

/** For our server: every DELETE names a session that exists and has not been deleted yet. */
const nextDelete = () => deletePool.next();
let referenceRequests = 0;
/** For the reference servers, which answer anything: requests of the very same shape and size. */
const nextReferenceDelete = () => deletePool.lookalike(referenceRequests++);

function peakMemoryMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function measure(server: ServerProcess, load: Omit<Parameters<typeof runLoad>[0], 'url' | 'durationSeconds' | 'connections'>): Promise<LoadResult> {
  const common = { url: server.url, connections: settings.connections };
  await runLoad({ ...common, ...load, durationSeconds: WARM_UP_SECONDS });
  const result = await runLoad({ ...common, ...load, durationSeconds: settings.durationSeconds });
  if (result.unexpected > 0) throw new Error(`${result.unexpected} of ${result.requests} answers were not ${load.expectedStatus}`);
  return result;
}

const deletes: Record<Kind, LoadResult[]> = { a: [], b: [], c: [], d: [] };
const memory: Partial<Record<Kind, number>> = {};
const kinds: Kind[] = ['a', 'b', 'c', 'd'];
for (let round = 0; round < settings.rounds; round++) {
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[(round + i) % kinds.length]!;
    const server = await SERVERS[kind].start();
    try {
      const result = await measure(server, { method: 'DELETE', next: kind === 'd' ? nextDelete : nextReferenceDelete, expectedStatus: 200 });
      deletes[kind].push(result);
      memory[kind] = Math.max(memory[kind] ?? 0, peakMemoryMiB(server.child.pid!));
      console.log(`round ${round + 1}: ${SERVERS[kind].name}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`);
    } finally {
      await server.stop();
    }
  }
}

// ---- our server's other figures ----
const ours = await SERVERS.d.start();
let list: LoadResult;
let search: LoadResult;
let latency: Awaited<ReturnType<typeof measureDeleteLatency>>;
let pages: Awaited<ReturnType<typeof measureSessionPage>>;
try {
  list = await measure(ours, {
    method: 'GET',
    next: () => ({ path: '/api/v2/property/search-sessions?take=50', headers: { Authorization: `Bearer ${listToken}` } }),
    expectedStatus: 200,
  });
  let searches = 0;
  search = await measure(ours, {
    method: 'POST',
    next: () => ({
      path: '/api/v1/property/search',
      headers: { Authorization: `Bearer ${searchToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ searchCriteria: { query: 'TX' }, options: { take: 25, searchSession: `paged-${searches++ % 90}` } }),
    }),
    expectedStatus: 200,
  });
  memory.d = Math.max(memory.d ?? 0, peakMemoryMiB(ours.child.pid!));
  const latencyTeam = await store.createTeam('latency');
  const latencyToken = (await issueToken(store, latencyTeam.id, ['property-search-sessions'])).token;
  latency = await measureDeleteLatency({ url: ours.url, token: latencyToken, store, dbPath, teamId: latencyTeam.id, rounds: settings.latencyRounds, delivered: settings.deleteDelivered });
  pages = await measureSessionPage(ours.url, pageToken, 'big', settings.latencyRounds);
} finally {
  await ours.stop();
}

/** Milliseconds from spawning a server to its first 200 on `path`. */
async function startUp(kind: Kind, path: string): Promise<number> {
  const started = performance.now();
  const server = await SERVERS[kind].start();
  try {
    for (;;) {
      const ok = await fetch(`${server.url}${path}`).then((r) => r.status === 200, () => false);
      if (ok) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    await server.stop();
  }
}
const startUps = { a: [] as number[], d: [] as number[] };
for (let i = 0; i < 3; i++) {
  startUps.a.push(await startUp('a', '/'));
  startUps.d.push(await startUp('d', '/readyz'));
}

await store.close();
rmSync(dir, { recursive: true, force: true });

// ---- the report ----
const medianOf = (results: LoadResult[], key: 'requestsPerSecond' | 'p50' | 'p99') => median(results.map((r) => r[key]));
const baseline = { rps: medianOf(deletes.a, 'requestsPerSecond'), p99: medianOf(deletes.a, 'p99') };
const throughputRow = (name: string, results: LoadResult[]): Row => ({
  name,
  value: medianOf(results, 'requestsPerSecond'),
  unit: 'req/s',
  ratio: medianOf(results, 'requestsPerSecond') / baseline.rps,
  p50: medianOf(results, 'p50'),
  p99: medianOf(results, 'p99'),
  p99Ratio: medianOf(results, 'p99') / baseline.p99,
});
const c = { rps: medianOf(deletes.c, 'requestsPerSecond'), p99: medianOf(deletes.c, 'p99') };
const d = { rps: medianOf(deletes.d, 'requestsPerSecond'), p99: medianOf(deletes.d, 'p99') };
const ratio = (a: number[], b: number[]) => median(a) / median(b);

const report: Report = {
  title: 'Side-by-side benchmark',
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node.js ${process.version}`,
  settings: { ...settings, warmUpSeconds: WARM_UP_SECONDS, quick },
  sections: [
    {
      heading: 'DELETE a session',
      baseline: '(a) node:http answering the same body',
      rows: kinds.map((kind) => throughputRow(SERVERS[kind].name, deletes[kind])),
    },
    {
      heading: 'Our server, other operations',
      baseline: '(a) DELETE throughput',
      rows: [throughputRow('listSearchSessions take=50', [list]), throughputRow('searchProperties take=25 with a session', [search])],
    },
    {
      heading: 'Our server, latency and resources',
      baseline: 'each row names its own, measured in this run',
      rows: [
        { name: `delete with ${settings.deleteDelivered.toLocaleString('en-US')} delivered ids ÷ empty`, value: median(latency.full), unit: 'ms', ratio: ratio(latency.full, latency.empty) },
        { name: "404, another team's id ÷ a missing id", value: median(latency.foreign), unit: 'ms', ratio: ratio(latency.foreign, latency.missing) },
        { name: `session page after ${settings.pageDelivered.toLocaleString('en-US')} ÷ a new session's`, value: median(pages.big), unit: 'ms', ratio: ratio(pages.big, pages.fresh) },
        { name: 'start-up to first 200 (/readyz) ÷ (a)', value: median(startUps.d), unit: 'ms', ratio: ratio(startUps.d, startUps.a) },
        { name: 'peak memory under load ÷ (a)', value: memory.d!, unit: 'MiB', ratio: memory.d! / memory.a! },
      ],
    },
  ],
  targets: [
    { what: 'DELETE throughput, (d) ÷ (c)', limit: '>= 0.9', measured: d.rps / c.rps, met: d.rps / c.rps >= 0.9 },
    { what: 'DELETE p99 at 50 connections, (d) ÷ (c)', limit: '<= 1.5', measured: d.p99 / c.p99, met: d.p99 / c.p99 <= 1.5 },
    { what: `delete with ${settings.deleteDelivered.toLocaleString('en-US')} delivered ids ÷ empty`, limit: '<= 1.2', measured: ratio(latency.full, latency.empty), met: ratio(latency.full, latency.empty) <= 1.2 },
    { what: `session page after ${settings.pageDelivered.toLocaleString('en-US')} ÷ new session`, limit: '<= 2', measured: ratio(pages.big, pages.fresh), met: ratio(pages.big, pages.fresh) <= 2 },
  ],
};
const files = writeReport(report, join(PACKAGE_ROOT, 'bench', 'results'));
console.log(readFileSync(files.markdown, 'utf8'));
console.log(`Written: ${Object.values(files).join(', ')}`);
