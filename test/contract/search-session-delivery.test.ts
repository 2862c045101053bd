// Search sessions as Property Search drives them: born on first use, forward-only delivery that
// never repeats a property (also under concurrency), later additions delivered later, the slot
// limit, Idempotency-Key replay, and the seed's recreate cycle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewProperty } from '../../server/store/store.js';
import { batchesOf, idsOf, search, syntheticList } from '../support/search.js';
import { call, startTestServer, type TestServer } from '../support/servers/test-server.js';
import { waitFor } from '../support/servers/loopback.js';

let server: TestServer;
let properties: NewProperty[];
const AZ = { query: 'AZ' };
let azIds: number[];

beforeAll(async () => {
  server = await startTestServer();
  properties = await syntheticList(3_000, 11);
  await server.store.importProperties(batchesOf(properties));
  azIds = properties.flatMap((p, i) => (p.address.state === 'AZ' ? [i + 1] : []));
});
afterAll(() => server.close());

const page = (token: string, searchSession: string, take: number, criteria = AZ, headers: Record<string, string> = {}) =>
  search(server.url, token, { searchCriteria: criteria, options: { take, searchSession } }, headers);

async function sessionInList(token: string, id: string) {
  const listed = await call(server.url, '/api/v2/property/search-sessions?take=100', { token });
  return listed.body.results.sessions.find((s: { id: string }) => s.id === id);
}

describe('a session born from Property Search', () => {
  it('is created by the first request and then delivers forward, never twice, until exhausted', async () => {
    const { token } = await server.team();
    const first = await page(token, 'monthly', 100);
    expect(first.status).toBe(200);
    expect(first.body.results.meta.searchSession).toEqual({ id: 'monthly', isNewSession: true, totalDelivered: 0, delivered: 100 });
    expect(idsOf(first)).toEqual(azIds.slice(0, 100));
    expect(first.body.results.meta.results).toEqual({ resultsFound: azIds.length, resultCount: 100 });
    const listed = await sessionInList(token, 'monthly');
    expect(listed.totalDelivered).toBe(100);
    expect(listed.lastRequestAt).toMatch(/Z$/);

    const second = await page(token, 'monthly', 100);
    expect(second.body.results.meta.searchSession).toEqual({ id: 'monthly', isNewSession: false, totalDelivered: 100, delivered: 100 });
    expect(idsOf(second)).toEqual(azIds.slice(100, 200));

    const delivered = [...idsOf(first), ...idsOf(second)];
    for (;;) {
      const next = await page(token, 'monthly', 500);
      if (next.body.results.meta.searchSession.delivered === 0) {
        expect(next.body.results.properties).toEqual([]);
        expect(next.body.results.meta.searchSession.totalDelivered).toBe(azIds.length);
        break;
      }
      delivered.push(...idsOf(next));
    }
    expect(delivered).toEqual(azIds);
    expect((await sessionInList(token, 'monthly')).totalDelivered).toBe(azIds.length);
  });

  it('has no lastRequestAt until a request delivered something', async () => {
    const { token } = await server.team();
    const empty = await page(token, 'nothing-yet', 10, { query: '00000' });
    expect(empty.body.results.meta.searchSession).toEqual({ id: 'nothing-yet', isNewSession: true, totalDelivered: 0, delivered: 0 });
    const listed = await sessionInList(token, 'nothing-yet');
    expect(listed).toMatchObject({ id: 'nothing-yet', totalDelivered: 0 });
    expect(listed).not.toHaveProperty('lastRequestAt');
  });

  it('never delivers again what another query already delivered to the session', async () => {
    const { token } = await server.team();
    const state = await page(token, 'mixed', 200);
    const city = await page(token, 'mixed', 500, { query: 'Phoenix, AZ' });
    const overlap = idsOf(city).filter((id) => idsOf(state).includes(id));
    expect(overlap).toEqual([]);
    const phoenix = properties.flatMap((p, i) => (p.address.city === 'Phoenix' ? [i + 1] : []));
    expect(idsOf(city)).toEqual(phoenix.filter((id) => !idsOf(state).includes(id)).slice(0, 500));
  });

  it('delivers properties added to the store later, and only those', async () => {
    const { token } = await server.team();
    let total = 0;
    for (;;) {
      const next = await page(token, 'growing', 500, { query: 'Tucson, AZ' });
      total += next.body.results.meta.searchSession.delivered;
      if (next.body.results.meta.searchSession.delivered === 0) break;
    }
    const added = properties.slice(0, 3).map((p, i) => ({ ...p, address: { ...p.address, street: `${i} New St`, city: 'Tucson', state: 'AZ', zip: '85701' } }));
    const foundBefore = (await search(server.url, token, { searchCriteria: { query: 'Tucson, AZ' } })).body.results.meta.results.resultsFound;
    await server.store.importProperties(batchesOf(added));
    const later = await page(token, 'growing', 500, { query: 'tucson, az' });
    expect(later.body.results.meta.searchSession).toMatchObject({ totalDelivered: total, delivered: 3 });
    expect(later.body.results.meta.results.resultsFound).toBe(foundBefore + 3);
    expect((await search(server.url, token, { searchCriteria: { query: 'Tucson, AZ' } })).body.results.meta.results.resultsFound).toBe(foundBefore + 3);
    expect(later.body.results.properties.map((p: { address: { street: string } }) => p.address.street)).toEqual(['0 New St', '1 New St', '2 New St']);
    expect((await page(token, 'growing', 500, { query: 'Tucson, AZ' })).body.results.meta.searchSession.delivered).toBe(0);
  });

  it('delivers each property once under 25 concurrent requests on one session', async () => {
    const { token } = await server.team();
    const responses = await Promise.all(Array.from({ length: 25 }, () => page(token, 'racing', 13)));
    const ids = responses.flatMap(idsOf);
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(Math.min(25 * 13, azIds.length));
    expect([...ids].sort((a, b) => a - b)).toEqual(azIds.slice(0, ids.length));
    expect(responses.filter((r) => r.body.results.meta.searchSession.isNewSession)).toHaveLength(1);
    expect((await sessionInList(token, 'racing')).totalDelivered).toBe(ids.length);
  });
});

