// What does running on PostgreSQL cost against SQLite, and what does a second instance on the same
// PostgreSQL give? The four operations `npm run bench` measures (DELETE a session that exists, GET a
// list of 50 of a team's 100 sessions, POST a plain search take=25, POST a session page advancing one
// of 1,000 sessions of 10 teams), prepared identically on a SQLite file and on a throwaway
// PostgreSQL 15 cluster (same properties, same fixtures, real tokens), then driven in turn with the
// same load (autocannon, 50 connections, a 1 s warm-up then equal duration, the configurations in a
// different order each round, medians of the rounds):
//   - our server on SQLite, one instance (the baseline);
//   - our server on PostgreSQL, one instance;
//   - two instances on the one PostgreSQL, the 50 connections split over both URLs.
// Every server and the PostgreSQL cluster (postmaster, backends, workers) run on SERVER_CPU, the
// load generator on the other core: each store gets the same single core for all of its work. The
// cluster is made as durable as SQLite's synchronous=NORMAL (fsync and full_page_writes on,
// synchronous_commit off: a power cut may lose the last commits, never corrupt), with 256 MB of
// shared buffers. During every load the script reads the CPU time of the node servers, of the
// postgres processes and of itself from /proc, and how busy SERVER_CPU was, and says what the
// limit was. Results: bench/results/postgres.{md,json,svg}.
//
//   npm run bench:postgres            (about 6–7 minutes on 2 cores)
//   npm run bench:postgres -- --quick (100,000 properties, one 2 s round; about a minute)
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../server/spec.js';
import { openStore } from '../server/store/open-store.js';
import type { Store } from '../server/store/store.js';
import { startPostgresCluster, type PostgresCluster } from '../test/support/databases/postgres-cluster.js';
import { withClient } from '../test/support/databases/postgres-fixtures.js';
import { spawnNodeServer, type ServerProcess } from '../test/support/servers/server-process.js';
import { fillSessions } from '../test/support/databases/sqlite-fixtures.js';
import { runLoad, type LoadResult } from './compare/load.js';
import { OPERATIONS, prepareOperations, type Operation, type OperationKey } from './compare/operations.js';
import { writeReport, type Report, type Row } from './compare/report.js';
import { boundRun } from './measure/bounded-run.js';
import { coreMs, cpuMeter, parentOf, withChildren } from './measure/process-cpu.js';
import { importMostlyTexas } from './measure/session-page.js';
import { median, SERVER_CPU, settleStore, spawnServerUnderLoad } from './support.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick;
const settings = quick ? { durationSeconds: 2, rounds: 1, properties: 100_000 } : { durationSeconds: 5, rounds: 3, properties: 1_000_000 };
const CONNECTIONS = 50;
const WARM_UP_SECONDS = 1;
const PAGE_TEAMS = 10;
/** Every load and start-up is bounded; a whole run is refused past this (a stuck server). */
const RUN_LIMIT_MS = 30 * 60_000;

type Config = 'sqlite' | 'postgres' | 'pair';
const CONFIGS: Config[] = ['sqlite', 'postgres', 'pair'];
const NAMES: Record<Config, string> = {
  sqlite: 'our server on SQLite, one instance',
  postgres: 'our server on PostgreSQL, one instance',
  pair: 'two instances on one PostgreSQL',
};

interface Measured {
  load: LoadResult;
  /** CPU milliseconds during the timed load. */
  cpu: { node: number; postgres: number; loadGenerator: number };
  /** How busy SERVER_CPU was during the timed load, 0 to 1. */
  coreBusy: number;
  /** The share of SERVER_CPU's time the servers and postgres used, 0 to 1 (the rest: idle or anyone else). */
  coreOurs: number;
}

