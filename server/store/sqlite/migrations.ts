// The schema's history, oldest first. A database records how many of these it has applied in
// PRAGMA user_version, so a step is applied exactly once and never edited after release: change
// the schema by appending a step.
import type Database from 'better-sqlite3';

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE tokens (
    id         TEXT    PRIMARY KEY,
    team_id    INTEGER NOT NULL REFERENCES teams (id),
    hash       BLOB    NOT NULL UNIQUE,
    abilities  TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  ) STRICT;
  CREATE INDEX tokens_by_team ON tokens (team_id, created_at);

  -- session_key is AUTOINCREMENT so a key is never handed out twice: a session recreated under a
  -- deleted one's id can never see delivered rows the purger has not reached yet.
  CREATE TABLE sessions (
    session_key     INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id         INTEGER NOT NULL REFERENCES teams (id),
    id              TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    last_request_at INTEGER,
    total_delivered INTEGER NOT NULL DEFAULT 0,
    UNIQUE (team_id, id)
  ) STRICT;
  CREATE INDEX sessions_by_team_order ON sessions (team_id, created_at, id);

  -- No foreign key to sessions on purpose: a cascade would make a delete cost as much as the
  -- session's state is large. Rows whose key has no session are garbage for the purger.
  CREATE TABLE delivered (
    session_key INTEGER NOT NULL,
    property_id INTEGER NOT NULL,
    PRIMARY KEY (session_key, property_id)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE purge_queue (
    session_key INTEGER PRIMARY KEY
  ) STRICT;
  `,
  `
  -- AUTOINCREMENT: ids only ever grow, so a property added later sorts after every cursor and is
  -- delivered by a later page. city_key is the city as queries compare it (normalizeCity).
  CREATE TABLE properties (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    street          TEXT    NOT NULL,
    city            TEXT    NOT NULL,
    city_key        TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    zip             TEXT    NOT NULL,
    bedrooms        INTEGER NOT NULL,
    bathrooms       REAL    NOT NULL,
    year_built      INTEGER NOT NULL,
    estimated_value INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX properties_by_zip ON properties (zip, id);
  CREATE INDEX properties_by_state ON properties (state, id);
  CREATE INDEX properties_by_city ON properties (state, city_key, id);

  -- How far each (session, query) has got in id order: a page starts after the last one instead
  -- of stepping over everything the session already has.
  CREATE TABLE delivery_cursors (
    session_key INTEGER NOT NULL,
    query_key   TEXT    NOT NULL,
    last_id     INTEGER NOT NULL,
    PRIMARY KEY (session_key, query_key)
  ) STRICT, WITHOUT ROWID;

  -- A page as it was first answered for an Idempotency-Key, to answer a retry with the same page.
  CREATE TABLE idempotent_pages (
    session_key    INTEGER NOT NULL,
    key            TEXT    NOT NULL,
    fingerprint    TEXT    NOT NULL,
    property_ids   TEXT    NOT NULL,
    is_new_session INTEGER NOT NULL,
    total_before   INTEGER NOT NULL,
    PRIMARY KEY (session_key, key)
  ) STRICT, WITHOUT ROWID;
  `,
  `
  -- A team holds at most 100 sessions, so listing sorts at most 100 rows found through the
  -- (team_id, id) key; this index only made every create and delete write one more B-tree.
  DROP INDEX sessions_by_team_order;
  `,
  `
  -- An Idempotency-Key is honoured for a window (IDEMPOTENCY_WINDOW_MS), then its page is purged
  -- oldest first through this index. Pages stored before this step count as expired.
  ALTER TABLE idempotent_pages ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX idempotent_pages_by_age ON idempotent_pages (created_at);
  `,
  `
  -- Back, after measuring: the list's 100 rows sorted in a temporary B-tree cost a fifth of reading
  -- a 50-session page, and the DELETE that pays for one more B-tree write stays at its floor.
  CREATE INDEX sessions_by_team_order ON sessions (team_id, created_at, id);
  `,
  `
  -- The query whose delivered ids a session does not write down: those are all of its matches up
  -- to its cursor (session-delivery.ts). NULL for a session that has delivered nothing yet, and for
  -- every session that delivered before this step: those keep writing down every id.
  ALTER TABLE sessions ADD COLUMN implicit_query TEXT;
  `,
  `
  -- Secrets the server makes once and every instance on this file shares (the page cursors' key).
  CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
  ) STRICT;
  `,
];

/** Brings the database up to the latest schema; refuses one written by a newer release. */
export function migrate(db: Database.Database): void {
  const apply = db.transaction(() => {
    // Read inside the write lock, so two processes opening a new file cannot both apply step 1.
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `The database schema is version ${current}, newer than this release knows (${MIGRATIONS.length}); ` +
          'upgrade the application instead of opening it with an older one.',
      );
    }
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }
  });
  apply.immediate();
}
