// One step of a search session. Every step runs inside an IMMEDIATE transaction: SQLite's write lock
// serialises every step of every session, in this process and any other on the same file, so no
// property can be delivered twice. The steps that arrive in one turn of the event loop share that
// transaction (group commit), and each caller hears back only once it has committed. A step reads
// from the (session, query) cursor onwards, so its cost follows the page it returns, not the number
// of properties the session already has.
//
// What a session has been delivered is not all written down. A query's pages deliver its matches
// in id order, skipping only what the session already has, so every match of a query up to its
// cursor has been delivered, by this query or another. For the session's first query (its
// implicit query) that is the whole record: its pages write no ids. Pages of any other query write
// theirs, and leave out both the written ids and the implicit query's matches up to its cursor.
// Most sessions ask one query all their life and so write nothing but the cursor and counters.
import type Database from 'better-sqlite3';
import { queryFromKey, queryKey } from '../query.js';
import { SESSION_SLOTS_PER_TEAM, type DeliveryOutcome, type DeliveryRequest } from '../store.js';
import type { MatchCounts } from './match-counts.js';
import type { PropertyRecords } from '../property-records.js';
import { bindingsOf, type QueryStatements } from './property-statements.js';

function prepareDeliveryStatements(db: Database.Database) {
  return {
    session: db.prepare<[number, string], { session_key: number; total_delivered: number; implicit_query: string | null }>(
      'SELECT session_key, total_delivered, implicit_query FROM sessions WHERE team_id = ? AND id = ?',
    ),
    insertSession: db
      .prepare<[number, string, number, string], number>(
        'INSERT INTO sessions (team_id, id, created_at, implicit_query) VALUES (?, ?, ?, ?) RETURNING session_key',
      )
      .pluck(),
    makeImplicit: db.prepare<[string, number]>('UPDATE sessions SET implicit_query = ? WHERE session_key = ?'),
    // Where this query's pages got to, whether the session has been delivered pages of any other
    // query, and where its implicit query's pages got to.
    cursor: db.prepare<{ sessionKey: number; key: string; implicitKey: string }, { after: number | null; others: number; implicitAfter: number | null }>(
      `SELECT (SELECT last_id FROM delivery_cursors WHERE session_key = @sessionKey AND query_key = @key) AS after,
              EXISTS (SELECT 1 FROM delivery_cursors WHERE session_key = @sessionKey AND query_key <> @key) AS others,
              (SELECT last_id FROM delivery_cursors WHERE session_key = @sessionKey AND query_key = @implicitKey) AS implicitAfter`,
    ),
    saveCursor: db.prepare<[number, string, number]>(
      `INSERT INTO delivery_cursors (session_key, query_key, last_id) VALUES (?, ?, ?)
       ON CONFLICT (session_key, query_key) DO UPDATE SET last_id = excluded.last_id`,
    ),
    /** The page's ids, a JSON array, in one statement rather than one per row. */
    recordDelivered: db.prepare<[number, string]>('INSERT INTO delivered (session_key, property_id) SELECT ?, value FROM json_each(?)'),
    advanceSession: db.prepare<[number, number, number]>(
      'UPDATE sessions SET total_delivered = total_delivered + ?, last_request_at = ? WHERE session_key = ?',
    ),
    idempotentPage: db.prepare<[number, string], { fingerprint: string; property_ids: string; is_new_session: number; total_before: number }>(
      'SELECT fingerprint, property_ids, is_new_session, total_before FROM idempotent_pages WHERE session_key = ? AND key = ?',
    ),
    saveIdempotentPage: db.prepare<[number, string, string, string, number, number, number]>(
      `INSERT INTO idempotent_pages (session_key, key, fingerprint, property_ids, is_new_session, total_before, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}

/** The parameters `undelivered` leaves the implicit query's matches out by; none for null. */
function implicitBindings(implicitKey: string | null, implicitAfter: number) {
  const bindings = { implicitKind: '', implicitZip: '', implicitState: '', implicitCity: '', implicitAfter: 0 };
  if (implicitKey === null) return bindings;
  const query = queryFromKey(implicitKey);
  bindings.implicitKind = query.kind;
  bindings.implicitAfter = implicitAfter;
  if (query.kind === 'zip') bindings.implicitZip = query.zip;
  else bindings.implicitState = query.state;
  if (query.kind === 'city') bindings.implicitCity = query.city;
  return bindings;
}

/** One delivery step, to run inside the caller's IMMEDIATE transaction. */
export function createDeliveryStep(
  db: Database.Database,
  queries: Record<DeliveryRequest['query']['kind'], QueryStatements>,
  matchCounts: MatchCounts,
  records: PropertyRecords,
  countSessions: Database.Statement<[number], number>,
): (request: DeliveryRequest) => DeliveryOutcome {
  const s = prepareDeliveryStatements(db);

  return ({ teamId, sessionId, query, take, idempotency }: DeliveryRequest): DeliveryOutcome => {
    const key = queryKey(query);
    const existing = s.session.get(teamId, sessionId);
    if (!existing && (countSessions.get(teamId) ?? 0) >= SESSION_SLOTS_PER_TEAM) return { kind: 'limit-reached' };
    const sessionKey = existing?.session_key ?? s.insertSession.get(teamId, sessionId, Date.now(), key)!;
    const isNewSession = !existing;
    const totalDeliveredBefore = existing?.total_delivered ?? 0;

    if (idempotency) {
      const earlier = s.idempotentPage.get(sessionKey, idempotency.key);
      if (earlier && earlier.fingerprint !== idempotency.fingerprint) return { kind: 'idempotency-conflict' };
      if (earlier) {
        return {
          kind: 'delivered',
          properties: records.byIds(JSON.parse(earlier.property_ids) as number[]),
          resultsFound: matchCounts.of(query),
          isNewSession: earlier.is_new_session === 1,
          totalDeliveredBefore: earlier.total_before,
        };
      }
    }

    let implicitKey = existing ? existing.implicit_query : key;
    const cursor = s.cursor.get({ sessionKey, key, implicitKey: implicitKey ?? '' })!;
    // A session that has delivered nothing yet takes this query as its implicit one. (One that
    // delivered before implicit queries existed has cursors but none: it writes every id down.)
    if (implicitKey === null && cursor.after === null && !cursor.others) s.makeImplicit.run((implicitKey = key), sessionKey);
    const implicit = implicitKey === key;
    // This query's own earlier pages are behind its cursor; only another query can have delivered
    // an id above it: a session that has only ever asked this query reads its page with no look.
    const ids =
      !cursor.others
        ? queries[query.kind].after.all({ ...bindingsOf(query), after: cursor.after ?? 0, take })
        : queries[query.kind].undelivered.all({
            ...bindingsOf(query),
            after: cursor.after ?? 0,
            sessionKey,
            take,
            ...implicitBindings(implicit || implicitKey === null ? null : implicitKey, cursor.implicitAfter ?? 0),
          });
    const properties = records.byIds(ids);
    if (ids.length > 0) {
      const idList = JSON.stringify(ids);
      if (!implicit) s.recordDelivered.run(sessionKey, idList);
      s.saveCursor.run(sessionKey, key, ids[ids.length - 1]!);
      s.advanceSession.run(ids.length, Date.now(), sessionKey);
      // A page that delivered nothing is not kept: its retry, answered afresh, cannot skip anything.
      if (idempotency) {
        s.saveIdempotentPage.run(sessionKey, idempotency.key, idempotency.fingerprint, idList, isNewSession ? 1 : 0, totalDeliveredBefore, Date.now());
      }
    }
    return { kind: 'delivered', properties, resultsFound: matchCounts.of(query), isNewSession, totalDeliveredBefore };
  };
}
