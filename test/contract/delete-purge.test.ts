// A delete through the API makes a session's delivered-id state unreachable at once and gets it
// physically purged in the background, also when the server dies before the purge and restarts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { call, startTestServer } from '../support/servers/test-server.js';
import type { StoreState } from '../support/databases/store-state.js';
import { waitFor } from '../support/servers/loopback.js';

const BASE = '/api/v2/property/search-sessions';
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Purged: no delivered row left and the key off the queue (it leaves a pass after its last rows). */
async function purged(state: StoreState, key: number): Promise<boolean> {
  return (await state.rowsOf('delivered', key)) === 0 && !(await state.purgeQueue()).includes(key);
}

describe('deleting a session with 1,000,000 delivered ids', () => {
  it('lists the state, deletes it, and purges every row within seconds', async () => {
    const server = await startTestServer();
    try {
      const { teamId, token } = await server.team();
      await server.store.createSession(teamId, 'big');
      const key = await server.state.fillDelivered(teamId, 'big', 1_000_000);
      const listed = await call(server.url, BASE, { token });
      expect(listed.body.results.sessions[0]).toMatchObject({ id: 'big', totalDelivered: 1_000_000 });
      expect(listed.body.results.sessions[0].lastRequestAt).toMatch(/Z$/);

      const deleted = await call(server.url, `${BASE}/big`, { method: 'DELETE', token });
      expectMatchesSpec('deleteSearchSession', deleted);
      expect(deleted.status).toBe(200);
      // Unreachable at once: the session is gone from the list and its id is free again.
      expect((await call(server.url, BASE, { token })).body.results.total).toBe(0);
      expect(await server.store.createSession(teamId, 'big')).toBe('created');
      expect(await server.state.sessionKeyOf(teamId, 'big')).not.toBe(key);

      await waitFor(() => purged(server.state, key), 10_000, 'delivered rows or queue entry not purged within 10 s');
    } finally {
      await server.close();
    }
  });

  it('finishes the purge after a crash: a server restarted on the same file purges what is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bd-purge-'));
    dirs.push(dir);
    // The first server never purges, as if it died right after answering the delete.
    const first = await startTestServer({ dir, purge: false });
    const { teamId, token } = await first.team();
    await first.store.createSession(teamId, 'crashy');
    const key = await first.state.fillDelivered(teamId, 'crashy', 200_000);
    expect((await call(first.url, `${BASE}/crashy`, { method: 'DELETE', token })).status).toBe(200);
    await first.close();
    expect(await first.state.rowsOf('delivered', key)).toBe(200_000);
    expect(await first.state.purgeQueue()).toContain(key);

    const second = await startTestServer({ dir });
    try {
      await waitFor(() => purged(second.state, key), 10_000, 'purge did not resume after restart');
      // And the deleted session stays deleted.
      expect((await call(second.url, `${BASE}/crashy`, { method: 'DELETE', token })).status).toBe(404);
    } finally {
      await second.close();
    }
  });
});
