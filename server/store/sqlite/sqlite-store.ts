// The embedded Store. better-sqlite3 is synchronous and serialises every call of this process, so
// each method is one short transaction; the async signatures are for stores that do real I/O.
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { generateTokenId } from '../../tokens.js';
import {
  PAGE_CURSOR_SECRET_NAME,
  SESSION_SLOTS_PER_TEAM,
  type Ability,
  type CreateSessionOutcome,
  type DeliveryOutcome,
  type DeliveryRequest,
  type FreshSince,
  type NewProperty,
  type Principal,
  type PropertyPage,
  type SessionPage,
  type Store,
  type Team,
  type TokenInfo,
  type StoreStats,
  type WalkPage,
  type WalkPosition,
  StoreUnavailableError,
} from '../store.js';
import { type PropertyQuery, asOffset } from '../query.js';
import { PageCache } from '../page-cache.js';
import { VersionedLru } from '../lru.js';
import { MatchCounts } from './match-counts.js';
import { importProperties } from './property-import.js';
import { bindingsOf, prepareQueryStatements, prepareRecordsById, type QueryStatements } from './property-statements.js';
import { PropertyRecords } from '../property-records.js';
import type { DeliveredPurger } from './purger.js';
import { GroupCommit } from './group-commit.js';
import { createDeliveryStep } from './session-delivery.js';
import { SessionLists } from './session-lists.js';
import { OthersCommits } from './connection.js';
import {
  serializeAbilities,
  toPrincipal,
  toSessionRecord,
  toTeam,
  toTokenInfo,
  type SessionRow,
  type TeamRow,
  type TokenRow,
} from './rows.js';
import { retryWhileBusy } from './busy-wait.js';
import type { DatabaseFileUpkeep } from './file-upkeep.js';
import { isUnavailable } from './unavailable.js';

type Statements = ReturnType<typeof prepareStatements>;

/** Tokens whose principal is remembered: far more than clients call at once, far fewer than could exist. */
const PRINCIPALS_REMEMBERED = 10_000;

