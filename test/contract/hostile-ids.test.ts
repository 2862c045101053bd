// Every hostile id openapi.yaml lists, sent raw over a socket the way a client that does not encode
// sends it. Each must be the documented 400 (after a 401 for a request without a token), in the
// JSON envelope, never a 404, a 500 or an empty body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/servers/raw-http.js';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { startTestServer, type TestServer } from '../support/servers/test-server.js';

const BASE = '/api/v2/property/search-sessions/';
const MESSAGE = 'searchSessionId must match /^[a-zA-Z0-9_-]{1,128}$/';

const hostile: Array<[string, string | Buffer]> = [
  ['129 characters', 'a'.repeat(129)],
  ['%2F inside the id', 'a%2Fb'],
  ['%2f in lower case', 'a%2fb'],
  ['a literal extra segment', 'a/b'],
  ['a trailing slash after the id', 'abc/'],
  ['..', '..'],
  ['%2E%2E', '%2E%2E'],
  ['.', '.'],
  ['../ escaping upwards', '../search-sessions/abc'],
  ['%20', 'a%20b'],
  ['a raw space', 'a b'],
  ['a raw tab', 'a\tb'],
  ['%09', 'a%09b'],
  ['a raw vertical tab', 'a\x0bb'],
  ['a raw NUL', 'a\x00b'],
  ['a raw DEL', 'a\x7fb'],
  ['a raw non-ASCII character', 'café'],
  ['an encoded non-ASCII character', 'caf%C3%A9'],
  ['raw Latin-1 bytes', Buffer.from([0x61, 0xe9, 0x62])],
  ['+', 'a+b'],
  ['~', 'a~b'],
  ['punctuation', "a!$&'()*,;=:@b"],
  ['a quote', 'a"b'],
  ['braces', 'a{b}'],
  ['a backslash', 'a\\b'],
  ['a malformed escape %ZZ', '%ZZ'],
  ['a truncated escape %E0%A4', '%E0%A4'],
  ['a lone %', 'a%'],
  ['an empty id', ''],
];

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ token } = await server.team());
});
afterAll(() => server.close());

const target = (id: string | Buffer) => (Buffer.isBuffer(id) ? Buffer.concat([Buffer.from(BASE), id]) : BASE + id);

describe('hostile session ids sent raw', () => {
  it.each(hostile)('%s → 400 with the exact message', async (_name, id) => {
    const response = await rawRequest(server.url, target(id), { token });
    expectMatchesSpec('deleteSearchSession', response);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ status: { code: 400, text: 'Bad Request', message: MESSAGE } });
  });

  it.each(hostile)('%s without a token → 401 first', async (_name, id) => {
    const response = await rawRequest(server.url, target(id));
    expectMatchesSpec('deleteSearchSession', response);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('answers the longest valid id (128 characters) as a normal 404', async () => {
    const response = await rawRequest(server.url, BASE + 'a'.repeat(128), { token });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ status: { message: `Search session not found: ${'a'.repeat(128)}` } });
  });

  it('decodes an id whose escapes are all legal characters', async () => {
    const { teamId, token: own } = await server.team();
    await server.store.createSession(teamId, 'Abc');
    const response = await rawRequest(server.url, `${BASE}%41bc`, { token: own });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ results: { deleted: true, id: 'Abc' } });
  });

  it('routes an absolute-form request target like its origin form', async () => {
    const response = await rawRequest(server.url, `${server.url}${BASE}a%2Fb`, { token });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ status: { message: MESSAGE } });
    const missing = await rawRequest(server.url, `${server.url}${BASE}absent`, { token });
    expect(missing.body).toMatchObject({ status: { code: 404, message: 'Search session not found: absent' } });
  });

  it('answers bytes that are no HTTP at all with the JSON envelope, not an empty body', async () => {
    const response = await rawRequest(server.url, 'x', { method: 'NOT A METHOD' });
    expect(response.status).toBe(400);
    expectMatchesSpec(null, response);
  });
});
