// Sessions to delete under load, enough for a whole run: teams of 100 sessions (a team's limit),
// each with its own token, handed out in order so every DELETE names a session that still exists.
import { issueToken } from '../../server/admin/bootstrap.js';
import type { Store } from '../../server/store/store.js';

const SESSIONS_PER_TEAM = 100;

export interface DeleteRequest {
  path: string;
  headers: Record<string, string>;
}

export interface DeletePool {
  /** The next session that exists and has not been deleted yet; throws once the pool is spent. */
  next(): DeleteRequest;
  /** A request of the very same shape and size, for servers that answer anything. */
  lookalike(n: number): DeleteRequest;
}

/** Creates `count` empty sessions `${prefix}0`, `${prefix}1`… for a team, straight in the store's database. */
export type FillSessions = (teamId: number, prefix: string, count: number) => void | Promise<void>;

export async function createDeletePool(store: Store, fillSessions: FillSessions, sessions: number): Promise<DeletePool> {
  const tokens: string[] = [];
  for (let team = 0; team < sessions / SESSIONS_PER_TEAM; team++) {
    const created = await store.createTeam(`delete-${team}`);
    await fillSessions(created.id, 's', SESSIONS_PER_TEAM);
    tokens.push((await issueToken(store, created.id, ['property-search-sessions'])).token);
  }
  const request = (n: number): DeleteRequest => ({
    path: `/api/v2/property/search-sessions/s${n % SESSIONS_PER_TEAM}`,
    headers: { Authorization: `Bearer ${tokens[Math.floor(n / SESSIONS_PER_TEAM) % tokens.length]}` },
  });
  let used = 0;
  return {
    next() {
      if (used >= sessions) throw new Error(`The pool of ${sessions} sessions ran out: make it larger`);
      return request(used++);
    },
    lookalike: request,
  };
}
