// A throwaway cluster for the calling describe block: started before its first test, destroyed
// after its last, with a fresh database for each test that asks.
import { afterAll, beforeAll } from 'vitest';
import { openStore, type OpenStoreOptions } from '../../../server/store/open-store.js';
import type { Store } from '../../../server/store/store.js';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';

export interface PostgresSuite {
  readonly cluster: PostgresCluster;
  /** An empty database of its own, resolved as its URL. */
  freshDatabase(): Promise<string>;
}

export function usePostgresCluster(): PostgresSuite {
  let cluster: PostgresCluster | undefined;
  let databases = 0;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
  });
  afterAll(async () => {
    await cluster?.destroy();
  });
  const started = (): PostgresCluster => {
    if (!cluster) throw new Error('The cluster starts in beforeAll: use it inside tests and hooks.');
    return cluster;
  };
  return {
    get cluster() {
      return started();
    },
    freshDatabase: () => started().createDatabase(`test_${++databases}`),
  };
}

/** A store on the database, and a team in it to work in. */
export async function storeWithTeam(url: string, options: OpenStoreOptions = {}): Promise<{ store: Store; teamId: number }> {
  const store = await openStore(url, options);
  return { store, teamId: (await store.createTeam('acme')).id };
}
