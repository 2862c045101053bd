// Finding or creating a session inside a transaction, with the locks that make it safe across
// instances: an existing session's row is locked FOR UPDATE (every step of one session takes
// turns), and a new one is created only under its team's row lock, so two instances can never each
// count 99 sessions and each insert one.
import type pg from 'pg';
import { SESSION_SLOTS_PER_TEAM } from '../store.js';

export interface ClaimedSession {
  sessionKey: number;
  totalDelivered: number;
  isNew: boolean;
}

interface SessionRow {
  session_key: number;
  total_delivered: number;
}

const LOCK_SESSION = 'SELECT session_key, total_delivered FROM sessions WHERE team_id = $1 AND id = $2 FOR UPDATE';
// NO KEY UPDATE: it excludes other creators for this team, yet lets foreign-key checks (a token
// being issued to the team) through.
const LOCK_TEAM = 'SELECT 1 FROM teams WHERE id = $1 FOR NO KEY UPDATE';
const INSERT_IF_A_SLOT_IS_FREE = `INSERT INTO sessions (team_id, id)
  SELECT $1, $2 WHERE (SELECT count(*) FROM sessions WHERE team_id = $1) < $3
  RETURNING session_key`;

async function lockSession(client: pg.PoolClient, teamId: number, sessionId: string): Promise<ClaimedSession | null> {
  const row = (await client.query<SessionRow>(LOCK_SESSION, [teamId, sessionId])).rows[0];
  return row ? { sessionKey: row.session_key, totalDelivered: row.total_delivered, isNew: false } : null;
}

/** The session, locked for the rest of the transaction; created if new; null when no slot is free. */
export async function claimSession(client: pg.PoolClient, teamId: number, sessionId: string): Promise<ClaimedSession | null> {
  // The common case, an existing session, never touches the team's lock.
  const existing = await lockSession(client, teamId, sessionId);
  if (existing) return existing;
  await client.query(LOCK_TEAM, [teamId]);
  // Someone may have created it while we waited for the team; each statement sees what has committed.
  const createdMeanwhile = await lockSession(client, teamId, sessionId);
  if (createdMeanwhile) return createdMeanwhile;
  const inserted = (await client.query<SessionRow>(INSERT_IF_A_SLOT_IS_FREE, [teamId, sessionId, SESSION_SLOTS_PER_TEAM])).rows[0];
  return inserted ? { sessionKey: inserted.session_key, totalDelivered: 0, isNew: true } : null;
}
