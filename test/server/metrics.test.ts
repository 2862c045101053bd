// GET /metrics on the compiled server as an operator runs it: Prometheus text, outside the API's
// auth, labelled by operation and status only (nothing that names or numbers a team), with the
// store's totals read at the scrape.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, spawnServer, type ServerProcess } from '../support/servers/server-process.js';

const SESSIONS = '/api/v2/property/search-sessions';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The text format's sample lines (`name{label="value",…} number`), comments left out. */
function samples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

const valueOf = (all: Sample[], name: string, labels: Record<string, string> = {}) =>
  all.find((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))?.value;

describe('GET /metrics', () => {
  let dir: string;
  let server: ServerProcess;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bd-metrics-'));
    const env = { DATABASE_URL: `sqlite:${join(dir, 'batchdata.db')}`, RATE_LIMIT_PER_MINUTE: '6' };
    server = await spawnServer(env);
    token = /\n {2}(bds_[A-Za-z0-9_-]+)\n/.exec(server.stdout())![1]!;
    // A second tenant whose name must not show up in an unauthenticated scrape.
    expect((await admin(['teams', 'create', 'tenant-secret-name'], env)).code).toBe(0);
    expect((await admin(['sessions', 'create', '--team', 'tenant-secret-name', '--id', 'secret-session-id'], env)).code).toBe(0);
  });
  afterAll(async () => {
    await server.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts requests by operation and status, latencies per operation, 429s and the store totals, without a token', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const search = (session: string) =>
      fetch(`${server.url}/api/v1/property/search`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ searchCriteria: { query: 'AZ' }, options: { take: 5, searchSession: session } }),
      });
    expect((await search('kept')).status).toBe(200);
    expect((await search('doomed')).status).toBe(200);
    expect((await fetch(`${server.url}${SESSIONS}/doomed`, { method: 'DELETE', headers: auth })).status).toBe(200);
    expect((await fetch(`${server.url}${SESSIONS}/doomed`, { method: 'DELETE', headers: auth })).status).toBe(404);
    expect((await fetch(`${server.url}${SESSIONS}`, { headers: auth })).status).toBe(200);
    // The seventh request of the minute (limit 6) is refused.
    expect((await fetch(`${server.url}${SESSIONS}`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${server.url}${SESSIONS}`, { headers: auth })).status).toBe(429);

    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const all = samples(text);

    const requests = (operation: string, status: string) => valueOf(all, 'batchdata_http_requests_total', { operation, status });
    expect(requests('searchProperties', '200')).toBe(2);
    expect(requests('deleteSearchSession', '200')).toBe(1);
    expect(requests('deleteSearchSession', '404')).toBe(1);
    expect(requests('listSearchSessions', '200')).toBe(2);
    expect(requests('listSearchSessions', '429')).toBe(1);
    expect(valueOf(all, 'batchdata_rate_limit_refusals_total')).toBe(1);
    expect(valueOf(all, 'batchdata_http_request_duration_seconds_count', { operation: 'searchProperties' })).toBe(2);
    expect(valueOf(all, 'batchdata_http_request_duration_seconds_bucket', { operation: 'deleteSearchSession', le: '+Inf' })).toBe(2);
    expect(valueOf(all, 'batchdata_store_errors_total', { source: 'request' })).toBe(0);
    // "kept" (5 delivered) and the other team's empty session; "doomed" is deleted.
    expect(valueOf(all, 'batchdata_sessions')).toBe(2);
    expect(valueOf(all, 'batchdata_delivered_rows')).toBe(5);
    expect(valueOf(all, 'batchdata_purge_backlog_sessions')).toBeGreaterThanOrEqual(0);
    expect(valueOf(all, 'batchdata_process_resident_memory_bytes')).toBeGreaterThan(0);

    // Nothing that names a tenant or a session, and no label but the known ones.
    expect(text).not.toMatch(/tenant-secret-name|secret-session-id|doomed|kept|demo/);
    const labelNames = new Set(all.filter((sample) => !/^batchdata_(process|nodejs)_/.test(sample.name)).flatMap((sample) => Object.keys(sample.labels)));
    expect([...labelNames].sort()).toEqual(['le', 'operation', 'source', 'status']);
  });
});
