// A fresh install must be usable without reading the admin docs first: on an empty database the
// server creates a demo team and hands its operator one token, printed once at start.
import { ABILITIES, type Store } from '../store/store.js';
import { issueToken } from './issue-token.js';

export const DEMO_TEAM = 'demo';

/** Creates team `demo` with a token of every ability when the store has no team at all. */
export async function ensureDemoTeam(store: Store): Promise<{ token: string } | null> {
  if ((await store.countTeams()) > 0) return null;
  const team = await store.createTeam(DEMO_TEAM);
  const { token } = await issueToken(store, team.id, ABILITIES);
  return { token };
}
