// When the server itself fails: the store unreachable (503 with Retry-After), an unexpected error
// (500 without a trace of it), and a body that strays from the spec (caught by response
// validation). Each still in the documented envelope, with a documented status.
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError, type Store } from '../../server/store/store.js';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { call, startTestServer } from '../support/servers/test-server.js';

const BASE = '/api/v2/property/search-sessions';

/** The real store, with one method replaced. */
function replacing<K extends keyof Store>(method: K, replacement: (store: Store) => Store[K]) {
  return (store: Store): Store => new Proxy(store, { get: (target, key) => (key === method ? replacement(target) : Reflect.get(target, key, target)) });
}

describe('failures inside the server', () => {
  it('answers 503 with Retry-After when the store cannot answer, and /readyz says so', async () => {
    let down = false;
    const server = await startTestServer({
      wrapStore: (store) =>
        new Proxy(store, {
          get: (target, key) => {
            const value = Reflect.get(target, key, target);
            if (typeof value !== 'function' || key === 'close') return value;
            return (...args: unknown[]) => (down ? Promise.reject(new StoreUnavailableError(new Error('SQLITE_IOERR'))) : value.apply(target, args));
          },
        }),
    });
    try {
      const { token } = await server.team();
      expect((await call(server.url, BASE, { token })).status).toBe(200);
      down = true;
      for (const [method, path, operationId] of [['GET', BASE, 'listSearchSessions'], ['DELETE', `${BASE}/x`, 'deleteSearchSession']] as const) {
        const response = await call(server.url, path, { method, token });
        expectMatchesSpec(operationId, response);
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        expect(response.body.status.message).toBe('The service is temporarily unavailable. Retry after the number of seconds in Retry-After.');
      }
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toBe('5');
      expect(await ready.json()).toEqual({ status: 'unavailable', checks: { store: 'unreachable' } });
      down = false;
      expect((await call(server.url, BASE, { token })).status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers an unexpected error with a 500 that reveals nothing of it', async () => {
    const server = await startTestServer({
      wrapStore: replacing('listSessions', () => () => Promise.reject(new Error('boom in /srv/secret/path.ts'))),
    });
    try {
      const { token } = await server.team();
      const response = await call(server.url, BASE, { token });
      expectMatchesSpec('listSearchSessions', response);
      expect(response.status).toBe(500);
      expect(response.body.status.message).toBe('An unexpected error occurred. Quote the request id to support.');
      expect(JSON.stringify(response.body)).not.toMatch(/boom|secret|\.ts|at /);
      // The operator, not the client, gets the details, under the same request id.
      const logged = server.logs.find((line) => line.includes(response.headers.get('x-request-id')!) && line.includes('boom'));
      expect(logged).toBeDefined();
    } finally {
      await server.close();
    }
  });

  it('refuses to send a body outside the spec: response validation turns it into a 500', async () => {
    const server = await startTestServer({
      wrapStore: replacing('listSessions', () => async () => ({
        sessions: [{ id: 'not a valid id!', totalDelivered: -1, createdAt: new Date(), lastRequestAt: null }],
        total: 1,
      })),
    });
    try {
      const { token } = await server.team();
      const response = await call(server.url, BASE, { token });
      expectMatchesSpec('listSearchSessions', response);
      expect(response.status).toBe(500);
      expect(JSON.stringify(response.body)).not.toContain('not a valid id!');
    } finally {
      await server.close();
    }
  });
});
