// One PostgreSQL cluster for the whole "contract on postgres" project: started before its first
// test file, stopped after its last. Each test server makes its own database in it.
import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './postgres-cluster.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster();
  project.provide('postgresAdminUrl', cluster.url());
  return () => cluster.destroy();
}
