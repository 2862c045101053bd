// One of two instances is killed with SIGKILL in the middle of session pages, deletes and creates,
// then started again. The other instance never notices beyond its own share of the load; the
// database holds no broken state: no property delivered twice, every session's figure equal to
// its rows, no team over its slots, no lock left behind, and every deleted session's state purged.
import { expect, it } from 'vitest';
import { SESSION_SLOTS_PER_TEAM } from '../../server/store/store.js';
import { useDeployment } from '../support/servers/deployment.js';
import { send, startLoad, type LoadRequest } from '../support/servers/load.js';
import { numbers } from '../support/databases/postgres-fixtures.js';
import { describeWithServices } from '../support/databases/required-services.js';
import type { ServerProcess } from '../support/servers/server-process.js';
import { waitFor } from '../support/servers/loopback.js';

const SESSIONS = '/api/v2/property/search-sessions';
const SEARCH = '/api/v1/property/search';
const KEPT = 4;

describeWithServices('postgres', 'redis')('an instance killed with SIGKILL mid-load', () => {
  const suite = useDeployment({ instances: 2 });

  const auth = () => ({ Authorization: `Bearer ${suite.token}`, 'Content-Type': 'application/json' });
  const page = (url: string, sessionId: string, extra: Record<string, string> = {}): LoadRequest => ({
    url: `${url}${SEARCH}`,
    init: {
      method: 'POST',
      headers: { ...auth(), ...extra },
      body: JSON.stringify({ searchCriteria: { query: 'AZ' }, options: { take: 10, searchSession: sessionId } }),
    },
    label: `page:${sessionId}`,
  });

  it('leaves every invariant intact, and the restarted instance carries on', async () => {
    let targets: ServerProcess[] = [...suite.deployment.instances];
    const [victim, survivor] = targets as [ServerProcess, ServerProcess];
    const load = startLoad(6, (worker, i): LoadRequest => {
      const { url } = targets[(worker + i) % targets.length]!;
      switch (i % 4) {
        case 0:
        case 1:
          // Kept sessions, paged with a fresh Idempotency-Key each time (so their pages are stored too).
          return page(url, `kept-${worker % KEPT}`, { 'Idempotency-Key': `w${worker}-${i}` });
        case 2:
          return i % 8 === 2
            ? { url: `${url}${SESSIONS}/churn-${worker}`, init: { method: 'DELETE', headers: auth() }, label: 'delete' }
            : page(url, `churn-${worker}`);
        default:
          return page(url, `new-${worker}-${i}`);
      }
    });
    let killedAt = 0;
    try {
      await waitFor(() => load.outcomes.filter((o) => o.status === 200).length >= 60, 15_000, 'no traffic before the kill');
      killedAt = performance.now();
      await victim.stop('SIGKILL');
      const replacement = await suite.deployment.startInstance();
      targets = [survivor, replacement];
      const servedByReplacement = () => load.outcomes.filter((o) => o.url.startsWith(replacement.url) && o.status === 200).length;
      await waitFor(() => servedByReplacement() >= 20, 15_000, 'replacement not serving');
    } finally {
      await load.stop();
    }

    // The survivor answered everything it was sent with a documented status, the kill notwithstanding.
    const survivorStatuses = new Set(load.outcomes.filter((o) => o.url.startsWith(survivor.url)).map((o) => o.status));
    expect([...survivorStatuses].filter((status) => ![200, 404, 409].includes(status))).toEqual([]);
    // The victim's clients saw answers until the kill, and refused connections after it.
    expect(load.outcomes.filter((o) => o.url.startsWith(victim.url) && o.status !== 0 && ![200, 404, 409].includes(o.status))).toEqual([]);
    expect(load.since(killedAt + 500).filter((o) => o.url.startsWith(victim.url) && o.status !== 0)).toEqual([]);

    // No property was ever shown twice to a kept session.
    const shown = new Map<string, number[]>();
    for (const outcome of load.outcomes.filter((o) => o.status === 200 && o.label.startsWith('page:kept-'))) {
      shown.set(outcome.label, [...(shown.get(outcome.label) ?? []), ...outcome.body.results.properties.map((p: { id: number }) => p.id)]);
    }
    for (const ids of shown.values()) expect(new Set(ids).size).toBe(ids.length);

    // No lock outlived the killed instance's connections: every kept session pages at once.
    for (let k = 0; k < KEPT; k++) {
      const next = await send(page(survivor.url, `kept-${k}`));
      expect(next.status).toBe(200);
      expect(next.ms).toBeLessThan(2_000);
      const already = new Set(shown.get(`page:kept-${k}`) ?? []);
      expect(next.body.results.properties.filter((p: { id: number }) => already.has(p.id))).toEqual([]);
    }

    const url = suite.deployment.databaseUrl;
    const [fullest] = await numbers(url, 'SELECT max(n) FROM (SELECT count(*) AS n FROM sessions GROUP BY team_id) t');
    expect(fullest).toBeLessThanOrEqual(SESSION_SLOTS_PER_TEAM);
    expect(
      await numbers(url, 'SELECT count(*) FROM sessions s WHERE total_delivered <> (SELECT count(*) FROM delivered d WHERE d.session_key = s.session_key)'),
    ).toEqual([0]);
    // Deleted sessions' state is purged to the last row, the killed instance's share included.
    await waitFor(
      async () =>
        (
          await numbers(
            url,
            `SELECT (SELECT count(*) FROM purge_queue)
                  + (SELECT count(*) FROM delivered d WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.session_key = d.session_key))
                  + (SELECT count(*) FROM delivery_cursors c WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.session_key = c.session_key))
                  + (SELECT count(*) FROM idempotent_pages p WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.session_key = p.session_key))`,
          )
        )[0] === 0,
      15_000,
      'state of deleted sessions not purged',
    );
  });
});
