// A throwaway PostgreSQL cluster for tests: initdb and pg_ctl from the machine's binaries on a temp
// folder and a free loopback port, run as the postgres user when we are root (initdb refuses root),
// durability switched off because nothing in it outlives the test run. It can be stopped and
// started again on the same port and data, which is how the fault tests take the database away.
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freeLoopbackPort } from '../servers/loopback.js';
import { createDatabase } from './postgres-fixtures.js';

const run = promisify(execFile);

export interface PostgresBinaries {
  initdb: string;
  pgCtl: string;
}

export interface PostgresCluster {
  port: number;
  /** A URL for one database of the cluster (default: the `postgres` database). */
  url(database?: string): string;
  /** Creates an empty database and resolves with its URL. */
  createDatabase(name: string): Promise<string>;
  /** Shuts the server down: `fast` disconnects clients cleanly, `immediate` is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  destroy(): Promise<void>;
}

function binDirs(): string[] {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)) : [];
  return [
    ...(process.env.PG_BIN ? [process.env.PG_BIN] : []),
    ...versions.sort((a, b) => Number(b) - Number(a)).map((version) => join(root, version, 'bin')),
  ];
}

export function findPostgresBinaries(): PostgresBinaries | null {
  for (const dir of binDirs()) {
    const binaries = { initdb: join(dir, 'initdb'), pgCtl: join(dir, 'pg_ctl') };
    if (existsSync(binaries.initdb) && existsSync(binaries.pgCtl)) return binaries;
  }
  return null;
}

const isRoot = () => process.getuid?.() === 0;

/** The command line that runs a PostgreSQL binary as a user it accepts. */
function asPostgres(binary: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
}

function ownedByPostgres(dir: string): void {
  if (!isRoot()) return;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, id('-u'), id('-g'));
}

// A worker that dies without its afterAll must not leave a postmaster behind.
const running = new Set<() => void>();
process.once('exit', () => running.forEach((stopNow) => stopNow()));

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const binaries = findPostgresBinaries();
  if (!binaries) throw new Error('PostgreSQL binaries not found (initdb, pg_ctl); install postgresql or set PG_BIN.');
  const base = mkdtempSync(join(tmpdir(), 'bd-pg-'));
  ownedByPostgres(base);
  const data = join(base, 'data');
  const port = await freeLoopbackPort();
  const pgCtl = (...args: string[]) => run(...asPostgres(binaries.pgCtl, ['-D', data, ...args]));

  const stopNow = () => {
    try {
      execFileSync(...asPostgres(binaries.pgCtl, ['-D', data, '-m', 'immediate', 'stop']), { stdio: 'ignore' });
    } catch {
      // already stopped
    }
    rmSync(base, { recursive: true, force: true });
  };
  const start = async () => {
    await pgCtl('-l', join(base, 'server.log'), '-w', '-t', '30', 'start');
    running.add(stopNow);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    running.delete(stopNow);
    await pgCtl('-m', mode, '-w', '-t', '30', 'stop');
  };
  try {
    await run(...asPostgres(binaries.initdb, ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']));
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        // TCP only: a Unix socket path under a long temp dir can exceed the 107-byte limit.
        "unix_socket_directories = ''",
        // Safe to skip only because nothing here must survive the machine crashing. Commits are still
        // written out before they are acknowledged (synchronous_commit stays on), so a stop in
        // "immediate" mode, the crash the fault tests simulate, loses nothing that was acknowledged.
        'fsync = off',
        'full_page_writes = off',
        'max_connections = 300',
        "shared_buffers = '64MB'",
        '',
      ].join('\n'),
    );
    await start();
  } catch (error) {
    stopNow();
    throw error;
  }

  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    createDatabase: (name) => createDatabase(url(), name),
    stop,
    start,
    async destroy() {
      if (running.has(stopNow)) await stop('immediate');
      rmSync(base, { recursive: true, force: true });
    },
  };
}
