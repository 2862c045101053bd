// The seed's recreate cycle end to end, on the compiled server as `npm start` runs it, over the
// synthetic properties a first start provides: pages through a session, delete, search again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../support/servers/server-process.js';
import { idsOf, search } from '../support/search.js';
import { call } from '../support/servers/test-server.js';

let dir: string;
let server: ServerProcess;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bd-e2e-cycle-'));
  server = await spawnServer({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` });
  token = /\n {2}(bds_[A-Za-z0-9_-]+)\n/.exec(server.stdout())![1]!;
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('serves the first-start synthetic set straight away', async () => {
  expect(server.stdout()).toContain('"properties":25000');
  const response = await search(server.url, token, { searchCriteria: { query: 'Phoenix, AZ' }, options: { take: 5 } });
  expect(response.body.results.meta.results.resultsFound).toBeGreaterThan(500);
  expect(response.body.results.properties.every((p: { address: { city: string } }) => p.address.city === 'Phoenix')).toBe(true);
});

it('delivers, deletes, and delivers the same properties again to the recreated session', async () => {
  const criteria = { query: 'Scottsdale, AZ' };
  const first = await search(server.url, token, { searchCriteria: criteria, options: { take: 200, searchSession: 'monthly-leads-az' } });
  const second = await search(server.url, token, { searchCriteria: criteria, options: { take: 200, searchSession: 'monthly-leads-az' } });
  expect(second.body.results.meta.searchSession).toMatchObject({ isNewSession: false, totalDelivered: 200, delivered: 200 });
  const before = (await call(server.url, '/api/v2/property/search-sessions', { token })).body.results.sessions[0];
  expect(before).toMatchObject({ id: 'monthly-leads-az', totalDelivered: 400 });

  const deleted = await call(server.url, '/api/v2/property/search-sessions/monthly-leads-az', { method: 'DELETE', token });
  expect(deleted.body.results).toMatchObject({ deleted: true, id: 'monthly-leads-az' });
  expect((await call(server.url, '/api/v2/property/search-sessions', { token })).body.results.total).toBe(0);

  const again = await search(server.url, token, { searchCriteria: criteria, options: { take: 400, searchSession: 'monthly-leads-az' } });
  expect(again.body.results.meta.searchSession).toEqual({ id: 'monthly-leads-az', isNewSession: true, totalDelivered: 0, delivered: 400 });
  expect(idsOf(again)).toEqual([...idsOf(first), ...idsOf(second)]);
  const after = (await call(server.url, '/api/v2/property/search-sessions', { token })).body.results.sessions[0];
  expect(Date.parse(after.createdAt)).toBeGreaterThan(Date.parse(before.createdAt));
});
