import { defineConfig } from 'vitest/config';
import { findPostgresBinaries } from './test/support/databases/postgres-cluster.js';

// The contract suite runs twice: once in the main run on SQLite, once more on PostgreSQL (one
// suite, two backends). Without PostgreSQL's binaries a developer's run leaves the second out and
// says so; under CI it is always in, so a missing binary fails the run instead of hiding it.
const postgresContract = findPostgresBinaries() !== null || process.env.CI === 'true';
if (!postgresContract) {
  const bar = '!'.repeat(100);
  console.warn(`\n${bar}\nSKIPPING the contract suite on PostgreSQL: no initdb/pg_ctl found (apt-get install postgresql, or set PG_BIN).\n${bar}\n`);
}

export default defineConfig({
  test: {
    // Servers, SQLite files and sockets are real; give slow machines room, never a retry.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The JSON report is what .ci/run reads its closing "N passed, N failed" line from.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'] } },
      ...(postgresContract
        ? [
            {
              extends: true as const,
              test: {
                name: 'contract on postgres',
                include: ['test/contract/**/*.test.ts'],
                env: { TEST_STORE: 'postgres' },
                globalSetup: ['test/support/databases/postgres-global-setup.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
