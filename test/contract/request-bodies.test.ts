// The body of POST /api/v1/property/search: the forms the API reads (UTF-8 JSON, plain or
// compressed) and its size limit, stated in openapi.yaml and held here: 415 names what it refused,
// 413 comes as soon as the limit is passed, and a body that never ends is not read to its end.
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { SEARCH_PATH, search } from '../support/search.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
let token: string;
const LIMIT = 65_536;
const query = { searchCriteria: { query: 'AZ' } };

beforeAll(async () => {
  server = await startTestServer();
  ({ token } = await server.team());
});
afterAll(() => server.close());

/** A search body of exactly `bytes` bytes of JSON, padded with spaces (still one valid object). */
function bodyOfSize(bytes: number): string {
  const json = JSON.stringify(query);
  return json + ' '.repeat(bytes - Buffer.byteLength(json));
}

describe('media types', () => {
  it.each([
    ['a form', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'Content-Type must be application/json.'],
    ['no Content-Type', { 'Content-Type': '' }, 'Content-Type must be application/json.'],
    ['JSON in Latin-1', { 'Content-Type': 'application/json; charset=latin1' }, 'Content-Type charset latin1 is not supported: the request body must be UTF-8 (RFC 8259).'],
    ['JSON in UTF-16', { 'Content-Type': 'application/json; charset="utf-16"' }, 'Content-Type charset utf-16 is not supported: the request body must be UTF-8 (RFC 8259).'],
    ['an unknown Content-Encoding', { 'Content-Encoding': 'compress' }, 'Content-Encoding compress is not supported: send gzip, deflate, br or identity.'],
    ['two encodings in a row', { 'Content-Encoding': 'gzip, gzip' }, 'Content-Encoding gzip, gzip is not supported: send gzip, deflate, br or identity.'],
  ])('answers %s with 415 naming what it refused', async (_name, headers, message) => {
    const response = await search(server.url, token, query, headers);
    expect(response.status).toBe(415);
    expect(response.body.status).toEqual({ code: 415, text: 'Unsupported Media Type', message });
    expect(response.headers.get('ratelimit')).toMatch(/^limit=/);
  });

  it.each([
    ['charset=utf-8', { 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify(query)],
    ['charset="UTF-8" in capitals', { 'Content-Type': 'Application/JSON;charset="UTF-8"' }, JSON.stringify(query)],
    ['Content-Encoding: identity', { 'Content-Encoding': 'identity' }, JSON.stringify(query)],
  ])('accepts %s', async (_name, headers, body) => {
    const response = await search(server.url, token, body, headers);
    expect(response.status).toBe(200);
  });

  it('accepts a gzip body, and holds the limit to its inflated size', async () => {
    const small = await fetch(`${server.url}${SEARCH_PATH}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: gzipSync(JSON.stringify(query)),
    });
    expect(small.status).toBe(200);
    const bomb = gzipSync(bodyOfSize(LIMIT + 1));
    expect(bomb.length).toBeLessThan(LIMIT / 10);
    const large = await fetch(`${server.url}${SEARCH_PATH}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: bomb,
    });
    expect(large.status).toBe(413);
  });

  it('still answers 401 before it looks at the body', async () => {
    const response = await fetch(`${server.url}${SEARCH_PATH}`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
    expect(response.status).toBe(401);
  });
});

describe('the size limit', () => {
  it('accepts a body of exactly the limit and answers one byte more with 413', async () => {
    expect((await search(server.url, token, bodyOfSize(LIMIT))).status).toBe(200);
    const response = await search(server.url, token, bodyOfSize(LIMIT + 1));
    expect(response.status).toBe(413);
    expect(response.body.status).toEqual({ code: 413, text: 'Payload Too Large', message: 'The request body is larger than 65536 bytes.' });
  });

  it('answers a chunked body that never ends with 413 once the limit is passed, then closes the connection', async () => {
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    const chunk = Buffer.from('{"searchCriteria":{"query":"AZ"},"pad":"' + 'x'.repeat(8_000));
    let sent = 0;
    const received: Buffer[] = [];
    // Bounded: the server must answer long before 16 MiB; past that the test stops and fails.
    const maxBytes = 16 * 1024 * 1024;
    const outcome = await new Promise<{ closed: boolean }>((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error(`no answer after ${sent} bytes`)), 30_000);
      socket.on('data', (data) => received.push(data));
      socket.on('error', () => undefined); // a reset after the answer is the server closing: fine
      socket.on('close', () => {
        clearTimeout(guard);
        resolve({ closed: true });
      });
      const pump = () => {
        while (!socket.destroyed && sent < maxBytes) {
          const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
          sent += frame.length;
          if (!socket.write(frame)) return socket.once('drain', pump);
        }
      };
      socket.once('connect', () => {
        socket.write(`POST ${SEARCH_PATH} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
        pump();
      });
    });
    expect(outcome.closed).toBe(true);
    expect(sent).toBeLessThan(maxBytes);
    const raw = Buffer.concat(received).toString('utf8');
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    const [statusLine = '', ...lines] = head.split('\r\n');
    expect(statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    expect(headers.connection).toBe('close');
    const response = { status: 413, headers, body: JSON.parse(body) };
    expectMatchesSpec('searchProperties', response);
    expect(response.body.status.message).toBe('The request body is larger than 65536 bytes.');
  });

  it('answers a Content-Length over the limit with 413 before reading the body', async () => {
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error('no answer')), 30_000);
      socket.on('data', (data) => received.push(data));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearTimeout(guard);
        resolve();
      });
      // Announces a body of 10 MB and sends none of it.
      socket.once('connect', () => socket.write(`POST ${SEARCH_PATH} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n`));
    });
    expect(Buffer.concat(received).toString('utf8')).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
  });
});