describe('the 100-session limit', () => {
  it('answers a new id with 409 when the team holds 100 sessions, while existing ids keep working', async () => {
    const { teamId, token } = await server.team();
    for (let i = 0; i < 99; i++) await server.store.createSession(teamId, `slot-${i}`);
    expect((await page(token, 'the-hundredth', 5)).status).toBe(200);
    const refused = await page(token, 'one-too-many', 5);
    expect(refused.status).toBe(409);
    expect(refused.body.status).toEqual({
      code: 409,
      text: 'Conflict',
      message: 'Search session limit reached: this team already has 100 sessions. Delete one to free a slot.',
    });
    expect((await page(token, 'the-hundredth', 5)).status).toBe(200);
    expect((await page(token, 'slot-7', 5)).body.results.meta.searchSession.isNewSession).toBe(false);
    expect((await call(server.url, '/api/v2/property/search-sessions/slot-0', { method: 'DELETE', token })).status).toBe(200);
    expect((await page(token, 'one-too-many', 5)).body.results.meta.searchSession.isNewSession).toBe(true);
  });
});

describe('Idempotency-Key', () => {
  it('answers a retry with the same key with the same page, without advancing the session', async () => {
    const { token } = await server.team();
    const key = { 'Idempotency-Key': 'page-1' };
    const first = await page(token, 'retried', 20, AZ, key);
    const retry = await page(token, 'retried', 20, AZ, key);
    const withoutRequestId = (r: typeof first) => ({ ...r.body.results, meta: { ...r.body.results.meta, requestId: undefined } });
    expect(withoutRequestId(retry)).toEqual(withoutRequestId(first));
    expect(retry.body.results.meta.searchSession).toEqual({ id: 'retried', isNewSession: true, totalDelivered: 0, delivered: 20 });
    expect((await sessionInList(token, 'retried')).totalDelivered).toBe(20);

    const next = await page(token, 'retried', 20, AZ, { 'Idempotency-Key': 'page-2' });
    expect(idsOf(next)).toEqual(azIds.slice(20, 40));
    // A late retry of page 1 still gets page 1.
    expect(idsOf(await page(token, 'retried', 20, AZ, key))).toEqual(azIds.slice(0, 20));
    expect((await sessionInList(token, 'retried')).totalDelivered).toBe(40);
  });

  it('treats a retry whose query differs only in case as the same request', async () => {
    const { token } = await server.team();
    const first = await page(token, 'cased', 5, { query: 'Phoenix, AZ' }, { 'Idempotency-Key': 'k' });
    const retry = await page(token, 'cased', 5, { query: 'phoenix,az' }, { 'Idempotency-Key': 'k' });
    expect(idsOf(retry)).toEqual(idsOf(first));
  });

  it('answers the same key with a different body with 409, and changes nothing', async () => {
    const { token } = await server.team();
    await page(token, 'strict', 10, AZ, { 'Idempotency-Key': 'k1' });
    for (const [take, criteria] of [[11, AZ], [10, { query: 'TX' }]] as const) {
      const conflict = await page(token, 'strict', take, criteria, { 'Idempotency-Key': 'k1' });
      expect(conflict.status).toBe(409);
      expect(conflict.body.status.message).toBe('Idempotency-Key was already used with a different request body on this session.');
    }
    expect((await sessionInList(token, 'strict')).totalDelivered).toBe(10);
  });

  it('scopes keys to the session', async () => {
    const { token } = await server.team();
    const a = await page(token, 'first-session', 5, AZ, { 'Idempotency-Key': 'shared' });
    const b = await page(token, 'second-session', 7, AZ, { 'Idempotency-Key': 'shared' });
    expect(b.status).toBe(200);
    expect(idsOf(a)).toEqual(azIds.slice(0, 5));
    expect(idsOf(b)).toEqual(azIds.slice(0, 7));
  });

  it('changes nothing on a plain search', async () => {
    const { token } = await server.team();
    const a = await search(server.url, token, { searchCriteria: AZ, options: { take: 3 } }, { 'Idempotency-Key': 'plain' });
    const b = await search(server.url, token, { searchCriteria: AZ, options: { take: 4 } }, { 'Idempotency-Key': 'plain' });
    expect(idsOf(a)).toEqual(azIds.slice(0, 3));
    expect(idsOf(b)).toEqual(azIds.slice(0, 4));
  });
});

