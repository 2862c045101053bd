// What every benchmark script shares: a scratch store, the compiled server in its own process,
// timing one HTTP request, and the report as ratios to a baseline measured in the same run.
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../server/admin/bootstrap.js';
import { openStore } from '../server/store/open-store.js';
import type { Ability, Store } from '../server/store/store.js';
import { PACKAGE_ROOT } from '../server/spec.js';
import { spawnNodeServer, spawnServer, type ServerProcess } from '../test/support/servers/server-process.js';
import { checkpoint } from '../test/support/databases/sqlite-fixtures.js';

/** The core every server under load is pinned to; the load generator runs on the other. */
export const SERVER_CPU = 1;

/**
 * Our compiled server as the side-by-side benchmark's (d) runs it: alone on SERVER_CPU, production
 * settings and logging, a rate limit high enough never to trigger, its log drained and not kept.
 * `root` is the checkout whose build runs (another one, for a co-run).
 */
export function spawnServerUnderLoad(dbPath: string, nodeArgs: string[] = [], root = PACKAGE_ROOT): Promise<ServerProcess> {
  return spawnNodeServer(
    join(root, 'dist/server/main.js'),
    { DATABASE_URL: `sqlite:${dbPath}`, NODE_ENV: 'production', LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '100000000' },
    { cpu: SERVER_CPU, keepOutput: false, nodeArgs },
  );
}

/**
 * Leaves a freshly filled store at rest before anything is timed: the WAL folded into the file and
 * the file on disk. Without the fsync the kernel writes the store's hundreds of megabytes back in
 * the background during the first timed rounds, and those rounds, whichever server runs in them,
 * come out a third slower.
 */
export function settleStore(dbPath: string): void {
  checkpoint(dbPath);
  const fd = openSync(dbPath, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface BenchSetup {
  dir: string;
  dbPath: string;
  /** This process's own connection, for fixtures; the server has its own, as in production. */
  store: Store;
  teamId: number;
  token: string;
  start(): Promise<ServerProcess>;
  cleanUp(server?: ServerProcess): Promise<void>;
}

export async function benchSetup(abilities: Ability[]): Promise<BenchSetup> {
  const dir = mkdtempSync(join(tmpdir(), 'bd-bench-'));
  const dbPath = join(dir, 'bench.db');
  const store = await openStore(`sqlite:${dbPath}`, { purge: false });
  const team = await store.createTeam('bench');
  const { token } = await issueToken(store, team.id, abilities);
  return {
    dir,
    dbPath,
    store,
    teamId: team.id,
    token,
    start: () => spawnServer({ DATABASE_URL: `sqlite:${dbPath}`, RATE_LIMIT_PER_MINUTE: '1000000', NODE_ENV: 'production' }),
    async cleanUp(server) {
      await server?.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Milliseconds from sending a request to having read its whole response. */
export async function timedFetch(url: string, init: RequestInit, expectedStatus: number): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetch(url, init);
  await response.arrayBuffer();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status !== expectedStatus) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status}, expected ${expectedStatus}`);
  return ms;
}

export const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

/** Prints each kind's median and its ratio to the first kind's, the baseline of this run. */
export function reportRatios(title: string, rows: Array<{ label: string; samples: number[] }>): void {
  const baseline = median(rows[0]!.samples);
  console.log(title);
  for (const { label, samples } of rows) {
    const m = median(samples);
    console.log(`  ${label.padEnd(52)} ${m.toFixed(2).padStart(8)} ms   ×${(m / baseline).toFixed(2)}`);
  }
}
