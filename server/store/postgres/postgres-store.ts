// The Store on PostgreSQL, for any number of server instances sharing one database. Every method
// is one statement or one short transaction on a pooled connection; whatever must not happen twice
// across instances is serialised by a row lock in the database, never by anything in this process.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { generateTokenId } from '../../tokens.js';
import { asOffset, type PropertyQuery } from '../query.js';
import {
  PAGE_CURSOR_SECRET_NAME,
  ABILITIES,
  type Ability,
  type CreateSessionOutcome,
  type DeliveryOutcome,
  type DeliveryRequest,
  type NewProperty,
  type Principal,
  type PropertyPage,
  type SessionPage,
  type SessionRecord,
  type Store,
  type Team,
  type TokenInfo,
  type StoreStats,
  type WalkPage,
  type WalkPosition,
  StoreUnavailableError,
} from '../store.js';
import type { BatchLoop } from '../batch-loop.js';
import { deliverStep } from './delivery.js';
import { MatchCounts } from './match-counts.js';
import { importProperties } from './property-import.js';
import { matches, Parameters, PROPERTY_ARRAY } from './property-sql.js';
import { withJsonText } from '../../json-text.js';
import { PageCache } from '../page-cache.js';
import { claimSession } from './session-claim.js';
import { inTransaction } from './transaction.js';
import { guarded } from './unavailable.js';

// Columns are aliased to the Store's names, so most rows need no mapping at all.
const TEAM = 'id, name, created_at AS "createdAt"';
const TOKEN = 'id, team_id AS "teamId", abilities, created_at AS "createdAt", revoked_at AS "revokedAt"';
const SESSION = 'id, total_delivered AS "totalDelivered", created_at AS "createdAt", last_request_at AS "lastRequestAt"';

// An ability this release does not know (written by a newer one) grants nothing rather than failing.
const known = (abilities: readonly string[]): Ability[] => ABILITIES.filter((ability) => abilities.includes(ability));
const withKnownAbilities = <T extends { abilities: string[] }>(row: T) => ({ ...row, abilities: known(row.abilities) });

// One statement, so the page and the total describe the same moment; the lateral join leaves one
// row with a null id when the page is empty, which still carries the total.
const SESSION_PAGE = `SELECT s.*, t.total FROM (SELECT count(*) AS total FROM sessions WHERE team_id = $1) t
  LEFT JOIN LATERAL (
    SELECT ${SESSION} FROM sessions WHERE team_id = $1 ORDER BY created_at, id LIMIT $2 OFFSET $3
  ) s ON true`;

// Scoped by team in the statement itself: "absent" and "another team's" are one outcome. The key
// is queued in the same statement, so the slot is free and the state unreachable at commit.
const DELETE_SESSION = `WITH gone AS (DELETE FROM sessions WHERE team_id = $1 AND id = $2 RETURNING session_key),
  queued AS (INSERT INTO purge_queue (session_key) SELECT session_key FROM gone)
  SELECT session_key FROM gone`;


export class PostgresStore implements Store {
  private closing: Promise<void> | null = null;
  private readonly matchCounts = new MatchCounts();
  private readonly pages = new PageCache();

  constructor(
    private readonly pool: pg.Pool,
    private readonly purger: BatchLoop | null,
  ) {}

  async findPrincipal(tokenHash: string): Promise<Principal | null> {
    const row = await this.one<{ tokenId: string; teamId: number; abilities: string[] }>(
      'SELECT id AS "tokenId", team_id AS "teamId", abilities FROM tokens WHERE hash = $1 AND revoked_at IS NULL',
      [Buffer.from(tokenHash, 'hex')],
    );
    return row ? withKnownAbilities(row) : null;
  }

  async listSessions(teamId: number, skip: number, take: number): Promise<SessionPage> {
    const rows = await this.rows<SessionRecord & { total: number }>(SESSION_PAGE, [teamId, take, asOffset(skip)]);
    return {
      sessions: rows.filter((row) => row.id !== null).map(({ total: _total, ...session }) => session),
      total: rows[0]?.total ?? 0,
    };
  }

  async deleteSession(teamId: number, sessionId: string): Promise<boolean> {
    const deleted = (await this.rows(DELETE_SESSION, [teamId, sessionId])).length === 1;
    if (deleted) this.purger?.wake();
    return deleted;
  }

  async createSession(teamId: number, sessionId: string): Promise<CreateSessionOutcome> {
    return this.transaction(async (client) => {
      const session = await claimSession(client, teamId, sessionId);
      if (!session) return 'limit-reached';
      return session.isNew ? 'created' : 'exists';
    });
  }

  async searchProperties(query: PropertyQuery, skip: number, take: number): Promise<PropertyPage> {
    // resultsFound first, with the highest id it covers: the page is read up to that id, so both
    // describe the same moment, and a remembered page is still true if it is full or nothing was added.
    const { count, upTo } = await this.use(() => this.matchCounts.measure(this.pool, query));
    let properties = this.pages.get(query, skip, take, upTo);
    if (!properties) {
      const parameters = new Parameters();
      const page = await this.one<{ properties: PropertyPage['properties'] }>(
        `SELECT ${PROPERTY_ARRAY} AS properties
           FROM (SELECT p.* FROM properties p WHERE ${matches(query, parameters)} AND p.id <= ${parameters.add(upTo)}
                  ORDER BY p.id LIMIT ${parameters.add(take)} OFFSET ${parameters.add(asOffset(skip))}) p`,
        parameters.values,
      );
      properties = withJsonText(page!.properties);
      this.pages.set(query, skip, take, upTo, properties);
    }
    return { properties, resultsFound: count };
  }

