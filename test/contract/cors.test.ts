// CORS over plain HTTP (the browser run is in test/client/packed-sdk.test.ts): off by default,
// exact origins only, preflights answered before authentication, the SDK's headers exposed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { startTestServer, type TestServer } from '../support/servers/test-server.js';

const BASE = '/api/v2/property/search-sessions';
const PAGE = 'https://app.example.com';
let withCors: TestServer;
let withoutCors: TestServer;

beforeAll(async () => {
  [withCors, withoutCors] = await Promise.all([startTestServer({ corsOrigins: [PAGE, 'http://127.0.0.1:8080'] }), startTestServer()]);
});
afterAll(() => Promise.all([withCors.close(), withoutCors.close()]));

const preflight = (server: TestServer, path: string, origin: string, method = 'DELETE') =>
  fetch(`${server.url}${path}`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'authorization' } });

describe('with CORS_ORIGINS', () => {
  it('answers a preflight from a listed origin with 204, the path methods and the headers a page may send', async () => {
    const response = await preflight(withCors, `${BASE}/monthly-leads-az-85020`, PAGE);
    expect(response.status).toBe(204);
    expect(Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'))).toEqual({
      'access-control-allow-origin': PAGE,
      'access-control-allow-methods': 'DELETE',
      'access-control-allow-headers': 'Authorization, Content-Type, Idempotency-Key',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    const list = await preflight(withCors, BASE, PAGE, 'GET');
    expect(list.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
  });

  it('lets the page read X-Request-Id, RateLimit and Retry-After on answers, errors included', async () => {
    const { token } = await withCors.team();
    const ok = await fetch(`${withCors.url}${BASE}`, { headers: { Origin: PAGE, Authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(ok.headers.get('access-control-expose-headers')).toBe('X-Request-Id, RateLimit, RateLimit-Policy, Retry-After');
    const unauthorized = await fetch(`${withCors.url}${BASE}`, { headers: { Origin: PAGE } });
    expect(unauthorized.status).toBe(401);
    expectMatchesSpec('listSearchSessions', { status: 401, headers: unauthorized.headers, body: await unauthorized.json() });
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(PAGE);
  });

  it('gives an origin that is not listed (even one differing only in case or port) no CORS headers, and its preflight the 405', async () => {
    for (const origin of ['https://evil.example.com', 'https://APP.example.com', 'https://app.example.com:8443', 'null']) {
      const response = await preflight(withCors, BASE, origin, 'GET');
      expect(response.status).toBe(405);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('vary')).toBe('Origin');
    }
  });

  it('leaves an unknown path the 404 it is', async () => {
    const response = await preflight(withCors, '/api/v2/nowhere', PAGE);
    expect(response.status).toBe(404);
  });
});

describe('without CORS_ORIGINS (the default)', () => {
  it('answers a preflight with 405 and sends no CORS header at all', async () => {
    const response = await preflight(withoutCors, BASE, PAGE, 'GET');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    const { token } = await withoutCors.team();
    const ok = await fetch(`${withoutCors.url}${BASE}`, { headers: { Origin: PAGE, Authorization: `Bearer ${token}` } });
    expect([...ok.headers.keys()].filter((name) => name.startsWith('access-control-') || name === 'vary')).toEqual([]);
  });
});

describe('CORS_ORIGINS', () => {
  it('reads a comma-separated list of exact origins', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://127.0.0.1:8080' }).corsOrigins).toEqual(['https://app.example.com', 'http://127.0.0.1:8080']);
    expect(loadConfig({}).corsOrigins).toEqual([]);
  });

  it.each(['*', 'https://*.example.com', 'https://app.example.com/', 'app.example.com', 'https://app.example.com/path', 'ftp://app.example.com'])('refuses %s, naming the variable and the value', (value) => {
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(`CORS_ORIGINS must be a comma-separated list of exact origins such as https://app.example.com (no wildcard, path or trailing slash) (got "${value}")`);
  });
});
