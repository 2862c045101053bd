// PostgreSQL stops under load and comes back. Meanwhile every request through either instance gets
// an answer within the deadline: a 200, or a documented 503 with Retry-After in the error envelope;
// never a hang, never a dropped connection, never a crash. /readyz says 503 while it is down. Once
// it is back, both instances (the same processes) serve again by themselves, and what was delivered
// is consistent in the database.
import { expect, it } from 'vitest';
import { useDeployment } from '../support/servers/deployment.js';
import { startLoad, type LoadRequest, type Outcome, REQUEST_DEADLINE_MS } from '../support/servers/load.js';
import { numbers } from '../support/databases/postgres-fixtures.js';
import { describeWithServices } from '../support/databases/required-services.js';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { waitFor } from '../support/servers/loopback.js';

const SESSIONS = '/api/v2/property/search-sessions';
const SEARCH = '/api/v1/property/search';
const OPERATIONS: Record<string, string> = { list: 'listSearchSessions', page: 'searchProperties' };

describeWithServices('postgres', 'redis')('PostgreSQL stopped under load, then started again', () => {
  const suite = useDeployment({ instances: 2, env: { LOG_LEVEL: 'info' } });

  const readiness = async (url: string) => (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(REQUEST_DEADLINE_MS) })).status;
  const allReady = async (status: number) =>
    (await Promise.all(suite.deployment.instances.map((instance) => readiness(instance.url)))).every((got) => got === status);

  function expectDocumented(outcomes: Outcome[]): void {
    const statuses = new Set(outcomes.map((outcome) => outcome.status));
    expect([...statuses].filter((status) => status !== 200 && status !== 503), outcomes.find((o) => o.status !== 200 && o.status !== 503)?.failure).toEqual([]);
    for (const outcome of outcomes.filter((o) => o.status === 503)) {
      expectMatchesSpec(OPERATIONS[outcome.label.split(':')[0]!]!, { status: 503, headers: outcome.headers!, body: outcome.body });
      expect(outcome.headers!.get('retry-after')).toMatch(/^[1-9]\d*$/);
    }
    expect(Math.max(...outcomes.map((outcome) => outcome.ms))).toBeLessThan(REQUEST_DEADLINE_MS);
  }

  it.each(['fast', 'immediate'] as const)('answers 503 with Retry-After while it is down (%s shutdown) and recovers by itself', async (mode) => {
    const pids = suite.deployment.instances.map((instance) => instance.child.pid);
    const load = startLoad(4, (worker, i): LoadRequest => {
      const { url } = suite.deployment.instances[(worker + i) % 2]!;
      return i % 2 === 0
        ? { url: `${url}${SESSIONS}`, init: { headers: { Authorization: `Bearer ${suite.token}` } }, label: 'list' }
        : {
            url: `${url}${SEARCH}`,
            init: {
              method: 'POST',
              headers: { Authorization: `Bearer ${suite.token}`, 'Content-Type': 'application/json' },
              body: JSON.stringify({ searchCriteria: { query: 'AZ' }, options: { take: 5, searchSession: `${mode}-${worker}` } }),
            },
            label: `page:${mode}-${worker}`,
          };
    });
    try {
      await waitFor(() => load.outcomes.filter((outcome) => outcome.status === 200).length >= 40, 10_000, 'no traffic before the outage');
      const down = performance.now();
      await suite.deployment.cluster.stop(mode);
      await waitFor(() => allReady(503), 10_000, '/readyz did not report the outage');
      await waitFor(
        () => suite.deployment.instances.every((instance) => load.since(down).some((o) => o.status === 503 && o.url.startsWith(instance.url))),
        10_000,
        'no 503 during the outage',
      );
      await new Promise((resolve) => setTimeout(resolve, 1_500));

      await suite.deployment.cluster.start();
      await waitFor(() => allReady(200), 20_000, '/readyz did not recover');
      const recovered = performance.now();
      await waitFor(() => load.since(recovered).filter((outcome) => outcome.status === 200).length >= 40, 20_000, 'requests did not recover');
      await load.stop();

      expectDocumented(load.outcomes);
      expect(load.since(down).filter((outcome) => outcome.status === 503).length).toBeGreaterThan(0);
      expect(load.since(recovered + 1_000).filter((outcome) => outcome.status !== 200)).toEqual([]);
      // The same processes, never restarted.
      expect(suite.deployment.instances.map((instance) => [instance.child.pid, instance.child.exitCode])).toEqual(pids.map((pid) => [pid, null]));
    } finally {
      await load.stop();
    }

    // Nothing delivered twice, and every session's figure matches its rows.
    const byLabel = new Map<string, number[]>();
    for (const outcome of load.outcomes.filter((o) => o.label.startsWith('page:') && o.status === 200)) {
      byLabel.set(outcome.label, [...(byLabel.get(outcome.label) ?? []), ...outcome.body.results.properties.map((p: { id: number }) => p.id)]);
    }
    for (const ids of byLabel.values()) expect(new Set(ids).size).toBe(ids.length);
    expect(
      await numbers(
        suite.deployment.databaseUrl,
        `SELECT count(*) FROM sessions s WHERE total_delivered <> (SELECT count(*) FROM delivered d WHERE d.session_key = s.session_key)`,
      ),
    ).toEqual([0]);
  });
});
