// The PostgreSQL schema's history, oldest first, applied exactly once each and never edited after
// release: change the schema by appending a step. A database records what it has applied in
// schema_migrations. Every instance migrates at start, so two starting at once take turns through
// an advisory lock, and the second finds nothing left to do.
import type pg from 'pg';
import { withConnection } from './transaction.js';

// The tables are the SQLite schema's (sqlite/migrations.ts, whose comments say what each is for),
// in PostgreSQL's types; the comments here are about what differs.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE teams (
    id         bigint         GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text           NOT NULL UNIQUE,
    created_at timestamptz(3) NOT NULL DEFAULT clock_timestamp()
  );

  CREATE TABLE tokens (
    id         text           PRIMARY KEY,
    team_id    bigint         NOT NULL REFERENCES teams (id),
    hash       bytea          NOT NULL UNIQUE,
    abilities  text[]         NOT NULL,
    created_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
    revoked_at timestamptz(3)
  );
  CREATE INDEX tokens_by_team ON tokens (team_id, created_at);

  -- An identity is a sequence, and a sequence never hands a value out twice (not even after a
  -- rollback), so a session recreated under a deleted one's id can never see delivered rows the
  -- purger has not reached yet.
  CREATE TABLE sessions (
    session_key     bigint         GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id         bigint         NOT NULL REFERENCES teams (id),
    id              text           NOT NULL,
    created_at      timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
    last_request_at timestamptz(3),
    total_delivered bigint         NOT NULL DEFAULT 0,
    UNIQUE (team_id, id)
  );
  CREATE INDEX sessions_by_team_order ON sessions (team_id, created_at, id);

  CREATE TABLE delivered (
    session_key bigint NOT NULL,
    property_id bigint NOT NULL,
    PRIMARY KEY (session_key, property_id)
  );

  CREATE TABLE purge_queue (
    session_key bigint PRIMARY KEY
  );

  -- Ids only ever grow, and imports take turns (see property-import.ts), so a property added later
  -- sorts after every cursor and is delivered by a later page. city_key is the city as queries
  -- compare it (normalizeCity).
  CREATE TABLE properties (
    id              bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    street          text             NOT NULL,
    city            text             NOT NULL,
    city_key        text             NOT NULL,
    state           text             NOT NULL,
    zip             text             NOT NULL,
    bedrooms        integer          NOT NULL,
    bathrooms       double precision NOT NULL,
    year_built      integer          NOT NULL,
    estimated_value bigint           NOT NULL
  );
  CREATE INDEX properties_by_zip ON properties (zip, id);
  CREATE INDEX properties_by_state ON properties (state, id);
  CREATE INDEX properties_by_city ON properties (state, city_key, id);

  CREATE TABLE delivery_cursors (
    session_key bigint NOT NULL,
    query_key   text   NOT NULL,
    last_id     bigint NOT NULL,
    PRIMARY KEY (session_key, query_key)
  );

  CREATE TABLE idempotent_pages (
    session_key    bigint   NOT NULL,
    key            text     NOT NULL,
    fingerprint    text     NOT NULL,
    property_ids   bigint[] NOT NULL,
    is_new_session boolean  NOT NULL,
    total_before   bigint   NOT NULL,
    PRIMARY KEY (session_key, key)
  );
  `,
  `
  -- An Idempotency-Key is honoured for a window, then its page is purged oldest first through this index.
  ALTER TABLE idempotent_pages ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
  CREATE INDEX idempotent_pages_by_age ON idempotent_pages (created_at);
  `,
  `
  -- Secrets the server makes once and every instance shares (the page cursors' key).
  CREATE TABLE server_secrets (
    name  text  PRIMARY KEY,
    value bytea NOT NULL
  );
  `,
];

// Any constant works as long as nothing else in the database uses it: "bdmg" in ASCII.
const MIGRATION_LOCK = 0x62646d67;
/** How long an instance waits for another one's migration (and first-start work) to finish. */
const LOCK_WAIT = '120s';

export interface MigrationReport {
  /** The schema version found. */
  from: number;
  /** The schema version left. */
  to: number;
}

async function applyPending(client: pg.PoolClient): Promise<MigrationReport> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer     PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await client.query<{ version: number }>('SELECT coalesce(max(version), 0)::integer AS version FROM schema_migrations');
  const from = rows[0]!.version;
  if (from > MIGRATIONS.length) {
    throw new Error(
      `The database schema is version ${from}, newer than this release knows (${MIGRATIONS.length}); ` +
        'upgrade the application instead of opening it with an older one.',
    );
  }
  for (let version = from; version < MIGRATIONS.length; version++) {
    await client.query('BEGIN');
    await client.query(MIGRATIONS[version]!);
    await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1]);
    await client.query('COMMIT');
  }
  return { from, to: Math.max(from, MIGRATIONS.length) };
}

/**
 * Brings the schema up to date, then runs `whileLocked` (first-start work) before letting the next
 * instance in. The connection is closed afterwards rather than pooled: it carries a longer timeout,
 * and closing it also releases the lock and rolls back a half-applied step if anything failed.
 */
export async function migrate(pool: pg.Pool, whileLocked: () => Promise<void> = async () => {}): Promise<MigrationReport> {
  return withConnection(
    pool,
    async (client) => {
      await client.query(`SET statement_timeout = '${LOCK_WAIT}'`);
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const report = await applyPending(client);
      await whileLocked();
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      return report;
    },
    true,
  );
}
