// A flood of idle connections against the compiled server, run with few file descriptors (256) so
// the flood would exhaust them: without the caps every later connection is reset, the normal
// client's too, and nothing is logged. With them, the flooding address is held to its cap, the
// overflow is answered 503 and closed, and a client from another address is served throughout.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../server/spec.js';
import { openIdleConnection } from '../support/servers/raw-http.js';
import { spawnNodeServer, type ServerProcess } from '../support/servers/server-process.js';
import { waitFor } from '../support/servers/loopback.js';

const FLOOD = 400;
let dir: string;
let server: ServerProcess;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bd-flood-'));
  server = await spawnNodeServer(
    join(PACKAGE_ROOT, 'dist/server/main.js'),
    { DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, MAX_CONNECTIONS: '150', MAX_CONNECTIONS_PER_ADDRESS: '100' },
    { maxOpenFiles: 256 },
  );
  token = /^ {2}(bds_\S+)$/m.exec(server.stdout())![1]!;
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One request from `localAddress` over its own connection; the status, or the error's code. */
function listFrom(url: string, localAddress: string): Promise<number | string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let raw = '';
    const socket = connect({ host: hostname, port: Number(port), localAddress }, () =>
      socket.write(`GET /api/v2/property/search-sessions?take=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`),
    );
    socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')));
    socket.on('data', (chunk) => (raw += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    socket.on('close', () => resolve(Number(raw.split(' ')[1]) || 'no answer'));
  });
}

it('holds a connection flood to its caps, answers the overflow, and keeps serving other clients', async () => {
  const flood: Socket[] = [];
  for (let i = 0; i < FLOOD; i++) flood.push(await openIdleConnection(server.url, '127.0.0.1'));
  try {
    const normal: Array<number | string> = [];
    for (let i = 0; i < 20; i++) normal.push(await listFrom(server.url, '127.0.0.2'));
    expect(normal).toEqual(Array(20).fill(200));
    // The flood's own overflow was answered and closed, not left to pile up.
    await waitFor(() => flood.filter((socket) => socket.destroyed).length >= FLOOD - 100, 15_000, 'the overflow was not closed');
    await waitFor(() => /"msg":"refused connections over the cap"/.test(server.stdout()), 15_000, 'the refusals were not logged');
  } finally {
    for (const socket of flood) socket.destroy();
  }
});
