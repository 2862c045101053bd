// The body of POST /api/v1/property/search: the forms the API reads (UTF-8 JSON, plain or
// compressed) and its size limit, stated in openapi.yaml and held here: 415 names what it refused,
// 413 comes as soon as the limit is passed, and a body that never ends is not read to its end.
import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { SEARCH_PATH, search } from '../support/search.js';
import { startTestServer, type TestServer } from '../support/servers/test-server.js';

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

/** Opens a socket, lets `send` write to it, and resolves with everything received once it closes. */
function exchange(send: (socket: Socket, host: string) => void): Promise<string> {
  const { hostname, port } = new URL(server.url);
  const socket = connect(Number(port), hostname);
  const received: Buffer[] = [];
  return new Promise<string>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error('no answer')), 30_000);
    socket.on('data', (data) => received.push(data));
    socket.on('error', () => undefined); // a reset after the answer is the server closing: fine
    socket.on('close', () => {
      clearTimeout(guard);
      resolve(Buffer.concat(received).toString('utf8'));
    });
    socket.once('connect', () => send(socket, `${hostname}:${port}`));
  });
}

/** A raw HTTP/1.1 answer as status line, lower-cased headers and parsed JSON body. */
function parseAnswer(raw: string) {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { statusLine, status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) };
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
    const chunk = Buffer.from('{"searchCriteria":{"query":"AZ"},"pad":"' + 'x'.repeat(8_000));
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    // Bounded: the server must answer long before 16 MiB; past that the client stops and the test fails.
    const maxBytes = 16 * 1024 * 1024;
    let sent = 0;
    const raw = await exchange((socket, host) => {
      socket.write(`POST ${SEARCH_PATH} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
      const pump = () => {
        while (!socket.destroyed && sent < maxBytes) {
          sent += frame.length;
          if (!socket.write(frame)) return void socket.once('drain', pump);
        }
      };
      pump();
    });
    expect(sent).toBeLessThan(maxBytes);
    const response = parseAnswer(raw);
    expect(response.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(response.headers.connection).toBe('close');
    expectMatchesSpec('searchProperties', response);
    expect(response.body.status.message).toBe('The request body is larger than 65536 bytes.');
  });

  // A body that arrives in the packet of its head is taken from Node's buffer at once; one that
  // arrives later is read from the stream. Both must be the same request, limit included.
  it('reads a body that came with its head and one that came after it alike', async () => {
    const body = JSON.stringify(query);
    const head = (host: string) =>
      `POST ${SEARCH_PATH} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
    const together = parseAnswer(await exchange((socket, host) => socket.write(head(host) + body)));
    const apart = parseAnswer(
      await exchange((socket, host) => {
        socket.write(head(host));
        setTimeout(() => socket.write(body), 50);
      }),
    );
    expect([together.status, apart.status]).toEqual([200, 200]);
    expect(apart.body.results.properties).toEqual(together.body.results.properties);
  });

  it('answers a whole chunked body over the limit, sent with its head, with 413', async () => {
    const chunk = bodyOfSize(LIMIT + 1);
    const raw = await exchange((socket, host) =>
      socket.write(
        `POST ${SEARCH_PATH} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
          `${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
      ),
    );
    expect(raw).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
  });

  it('answers a Content-Length over the limit with 413 before reading the body', async () => {
    // Announces a body of 10 MB and sends none of it.
    const raw = await exchange((socket, host) =>
      socket.write(`POST ${SEARCH_PATH} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n`),
    );
    expect(raw).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
  });
});

describe('a request that cannot be parsed as HTTP', () => {
  it('answers 400 in the envelope without RateLimit headers, as every operation declares', async () => {
    const raw = await exchange((socket, host) =>
      socket.write(`POST ${SEARCH_PATH} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`),
    );
    const response = parseAnswer(raw);
    expect(response.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(response.headers).not.toHaveProperty('ratelimit');
    for (const operationId of ['searchProperties', 'listSearchSessions', 'deleteSearchSession']) expectMatchesSpec(operationId, response);
    expect(response.body.status.message).toBe('The request could not be parsed as HTTP.');
  });
});
