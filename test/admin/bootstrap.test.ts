import { describe, expect, it } from 'vitest';
import { hashToken } from '../../server/tokens.js';
import { ensureDemoTeam, issueDemoTokenIfNone } from '../../server/admin/bootstrap.js';
import { freshStoreEachTest } from '../support/databases/temp-store.js';

const context = freshStoreEachTest();

describe('the demo team and its token', () => {
  it('on an empty store, creates team demo, then (once the server listens) a token of every ability, once', async () => {
    const startedAt = new Date();
    const team = await ensureDemoTeam(context.store);
    expect(team?.name).toBe('demo');
    expect(await context.store.listTokens(team!.id)).toHaveLength(0);

    const token = await issueDemoTokenIfNone(context.store, { createdByThisStart: true, startedAt });
    expect(token).toMatch(/^bds_/);
    expect(await context.store.findPrincipal(hashToken(token!))).toMatchObject({
      teamId: team!.id,
      abilities: ['property-search', 'property-search-sessions'],
    });
    expect(await ensureDemoTeam(context.store)).toBeNull();
    expect(await issueDemoTokenIfNone(context.store, { createdByThisStart: false, startedAt: new Date() })).toBeNull();
    expect(await context.store.listTokens(team!.id)).toHaveLength(1);
  });

  it('issues the token at the next start when the first start stopped before it could show one', async () => {
    await ensureDemoTeam(context.store);
    const token = await issueDemoTokenIfNone(context.store, { createdByThisStart: false, startedAt: new Date(Date.now() + 1000) });
    expect(token).toMatch(/^bds_/);
  });

  it('leaves the token to the instance that created the team while this one was starting', async () => {
    const startedAt = new Date(Date.now() - 60_000);
    await ensureDemoTeam(context.store);
    expect(await issueDemoTokenIfNone(context.store, { createdByThisStart: false, startedAt })).toBeNull();
  });

  it('leaves a store that already has a team alone', async () => {
    await context.store.createTeam('acme');
    expect(await ensureDemoTeam(context.store)).toBeNull();
    expect(await context.store.findTeamByName('demo')).toBeNull();
    expect(await issueDemoTokenIfNone(context.store, { createdByThisStart: false, startedAt: new Date(Date.now() + 1000) })).toBeNull();
  });
});