  async walkProperties(query: PropertyQuery, position: WalkPosition | null, take: number): Promise<WalkPage> {
    // A first page pins the walk to the highest id its count covers: that count is then exact.
    let upToId: number;
    let resultsFound: number;
    if (position) ({ upToId, resultsFound } = position);
    else ({ upTo: upToId, count: resultsFound } = await this.use(() => this.matchCounts.measure(this.pool, query)));
    const afterId = position?.afterId ?? 0;
    const parameters = new Parameters();
    // One more than the page: whether it exists is whether the walk goes on.
    const page = await this.one<{ properties: WalkPage['properties'] }>(
      `SELECT ${PROPERTY_ARRAY} AS properties
         FROM (SELECT p.* FROM properties p
                WHERE ${matches(query, parameters)} AND p.id > ${parameters.add(afterId)} AND p.id <= ${parameters.add(upToId)}
                ORDER BY p.id LIMIT ${parameters.add(take + 1)}) p`,
      parameters.values,
    );
    const rows = page!.properties;
    const hasMore = rows.length > take;
    const properties = withJsonText(hasMore ? rows.slice(0, take) : rows);
    return { properties, hasMore, position: { afterId: properties.at(-1)?.id ?? afterId, upToId, resultsFound } };
  }

  async pageCursorSecret(): Promise<Buffer> {
    // DO NOTHING: when another instance made it first, theirs is the one every instance uses.
    const made = await this.one<{ value: Buffer }>(
      `WITH made AS (INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING value)
       SELECT value FROM made UNION ALL SELECT value FROM server_secrets WHERE name = $1`,
      [PAGE_CURSOR_SECRET_NAME, randomBytes(32)],
    );
    if (made) return made.value;
    // The other instance committed while this statement ran: its snapshot predates that row.
    return (await this.one<{ value: Buffer }>('SELECT value FROM server_secrets WHERE name = $1', [PAGE_CURSOR_SECRET_NAME]))!.value;
  }

  async deliver(request: DeliveryRequest): Promise<DeliveryOutcome> {
    return this.transaction((client) => deliverStep(client, request, this.matchCounts));
  }

  async importProperties(batches: AsyncIterable<NewProperty[]>): Promise<number> {
    return this.use(() => importProperties(this.pool, batches));
  }

  async countProperties(): Promise<number> {
    return (await this.one<{ count: number }>('SELECT count(*) FROM properties'))!.count;
  }

  async createTeam(name: string): Promise<Team> {
    return (await this.one<Team>(`INSERT INTO teams (name) VALUES ($1) RETURNING ${TEAM}`, [name]))!;
  }

  async findTeamByName(name: string): Promise<Team | null> {
    return this.one<Team>(`SELECT ${TEAM} FROM teams WHERE name = $1`, [name]);
  }

  async countTeams(): Promise<number> {
    return (await this.one<{ count: number }>('SELECT count(*) FROM teams'))!.count;
  }

  async stats(): Promise<StoreStats> {
    return (await this.one<StoreStats>(
      `SELECT count(*) AS "sessions", coalesce(sum(total_delivered), 0)::int8 AS "deliveredRows",
              (SELECT count(*) FROM purge_queue) AS "purgeBacklog"
         FROM sessions`,
    ))!;
  }

  async createToken(teamId: number, tokenHash: string, abilities: readonly Ability[]): Promise<TokenInfo> {
    const row = await this.one<TokenInfo & { abilities: string[] }>(
      `INSERT INTO tokens (id, team_id, hash, abilities) VALUES ($1, $2, $3, $4) RETURNING ${TOKEN}`,
      [generateTokenId(), teamId, Buffer.from(tokenHash, 'hex'), known(abilities)],
    );
    return withKnownAbilities(row!);
  }

  async listTokens(teamId: number): Promise<TokenInfo[]> {
    const rows = await this.rows<TokenInfo & { abilities: string[] }>(
      `SELECT ${TOKEN} FROM tokens WHERE team_id = $1 ORDER BY created_at, id`,
      [teamId],
    );
    return rows.map(withKnownAbilities);
  }

  async revokeToken(tokenId: string): Promise<boolean> {
    return (await this.rows('UPDATE tokens SET revoked_at = clock_timestamp() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [tokenId])).length === 1;
  }

  async ping(): Promise<void> {
    await this.rows('SELECT 1 FROM teams LIMIT 1');
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.purger?.close();
      await this.pool.end();
    })();
    return this.closing;
  }

  private use<T>(work: () => Promise<T>): Promise<T> {
    // During shutdown a late request should hear "come back later", not a closed pool's error.
    if (this.closing) return Promise.reject(new StoreUnavailableError(new Error('The PostgreSQL store is closed.')));
    return guarded(work);
  }

  private rows<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    return this.use(async () => (await this.pool.query<T>(text, values)).rows);
  }

  private async one<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T | null> {
    return (await this.rows<T>(text, values))[0] ?? null;
  }

  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.use(() => inTransaction(this.pool, work));
  }
}
