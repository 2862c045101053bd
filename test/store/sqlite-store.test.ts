import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateToken, hashToken } from '../../server/tokens.js';
import { openStore } from '../../server/store/open-store.js';
import { SESSION_SLOTS_PER_TEAM, type Store, type Team, StoreUnavailableError } from '../../server/store/store.js';
import {
  countDelivered,
  createTempDatabase,
  fillDelivered,
  sessionKeyOf,
  type TempDatabase,
} from '../support/databases/sqlite-fixtures.js';

let temp: TempDatabase;
let store: Store;
let acme: Team;
let globex: Team;

beforeEach(async () => {
  temp = createTempDatabase();
  store = await openStore(temp.url);
  acme = await store.createTeam('acme');
  globex = await store.createTeam('globex');
});

afterEach(async () => {
  vi.useRealTimers();
  await store.close();
  temp.remove();
});

const ids = async (teamId: number, skip = 0, take = 100) =>
  (await store.listSessions(teamId, skip, take)).sessions.map((session) => session.id);

describe('team scoping', () => {
  it('never lists another team’s sessions', async () => {
    await store.createSession(acme.id, 'shared-id');
    await store.createSession(acme.id, 'acme-only');
    await store.createSession(globex.id, 'shared-id');

    expect((await ids(acme.id)).sort()).toEqual(['acme-only', 'shared-id']);
    expect(await store.listSessions(globex.id, 0, 100)).toMatchObject({ total: 1, sessions: [{ id: 'shared-id' }] });
  });

  it('never deletes another team’s session, and answers as if it did not exist', async () => {
    await store.createSession(acme.id, 'acme-only');
    await store.createSession(acme.id, 'shared-id');
    await store.createSession(globex.id, 'shared-id');

    expect(await store.deleteSession(globex.id, 'acme-only')).toBe(false);
    expect(await store.deleteSession(globex.id, 'never-existed')).toBe(false);
    expect(await store.deleteSession(globex.id, 'shared-id')).toBe(true);

    expect((await ids(acme.id)).sort()).toEqual(['acme-only', 'shared-id']);
    expect(await ids(globex.id)).toEqual([]);
  });
});

describe('listSessions', () => {
  it('orders by createdAt with millisecond precision, ties by id', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2024-05-01T10:00:00.123Z'));
    await store.createSession(acme.id, 'zulu');
    await store.createSession(acme.id, 'alpha');
    vi.setSystemTime(new Date('2024-05-01T10:00:00.124Z'));
    await store.createSession(acme.id, 'mike');
    vi.setSystemTime(new Date('2024-05-01T10:00:01.000Z'));
    await store.createSession(acme.id, 'aaa');

    const { sessions } = await store.listSessions(acme.id, 0, 100);
    expect(sessions.map((session) => [session.id, session.createdAt.toISOString()])).toEqual([
      ['alpha', '2024-05-01T10:00:00.123Z'],
      ['zulu', '2024-05-01T10:00:00.123Z'],
      ['mike', '2024-05-01T10:00:00.124Z'],
      ['aaa', '2024-05-01T10:00:01.000Z'],
    ]);
  });

  it('pages with skip and take and always reports the team’s total', async () => {
    for (const id of ['s1', 's2', 's3', 's4', 's5']) await store.createSession(acme.id, id);
    await store.createSession(globex.id, 'other');

    expect(await store.listSessions(acme.id, 1, 2)).toMatchObject({ total: 5, sessions: [{ id: 's2' }, { id: 's3' }] });
    expect(await store.listSessions(acme.id, 4, 50)).toMatchObject({ total: 5, sessions: [{ id: 's5' }] });
    expect(await store.listSessions(acme.id, 10, 50)).toEqual({ total: 5, sessions: [] });
    expect(await store.listSessions(globex.id + 100, 0, 50)).toEqual({ total: 0, sessions: [] });
  });

  it('reports a new session as empty and never requested', async () => {
    await store.createSession(acme.id, 'fresh');
    const [session] = (await store.listSessions(acme.id, 0, 1)).sessions;
    expect(session).toMatchObject({ id: 'fresh', totalDelivered: 0, lastRequestAt: null });
    expect(session?.createdAt).toBeInstanceOf(Date);
  });

  it('reports delivered totals and the last request time', async () => {
    await store.createSession(acme.id, 'busy');
    fillDelivered(temp.file, acme.id, 'busy', 42);
    const [session] = (await store.listSessions(acme.id, 0, 1)).sessions;
    expect(session?.totalDelivered).toBe(42);
    expect(session?.lastRequestAt).toBeInstanceOf(Date);
  });
});

