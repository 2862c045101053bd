// The database under a test server, chosen by TEST_STORE: a SQLite file in the test's folder (the
// default), or, with TEST_STORE=postgres, a database of its own in the cluster that the
// "contract on postgres" project starts once for the whole run (postgres-global-setup.ts). The
// folder remembers which database it got, so a server restarted on the same folder finds the same
// state, as it would find the same SQLite file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createDatabase, dropDatabase } from './postgres-fixtures.js';
import { postgresState, sqliteState, type StoreState } from './store-state.js';

export type TestStoreKind = 'sqlite' | 'postgres';

export function testStoreKind(env: Record<string, string | undefined> = process.env): TestStoreKind {
  const kind = env.TEST_STORE ?? 'sqlite';
  if (kind !== 'sqlite' && kind !== 'postgres') throw new Error(`TEST_STORE must be sqlite or postgres (got "${kind}")`);
  return kind;
}

export interface TestDatabase {
  /** The DATABASE_URL. */
  url: string;
  /** The SQLite file; empty on PostgreSQL. */
  dbPath: string;
  state: StoreState;
  /** Removes the database (the SQLite file goes with its folder). */
  drop(): Promise<void>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL of the shared cluster's `postgres` database, for creating the tests' own databases. */
    postgresAdminUrl: string;
  }
}

let databases = 0;
const MARKER = 'postgres-database';

async function postgresDatabase(dir: string): Promise<TestDatabase> {
  const adminUrl = inject('postgresAdminUrl');
  if (!adminUrl) throw new Error('TEST_STORE=postgres needs the cluster of the "contract on postgres" project: run through vitest.config.ts.');
  const marker = join(dir, MARKER);
  const reused = existsSync(marker) ? readFileSync(marker, 'utf8') : null;
  const name = reused ?? `test_${process.pid}_${++databases}`;
  const url = reused ? new URL(`/${name}`, adminUrl).toString() : await createDatabase(adminUrl, name);
  writeFileSync(marker, name);
  return { url, dbPath: '', state: postgresState(url), drop: () => dropDatabase(adminUrl, name) };
}

export async function testDatabase(dir: string): Promise<TestDatabase> {
  if (testStoreKind() === 'postgres') return postgresDatabase(dir);
  const dbPath = join(dir, 'test.db');
  return { url: `sqlite:${dbPath}`, dbPath, state: sqliteState(dbPath), drop: async () => undefined };
}
