// How does an operation's cost grow with the data behind it? Three SQLite stores that differ only in
// how many properties they hold (25,000, 1,000,000 and 5,000,000, seven in ten in Texas), each with
// the same fleet around them: 10,000 teams of 100 sessions each and 100,000 tokens, written in bulk
// with SQL straight on the file (the few tokens the requests use are real, issued through
// issueToken). One compiled server per store, each in its own process on SERVER_CPU with production
// settings, all three up at once so they can be taken in turn; the load generator runs here, on the
// other core. Three operations over HTTP:
//   - a session page: POST search, query TX, take=25, each request advancing a different session of
//     a different team (500 sessions of 50 teams, each given its first page before timing), as a
//     fleet of nightly jobs asks for them;
//   - a plain page: the same search without a session;
//   - the list: GET search-sessions take=50 of a team's 100 sessions.
// Two methods, each interleaved so no store is favoured by its position: many sequential timed
// requests (after an untimed one, so none follows an idle connection; medians), and short
// autocannon loads at 50 connections (throughput, medians of the rounds). The verdict is a ratio,
// the largest store's cost ÷ the smallest's, target <= 1.5; no absolute time is a verdict.
// Results: bench/results/growth.{md,json,svg}.
//
//   npm run bench:growth            (about 6–8 minutes on 2 cores, a minute or two of it importing)
//   npm run bench:growth -- --quick (25,000 / 100,000 / 500,000 properties; about a minute)
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { issueToken } from '../server/admin/bootstrap.js';
import { PACKAGE_ROOT } from '../server/spec.js';
import { openStore } from '../server/store/open-store.js';
import { ABILITIES } from '../server/store/store.js';
import type { ServerProcess } from '../test/support/servers/server-process.js';
import { runLoad, type LoadResult } from './compare/load.js';
import type { BenchRequest } from './compare/operations.js';
import { writeReport, type Report, type Row, type Target } from './compare/report.js';
import { boundRun } from './measure/bounded-run.js';
import { importMostlyTexas } from './measure/session-page.js';
import { median, settleStore, spawnServerUnderLoad, timedFetch } from './support.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick;
const settings = quick
  ? { sizes: [25_000, 100_000, 500_000], rounds: 6, perRound: 10, loadRounds: 1, loadSeconds: 1 }
  : { sizes: [25_000, 1_000_000, 5_000_000], rounds: 20, perRound: 25, loadRounds: 3, loadSeconds: 3 };
const FLEET = { teams: 10_000, sessionsPerTeam: 100, tokens: 100_000 };
/** Teams with a real token, spread over the fleet; the requests rotate over them. */
const USED_TEAMS = 50;
/** Sessions of each used team that the session pages advance. */
const USED_SESSIONS = 10;
const CONNECTIONS = 50;
const WARM_UP_SECONDS = 1;
/** Every request and load is bounded; a whole run is refused past this (a stuck server). */
const RUN_LIMIT_MS = 30 * 60_000;

type OperationKey = 'page' | 'search' | 'list';
const OPERATION_KEYS: OperationKey[] = ['page', 'search', 'list'];
const LABELS: Record<OperationKey, string> = {
  page: 'POST search TX, take=25, advancing a session (a different team each request)',
  search: 'POST search TX, take=25, no session',
  list: 'GET search-sessions, take=50 of 100',
};

/**
 * The fleet around the properties, in three statements: teams `fleet-0`…, their sessions
 * `nightly-000`… and their tokens (random hashes nobody holds, the abilities as the store writes
 * them), minus the `realTokens` issued afterwards so the store holds FLEET.tokens in all.
 */
