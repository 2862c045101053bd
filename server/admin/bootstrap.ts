// A fresh install must be usable without reading the admin docs first: on an empty database the
// server creates a demo team and, once it listens, hands its operator one token, printed at start.
// The token is made only after the listen succeeded, so a start that fails (a busy port) leaves no
// secret behind that nobody saw: the next start finds the demo team without a token and issues it.
import { ABILITIES, type Store, type Team, type Ability, type TokenInfo } from '../store/store.js';
import { generateToken, hashToken } from '../tokens.js';

export const DEMO_TEAM = 'demo';

/** The command that gives an operator a new token for the demo team. */
export const DEMO_TOKEN_COMMAND = `npm run -s admin -- tokens create --team ${DEMO_TEAM} ${ABILITIES.map((ability) => `--ability ${ability}`).join(' ')}`;

/** Creates team `demo` (without a token yet) when the store has no team at all. */
export async function ensureDemoTeam(store: Store): Promise<Team | null> {
  if ((await store.countTeams()) > 0) return null;
  return store.createTeam(DEMO_TEAM);
}

/**
 * Issues the demo team's token of every ability when the team exists and has never had a token:
 * after the first start (`createdByThisStart`), or after a first start that stopped before it could
 * show one. A team created after `startedAt` by someone else is another instance's first start,
 * which shows the token itself. Resolves with the token, or null when there is nothing to issue.
 */
export async function issueDemoTokenIfNone(
  store: Store,
  { createdByThisStart, startedAt }: { createdByThisStart: boolean; startedAt: Date },
): Promise<string | null> {
  const demo = await store.findTeamByName(DEMO_TEAM);
  if (!demo || (!createdByThisStart && demo.createdAt >= startedAt)) return null;
  if ((await store.listTokens(demo.id)).length > 0) return null;
  return (await issueToken(store, demo.id, ABILITIES)).token;
}

// The one way a token comes into being: the secret goes back to the caller once, the store keeps
// only its hash.
export async function issueToken(
  store: Store,
  teamId: number,
  abilities: readonly Ability[],
): Promise<{ token: string; info: TokenInfo }> {
  const token = generateToken();
  const info = await store.createToken(teamId, hashToken(token), abilities);
  return { token, info };
}