describe('createSession', () => {
  it('answers exists for an id the team already has', async () => {
    expect(await store.createSession(acme.id, 'once')).toBe('created');
    expect(await store.createSession(acme.id, 'once')).toBe('exists');
    expect(await store.createSession(globex.id, 'once')).toBe('created');
  });

  it(`holds at most ${SESSION_SLOTS_PER_TEAM} sessions per team; existing ids keep answering exists`, async () => {
    for (let i = 0; i < SESSION_SLOTS_PER_TEAM; i++) {
      expect(await store.createSession(acme.id, `s${i}`)).toBe('created');
    }
    expect(await store.createSession(acme.id, 'one-too-many')).toBe('limit-reached');
    expect(await store.createSession(acme.id, 's0')).toBe('exists');
    expect(await store.createSession(acme.id, `s${SESSION_SLOTS_PER_TEAM - 1}`)).toBe('exists');
    expect(await store.createSession(globex.id, 'one-too-many')).toBe('created');
    expect((await store.listSessions(acme.id, 0, 1)).total).toBe(SESSION_SLOTS_PER_TEAM);

    expect(await store.deleteSession(acme.id, 's42')).toBe(true);
    expect(await store.createSession(acme.id, 'one-too-many')).toBe('created');
    expect(await store.createSession(acme.id, 'and-another')).toBe('limit-reached');
  });
});

describe('deleteSession', () => {
  it('answers false the second time', async () => {
    await store.createSession(acme.id, 'twice');
    expect(await store.deleteSession(acme.id, 'twice')).toBe(true);
    expect(await store.deleteSession(acme.id, 'twice')).toBe(false);
  });

  it('lets exactly one of many simultaneous deletes succeed', async () => {
    await store.createSession(acme.id, 'contended');
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => store.deleteSession(acme.id, 'contended')));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it('makes a recreated session a fresh one that sees none of the old state', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2024-05-01T10:00:00.000Z'));
    await store.createSession(acme.id, 'reborn');
    const oldKey = fillDelivered(temp.file, acme.id, 'reborn', 1_000);

    expect(await store.deleteSession(acme.id, 'reborn')).toBe(true);
    expect(await ids(acme.id)).toEqual([]);
    vi.setSystemTime(new Date('2024-05-01T10:00:05.000Z'));
    expect(await store.createSession(acme.id, 'reborn')).toBe('created');

    const newKey = sessionKeyOf(temp.file, acme.id, 'reborn');
    expect(newKey).toBeDefined();
    expect(newKey).not.toBe(oldKey);
    expect(countDelivered(temp.file, newKey!)).toBe(0);
    expect((await store.listSessions(acme.id, 0, 10)).sessions).toEqual([
      { id: 'reborn', totalDelivered: 0, lastRequestAt: null, createdAt: new Date('2024-05-01T10:00:05.000Z') },
    ]);
  });
});

describe('teams', () => {
  it('finds and counts teams, and refuses a duplicate name', async () => {
    expect(await store.countTeams()).toBe(2);
    expect(await store.findTeamByName('acme')).toEqual(acme);
    expect(await store.findTeamByName('nobody')).toBeNull();
    await expect(store.createTeam('acme')).rejects.toThrow(/UNIQUE/);
    expect(await store.countTeams()).toBe(2);
  });
});

