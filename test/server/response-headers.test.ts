// X-Content-Type-Options: nosniff on every response, whoever writes it: the API, its errors, the
// operational endpoints, the docs, and the answers written straight to the socket.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawRequest } from '../support/servers/raw-http.js';
import { call, startTestServer, type TestServer } from '../support/servers/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

it('every kind of response says nosniff', async () => {
  const { token } = await server.team();
  const responses = {
    ok: await call(server.url, '/api/v2/property/search-sessions', { token }),
    unauthorized: await call(server.url, '/api/v2/property/search-sessions'),
    notFound: await call(server.url, '/nowhere', { token }),
    methodNotAllowed: await call(server.url, '/api/v2/property/search-sessions', { method: 'PUT', token }),
    healthz: await call(server.url, '/healthz'),
    readyz: await call(server.url, '/readyz'),
  };
  for (const [name, response] of Object.entries(responses)) expect(response.headers.get('x-content-type-options'), name).toBe('nosniff');
  const unparseable = await rawRequest(server.url, 'x', { method: 'NOT A METHOD' });
  expect(unparseable.status).toBe(400);
  expect(unparseable.headers['x-content-type-options']).toBe('nosniff');
});
