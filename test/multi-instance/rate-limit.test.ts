// A token's budget of 3,000 requests a minute is one budget across instances: counted in Redis, so
// the 3,001st request in the minute is refused whichever instance receives it.
import { expect, it } from 'vitest';
import { useDeployment } from '../support/servers/deployment.js';
import { describeWithServices } from '../support/databases/required-services.js';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { call, type ApiResponse } from '../support/servers/test-server.js';

const SESSIONS = '/api/v2/property/search-sessions';
const LIMIT = 3_000;
const CONCURRENCY = 16;

describeWithServices('postgres', 'redis')('the rate limit shared by two instances through Redis', () => {
  const suite = useDeployment({ instances: 2, env: { LOG_LEVEL: 'info' } });

  /** Sends `count` requests spread evenly over the instances, a few at a time. */
  async function spend(token: string, count: number): Promise<ApiResponse[]> {
    const responses: ApiResponse[] = [];
    for (let sent = 0; sent < count; sent += CONCURRENCY) {
      const wave = Array.from({ length: Math.min(CONCURRENCY, count - sent) }, (_, i) =>
        call(suite.deployment.instances[(sent + i) % 2]!.url, `${SESSIONS}?take=1`, { token }),
      );
      responses.push(...(await Promise.all(wave)));
    }
    return responses;
  }

  it(`refuses the ${(LIMIT + 1).toLocaleString('en')}st request of a minute on either instance, and only for that token`, async () => {
    const { token } = await suite.deployment.team();
    const started = Date.now();
    const spent = await spend(token, LIMIT);
    // Meaningful only if the whole budget went within the minute's window.
    expect(Date.now() - started).toBeLessThan(50_000);
    expect(spent.filter((response) => response.status !== 200).map((response) => response.status)).toEqual([]);
    // Both instances counted into the same budget.
    const remaining = spent.map((response) => Number(/remaining=(\d+)/.exec(response.headers.get('ratelimit') ?? '')?.[1]));
    expect(Math.min(...remaining)).toBe(0);

    for (const instance of suite.deployment.instances) {
      const refused = await call(instance.url, SESSIONS, { token });
      expectMatchesSpec('listSearchSessions', refused);
      expect(refused.status).toBe(429);
      expect(refused.body.status.message).toBe(`Rate limit exceeded: ${LIMIT} requests per minute per token.`);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    const other = await suite.deployment.team();
    expect((await call(suite.deployment.instances[1]!.url, SESSIONS, { token: other.token })).status).toBe(200);
  });
});