describe('tokens', () => {
  it('finds the principal of an active token by its hash, and none once revoked', async () => {
    const token = generateToken();
    const info = await store.createToken(acme.id, hashToken(token), ['property-search-sessions', 'property-search']);
    expect(info).toMatchObject({ teamId: acme.id, abilities: ['property-search', 'property-search-sessions'], revokedAt: null });

    expect(await store.findPrincipal(hashToken(token))).toEqual({
      tokenId: info.id,
      teamId: acme.id,
      abilities: ['property-search', 'property-search-sessions'],
    });
    expect(await store.findPrincipal(hashToken(generateToken()))).toBeNull();

    expect(await store.revokeToken(info.id)).toBe(true);
    expect(await store.findPrincipal(hashToken(token))).toBeNull();
    expect(await store.revokeToken(info.id)).toBe(false);
    expect(await store.revokeToken('tok_0000000000000000')).toBe(false);
  });

  // The store remembers the principals it found; a revocation from another connection (the admin
  // CLI, another instance) must still take effect at the very next lookup.
  it('refuses a remembered token at once when another connection revokes it', async () => {
    const token = generateToken();
    const info = await store.createToken(acme.id, hashToken(token), ['property-search']);
    for (let i = 0; i < 3; i++) expect(await store.findPrincipal(hashToken(token))).toMatchObject({ tokenId: info.id });
    const admin = await openStore(temp.url, { purge: false });
    try {
      expect(await admin.revokeToken(info.id)).toBe(true);
    } finally {
      await admin.close();
    }
    expect(await store.findPrincipal(hashToken(token))).toBeNull();
  });

  // A request is answered as of a check of the file made since it arrived: a request that arrived
  // after the revocation is refused even when a check made for another request stands for it.
  it('refuses a token revoked by another connection to every request that arrived after the revocation', async () => {
    const token = generateToken();
    const info = await store.createToken(acme.id, hashToken(token), ['property-search']);
    const arrivedBefore = performance.now();
    expect(await store.findPrincipal(hashToken(token), arrivedBefore)).toMatchObject({ tokenId: info.id });
    const admin = await openStore(temp.url, { purge: false });
    try {
      expect(await admin.revokeToken(info.id)).toBe(true);
    } finally {
      await admin.close();
    }
    const arrivedAfter = performance.now();
    expect(await store.findPrincipal(hashToken(token), arrivedAfter)).toBeNull();
    // The check made for it came after the earlier request arrived too: it stands for that one as well.
    expect(await store.findPrincipal(hashToken(token), arrivedBefore)).toBeNull();
  });

  it('answers with a principal no caller can change', async () => {
    const token = generateToken();
    await store.createToken(acme.id, hashToken(token), ['property-search']);
    const principal = (await store.findPrincipal(hashToken(token)))!;
    expect(() => (principal.abilities as string[]).push('property-search-sessions')).toThrow(TypeError);
    expect(() => Object.assign(principal, { teamId: globex.id })).toThrow(TypeError);
    expect(await store.findPrincipal(hashToken(token))).toMatchObject({ teamId: acme.id, abilities: ['property-search'] });
  });

  it('lists a team’s tokens with their revocation, and only that team’s', async () => {
    const kept = await store.createToken(acme.id, hashToken(generateToken()), ['property-search']);
    const revoked = await store.createToken(acme.id, hashToken(generateToken()), ['property-search', 'property-search']);
    await store.createToken(globex.id, hashToken(generateToken()), ['property-search']);
    await store.revokeToken(revoked.id);

    const listed = await store.listTokens(acme.id);
    expect(listed.map((token) => token.id).sort()).toEqual([kept.id, revoked.id].sort());
    expect(listed.find((token) => token.id === revoked.id)).toMatchObject({ abilities: ['property-search'] });
    expect(listed.find((token) => token.id === revoked.id)?.revokedAt).toBeInstanceOf(Date);
    expect(listed.find((token) => token.id === kept.id)?.revokedAt).toBeNull();
  });

  it('refuses a token for a team that does not exist as the bug it is, not as an outage', async () => {
    const attempt = store.createToken(9_999, hashToken(generateToken()), ['property-search']);
    await expect(attempt).rejects.toThrow(/FOREIGN KEY/);
    await expect(attempt).rejects.not.toBeInstanceOf(StoreUnavailableError);
  });
});

describe('lifecycle', () => {
  it('answers ping while open, and StoreUnavailableError once closed; close is idempotent', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await store.close();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.listSessions(acme.id, 0, 10)).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('keeps its data across a reopen', async () => {
    await store.createSession(acme.id, 'durable');
    await store.close();
    store = await openStore(temp.url);
    expect(await ids((await store.findTeamByName('acme'))!.id)).toEqual(['durable']);
  });
});
