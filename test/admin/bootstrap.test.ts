import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../server/auth/tokens.js';
import { ensureDemoTeam } from '../../server/admin/bootstrap.js';
import { openStore } from '../../server/store/open-store.js';
import type { Store } from '../../server/store/store.js';
import { createTempDatabase, type TempDatabase } from '../support/sqlite-fixtures.js';

let temp: TempDatabase;
let store: Store;

beforeEach(async () => {
  temp = createTempDatabase();
  store = await openStore(temp.url, { purge: false });
});

afterEach(async () => {
  await store.close();
  temp.remove();
});

describe('ensureDemoTeam', () => {
  it('on an empty store, creates team demo with a token of every ability, once', async () => {
    const created = await ensureDemoTeam(store);
    expect(created?.token).toMatch(/^bds_/);

    const demo = await store.findTeamByName('demo');
    expect(await store.findPrincipal(hashToken(created!.token))).toMatchObject({
      teamId: demo!.id,
      abilities: ['property-search', 'property-search-sessions'],
    });
    expect(await ensureDemoTeam(store)).toBeNull();
    expect(await store.listTokens(demo!.id)).toHaveLength(1);
  });

  it('leaves a store that already has a team alone', async () => {
    await store.createTeam('acme');
    expect(await ensureDemoTeam(store)).toBeNull();
    expect(await store.findTeamByName('demo')).toBeNull();
  });
});
