// Several instances of the compiled server, as an operator runs them behind a load balancer: one
// throwaway PostgreSQL, one throwaway Redis, N `node dist/server/main.js` processes on free ports.
// The test keeps a store of its own on the same database, to make teams and tokens and to check
// what the instances wrote.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { issueToken } from '../../../server/admin/bootstrap.js';
import { PACKAGE_ROOT } from '../../../server/spec.js';
import { openStore } from '../../../server/store/open-store.js';
import type { Ability, Store } from '../../../server/store/store.js';
import { startPostgresCluster, type PostgresCluster } from '../databases/postgres-cluster.js';
import { startRedisServer, type RedisServer } from '../databases/redis-server.js';
import { spawnServer, type ServerProcess } from './server-process.js';
import { BOTH_ABILITIES } from './test-server.js';

export interface Deployment {
  cluster: PostgresCluster;
  redis: RedisServer;
  databaseUrl: string;
  store: Store;
  instances: ServerProcess[];
  /** The environment every instance gets. */
  env: Record<string, string>;
  /** Starts one more instance (or a replacement) on the same database and Redis. */
  startInstance(extraEnv?: Record<string, string>): Promise<ServerProcess>;
  /** A new team with a token carrying the given abilities. */
  team(abilities?: Ability[]): Promise<{ teamId: number; token: string }>;
  close(): Promise<void>;
}

/** server/ sources whose compiled JavaScript is missing, and those whose JavaScript is older. */
function compiledState(dir: string, found = { missing: [] as string[], older: [] as string[] }) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const source = join(dir, entry.name);
    if (entry.isDirectory()) compiledState(source, found);
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
    const name = relative(PACKAGE_ROOT, source);
    const compiled = join(PACKAGE_ROOT, 'dist', name).replace(/\.ts$/, '.js');
    if (!existsSync(compiled)) found.missing.push(name);
    else if (statSync(compiled).mtimeMs < statSync(source).mtimeMs) found.older.push(name);
  }
  return found;
}

/**
 * These tests run the compiled server. A missing file stops them; an older one only warns, since
 * tsc does not rewrite output whose source was touched without being changed.
 */
export function assertBuilt(): void {
  const { missing, older } = compiledState(join(PACKAGE_ROOT, 'server'));
  const some = (names: string[]) => `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`;
  if (missing.length > 0) throw new Error(`dist/ lacks ${some(missing)}: run \`npm run build\` first (\`npm test\` does).`);
  if (older.length > 0) console.warn(`dist/ may be stale (older than ${some(older)}): run \`npm run build\` if these changed.`);
}

let deployments = 0;

export async function startDeployment(options: { instances?: number; env?: Record<string, string> } = {}): Promise<Deployment> {
  assertBuilt();
  const [cluster, redis] = await Promise.all([startPostgresCluster(), startRedisServer()]);
  const databaseUrl = await cluster.createDatabase('batchdata');
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    REDIS_PREFIX: `test-${process.pid}-${++deployments}:`,
    ...options.env,
  };
  const instances: ServerProcess[] = [];
  const startInstance = async (extraEnv: Record<string, string> = {}) => {
    const instance = await spawnServer({ ...env, ...extraEnv });
    instances.push(instance);
    return instance;
  };
  // Together, as a deployment rolls out: migrations and first-start work must cope.
  await Promise.all(Array.from({ length: options.instances ?? 2 }, () => startInstance()));
  const store = await openStore(databaseUrl, { purge: false });
  return {
    cluster,
    redis,
    databaseUrl,
    store,
    instances,
    env,
    startInstance,
    async team(abilities = BOTH_ABILITIES) {
      const team = await store.createTeam(`team-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
      return { teamId: team.id, token: (await issueToken(store, team.id, abilities)).token };
    },
    async close() {
      // An instance that died by itself is a finding: show why, or the test's failure is a riddle.
      for (const instance of instances.filter((i) => i.child.exitCode !== null)) {
        console.error(`instance ${instance.url} exited with ${instance.child.exitCode}:\n${instance.stderr().slice(-4_000)}`);
      }
      await Promise.all(instances.map((instance) => instance.stop('SIGKILL')));
      await store.close();
      await redis.stop();
      await cluster.destroy();
    },
  };
}

export interface DeploymentSuite {
  readonly deployment: Deployment;
  /** A token (both abilities) of a team made for the suite. */
  readonly token: string;
}

/** A deployment for the calling describe block: started before its first test, closed after its last. */
export function useDeployment(options: Parameters<typeof startDeployment>[0] = {}): DeploymentSuite {
  let deployment: Deployment | undefined;
  let token = '';
  beforeAll(async () => {
    deployment = await startDeployment(options);
    ({ token } = await deployment.team());
  });
  afterAll(async () => {
    await deployment?.close();
  });
  return {
    get deployment() {
      if (!deployment) throw new Error('The deployment starts in beforeAll: use it inside tests and hooks.');
      return deployment;
    },
    get token() {
      return token;
    },
  };
}