const dir = mkdtempSync(join(tmpdir(), 'bd-postgres-'));
const dbPath = join(dir, 'bench.db');
let cluster: PostgresCluster | undefined;
const running = new Set<ServerProcess>();
async function cleanUp(): Promise<void> {
  await Promise.allSettled([...running].map((server) => server.stop()));
  await cluster?.destroy().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
const run = boundRun('bench:postgres', RUN_LIMIT_MS, cleanUp);

/** The postmaster's pid: the parent of a backend this script connects to. */
async function postmasterPid(url: string): Promise<number> {
  // Read while the connection is open: once it closes, the backend (and its /proc entry) is gone.
  const parent = await withClient(url, async (client) => parentOf((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid));
  if (parent === null) throw new Error('cannot find the postmaster');
  return parent;
}

/** Pins the postmaster and its children to SERVER_CPU; backends forked later inherit it. */
function pinToServerCpu(postmaster: number): void {
  for (const pid of withChildren(postmaster)) execFileSync('taskset', ['-a', '-p', '-c', String(SERVER_CPU), String(pid)], { stdio: 'ignore' });
}

/** Our server on PostgreSQL, in every other way as spawnServerUnderLoad runs it on SQLite. */
const spawnOnPostgres = (url: string) =>
  spawnNodeServer(
    join(PACKAGE_ROOT, 'dist/server/main.js'),
    { DATABASE_URL: url, NODE_ENV: 'production', LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '100000000' },
    { cpu: SERVER_CPU, keepOutput: false },
  );

try {
  // ---- the cluster, as durable as SQLite's synchronous=NORMAL, on the servers' core ----
  cluster = await startPostgresCluster();
  await withClient(cluster.url(), async (client) => {
    for (const setting of ['fsync = on', 'full_page_writes = on', 'synchronous_commit = off', "shared_buffers = '256MB'"]) await client.query(`ALTER SYSTEM SET ${setting}`);
  });
  await cluster.stop();
  await cluster.start();
  const pgUrl = await cluster.createDatabase('bench');
  const postmaster = await postmasterPid(pgUrl);
  pinToServerCpu(postmaster);

  // ---- the same fixtures on both stores, prepared before anything is timed ----
  // Enough sessions for every DELETE of the run at twelve thousand a second (PostgreSQL is run twice a round).
  const deletePool = (runs: number) => Math.ceil((runs * settings.rounds * (settings.durationSeconds + WARM_UP_SECONDS) * 12_000) / 100) * 100;
  console.log(`Preparing both stores: ${settings.properties.toLocaleString('en-US')} properties, the four operations' fixtures…`);
  const prepare = async (store: Store, fill: Parameters<typeof prepareOperations>[1], pool: number) => {
    const started = performance.now();
    await importMostlyTexas(store, settings.properties);
    const operations = await prepareOperations(store, fill, { deletePool: pool, pageTeams: PAGE_TEAMS });
    await store.close();
    return { operations, seconds: (performance.now() - started) / 1000 };
  };
  const onSqlite = await prepare(await openStore(`sqlite:${dbPath}`, { purge: false }), (teamId, prefix, count) => fillSessions(dbPath, teamId, prefix, count), deletePool(1));
  settleStore(dbPath);
  const onPostgres = await withClient(pgUrl, async (client) => {
    const fill = async (teamId: number, prefix: string, count: number) => {
      await client.query('INSERT INTO sessions (team_id, id) SELECT $1, $2 || i FROM generate_series(0, $3::integer - 1) i', [teamId, prefix, count]);
    };
    const prepared = await prepare(await openStore(pgUrl, { purge: false }), fill, deletePool(2));
    // Fresh statistics and visibility maps, as autovacuum would have them soon, and nothing dirty.
    await client.query('VACUUM ANALYZE');
    await client.query('CHECKPOINT');
    return prepared;
  });
  console.log(`  SQLite prepared in ${onSqlite.seconds.toFixed(1)} s, PostgreSQL in ${onPostgres.seconds.toFixed(1)} s`);

  const start = async (config: Config): Promise<ServerProcess[]> => {
    const count = config === 'pair' ? 2 : 1;
    const started: ServerProcess[] = [];
    for (let i = 0; i < count; i++) {
      const server = await (config === 'sqlite' ? spawnServerUnderLoad(dbPath) : spawnOnPostgres(pgUrl));
      running.add(server);
      started.push(server);
    }
    return started;
  };

  /** The load spread over the instances, the connections split evenly, every request from one stream. */
  const load = (servers: ServerProcess[], operation: Operation, durationSeconds: number) =>
    Promise.all(
      servers.map((server) =>
        runLoad({ url: server.url, connections: CONNECTIONS / servers.length, durationSeconds, method: operation.method, next: operation.next, expectedStatus: 200 }),
      ),
    );

  async function measure(config: Config, operation: Operation): Promise<Measured> {
    const servers = await start(config);
    try {
      await load(servers, operation, WARM_UP_SECONDS);
      const nodeCpu = cpuMeter(() => servers.map((server) => server.child.pid!));
      const postgresCpu = cpuMeter(() => withChildren(postmaster));
      const ownCpu = process.cpuUsage();
      const core = coreMs(SERVER_CPU);
      const results = await load(servers, operation, settings.durationSeconds);
      const coreAfter = coreMs(SERVER_CPU);
      const own = process.cpuUsage(ownCpu);
      const merged: LoadResult = {
        requestsPerSecond: results.reduce((sum, r) => sum + r.requestsPerSecond, 0),
        // Per instance; the pair's is the worse of its two.
        p50: Math.max(...results.map((r) => r.p50)),
        p99: Math.max(...results.map((r) => r.p99)),
        requests: results.reduce((sum, r) => sum + r.requests, 0),
        seconds: Math.max(...results.map((r) => r.seconds)),
        unexpected: results.reduce((sum, r) => sum + r.unexpected, 0),
      };
      if (merged.unexpected > 0) throw new Error(`${operation.key} on ${config}: ${merged.unexpected} of ${merged.requests} answers were not 200`);
      const cpu = { node: nodeCpu.stop(), postgres: postgresCpu.stop(), loadGenerator: (own.user + own.system) / 1000 };
      return {
        load: merged,
        cpu,
        coreBusy: (coreAfter.busy - core.busy) / (coreAfter.total - core.total),
        coreOurs: (cpu.node + cpu.postgres) / (coreAfter.total - core.total),
      };
    } finally {
      for (const server of servers) {
        await server.stop();
        running.delete(server);
      }
    }
  }

  const operationsOf = (config: Config) => (config === 'sqlite' ? onSqlite : onPostgres).operations;
  const results = Object.fromEntries(OPERATIONS.map((key) => [key, { sqlite: [], postgres: [], pair: [] }])) as unknown as Record<OperationKey, Record<Config, Measured[]>>;
  for (let round = 0; round < settings.rounds; round++) {
    for (const key of OPERATIONS) {
      // A different configuration goes first each round, so none is favoured by its position.
      for (let i = 0; i < CONFIGS.length; i++) {
        const config = CONFIGS[(round + i) % CONFIGS.length]!;
        const measured = await measure(config, operationsOf(config)[key]);
        results[key][config].push(measured);
        const perRequest = (ms: number) => ((ms * 1000) / measured.load.requests).toFixed(0);
        console.log(
          `${key}, round ${round + 1}: ${NAMES[config]}: ${measured.load.requestsPerSecond.toFixed(0)} req/s, p99 ${measured.load.p99} ms; ` +
            `CPU ${SERVER_CPU} busy ${(measured.coreBusy * 100).toFixed(0)}% (ours ${(measured.coreOurs * 100).toFixed(0)}%), per request: node ${perRequest(measured.cpu.node)} µs, postgres ${perRequest(measured.cpu.postgres)} µs, load generator ${perRequest(measured.cpu.loadGenerator)} µs`,
        );
      }
    }
  }

  // ---- the report: PostgreSQL against SQLite, two instances against one ----
  const rps = (key: OperationKey, config: Config) => median(results[key][config].map((m) => m.load.requestsPerSecond));
  const p99 = (key: OperationKey, config: Config) => median(results[key][config].map((m) => m.load.p99));
  /** Median CPU microseconds per request of one group of processes. */
  const perRequest = (key: OperationKey, config: Config, group: keyof Measured['cpu']) => median(results[key][config].map((m) => (m.cpu[group] * 1000) / m.load.requests));
  const busy = (key: OperationKey, config: Config) => median(results[key][config].map((m) => m.coreBusy));
  const ours = (key: OperationKey, config: Config) => median(results[key][config].map((m) => m.coreOurs));
  const sections: Report['sections'] = OPERATIONS.map((key) => ({
    heading: operationsOf('sqlite')[key].label,
    baseline: NAMES.sqlite,
    rows: CONFIGS.map(
      (config): Row => ({
        name: NAMES[config],
        value: rps(key, config),
        unit: 'req/s',
        ratio: rps(key, config) / rps(key, 'sqlite'),
        p50: median(results[key][config].map((m) => m.load.p50)),
        p99: p99(key, config),
        p99Ratio: p99(key, config) / p99(key, 'sqlite'),
      }),
    ),
  }));
  sections.push(
    {
      heading: 'Two instances on one PostgreSQL ÷ one instance (throughput)',
      baseline: 'one instance on the same PostgreSQL, this run',
      rows: OPERATIONS.map((key): Row => ({ name: key, value: rps(key, 'pair'), unit: 'req/s', ratio: rps(key, 'pair') / rps(key, 'postgres') })),
    },
    {
      heading: `CPU per request on PostgreSQL, one instance (all of it on CPU ${SERVER_CPU})`,
      baseline: 'the SQLite server process per request, whose work includes its database',
      rows: OPERATIONS.flatMap((key): Row[] => [
        { name: `${key}: node server`, value: perRequest(key, 'postgres', 'node'), unit: 'µs', ratio: perRequest(key, 'postgres', 'node') / perRequest(key, 'sqlite', 'node') },
        { name: `${key}: postgres processes`, value: perRequest(key, 'postgres', 'postgres'), unit: 'µs', ratio: perRequest(key, 'postgres', 'postgres') / perRequest(key, 'sqlite', 'node') },
      ]),
    },
  );

  // ---- what limited PostgreSQL, from what was measured ----
  const findings = OPERATIONS.map((key) => {
    const node = perRequest(key, 'postgres', 'node');
    const postgres = perRequest(key, 'postgres', 'postgres');
    const generator = perRequest(key, 'postgres', 'loadGenerator');
    const coreBusy = busy(key, 'postgres');
    const share = postgres / (node + postgres);
    const limit =
      coreBusy >= 0.9
        ? `CPU ${SERVER_CPU} was saturated (${(coreBusy * 100).toFixed(0)}% busy, ${(ours(key, 'postgres') * 100).toFixed(0)}% of it by the server and postgres), ${(share * 100).toFixed(0)}% of that in postgres processes and ${((1 - share) * 100).toFixed(0)}% in the node server`
        : `CPU ${SERVER_CPU} was only ${(coreBusy * 100).toFixed(0)}% busy: the limit was elsewhere (waiting: locks, commits, round trips, or the load generator at ${generator.toFixed(0)} µs a request on the other core)`;
    const sqliteNode = perRequest(key, 'sqlite', 'node');
    return (
      `${key}: ${limit}. Per request: node ${node.toFixed(0)} µs + postgres ${postgres.toFixed(0)} µs = ${(node + postgres).toFixed(0)} µs of CPU, ` +
      `against ${sqliteNode.toFixed(0)} µs for the SQLite server (×${((node + postgres) / sqliteNode).toFixed(2)}); load generator ${generator.toFixed(0)} µs. ` +
      `Two instances: CPU ${SERVER_CPU} ${(busy(key, 'pair') * 100).toFixed(0)}% busy, ×${(rps(key, 'pair') / rps(key, 'postgres')).toFixed(2)} of one instance's throughput.`
    );
  });
  const summary =
    `Every server and the whole PostgreSQL cluster share CPU ${SERVER_CPU}; the load generator has the other core. ` +
    'Figures are CPU time (user + system) from /proc/<pid>/stat of the node server(s), of the postmaster and its children, ' +
    `and of the load generator, and CPU ${SERVER_CPU}'s busy time from /proc/stat, read before and after each timed load (medians of the rounds). ` +
    'A second instance gets no core of its own here, so the pair measures what sharing one PostgreSQL costs, not how far it scales.';

  const report = {
    title: 'Our server on PostgreSQL against SQLite, and two instances against one',
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node.js ${process.version}, PostgreSQL ${await withClient(pgUrl, async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v)}`,
    settings: { ...settings, connections: CONNECTIONS, warmUpSeconds: WARM_UP_SECONDS, pageTeams: PAGE_TEAMS, serverCpu: SERVER_CPU, quick },
    sections,
    targets: [],
    whatLimitsPostgres: { measured: summary, operations: findings },
  };
  const files = writeReport(report, join(PACKAGE_ROOT, 'bench', 'results'), 'postgres');
  appendFileSync(files.markdown, ['', '## What limits PostgreSQL on this machine', '', summary, '', ...findings.map((line) => `- ${line}`), ''].join('\n'));
  console.log(readFileSync(files.markdown, 'utf8'));
  console.log(`Written: ${Object.values(files).join(', ')}`);
} finally {
  run.done();
  await cleanUp();
}
