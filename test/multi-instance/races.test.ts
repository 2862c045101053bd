// Two server processes on one PostgreSQL and one Redis behave as one server: they start together on
// an empty database without doing first-start work twice, the 100-slot limit holds against a crowd
// of creates spread over both, one session paged through both never delivers a property twice, and
// of simultaneous deletes through both exactly one succeeds; a walk by cursor started on one
// continues on the other, page after page, since both sign with the key the database keeps.
import { expect, it } from 'vitest';
import { FIRST_START_PROPERTIES } from '../../server/properties/synthetic.js';
import { SESSION_SLOTS_PER_TEAM } from '../../server/store/store.js';
import { useDeployment } from '../support/servers/deployment.js';
import { numbers } from '../support/databases/postgres-fixtures.js';
import { describeWithServices } from '../support/databases/required-services.js';
import { idsOf, search } from '../support/search.js';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { call } from '../support/servers/test-server.js';

const SESSIONS = '/api/v2/property/search-sessions';

describeWithServices('postgres', 'redis')('two instances on one PostgreSQL and one Redis', () => {
  const suite = useDeployment({ instances: 2 });
  /** Round-robin over the instances, as a load balancer would. */
  const via = (i: number) => suite.deployment.instances[i % suite.deployment.instances.length]!.url;

  it('start together on an empty database and do the first-start work once between them', async () => {
    const printed = suite.deployment.instances.filter((instance) => instance.stdout().includes('First start: created team "demo"'));
    expect(printed).toHaveLength(1);
    expect(await suite.deployment.store.countProperties()).toBe(FIRST_START_PROPERTIES);
    expect(await numbers(suite.deployment.databaseUrl, "SELECT count(*) FROM teams WHERE name = 'demo'")).toEqual([1]);
    for (const instance of suite.deployment.instances) expect((await fetch(`${instance.url}/readyz`)).status).toBe(200);
  });

  it('lets exactly one of 150 simultaneous new sessions through both instances take the last slot', async () => {
    const { teamId, token } = await suite.deployment.team();
    for (let i = 0; i < SESSION_SLOTS_PER_TEAM - 1; i++) await suite.deployment.store.createSession(teamId, `existing-${i}`);

    const responses = await Promise.all(
      Array.from({ length: 150 }, (_, i) => search(via(i), token, { searchCriteria: { query: 'AZ' }, options: { take: 5, searchSession: `new-${i}` } })),
    );
    const created = responses.filter((response) => response.status === 200);
    expect(created).toHaveLength(1);
    expect(created[0]!.body.results.meta.searchSession).toMatchObject({ isNewSession: true, totalDelivered: 0 });
    const refused = responses.filter((response) => response.status === 409);
    expect(refused).toHaveLength(149);
    expect(refused[0]!.body.status.message).toBe(
      `Search session limit reached: this team already has ${SESSION_SLOTS_PER_TEAM} sessions. Delete one to free a slot.`,
    );
    for (const url of [via(0), via(1)]) expect((await call(url, SESSIONS, { token })).body.results.total).toBe(SESSION_SLOTS_PER_TEAM);
  });

  it('never delivers a property twice when one session’s pages are requested in parallel through both', async () => {
    const { token } = await suite.deployment.team();
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => search(via(i), token, { searchCriteria: { query: 'AZ' }, options: { take: 25, searchSession: 'shared' } })),
    );
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
    const ids = responses.flatMap(idsOf);
    expect(new Set(ids).size).toBe(ids.length);
    const matches = responses[0]!.body.results.meta.results.resultsFound as number;
    expect(ids.length).toBe(Math.min(matches, 40 * 25));

    // Each page reports the total before it: taken in lock order, they are 0, 25, 50, … exactly.
    const befores = responses.map((response) => response.body.results.meta.searchSession.totalDelivered as number).sort((a, b) => a - b);
    expect(befores).toEqual(befores.map((_, i) => i * 25));
    expect(responses.filter((response) => response.body.results.meta.searchSession.isNewSession)).toHaveLength(1);

    const listed = await call(via(1), SESSIONS, { token });
    expect(listed.body.results.sessions).toMatchObject([{ id: 'shared', totalDelivered: ids.length }]);
  });

  it('walks by cursor through both instances in turn: every match once, in order', async () => {
    const { token } = await suite.deployment.team();
    const expected: number[] = [];
    for (let skip = 0; ; skip += 500) {
      const page = await search(via(0), token, { searchCriteria: { query: 'TX' }, options: { skip, take: 500 } });
      expected.push(...idsOf(page));
      if (idsOf(page).length < 500) break;
    }
    const walked: number[] = [];
    let pageCursor: string | undefined;
    for (let i = 0; i === 0 || pageCursor !== undefined; i++) {
      const page = await search(via(i), token, { searchCriteria: { query: 'TX' }, options: { take: 40, useCursorPagination: true, ...(pageCursor ? { pageCursor } : {}) } });
      expect(page.status).toBe(200);
      walked.push(...idsOf(page));
      pageCursor = page.body.results.nextPageCursor;
    }
    expect(walked.length).toBeGreaterThan(80);
    expect(walked).toEqual(expected);
  });

  it('lets exactly one of 20 simultaneous deletes through both instances succeed', async () => {
    const { token } = await suite.deployment.team();
    expect((await search(via(0), token, { searchCriteria: { query: 'TX' }, options: { take: 50, searchSession: 'doomed' } })).status).toBe(200);

    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => call(via(i), `${SESSIONS}/doomed`, { method: 'DELETE', token })));
    for (const response of responses) expectMatchesSpec('deleteSearchSession', response);
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    expect(responses.filter((response) => response.status === 404)).toHaveLength(19);

    // Recreated under the same id, it is a new session that delivers the same properties again.
    const again = await search(via(1), token, { searchCriteria: { query: 'TX' }, options: { take: 50, searchSession: 'doomed' } });
    expect(again.body.results.meta.searchSession).toMatchObject({ isNewSession: true, totalDelivered: 0, delivered: 50 });
  });
});
