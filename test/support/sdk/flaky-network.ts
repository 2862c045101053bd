// Network faults on loopback, for the SDK against the real server: answers lost after the server
// acted, a port nobody listens on, and a server that accepts connections but never answers.
import { createServer, type Server, type Socket } from 'node:net';
import type { Fetch } from '../../../client/responses.js';

/**
 * fetch that delivers each request to the server but loses the answers of the first `count`: the
 * server has acted, the client sees only a network error, as when a connection drops mid-answer.
 */
export function losingAnswers(count: number): { fetch: Fetch; sent: Request[] } {
  let lost = 0;
  const sent: Request[] = [];
  const fetchFn: Fetch = async (request) => {
    sent.push(request.clone());
    const response = await fetch(request);
    if (lost >= count) return response;
    lost += 1;
    await response.arrayBuffer();
    throw new TypeError('fetch failed', { cause: new Error('read ECONNRESET') });
  };
  return { fetch: fetchFn, sent };
}

function listening(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

/** A base URL on loopback where nothing listens: connections are refused. */
export async function refusingUrl(): Promise<string> {
  const server = createServer();
  const port = await listening(server);
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** A server that accepts connections and reads requests but never answers one. */
export async function silentServer(): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  const port = await listening(server);
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
