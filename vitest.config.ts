import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Servers, SQLite files and sockets are real; give slow machines room, never a retry.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The JSON report is what .ci/run reads its closing "N passed, N failed" line from.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
