// Timeouts and connection caps, each on a server with small limits so a test takes seconds. Bounds
// are generous: the machine is shared, and each check is "well before the old behaviour" (60 s for
// headers, 300 s for a body, no cap at all), not a precise time.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/servers/test-server.js';

const LIST = '/api/v2/property/search-sessions';

/** A connection from `localAddress` (any 127.0.0.0/8 address is this machine) that records what it reads. */
async function open(url: string, localAddress = '127.0.0.1') {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port), localAddress });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => {
    const opened = Date.now();
    socket.once('close', () => resolve(Date.now() - opened));
  });
  return { socket, closed, received: () => received };
}

/** Resolves with how long the socket took to close, or rejects after `ms`. */
function closesWithin(connection: { closed: Promise<number> }, ms: number): Promise<number> {
  return Promise.race([connection.closed, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms))]);
}

function statusAndBody(raw: string) {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), head, body: body ? JSON.parse(body) : null };
}

const request = (token: string) => `GET ${LIST}?take=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`;

describe('timeouts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ connectionLimits: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, keepAliveTimeoutMs: 500 } });
  });
  afterAll(() => server.close());

  it('a connection that sends nothing is closed quietly, without an answer it never asked for', async () => {
    const idle = await open(server.url);
    await closesWithin(idle, 8_000);
    expect(idle.received()).toBe('');
  });

  it('headers that stop half-way get a 408 in the envelope, and the connection closes', async () => {
    const slow = await open(server.url);
    slow.socket.write(`GET ${LIST} HTTP/1.1\r\nHost: x\r\n`);
    await closesWithin(slow, 8_000);
    const { status, head, body } = statusAndBody(slow.received());
    expect(status).toBe(408);
    expect(head).toMatch(/\r\nConnection: close(\r\n|$)/i);
    expect(head).toMatch(/\r\nX-Content-Type-Options: nosniff\r\n/i);
    expect(body).toMatchObject({
      status: { code: 408, text: 'Request Timeout', message: 'The request did not arrive in time: its headers must arrive within 1 s and the whole request within 2 s.' },
    });
  });

  it('a body that stops coming gets the 408 once the whole request is overdue', async () => {
    const { token } = await server.team();
    const slow = await open(server.url);
    slow.socket.write(`POST /api/v1/property/search HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"searchCriteria":`);
    await closesWithin(slow, 10_000);
    expect(statusAndBody(slow.received()).status).toBe(408);
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const { token } = await server.team();
    const client = await open(server.url);
    client.socket.write(request(token));
    await closesWithin(client, 4_000);
    expect(statusAndBody(client.received()).status).toBe(200);
  });
});

describe('connection caps', () => {
  let server: TestServer;
  const held: Socket[] = [];
  beforeAll(async () => {
    server = await startTestServer({ connectionLimits: { maxConnections: 12, maxConnectionsPerAddress: 5 } });
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await server.close();
  });

  it('past the per-address cap, that address gets a 503 while another address is still served', async () => {
    const { token } = await server.team();
    for (let i = 0; i < 5; i++) held.push((await open(server.url, '127.0.0.3')).socket);
    const refused = await open(server.url, '127.0.0.3');
    await closesWithin(refused, 8_000);
    const answer = statusAndBody(refused.received());
    expect(answer.status).toBe(503);
    expect(answer.head).toMatch(/\r\nRetry-After: 1\r\n/i);
    expect(answer.body.status.message).toBe('Too many open connections from this address (at most 5). Close idle ones, or retry after the number of seconds in Retry-After.');

    const other = await open(server.url, '127.0.0.4');
    other.socket.write(request(token));
    await waitForAnswer(other);
    expect(statusAndBody(other.received()).status).toBe(200);
    other.socket.destroy();
  });

  it('past the overall cap, everyone gets a 503 until connections close', async () => {
    const { token } = await server.team();
    const more: Socket[] = [];
    for (const address of ['127.0.0.5', '127.0.0.6']) for (let i = 0; i < 5; i++) more.push((await open(server.url, address)).socket);
    // 5 held from the first test, 10 more: the 13th was refused already, so 12 are open.
    const refused = await open(server.url, '127.0.0.7');
    await closesWithin(refused, 8_000);
    expect(statusAndBody(refused.received()).body.status.message).toBe('The server holds its maximum of 12 open connections. Retry after the number of seconds in Retry-After.');
    for (const socket of more) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const served = await open(server.url, '127.0.0.7');
    served.socket.write(request(token));
    await waitForAnswer(served);
    expect(statusAndBody(served.received()).status).toBe(200);
    served.socket.destroy();
  });
});

async function waitForAnswer(connection: { received: () => string }, ms = 8_000): Promise<void> {
  const until = Date.now() + ms;
  while (!/\r\n\r\n[\s\S]*\}$/.test(connection.received())) {
    if (Date.now() > until) throw new Error(`no answer: ${JSON.stringify(connection.received())}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