describe('the recreate cycle (the seed\'s "Recreate behavior")', () => {
  it('delete, then the same id again: a brand-new session that delivers the old properties again', async () => {
    const { teamId, token } = await server.team();
    const pages = [await page(token, 'cycle', 50, AZ, { 'Idempotency-Key': 'old-1' }), await page(token, 'cycle', 50)];
    const oldCreatedAt = (await sessionInList(token, 'cycle')).createdAt;
    const oldKey = (await server.state.sessionKeyOf(teamId, 'cycle'))!;

    expect((await call(server.url, '/api/v2/property/search-sessions/cycle', { method: 'DELETE', token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 5));

    // The old key's idempotent page is gone with it: the same key starts the new session.
    const reborn = await page(token, 'cycle', 100, AZ, { 'Idempotency-Key': 'old-1' });
    expect(reborn.body.results.meta.searchSession).toEqual({ id: 'cycle', isNewSession: true, totalDelivered: 0, delivered: 100 });
    expect(idsOf(reborn)).toEqual([...idsOf(pages[0]!), ...idsOf(pages[1]!)]);
    const listed = await sessionInList(token, 'cycle');
    expect(listed.totalDelivered).toBe(100);
    expect(Date.parse(listed.createdAt)).toBeGreaterThan(Date.parse(oldCreatedAt));

    // And the old session's state is purged from every table.
    await waitFor(
      async () => (await Promise.all((['delivered', 'delivery_cursors', 'idempotent_pages', 'purge_queue'] as const).map((table) => server.state.rowsOf(table, oldKey)))).every((rows) => rows === 0),
      10_000,
      'delivered rows, cursor, idempotent pages or queue entry of the deleted session remain',
    );
  });
});
