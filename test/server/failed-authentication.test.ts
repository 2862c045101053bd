// Failed authentication is limited per client address: a client trying tokens costs the store one
// lookup per failure only up to the limit, then gets a 429 without a lookup until its minute ends.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../server/store/store.js';
import { rawRequest } from '../support/servers/raw-http.js';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { startTestServer, type TestServer } from '../support/servers/test-server.js';

const LIMIT = 5;
const LIST = '/api/v2/property/search-sessions';
let server: TestServer;
let lookups = 0;

beforeAll(async () => {
  server = await startTestServer({
    authFailuresPerMinute: LIMIT,
    wrapStore: (store: Store) =>
      new Proxy(store, {
        get(target, name, receiver) {
          if (name === 'findPrincipal') lookups++;
          const value = Reflect.get(target, name, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }),
  });
});
afterAll(() => server.close());

const list = (localAddress: string, token?: string) => rawRequest(server.url, LIST, { method: 'GET', token, localAddress });

it('answers 401 up to the limit, then 429 with Retry-After and no lookup, for that address only', async () => {
  const { token } = await server.team();
  const attacker = '127.0.0.8';
  for (let i = 0; i < LIMIT; i++) expect((await list(attacker, `bds_guess${i}`)).status).toBe(401);
  const before = lookups;
  for (let i = 0; i < 10; i++) {
    const refused = await list(attacker, `bds_more${i}`);
    expectMatchesSpec('listSearchSessions', refused);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.headers['ratelimit-policy']).toBe(`${LIMIT};w=60`);
    expect((refused.body as any).status.message).toMatch(/^Too many failed authentications from this address: retry in \d+ s\.$/);
  }
  expect(lookups).toBe(before);
  // Without a well-formed token there is no lookup to save: still the 401.
  expect((await list(attacker)).status).toBe(401);
  // Until its minute is over, the address is refused whatever token it carries: checking it is the lookup.
  expect((await list(attacker, token)).status).toBe(429);
  // Another address is not affected.
  expect((await list('127.0.0.9', token)).status).toBe(200);
  expect((await list('127.0.0.9', 'bds_wrong')).status).toBe(401);
});
