// The PostgreSQL store's promises under concurrency, with two stores (two pools, as two instances
// would have) on one database: the slot limit, exactly-once delivery, one winner of a delete race,
// and keys that are never handed out twice.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { syntheticProperties } from '../../server/properties/synthetic.js';
import { openStore } from '../../server/store/open-store.js';
import { MIGRATIONS } from '../../server/store/postgres/migrations.js';
import type { PropertyQuery } from '../../server/store/query.js';
import { SESSION_SLOTS_PER_TEAM, type Store } from '../../server/store/store.js';
import { numbers, sessionKeyOf } from '../support/databases/postgres-fixtures.js';
import { usePostgresCluster } from '../support/databases/postgres-suite.js';
import { describeWithServices } from '../support/databases/required-services.js';

const ARIZONA: PropertyQuery = { kind: 'state', state: 'AZ' };

describeWithServices('postgres')('PostgreSQL store under concurrency (two pools, one database)', () => {
  const postgres = usePostgresCluster();
  let url: string;
  let one: Store;
  let two: Store;
  let teamId: number;

  beforeEach(async () => {
    url = await postgres.freshDatabase();
    [one, two] = await Promise.all([openStore(url), openStore(url)]);
    teamId = (await one.createTeam('acme')).id;
  });
  afterEach(async () => {
    await Promise.all([one?.close(), two?.close()]);
  });

  it('lets exactly one of 150 simultaneous creates take the last free slot, for each of 5 teams at once', async () => {
    // A race that is lost only now and then is run several times over: five teams, each its own race.
    const teams = [teamId, ...(await Promise.all([1, 2, 3, 4].map(async (n) => (await one.createTeam(`team-${n}`)).id)))];
    await Promise.all(
      teams.map(async (team) => {
        for (let i = 0; i < SESSION_SLOTS_PER_TEAM - 1; i++) await one.createSession(team, `existing-${i}`);
      }),
    );
    const race = (team: number) =>
      Promise.all(
        Array.from({ length: 150 }, (_, i) => {
          const store = i % 2 === 0 ? one : two;
          return i % 3 === 0
            ? store.createSession(team, `new-${i}`).then((outcome) => outcome === 'created')
            : store.deliver({ teamId: team, sessionId: `new-${i}`, query: ARIZONA, take: 5 }).then((outcome) => outcome.kind === 'delivered');
        }),
      );
    const results = await Promise.all(teams.map(race));
    for (const [index, team] of teams.entries()) {
      expect(results[index]!.filter(Boolean), `team ${team}`).toHaveLength(1);
      expect((await two.listSessions(team, 0, 100)).total).toBe(SESSION_SLOTS_PER_TEAM);
    }
  });

  it('delivers every property once when one session is paged through both stores at once', async () => {
    await one.importProperties(syntheticProperties(3_000, 7));
    const total = (await one.searchProperties(ARIZONA, 0, 1)).resultsFound;
    const pages = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? one : two).deliver({ teamId, sessionId: 'shared', query: ARIZONA, take: 25 })),
    );
    const ids = pages.flatMap((page) => (page.kind === 'delivered' ? page.properties.map((property) => property.id) : []));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(Math.min(total, 40 * 25));
    expect(pages.filter((page) => page.kind === 'delivered' && page.isNewSession)).toHaveLength(1);
    // totalDeliveredBefore of the pages, in the order the lock granted them, adds up page by page.
    const befores = pages.map((page) => (page.kind === 'delivered' ? page.totalDeliveredBefore : -1)).sort((a, b) => a - b);
    expect(befores[0]).toBe(0);
    const [session] = (await one.listSessions(teamId, 0, 1)).sessions;
    expect(session!.totalDelivered).toBe(ids.length);
    const key = await sessionKeyOf(url, teamId, 'shared');
    expect(await numbers(url, 'SELECT count(*) FROM delivered WHERE session_key = $1', [key])).toEqual([ids.length]);
  });

  it('replays an Idempotency-Key page from either store, and refuses the key for another request', async () => {
    await one.importProperties(syntheticProperties(500, 3));
    const request = { teamId, sessionId: 'retry', query: ARIZONA, take: 10, idempotency: { key: 'k-1', fingerprint: 'f-1' } };
    const [first, second] = await Promise.all([one.deliver(request), two.deliver(request)]);
    expect(second).toEqual(first);
    expect(await one.deliver({ ...request, idempotency: { key: 'k-1', fingerprint: 'other' } })).toEqual({ kind: 'idempotency-conflict' });
    const next = await two.deliver({ ...request, idempotency: { key: 'k-2', fingerprint: 'f-1' } });
    expect(next).toMatchObject({ kind: 'delivered', isNewSession: false, totalDeliveredBefore: 10 });
  });

  it('lets exactly one of 20 simultaneous deletes of a session succeed', async () => {
    await one.createSession(teamId, 'doomed');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? one : two).deleteSession(teamId, 'doomed')));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('never hands a session key out twice, and keeps teams apart', async () => {
    await one.createSession(teamId, 'latest');
    const first = await sessionKeyOf(url, teamId, 'latest');
    expect(await two.deleteSession(teamId, 'latest')).toBe(true);
    await one.createSession(teamId, 'latest');
    expect(await sessionKeyOf(url, teamId, 'latest')).toBeGreaterThan(first!);

    const other = await one.createTeam('other');
    expect(await two.deleteSession(other.id, 'latest')).toBe(false);
    expect((await one.listSessions(teamId, 0, 10)).total).toBe(1);
  });

  it('creates one schema, one demo team and one property set when two stores open an empty database at once', async () => {
    const fresh = await postgres.freshDatabase();
    const initialize = async (store: Store) => {
      if ((await store.countTeams()) === 0) await store.createTeam('demo');
      if ((await store.countProperties()) === 0) await store.importProperties(syntheticProperties(1_000, 1));
    };
    const stores = await Promise.all([openStore(fresh, { initialize }), openStore(fresh, { initialize })]);
    try {
      expect(await stores[1]!.countTeams()).toBe(1);
      expect(await stores[0]!.countProperties()).toBe(1_000);
      expect(await numbers(fresh, 'SELECT version FROM schema_migrations ORDER BY 1')).toEqual(MIGRATIONS.map((_, i) => i + 1));
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
