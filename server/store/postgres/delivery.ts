// One step of a search session, in one transaction that holds the session's row lock from the first
// statement to the commit: steps of one session take turns, on every instance, so no property can
// be delivered twice. The page starts after the (session, query) cursor (undelivered.ts), so its
// cost follows the page it returns, not the number of properties the session already has. Same
// semantics as the SQLite store's session-delivery.ts.
import type pg from 'pg';
import { queryKey, type PropertyQuery } from '../query.js';
import type { DeliveryOutcome, DeliveryRequest, PropertyRecord } from '../store.js';
import type { MatchCounts } from './match-counts.js';
import { PROPERTY_ARRAY } from './property-sql.js';
import { claimSession } from './session-claim.js';
import { nextUndelivered } from './undelivered.js';

const CURSOR = 'SELECT last_id FROM delivery_cursors WHERE session_key = $1 AND query_key = $2';

/** A page answered before, by its ids. */
async function propertiesById(client: pg.PoolClient, ids: number[]): Promise<PropertyRecord[]> {
  const text = `SELECT ${PROPERTY_ARRAY} AS properties FROM properties p WHERE p.id = ANY ($1::bigint[])`;
  return (await client.query<{ properties: PropertyRecord[] }>(text, [ids])).rows[0]!.properties;
}

// One statement records the page: the ids, the cursor at the page's last id, the session's figures.
const RECORD_PAGE = `WITH recorded AS (
    INSERT INTO delivered (session_key, property_id) SELECT $1, unnest($2::bigint[])
  ), moved AS (
    INSERT INTO delivery_cursors (session_key, query_key, last_id) VALUES ($1, $3, $4)
    ON CONFLICT (session_key, query_key) DO UPDATE SET last_id = excluded.last_id
  )
  UPDATE sessions SET total_delivered = total_delivered + $5, last_request_at = clock_timestamp() WHERE session_key = $1`;

const EARLIER_PAGE = `SELECT fingerprint, property_ids, is_new_session, total_before
  FROM idempotent_pages WHERE session_key = $1 AND key = $2`;

const SAVE_PAGE = `INSERT INTO idempotent_pages (session_key, key, fingerprint, property_ids, is_new_session, total_before)
  VALUES ($1, $2, $3, $4, $5, $6)`;

interface EarlierPage {
  fingerprint: string;
  property_ids: number[];
  is_new_session: boolean;
  total_before: number;
}

/** Runs inside a transaction the caller commits. */
export async function deliverStep(client: pg.PoolClient, request: DeliveryRequest, counts: MatchCounts): Promise<DeliveryOutcome> {
  const { teamId, sessionId, query, take, idempotency } = request;
  const session = await claimSession(client, teamId, sessionId);
  if (!session) return { kind: 'limit-reached' };
  const { sessionKey, isNew: isNewSession, totalDelivered: totalDeliveredBefore } = session;

  if (idempotency) {
    const earlier = (await client.query<EarlierPage>(EARLIER_PAGE, [sessionKey, idempotency.key])).rows[0];
    if (earlier && earlier.fingerprint !== idempotency.fingerprint) return { kind: 'idempotency-conflict' };
    if (earlier) {
      return {
        kind: 'delivered',
        properties: await propertiesById(client, earlier.property_ids),
        resultsFound: await counts.of(client, query),
        isNewSession: earlier.is_new_session,
        totalDeliveredBefore: earlier.total_before,
      };
    }
  }

  const key = queryKey(query);
  const cursor = (await client.query<{ last_id: number }>(CURSOR, [sessionKey, key])).rows[0]?.last_id ?? 0;
  const properties = await nextUndelivered(client, sessionKey, query, cursor, take);
  const ids = properties.map((property) => property.id);
  if (ids.length > 0) await client.query(RECORD_PAGE, [sessionKey, ids, key, ids[ids.length - 1], ids.length]);
  // A page that delivered nothing is not kept: its retry, answered afresh, cannot skip anything.
  if (idempotency && ids.length > 0) {
    await client.query(SAVE_PAGE, [sessionKey, idempotency.key, idempotency.fingerprint, ids, isNewSession, totalDeliveredBefore]);
  }
  return { kind: 'delivered', properties, resultsFound: await counts.of(client, query), isNewSession, totalDeliveredBefore };
}
