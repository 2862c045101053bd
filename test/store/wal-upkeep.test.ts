// The WAL gives its space back: after a large transaction the file is not left at its peak size
// for as long as the server runs, but emptied once no write has come for a moment.
import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticProperties } from '../../server/properties/synthetic.js';
import { openStore } from '../../server/store/open-store.js';
import { openDatabase } from '../../server/store/sqlite/connection.js';
import { DatabaseFileUpkeep } from '../../server/store/sqlite/file-upkeep.js';
import { createTempDatabase, type TempDatabase } from '../support/databases/sqlite-fixtures.js';
import { waitFor } from '../support/servers/loopback.js';

const walSize = (file: string) => statSync(`${file}-wal`).size;

describe('the SQLite write-ahead log', () => {
  let temp: TempDatabase;
  beforeEach(() => void (temp = createTempDatabase()));
  afterEach(() => temp.remove());

  it('is emptied when the store is idle after a large import', async () => {
    const store = await openStore(temp.url, { purge: false });
    try {
      await store.importProperties(syntheticProperties(100_000, 5));
      const peak = walSize(temp.file);
      expect(peak).toBeGreaterThan(8 * 1024 * 1024);
      await waitFor(() => walSize(temp.file) === 0, 10_000, `the WAL stayed at ${walSize(temp.file)} bytes (peak ${peak})`);
      // The store goes on as before, and the data is all there.
      expect(await store.countProperties()).toBe(100_000);
      await store.createTeam('after-truncate');
      expect(await store.countTeams()).toBe(1);
    } finally {
      await store.close();
    }
  });

  it("is left alone while another process writes: a truncating checkpoint would take that writer's lock", async () => {
    const server = openDatabase(temp.file);
    const neighbour = openDatabase(temp.file);
    // Looked at by hand, not on its timer, so each look follows exactly the writes before it.
    const upkeep = new DatabaseFileUpkeep(server, temp.file, { intervalMs: 3_600_000 });
    const insertTeam = neighbour.prepare('INSERT INTO teams (name, created_at) VALUES (?, 0)');
    try {
      for (let round = 0; round < 3; round++) {
        insertTeam.run(`neighbour-${round}`);
        await upkeep.check();
        expect(walSize(temp.file), `round ${round}: the idle-looking connection truncated the WAL under a writer`).toBeGreaterThan(0);
      }
      // Nobody wrote since the last look: now it is idle, and the WAL is emptied.
      await upkeep.check();
      expect(walSize(temp.file)).toBe(0);
    } finally {
      await upkeep.close();
      neighbour.close();
      server.close();
    }
  });
});
