// Direct access to a PostgreSQL store's database for what the Store interface does not offer:
// filling a session's delivered-id state and looking at rows the store hides. Each call opens and
// closes its own connection, so a test can use it while the store is down or being restarted.
import pg from 'pg';

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // A test may stop the cluster under this connection; its next query fails, which is enough.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const SAFE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Creates an empty database through a connection to another one; resolves with its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  if (!SAFE_NAME.test(name)) throw new Error(`Unsafe database name: ${name}`);
  // An identifier cannot be a bind parameter; the name was checked against SAFE_NAME above.
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database, ending whatever connections are left on it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  if (!SAFE_NAME.test(name)) throw new Error(`Unsafe database name: ${name}`);
  await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** The first column of every row, as numbers (bigint comes back as text). */
export async function numbers(url: string, sql: string, values: unknown[] = []): Promise<number[]> {
  return withClient(url, async (client) => (await client.query({ text: sql, values, rowMode: 'array' })).rows.map((row) => Number(row[0])));
}

export async function sessionKeyOf(url: string, teamId: number, sessionId: string): Promise<number | undefined> {
  return (await numbers(url, 'SELECT session_key FROM sessions WHERE team_id = $1 AND id = $2', [teamId, sessionId]))[0];
}

/**
 * Records property ids 1..count as delivered to the session, as searches would have, and returns
 * the session's key. generate_series writes a million rows in a few seconds.
 */
export async function fillDelivered(url: string, teamId: number, sessionId: string, count: number): Promise<number> {
  const key = await sessionKeyOf(url, teamId, sessionId);
  if (key === undefined) throw new Error(`No session ${sessionId} in team ${teamId}`);
  await withClient(url, async (client) => {
    await client.query('BEGIN');
    await client.query('INSERT INTO delivered (session_key, property_id) SELECT $1, n FROM generate_series(1, $2::bigint) n', [key, count]);
    await client.query('UPDATE sessions SET total_delivered = total_delivered + $1, last_request_at = clock_timestamp() WHERE session_key = $2', [count, key]);
    await client.query('COMMIT');
    // Fresh statistics, as autovacuum would have them soon: plans are then what production gets.
    await client.query('ANALYZE delivered');
  });
  return key;
}

export async function countDelivered(url: string, sessionKey: number): Promise<number> {
  return (await numbers(url, 'SELECT count(*) FROM delivered WHERE session_key = $1', [sessionKey]))[0]!;
}

export async function purgeQueue(url: string): Promise<number[]> {
  return numbers(url, 'SELECT session_key FROM purge_queue ORDER BY 1');
}
