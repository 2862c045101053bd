// Session lists are remembered (server/store/sqlite/session-lists.ts): every list must still be what
// a fresh read says, after this store's own creates, pages and deletes, and after another
// connection to the same file (another instance, the admin CLI) wrote.
import { expect, it } from 'vitest';
import { openStore } from '../../server/store/open-store.js';
import type { Store } from '../../server/store/store.js';
import { batchesOf, syntheticList } from '../support/search.js';
import { freshStoreEachTest } from '../support/databases/temp-store.js';

const context = freshStoreEachTest();
const summary = async (store: Store, teamId: number) => {
  const page = await store.listSessions(teamId, 0, 50);
  return { total: page.total, sessions: page.sessions.map((s) => [s.id, s.totalDelivered, s.lastRequestAt !== null]) };
};

it('follows its own creates, pages and deletes at once', async () => {
  await context.store.importProperties(batchesOf(await syntheticList(500, 3)));
  const team = await context.store.createTeam('lists');
  const other = await context.store.createTeam('other');
  expect(await summary(context.store, team.id)).toEqual({ total: 0, sessions: [] });
  await context.store.createSession(team.id, 'a');
  expect(await summary(context.store, team.id)).toEqual({ total: 1, sessions: [['a', 0, false]] });
  await context.store.deliver({ teamId: team.id, sessionId: 'a', query: { kind: 'state', state: 'AZ' }, take: 7 });
  expect(await summary(context.store, team.id)).toEqual({ total: 1, sessions: [['a', 7, true]] });
  await context.store.deliver({ teamId: team.id, sessionId: 'b', query: { kind: 'state', state: 'AZ' }, take: 3 });
  expect(await summary(context.store, team.id)).toEqual({ total: 2, sessions: [['a', 7, true], ['b', 3, true]] });
  // Another team's writes leave this team's list as it was, and are in that team's own.
  await context.store.createSession(other.id, 'x');
  expect(await summary(context.store, team.id)).toEqual({ total: 2, sessions: [['a', 7, true], ['b', 3, true]] });
  expect(await summary(context.store, other.id)).toEqual({ total: 1, sessions: [['x', 0, false]] });
  await context.store.deleteSession(team.id, 'a');
  expect(await summary(context.store, team.id)).toEqual({ total: 1, sessions: [['b', 3, true]] });
});

it('follows what another connection to the file wrote', async () => {
  await context.store.importProperties(batchesOf(await syntheticList(500, 3)));
  const team = await context.store.createTeam('lists');
  await context.store.createSession(team.id, 'a');
  expect(await summary(context.store, team.id)).toEqual({ total: 1, sessions: [['a', 0, false]] });
  const neighbour = await openStore(context.temp.url, { purge: false });
  try {
    await neighbour.deliver({ teamId: team.id, sessionId: 'a', query: { kind: 'state', state: 'AZ' }, take: 5 });
    expect(await summary(context.store, team.id)).toEqual({ total: 1, sessions: [['a', 5, true]] });
    await neighbour.createSession(team.id, 'b');
    expect(await summary(context.store, team.id)).toEqual({ total: 2, sessions: [['a', 5, true], ['b', 0, false]] });
    await neighbour.deleteSession(team.id, 'a');
    expect(await summary(context.store, team.id)).toEqual({ total: 1, sessions: [['b', 0, false]] });
  } finally {
    await neighbour.close();
  }
});

it('stays bounded when every request asks for another empty page past the end', async () => {
  const team = await context.store.createTeam('pager');
  await context.store.createSession(team.id, 'only');
  const teams = (context.store as unknown as { lists: { teams: { weight: number; peek(teamId: number): Map<string, unknown> | undefined } } }).lists.teams;
  let most = 0;
  for (let skip = 10; skip < 25_000; skip++) {
    await context.store.listSessions(team.id, skip, 50);
    most = Math.max(most, teams.peek(team.id)?.size ?? 0);
  }
  expect(teams.weight).toBeLessThanOrEqual(20_000);
  expect(most).toBeLessThanOrEqual(20_000);
  expect(most).toBeGreaterThan(1_000);
});
