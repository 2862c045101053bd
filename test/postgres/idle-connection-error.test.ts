// An idle pooled connection that breaks (the backend terminated, as a database restart or an
// operator does) is reported as the error alone: pg-pool hangs the whole client on it, with the
// connection parameters and the backend's cancel key, and a logger would write all of it out.
import { pino } from 'pino';
import { beforeAll, expect, it } from 'vitest';
import { createPool } from '../../server/store/postgres/pool.js';
import { withClient } from '../support/databases/postgres-fixtures.js';
import { usePostgresCluster } from '../support/databases/postgres-suite.js';
import { describeWithServices } from '../support/databases/required-services.js';
import { waitFor } from '../support/servers/loopback.js';

describeWithServices('postgres')('a broken idle PostgreSQL connection', () => {
  const postgres = usePostgresCluster();
  let url: string;
  beforeAll(async () => {
    url = await postgres.freshDatabase();
  });

  it('is reported without the client, its cancel key or its connection parameters', async () => {
    const reported: Error[] = [];
    const pool = createPool(url, { onIdleError: (error) => reported.push(error) });
    try {
      const client = await pool.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      client.release();
      await withClient(url, (admin) => admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]));
      await waitFor(() => reported.length > 0, 10_000, 'the broken idle connection was not reported');

      const lines: string[] = [];
      pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }).warn({ err: reported[0] }, 'an idle database connection broke; the pool replaces it');
      const logged = JSON.parse(lines[0]!);
      expect(logged.err.message).toMatch(/terminat/i);
      expect(Object.keys(logged.err)).not.toContain('client');
      expect(lines[0]).not.toMatch(/secretKey|processID|password|connectionParameters/);
    } finally {
      await pool.end();
    }
  });
});
