import { describe, expect, it } from 'vitest';
import { hashToken } from '../../server/auth/tokens.js';
import { ensureDemoTeam } from '../../server/admin/bootstrap.js';
import { freshStoreEachTest } from '../support/temp-store.js';

const context = freshStoreEachTest();

describe('ensureDemoTeam', () => {
  it('on an empty store, creates team demo with a token of every ability, once', async () => {
    const created = await ensureDemoTeam(context.store);
    expect(created?.token).toMatch(/^bds_/);

    const demo = await context.store.findTeamByName('demo');
    expect(await context.store.findPrincipal(hashToken(created!.token))).toMatchObject({
      teamId: demo!.id,
      abilities: ['property-search', 'property-search-sessions'],
    });
    expect(await ensureDemoTeam(context.store)).toBeNull();
    expect(await context.store.listTokens(demo!.id)).toHaveLength(1);
  });

  it('leaves a store that already has a team alone', async () => {
    await context.store.createTeam('acme');
    expect(await ensureDemoTeam(context.store)).toBeNull();
    expect(await context.store.findTeamByName('demo')).toBeNull();
  });
});
