// One place decides how every connection to PostgreSQL behaves, so the server, the admin CLI and the
// tests agree on timeouts and on how numbers come back. Every limit here exists so that a request
// fails within seconds instead of hanging when the database is slow, stuck or gone.
import pg from 'pg';

export interface PoolOptions {
  /** Connections this process may hold; each instance has its own pool. */
  max?: number;
  /** Hears about a connection that broke while idle in the pool (the pool drops it and goes on). */
  onIdleError?: (error: Error) => void;
}

/** Waiting for a connection, new or from a busy pool; past it the request is a 503. */
export const CONNECT_TIMEOUT_MS = 3_000;
/** The server cancels any statement running longer, lock waits included. */
export const STATEMENT_TIMEOUT_MS = 5_000;
/** Our side gives up on an answer that never comes (a frozen server does not cancel anything). */
const QUERY_TIMEOUT_MS = 8_000;
/** A transaction left open by a frozen or partitioned instance must not hold its locks for long. */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 15_000;

// bigint values (counts, keys, ids) and arrays of them come back as strings by default; every value
// here stays far below 2^53, so a JavaScript number is exact.
const INT8_ARRAY_OID = 1016;
// Typed for any oid: pg's own signature only admits the scalar built-ins.
const defaultParser = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => (value: string) => unknown;
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    if (oid === INT8_ARRAY_OID) return (value: string) => (defaultParser(INT8_ARRAY_OID)(value) as string[]).map(Number);
    return defaultParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export function createPool(connectionString: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 10_000,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
    keepAlive: true,
    application_name: 'batchdata-search-sessions',
    types,
  });
  // Without a listener, an idle connection killed by a database restart would crash the process.
  // pg-pool hangs the whole client on the error (its `client`: connection parameters, the backend's
  // process id and cancel key); whoever hears about the error gets the error alone, so a log line
  // never carries them.
  const onIdleError = options.onIdleError ?? (() => undefined);
  pool.on('error', (error) => {
    Reflect.deleteProperty(error, 'client');
    onIdleError(error);
  });
  return pool;
}
