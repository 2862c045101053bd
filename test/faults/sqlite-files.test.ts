// The SQLite file under a running server, as a neighbour or a careless operator treats it: another
// process (the sqlite3 shell) holding the write lock, and the file deleted under load.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { send, type LoadRequest, type Outcome } from '../support/servers/load.js';
import { spawnServer, type ServerProcess } from '../support/servers/server-process.js';
import { holdWriteLock } from '../support/databases/sqlite-fixtures.js';
import { waitFor } from '../support/servers/loopback.js';

const SESSIONS = '/api/v2/property/search-sessions';
const SEARCH = '/api/v1/property/search';

describe('the compiled server on a SQLite file that others touch', () => {
  let dir: string;
  let file: string;
  let server: ServerProcess;
  let token: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bd-sqlite-files-'));
    file = join(dir, 'batchdata.db');
    server = await spawnServer({ DATABASE_URL: `sqlite:${file}` });
    token = /\n {2}(bds_[A-Za-z0-9_-]+)\n/.exec(server.stdout())![1]!;
  });
  afterEach(async () => {
    await server.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const auth = () => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });
  const page = (sessionId: string, key?: string): LoadRequest => ({
    url: `${server.url}${SEARCH}`,
    init: {
      method: 'POST',
      headers: { ...auth(), ...(key ? { 'Idempotency-Key': key } : {}) },
      body: JSON.stringify({ searchCriteria: { query: 'AZ' }, options: { take: 5, searchSession: sessionId } }),
    },
    label: `page:${sessionId}`,
  });
  const list = (): LoadRequest => ({ url: `${server.url}${SESSIONS}`, init: { headers: auth() }, label: 'list' });
  const remove = (sessionId: string): LoadRequest => ({
    url: `${server.url}${SESSIONS}/${sessionId}`,
    init: { method: 'DELETE', headers: auth() },
    label: 'delete',
  });
  const get = (path: string): LoadRequest => ({ url: `${server.url}${path}`, label: path });

  it("keeps answering reads while another process holds the write lock, and answers writes 503 in bounded time", async () => {
    expect((await send(page('before-lock'))).status).toBe(200);
    const lock = await holdWriteLock(file);
    try {
      // Eight writes queue behind the lock; SQLite's busy timeout waited out on the event loop
      // would hold every request behind them for seconds each.
      const writes = Array.from({ length: 8 }, (_, i) => send(i % 2 ? remove('before-lock') : page(`locked-${i}`)));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const [health, ready, listed] = await Promise.all([send(get('/healthz')), send(get('/readyz')), send(list())]);
      const refused: Outcome[] = await Promise.all(writes);

      expect(health.status).toBe(200);
      expect(listed.status).toBe(200);
      expect(listed.body.results.sessions.map((s: { id: string }) => s.id)).toEqual(['before-lock']);
      // Generous bounds for a shared machine; the failure this guards against took 2 s per queued write.
      for (const prompt of [health, ready, listed]) expect(prompt.ms).toBeLessThan(1_500);
      for (const write of refused) {
        expect(write.status).toBe(503);
        expect(write.headers!.get('retry-after')).toBe('5');
        expect(write.body.status).toEqual({ code: 503, text: 'Service Unavailable', message: expect.any(String) });
        expect(write.ms).toBeLessThan(8_000);
      }
    } finally {
      await lock.release();
    }
    // The lock gone, writes go through again.
    expect((await send(page('after-lock'))).status).toBe(200);
  });

  it('notices the database file deleted under load: /readyz and the log say so, writes are refused', async () => {
    expect((await send(page('doomed'))).status).toBe(200);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });

    await waitFor(async () => (await send(get('/readyz'))).status === 503, 10_000, '/readyz stayed ready');
    const ready = await send(get('/readyz'));
    expect(ready.body).toEqual({ status: 'unavailable', checks: { store: expect.stringContaining(`${file} was deleted`) } });
    const write = await send(page('doomed'));
    expect(write.status).toBe(503);
    expect((await send(remove('doomed'))).status).toBe(503);
    // Reads go on from the open file: the tokens and sessions are still known.
    expect((await send(list())).status).toBe(200);
    // One error line says what happened, once, however many requests were refused since.
    const lines = server.stdout().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
    const told = lines.filter((line) => String(line.msg).includes('was deleted'));
    expect(told).toEqual([expect.objectContaining({ level: 50, msg: expect.stringContaining('writes are refused (503)') })]);
  });
});
