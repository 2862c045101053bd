// The WAL gives its space back: after a large transaction the file is not left at its peak size
// for as long as the server runs, but emptied once no write has come for a moment.
import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticProperties } from '../../server/properties/synthetic.js';
import { openStore } from '../../server/store/open-store.js';
import { createTempDatabase, type TempDatabase } from '../support/sqlite-fixtures.js';
import { waitFor } from '../support/wait-for.js';

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
});