function prepareStatements(db: Database.Database) {
  return {
    principal: db.prepare<[Buffer], Pick<TokenRow, 'id' | 'team_id' | 'abilities'>>(
      'SELECT id, team_id, abilities FROM tokens WHERE hash = ? AND revoked_at IS NULL',
    ),
    // Each session as the JSON text [id, total_delivered, created_at, last_request_at] (see
    // property-statements.ts on why JSON).
    sessionPage: db
      .prepare<[number, number, number], string>(
        `SELECT json_array(id, total_delivered, created_at, last_request_at) FROM sessions
          WHERE team_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?`,
      )
      .pluck(),
    countSessions: db.prepare<[number], number>('SELECT count(*) FROM sessions WHERE team_id = ?').pluck(),
    sessionExists: db.prepare<[number, string], number>('SELECT 1 FROM sessions WHERE team_id = ? AND id = ?').pluck(),
    insertSession: db.prepare<[number, string, number]>('INSERT INTO sessions (team_id, id, created_at) VALUES (?, ?, ?)'),
    // Scoped by team in the statement itself: "absent" and "another team's" are one outcome.
    deleteSession: db
      .prepare<[number, string], number>('DELETE FROM sessions WHERE team_id = ? AND id = ? RETURNING session_key')
      .pluck(),
    enqueuePurge: db.prepare<[number]>('INSERT OR IGNORE INTO purge_queue (session_key) VALUES (?)'),
    insertTeam: db.prepare<[string, number], TeamRow>(
      'INSERT INTO teams (name, created_at) VALUES (?, ?) RETURNING id, name, created_at',
    ),
    teamByName: db.prepare<[string], TeamRow>('SELECT id, name, created_at FROM teams WHERE name = ?'),
    countTeams: db.prepare<[], number>('SELECT count(*) FROM teams').pluck(),
    stats: db.prepare<[], StoreStats>(
      `SELECT count(*) AS sessions, coalesce(sum(total_delivered), 0) AS deliveredRows,
              (SELECT count(*) FROM purge_queue) AS purgeBacklog
         FROM sessions`,
    ),
    insertToken: db.prepare<[string, number, Buffer, string, number], TokenRow>(
      `INSERT INTO tokens (id, team_id, hash, abilities, created_at) VALUES (?, ?, ?, ?, ?)
       RETURNING id, team_id, abilities, created_at, revoked_at`,
    ),
    tokensOfTeam: db.prepare<[number], TokenRow>(
      `SELECT id, team_id, abilities, created_at, revoked_at FROM tokens
        WHERE team_id = ? ORDER BY created_at, id`,
    ),
    revokeToken: db.prepare<[number, string]>('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    ping: db.prepare('SELECT 1 FROM teams LIMIT 1'),
    countProperties: db.prepare<[], number>('SELECT count(*) FROM properties').pluck(),
    addSecret: db.prepare<[string, Buffer]>('INSERT OR IGNORE INTO server_secrets (name, value) VALUES (?, ?)'),
    secret: db.prepare<[string], Buffer>('SELECT value FROM server_secrets WHERE name = ?').pluck(),
  };
}

export class SqliteStore implements Store {
  private readonly statements: Statements;
  private readonly readSessionPage: (teamId: number, skip: number, take: number) => SessionPage;
  private readonly removeSession: GroupCommit<[teamId: number, sessionId: string], boolean>;
  private readonly addSession: { immediate: (teamId: number, sessionId: string) => CreateSessionOutcome };
  private readonly queries: Record<PropertyQuery['kind'], QueryStatements>;
  private readonly deliveries: GroupCommit<[request: DeliveryRequest], DeliveryOutcome>;
  private readonly matchCounts: MatchCounts;
  private readonly readPage: (query: PropertyQuery, skip: number, take: number) => PropertyPage;
  private readonly readWalk: (query: PropertyQuery, position: WalkPosition | null, take: number) => WalkPage;
  private readonly pages = new PageCache();
  private readonly records: PropertyRecords;
  /** Principals by token hash (findPrincipal), true until another connection commits. */
  private readonly principals = new VersionedLru<string, Principal>(PRINCIPALS_REMEMBERED);
  private readonly lists = new SessionLists();
  /** What the principals, the lists and the highest property id are remembered until. */
  private readonly othersCommits: OthersCommits;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly purger: DeliveredPurger | null,
    private readonly files: DatabaseFileUpkeep | null = null,
  ) {
    const s = (this.statements = prepareStatements(db));
    this.othersCommits = new OthersCommits(db);

    // One read transaction, so the page and the total describe the same moment.
    this.readSessionPage = db.transaction((teamId: number, skip: number, take: number) => ({
      sessions: (JSON.parse(`[${s.sessionPage.all(teamId, take, skip).join(',')}]`) as SessionRow[]).map(toSessionRecord),
      total: s.countSessions.get(teamId) ?? 0,
    }));

    // Unlinking the row frees the slot and the id at once; the delivered rows, however many,
    // become the purger's business through the queue entry written in the same transaction. The
    // deletes of one turn of the event loop share that transaction (group commit).
    this.removeSession = new GroupCommit(db, (teamId: number, sessionId: string) => {
      this.lists.forget(teamId);
      const sessionKey = s.deleteSession.get(teamId, sessionId);
      if (sessionKey === undefined) return false;
      s.enqueuePurge.run(sessionKey);
      return true;
    });

    // IMMEDIATE takes the write lock before counting, so no other writer can fill the last slot
    // between the count and the insert.
    this.addSession = db.transaction((teamId: number, sessionId: string): CreateSessionOutcome => {
      this.lists.forget(teamId);
      if (s.sessionExists.get(teamId, sessionId) !== undefined) return 'exists';
      if ((s.countSessions.get(teamId) ?? 0) >= SESSION_SLOTS_PER_TEAM) return 'limit-reached';
      s.insertSession.run(teamId, sessionId, Date.now());
      return 'created';
    });

    this.queries = prepareQueryStatements(db);
    this.records = new PropertyRecords(prepareRecordsById(db));
    // One read transaction, so the page and resultsFound describe the same moment.
    this.readPage = db.transaction((query: PropertyQuery, skip: number, take: number): PropertyPage => {
      const upToId = this.matchCounts.highest();
      let properties = this.pages.get(query, skip, take, upToId);
      if (!properties) {
        properties = this.records.byIds(this.queries[query.kind].page.all({ ...bindingsOf(query), skip, take }));
        this.pages.set(query, skip, take, upToId, properties);
      }
      return { properties, resultsFound: this.matchCounts.of(query, upToId) };
    });
    // One read transaction, so a first page and the walk's pinned end and count describe one moment.
    this.readWalk = db.transaction((query: PropertyQuery, position: WalkPosition | null, take: number): WalkPage => {
      const upToId = position?.upToId ?? this.matchCounts.highest();
      const resultsFound = position?.resultsFound ?? this.matchCounts.of(query, upToId);
      const afterId = position?.afterId ?? 0;
      // One more than the page: whether it exists is whether the walk goes on.
      const ids = this.queries[query.kind].walk.all({ ...bindingsOf(query), after: afterId, upTo: upToId, take: take + 1 });
      const hasMore = ids.length > take;
      const properties = this.records.byIds(hasMore ? ids.slice(0, take) : ids);
      return { properties, hasMore, position: { afterId: properties.at(-1)?.id ?? afterId, upToId, resultsFound } };
    });
    this.matchCounts = new MatchCounts(db, this.queries);
    const deliver = createDeliveryStep(db, this.queries, this.matchCounts, this.records, s.countSessions);
    this.deliveries = new GroupCommit(db, (request: DeliveryRequest) => {
      this.lists.forget(request.teamId);
      return deliver(request);
    });
  }

  async searchProperties(query: PropertyQuery, skip: number, take: number, freshSince = performance.now()): Promise<PropertyPage> {
    const offset = asOffset(skip);
    return this.use(() => this.rememberedPage(query, offset, take, freshSince) ?? this.readPage(query, offset, take));
  }

  /**
   * A page answered from what is remembered, when both the page and its count still hold for the
   * highest id as of a moment since the request arrived: no transaction, since nothing else is read.
   */
  private rememberedPage(query: PropertyQuery, skip: number, take: number, freshSince: FreshSince): PropertyPage | undefined {
    const upToId = this.matchCounts.highestAsOf(this.othersCommits.since(freshSince));
    const properties = this.pages.get(query, skip, take, upToId);
    if (!properties) return undefined;
    const resultsFound = this.matchCounts.remembered(query, upToId);
    return resultsFound === undefined ? undefined : { properties, resultsFound };
  }

  async walkProperties(query: PropertyQuery, position: WalkPosition | null, take: number): Promise<WalkPage> {
    return this.use(() => this.readWalk(query, position, take));
  }

  async pageCursorSecret(): Promise<Buffer> {
    const existing = await this.use(() => this.statements.secret.get(PAGE_CURSOR_SECRET_NAME));
    if (existing) return existing;
    // OR IGNORE: when another process made it first, theirs is the one every instance uses.
    return this.write(() => {
      this.statements.addSecret.run(PAGE_CURSOR_SECRET_NAME, randomBytes(32));
      return this.statements.secret.get(PAGE_CURSOR_SECRET_NAME)!;
    });
  }

  async deliver(request: DeliveryRequest): Promise<DeliveryOutcome> {
    return this.write(() => this.deliveries.submit(request));
  }

  async importProperties(batches: AsyncIterable<NewProperty[]>): Promise<number> {
    await this.write(() => undefined); // refuses once the store is closing, or its file is gone
    try {
      return await importProperties(this.db, batches);
    } catch (error) {
      throw isUnavailable(error) ? new StoreUnavailableError(error) : error;
    } finally {
      // This connection's own commit does not move data_version: before the caller hears of it.
      this.matchCounts.forgetHighest();
    }
  }

  async countProperties(): Promise<number> {
    return this.use(() => this.statements.countProperties.get() ?? 0);
  }

  // Every request names its token, so the principals found are remembered. A token's team and
  // abilities never change; it can only be revoked. A revocation through this store forgets them
  // all, and so does any commit from another connection (the admin CLI, another instance), which
  // PRAGMA data_version reports: a remembered principal is only used while the database holds
  // nothing this connection has not seen, as of a check made since the request arrived. Unknown
  // tokens are not remembered.
  async findPrincipal(tokenHash: string, freshSince = performance.now()): Promise<Principal | null> {
    return this.use(() => {
      this.principals.revalidate(this.othersCommits.since(freshSince));
      const known = this.principals.get(tokenHash);
      if (known) return known;
      const row = this.statements.principal.get(Buffer.from(tokenHash, 'hex'));
      if (!row) return null;
      const principal = toPrincipal(row);
      Object.freeze(principal.abilities);
      Object.freeze(principal);
      this.principals.set(tokenHash, principal);
      return principal;
    });
  }

  async listSessions(teamId: number, skip: number, take: number, freshSince = performance.now()): Promise<SessionPage> {
    const offset = asOffset(skip);
    return this.use(() => this.lists.get(teamId, offset, take, this.othersCommits.since(freshSince), () => this.readSessionPage(teamId, offset, take)));
  }

  async deleteSession(teamId: number, sessionId: string): Promise<boolean> {
    const deleted = await this.write(() => this.removeSession.submit(teamId, sessionId));
    if (deleted) this.purger?.wake();
    return deleted;
  }

  async createSession(teamId: number, sessionId: string): Promise<CreateSessionOutcome> {
    return this.write(() => this.addSession.immediate(teamId, sessionId));
  }

  async createTeam(name: string): Promise<Team> {
    return this.write(() => toTeam(this.statements.insertTeam.get(name, Date.now())!));
  }

  async findTeamByName(name: string): Promise<Team | null> {
    return this.use(() => {
      const row = this.statements.teamByName.get(name);
      return row ? toTeam(row) : null;
    });
  }

  async countTeams(): Promise<number> {
    return this.use(() => this.statements.countTeams.get() ?? 0);
  }

  async stats(): Promise<StoreStats> {
    return this.use(() => this.statements.stats.get()!);
  }

  async createToken(teamId: number, tokenHash: string, abilities: readonly Ability[]): Promise<TokenInfo> {
    return this.write(() => {
      const row = this.statements.insertToken.get(generateTokenId(), teamId, Buffer.from(tokenHash, 'hex'), serializeAbilities(abilities), Date.now());
      return toTokenInfo(row!);
    });
  }

  async listTokens(teamId: number): Promise<TokenInfo[]> {
    return this.use(() => this.statements.tokensOfTeam.all(teamId).map(toTokenInfo));
  }

  async revokeToken(tokenId: string): Promise<boolean> {
    return this.write(() => {
      this.principals.clear();
      return this.statements.revokeToken.run(Date.now(), tokenId).changes === 1;
    });
  }

  async ping(): Promise<void> {
    await this.use(() => this.statements.ping.get());
    // Answering from a deleted file is not being ready: nothing written now would survive a restart.
    const problem = this.files?.problem;
    if (problem) throw new StoreUnavailableError(new Error(problem), 5, problem);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      // Deletes already accepted are committed, not dropped, before the handle goes.
      this.removeSession.flush();
      this.deliveries.flush();
      await this.files?.close();
      await this.purger?.close();
      this.db.close();
    })();
    return this.closing;
  }

  /** A call that only reads: answered even while another process holds the write lock (WAL). */
  private use<T>(work: () => T): T | Promise<T> {
    // During shutdown a late request should hear "come back later", not crash on a closed handle.
    if (this.closing) throw new StoreUnavailableError(new Error('The SQLite store is closed.'));
    return retryWhileBusy(work);
  }

  /** A call that writes: refused while the database file is missing, since nothing of it would last. */
  private write<T>(work: () => T): T | Promise<T> {
    if (this.closing) throw new StoreUnavailableError(new Error('The SQLite store is closed.'));
    this.files?.beforeWrite();
    return retryWhileBusy(work);
  }
}
