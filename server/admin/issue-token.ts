// The one way a token comes into being: the secret goes back to the caller once, the store keeps
// only its hash.
import { generateToken, hashToken } from '../auth/tokens.js';
import type { Ability, Store, TokenInfo } from '../store/store.js';

export async function issueToken(
  store: Store,
  teamId: number,
  abilities: readonly Ability[],
): Promise<{ token: string; info: TokenInfo }> {
  const token = generateToken();
  const info = await store.createToken(teamId, hashToken(token), abilities);
  return { token, info };
}
