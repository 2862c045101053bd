// Tests that need PostgreSQL or redis-server start their own from the machine's binaries. Where a
// binary is missing, a developer's `npm test` skips those tests and says so loudly; under CI
// (CI=true) a missing service is a failure, never a skip, so a green CI always ran them.
import { describe } from 'vitest';
import { findPostgresBinaries } from './postgres-cluster.js';
import { findRedisServer } from './redis-server.js';

export type Service = 'postgres' | 'redis';

const FINDERS: Record<Service, () => string | null> = {
  postgres: () => (findPostgresBinaries() ? null : 'PostgreSQL server binaries (initdb, pg_ctl; apt-get install postgresql, or set PG_BIN)'),
  redis: () => (findRedisServer() ? null : 'redis-server (apt-get install redis-server, or set REDIS_SERVER)'),
};

/** What is missing for these services, one description per missing binary. */
export function missingServices(services: readonly Service[]): string[] {
  return services.map((service) => FINDERS[service]()).filter((missing): missing is string => missing !== null);
}

/**
 * `describe` when every service can be started here; otherwise `describe.skip` with a banner, or,
 * under CI, an error that fails the test file.
 */
export function describeWithServices(...services: Service[]): typeof describe | typeof describe.skip {
  const missing = missingServices(services);
  if (missing.length === 0) return describe;
  const message = `Missing for these tests: ${missing.join('; ')}.`;
  if (process.env.CI === 'true') throw new Error(`${message} CI must run them: .ci/run installs what they need.`);
  const bar = '!'.repeat(100);
  console.warn(`\n${bar}\nSKIPPING ${services.join(' + ')} tests. ${message}\n${bar}\n`);
  return describe.skip;
}
