// Redis (the shared rate-limit counters) goes away under load: stopped, or frozen so it accepts
// bytes and answers nothing. A request that cannot be counted is not let through uncounted: it gets
// a documented 503 with Retry-After, quickly, never a hang. An instance started while Redis is away
// starts anyway and answers 503. When Redis is back, every instance serves again by itself.
import { expect, it } from 'vitest';
import { useDeployment } from '../support/servers/deployment.js';
import { startLoad, type Outcome } from '../support/servers/load.js';
import { describeWithServices } from '../support/databases/required-services.js';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { call } from '../support/servers/test-server.js';
import { waitFor } from '../support/servers/loopback.js';

const SESSIONS = '/api/v2/property/search-sessions';
/** The client's command timeout (1 s) plus room for a busy machine. */
const FAIL_FAST_MS = 4_000;

describeWithServices('postgres', 'redis')('Redis unreachable under load', () => {
  const suite = useDeployment({ instances: 2 });

  function startListing() {
    return startLoad(4, (worker, i) => ({
      url: `${suite.deployment.instances[(worker + i) % suite.deployment.instances.length]!.url}${SESSIONS}`,
      init: { headers: { Authorization: `Bearer ${suite.token}` } },
      label: 'list',
    }));
  }

  function expectOnly200And503(outcomes: Outcome[]): void {
    expect(outcomes.filter((o) => o.status !== 200 && o.status !== 503).map((o) => o.failure ?? o.status)).toEqual([]);
    for (const outcome of outcomes.filter((o) => o.status === 503)) {
      expectMatchesSpec('listSearchSessions', { status: 503, headers: outcome.headers!, body: outcome.body });
      expect(outcome.headers!.get('retry-after')).toBe('5');
      expect(outcome.ms).toBeLessThan(FAIL_FAST_MS);
    }
  }

  const serving = async () => {
    const answers = await Promise.all(suite.deployment.instances.map((instance) => call(instance.url, SESSIONS, { token: suite.token })));
    return answers.every((answer) => answer.status === 200);
  };

  it('answers 503 while Redis is stopped, starts a new instance anyway, and recovers when Redis is back', async () => {
    const load = startListing();
    try {
      await waitFor(() => load.outcomes.filter((o) => o.status === 200).length >= 20, 10_000, 'no traffic before the outage');
      const down = performance.now();
      await suite.deployment.redis.stop();
      await waitFor(() => load.since(down).filter((o) => o.status === 503).length >= 20, 10_000, 'no 503 while Redis is down');

      const late = await suite.deployment.startInstance();
      const refused = await call(late.url, SESSIONS, { token: suite.token });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      // Readiness names what is missing, so a load balancer stops sending traffic and an operator sees why.
      const notReady = await fetch(`${late.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({ status: 'unavailable', checks: { store: 'ok', rateLimitStore: 'unreachable' } });

      await suite.deployment.redis.start();
      await waitFor(serving, 15_000, 'instances did not recover after Redis came back');
      await waitFor(async () => (await fetch(`${late.url}/readyz`)).status === 200, 10_000, '/readyz did not recover with Redis');
      const recovered = performance.now();
      await waitFor(() => load.since(recovered).filter((o) => o.status === 200).length >= 20, 10_000, 'load did not recover');
      await load.stop();
      expectOnly200And503(load.outcomes);
      expect(load.since(recovered + 1_000).filter((o) => o.status !== 200)).toEqual([]);
      expect(suite.deployment.instances.every((instance) => instance.child.exitCode === null)).toBe(true);
    } finally {
      await load.stop();
    }
  });

  it('answers 503 within seconds while Redis is frozen, and recovers when it thaws', async () => {
    const load = startListing();
    try {
      await waitFor(() => load.outcomes.filter((o) => o.status === 200).length >= 20, 10_000, 'no traffic before the freeze');
      const frozen = performance.now();
      suite.deployment.redis.freeze();
      await waitFor(() => load.since(frozen).filter((o) => o.status === 503).length >= 12, 15_000, 'no 503 while Redis is frozen');
      suite.deployment.redis.thaw();
      await waitFor(serving, 15_000, 'instances did not recover after Redis thawed');
      const recovered = performance.now();
      await waitFor(() => load.since(recovered).filter((o) => o.status === 200).length >= 20, 10_000, 'load did not recover');
      await load.stop();
      expectOnly200And503(load.outcomes);
    } finally {
      suite.deployment.redis.thaw();
      await load.stop();
    }
  });
});