function fillFleet(file: string, realTokens: number): void {
  const db = new Database(file, { fileMustExist: true, timeout: 5_000 });
  try {
    const now = Date.now();
    db.transaction(() => {
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @teams)
         INSERT INTO teams (name, created_at) SELECT 'fleet-' || i, @now FROM n`,
      ).run({ teams: FLEET.teams, now });
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @sessions)
         INSERT INTO sessions (team_id, id, created_at)
         SELECT t.id, 'nightly-' || printf('%03d', n.i), @now FROM teams t, n WHERE t.name LIKE 'fleet-%' ORDER BY t.id, n.i`,
      ).run({ sessions: FLEET.sessionsPerTeam, now });
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @tokens)
         INSERT INTO tokens (id, team_id, hash, abilities, created_at)
         SELECT 'tok_' || lower(hex(randomblob(8))), (SELECT min(id) FROM teams WHERE name LIKE 'fleet-%') + n.i % @teams, randomblob(32), @abilities, @now FROM n`,
      ).run({ tokens: FLEET.tokens - realTokens, teams: FLEET.teams, abilities: JSON.stringify(ABILITIES), now });
    })();
  } finally {
    db.close();
  }
}

interface Prepared {
  size: number;
  dbPath: string;
  pages: BenchRequest[];
  searches: BenchRequest[];
  lists: BenchRequest[];
}

const dir = mkdtempSync(join(tmpdir(), 'bd-growth-'));
const servers: ServerProcess[] = [];
async function cleanUp(): Promise<void> {
  await Promise.allSettled(servers.map((server) => server.stop()));
  rmSync(dir, { recursive: true, force: true });
}
const run = boundRun('bench:growth', RUN_LIMIT_MS, cleanUp);

async function prepare(size: number): Promise<Prepared> {
  const dbPath = join(dir, `growth-${size}.db`);
  const store = await openStore(`sqlite:${dbPath}`, { purge: false });
  try {
    let started = performance.now();
    await importMostlyTexas(store, size);
    const importMs = performance.now() - started;
    started = performance.now();
    fillFleet(dbPath, USED_TEAMS);
    const fleetMs = performance.now() - started;
    const search = (token: string, options: Record<string, unknown>): BenchRequest => ({
      path: '/api/v1/property/search',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ searchCriteria: { query: 'TX' }, options }),
    });
    const tokens: string[] = [];
    for (let i = 0; i < USED_TEAMS; i++) {
      const team = await store.findTeamByName(`fleet-${Math.floor((i * FLEET.teams) / USED_TEAMS)}`);
      tokens.push((await issueToken(store, team!.id, [...ABILITIES])).token);
    }
    // Team by team in turn: session 0 of every team, then session 1 of every team…
    const pages = Array.from({ length: USED_TEAMS * USED_SESSIONS }, (_, i) =>
      search(tokens[i % USED_TEAMS]!, { take: 25, searchSession: `nightly-${String(Math.floor(i / USED_TEAMS)).padStart(3, '0')}` }),
    );
    const searches = tokens.map((token) => search(token, { take: 25 }));
    const lists = tokens.map((token) => ({ path: '/api/v2/property/search-sessions?take=50', headers: { Authorization: `Bearer ${token}` } }));
    console.log(`  ${size.toLocaleString('en-US')} properties imported in ${(importMs / 1000).toFixed(1)} s, the fleet written in ${(fleetMs / 1000).toFixed(1)} s`);
    return { size, dbPath, pages, searches, lists };
  } finally {
    await store.close();
    settleStore(dbPath);
  }
}

/** Round-robin over each store's requests of one operation, its own counter per store. */
function streams(prepared: Prepared[], key: OperationKey): Array<() => BenchRequest> {
  return prepared.map((p) => {
    const items = key === 'page' ? p.pages : key === 'search' ? p.searches : p.lists;
    let n = 0;
    return () => items[n++ % items.length]!;
  });
}

const send = (url: string, method: 'GET' | 'POST', request: BenchRequest) =>
  timedFetch(`${url}${request.path}`, { method, headers: request.headers, body: request.body ?? null, signal: AbortSignal.timeout(10_000) }, 200);
const methodOf = (key: OperationKey): 'GET' | 'POST' => (key === 'list' ? 'GET' : 'POST');

try {
  console.log(`Preparing ${settings.sizes.length} stores, each with ${FLEET.teams.toLocaleString('en-US')} teams × ${FLEET.sessionsPerTeam} sessions and ${FLEET.tokens.toLocaleString('en-US')} tokens…`);
  const prepared: Prepared[] = [];
  for (const size of settings.sizes) prepared.push(await prepare(size));
  for (const p of prepared) servers.push(await spawnServerUnderLoad(p.dbPath));

  // Untimed: every session gets its first page (what is timed is a session being advanced), and
  // each server compiles its hot paths on every operation.
  for (let i = 0; i < prepared.length; i++) {
    for (const page of prepared[i]!.pages) await send(servers[i]!.url, 'POST', page);
    for (const key of ['search', 'list'] as const) {
      const next = streams([prepared[i]!], key)[0]!;
      for (let n = 0; n < 200; n++) await send(servers[i]!.url, methodOf(key), next());
    }
  }

  const latency = Object.fromEntries(OPERATION_KEYS.map((key) => [key, prepared.map(() => [] as number[])])) as Record<OperationKey, number[][]>;
  const loads = Object.fromEntries(OPERATION_KEYS.map((key) => [key, prepared.map(() => [] as LoadResult[])])) as Record<OperationKey, LoadResult[][]>;
  const next = Object.fromEntries(OPERATION_KEYS.map((key) => [key, streams(prepared, key)])) as Record<OperationKey, Array<() => BenchRequest>>;

  // Sequential requests, each store in turn, a different one first each round.
  for (let round = 0; round < settings.rounds; round++) {
    for (const key of OPERATION_KEYS) {
      for (let j = 0; j < prepared.length; j++) {
        const i = (round + j) % prepared.length;
        await send(servers[i]!.url, methodOf(key), next[key][i]!());
        for (let n = 0; n < settings.perRound; n++) latency[key][i]!.push(await send(servers[i]!.url, methodOf(key), next[key][i]!()));
      }
    }
  }
  for (const key of OPERATION_KEYS) {
    console.log(`${key}, sequential medians: ${prepared.map((p, i) => `${p.size.toLocaleString('en-US')}: ${median(latency[key][i]!).toFixed(2)} ms`).join(', ')}`);
  }

  // Short loads, each store in turn, a different one first each round.
  for (let round = 0; round < settings.loadRounds; round++) {
    for (const key of OPERATION_KEYS) {
      for (let j = 0; j < prepared.length; j++) {
        const i = (round + j) % prepared.length;
        const load = { url: servers[i]!.url, connections: CONNECTIONS, method: methodOf(key), next: next[key][i]!, expectedStatus: 200 };
        await runLoad({ ...load, durationSeconds: WARM_UP_SECONDS });
        const result = await runLoad({ ...load, durationSeconds: settings.loadSeconds });
        if (result.unexpected > 0) throw new Error(`${key} at ${prepared[i]!.size}: ${result.unexpected} of ${result.requests} answers were not 200`);
        loads[key][i]!.push(result);
        console.log(`${key}, ${prepared[i]!.size.toLocaleString('en-US')} properties, load round ${round + 1}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.p99} ms`);
      }
    }
  }

  // The sessions must still have had pages to give: an exhausted session answers cheaply.
  for (let i = 0; i < prepared.length; i++) {
    const page = next.page[i]!();
    const response = await fetch(`${servers[i]!.url}${page.path}`, { method: 'POST', headers: page.headers, body: page.body ?? null });
    const body = (await response.json()) as { results?: { properties?: unknown[] } };
    if (body.results?.properties?.length !== 25) throw new Error(`a session of the ${prepared[i]!.size}-property store ran out of pages: the figures are not comparable`);
  }

  // ---- the report: each store against the smallest ----
  const sizeName = (size: number) => `${size.toLocaleString('en-US')} properties`;
  const last = prepared.length - 1;
  const medianRps = (key: OperationKey, i: number) => median(loads[key][i]!.map((r) => r.requestsPerSecond));
  const sections: Report['sections'] = OPERATION_KEYS.flatMap((key) => [
    {
      heading: `${LABELS[key]}: sequential requests (${settings.rounds * settings.perRound} each, median ms)`,
      baseline: `the ${sizeName(settings.sizes[0]!)} store`,
      rows: prepared.map((p, i): Row => ({ name: sizeName(p.size), value: median(latency[key][i]!), unit: 'ms', ratio: median(latency[key][i]!) / median(latency[key][0]!) })),
    },
    {
      heading: `${LABELS[key]}: throughput at ${CONNECTIONS} connections`,
      baseline: `the ${sizeName(settings.sizes[0]!)} store`,
      rows: prepared.map((p, i): Row => ({
        name: sizeName(p.size),
        value: medianRps(key, i),
        unit: 'req/s',
        ratio: medianRps(key, i) / medianRps(key, 0),
        p50: median(loads[key][i]!.map((r) => r.p50)),
        p99: median(loads[key][i]!.map((r) => r.p99)),
        p99Ratio: median(loads[key][i]!.map((r) => r.p99)) / median(loads[key][0]!.map((r) => r.p99)),
      })),
    },
  ]);
  const limit = 1.5;
  const grew = (what: string, measured: number): Target => ({ what, limit: `<= ${limit}`, measured, met: measured <= limit });
  const largest = `${sizeName(settings.sizes[last]!)} ÷ ${sizeName(settings.sizes[0]!)}`;
  const targets: Target[] = OPERATION_KEYS.flatMap((key) => [
    grew(`${key}: median time, ${largest}`, median(latency[key][last]!) / median(latency[key][0]!)),
    grew(`${key}: cost under load (1 ÷ throughput), ${largest}`, medianRps(key, 0) / medianRps(key, last)),
  ]);
  const report: Report = {
    title: "How each operation's cost grows with the properties stored (SQLite)",
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node.js ${process.version}`,
    settings: {
      sizes: settings.sizes.join('/'),
      teams: FLEET.teams,
      sessionsPerTeam: FLEET.sessionsPerTeam,
      tokens: FLEET.tokens,
      sessionsAdvanced: USED_TEAMS * USED_SESSIONS,
      rounds: settings.rounds,
      perRound: settings.perRound,
      loadRounds: settings.loadRounds,
      loadSeconds: settings.loadSeconds,
      connections: CONNECTIONS,
      quick,
    },
    sections,
    targets,
  };
  const files = writeReport(report, join(PACKAGE_ROOT, 'bench', 'results'), 'growth');
  console.log(readFileSync(files.markdown, 'utf8'));
  console.log(`Written: ${Object.values(files).join(', ')}`);
} finally {
  run.done();
  await cleanUp();
}
