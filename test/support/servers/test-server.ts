// The real server, in-process, on a free loopback port with its own temp store and response
// validation on. Tests make teams and tokens through the same store the server uses. The store is
// SQLite, or PostgreSQL with TEST_STORE=postgres (test-database.ts): the same tests run on both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { issueToken } from '../../../server/admin/bootstrap.js';
import type { ConnectionLimits } from '../../../server/http/connection-limits.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import { openStore } from '../../../server/store/open-store.js';
import type { Ability, Store } from '../../../server/store/store.js';
import type { StoreState } from '../databases/store-state.js';
import { testDatabase } from '../databases/test-database.js';

export const BOTH_ABILITIES: Ability[] = ['property-search', 'property-search-sessions'];

export interface TestServer {
  url: string;
  store: Store;
  /** The SQLite file; empty on PostgreSQL. */
  dbPath: string;
  /** What lies below the Store interface, on either database. */
  state: StoreState;
  /** Every JSON log line the server wrote. */
  logs: string[];
  /** A new team with one token carrying the given abilities. */
  team(abilities?: Ability[]): Promise<{ teamId: number; token: string; name: string }>;
  /** Another token for an existing team. */
  token(teamId: number, abilities?: Ability[]): Promise<string>;
  running: RunningServer;
  close(): Promise<void>;
}

let teams = 0;

export interface TestServerOptions {
  rateLimitPerMinute?: number;
  authFailuresPerMinute?: number;
  /** CORS_ORIGINS as the server would read it; none leaves CORS off. */
  corsOrigins?: string[];
  purge?: boolean;
  /** Reuse a folder (and its database) across servers, e.g. to restart on the same state. */
  dir?: string;
  /** Puts something between the server and the real store, to make it fail on purpose. */
  wrapStore?: (store: Store) => Store;
  connectionLimits?: Partial<ConnectionLimits>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'bd-test-'));
  const database = await testDatabase(dir);
  const store = await openStore(database.url, { purge: options.purge ?? true });
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  const running = await startServer({
    store: options.wrapStore ? options.wrapStore(store) : store,
    logger,
    host: '127.0.0.1',
    port: 0,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000,
    authFailuresPerMinute: options.authFailuresPerMinute ?? 100_000,
    validateResponses: true,
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    shutdownGraceMs: 2_000,
    connectionLimits: options.connectionLimits,
  });
  const token = async (teamId: number, abilities: Ability[] = BOTH_ABILITIES) => (await issueToken(store, teamId, abilities)).token;
  return {
    url: running.url,
    store,
    dbPath: database.dbPath,
    state: database.state,
    logs,
    running,
    token,
    async team(abilities = BOTH_ABILITIES) {
      const name = `team-${process.pid}-${++teams}`;
      const created = await store.createTeam(name);
      return { teamId: created.id, token: await token(created.id, abilities), name };
    },
    async close() {
      await running.stop();
      if (options.dir) return;
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** fetch with a bearer token, the body parsed. */
export async function call(url: string, path: string, options: { method?: string; token?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
  const response = await fetch(`${url}${path}`, {
    method: options.method ?? 'GET',
    headers: { ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}), ...options.headers },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}
