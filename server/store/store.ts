// The one seam between the HTTP layer and persistence. Every method that touches a session takes the
// caller's teamId, so no query can reach another team's rows: cross-tenant isolation is a property
// of the signatures, not of a check someone might forget.
import { ABILITIES } from '../../generated/rules.js';
import type { PropertyQuery } from './query.js';

/** What a token may be allowed: the roles openapi.yaml's bearerAuth requirements name. */
export { ABILITIES };
export type Ability = (typeof ABILITIES)[number];

/** Each team may hold at most this many sessions at once (openapi.yaml, info.description). */
export const SESSION_SLOTS_PER_TEAM = 100;

export interface Team {
  id: number;
  name: string;
  createdAt: Date;
}

/** Who is calling, once a bearer token has been recognised. */
export interface Principal {
  tokenId: string;
  teamId: number;
  abilities: readonly Ability[];
}

export interface TokenInfo {
  id: string;
  teamId: number;
  abilities: readonly Ability[];
  createdAt: Date;
  revokedAt: Date | null;
}

export interface SessionRecord {
  id: string;
  /** Unique properties delivered to this session so far. */
  totalDelivered: number;
  createdAt: Date;
  /** Absent until a request has delivered at least one property. */
  lastRequestAt: Date | null;
}

export interface SessionPage {
  sessions: SessionRecord[];
  /** All of the team's sessions, not just this page. */
  total: number;
}

export type CreateSessionOutcome = 'created' | 'exists' | 'limit-reached';

export interface PropertyAddress {
  street: string;
  city: string;
  /** Two upper-case letters. */
  state: string;
  /** Five digits. */
  zip: string;
}

export interface PropertyRecord {
  /** Assigned by the store, ascending in order of addition: delivery order is id order. */
  id: number;
  address: PropertyAddress;
  bedrooms: number;
  bathrooms: number;
  yearBuilt: number;
  estimatedValue: number;
}

export type NewProperty = Omit<PropertyRecord, 'id'>;

export interface PropertyPage {
  properties: PropertyRecord[];
  /** Every property matching the query. */
  resultsFound: number;
}

/** The name under which a store keeps the page cursors' secret (pageCursorSecret). */
export const PAGE_CURSOR_SECRET_NAME = 'page-cursor';

/** Where a cursor walk is (operations/page-cursor.ts carries it between requests, signed). */
export interface WalkPosition {
  /** The last property delivered; 0 before the first. */
  afterId: number;
  /** The highest property id when the walk began: nothing above it is delivered. */
  upToId: number;
  /** The matches up to upToId, counted on the walk's first page and carried unchanged. */
  resultsFound: number;
}

export interface WalkPage {
  properties: PropertyRecord[];
  /** Whether any match follows this page within the walk. */
  hasMore: boolean;
  /** The walk after this page: where its next page starts. */
  position: WalkPosition;
}

/**
 * How long an Idempotency-Key is honoured by default: the SDK's retries of one call end within
 * 2 minutes; the rest leaves room for a client that crashed to come back and replay its page.
 */
export const DEFAULT_IDEMPOTENCY_WINDOW_MS = 15 * 60_000;

export interface DeliveryRequest {
  teamId: number;
  sessionId: string;
  query: PropertyQuery;
  take: number;
  /** When the client sent Idempotency-Key: the key and a fingerprint of what it asked for. */
  idempotency?: { key: string; fingerprint: string };
}

export type DeliveryOutcome =
  | {
      kind: 'delivered';
      /** Never delivered to this session before this request, in id order, at most `take`. */
      properties: PropertyRecord[];
      resultsFound: number;
      isNewSession: boolean;
      /** The session's total before this request. */
      totalDeliveredBefore: number;
    }
  | { kind: 'limit-reached' }
  | { kind: 'idempotency-conflict' };

export interface StoreStats {
  /** Sessions that exist now. */
  sessions: number;
  /** Delivered-id rows the existing sessions hold (the sum of their totalDelivered). */
  deliveredRows: number;
  /** Deleted sessions whose delivered ids the purger has not removed yet. */
  purgeBacklog: number;
}

/**
 * `freshSince`, on the reads that take it: a performance.now() reading taken when the request being
 * answered arrived. The store may then answer from what it learnt of the database at or after that
 * moment, from a check made for another request since, rather than check again: the answer is the
 * state at a moment within the request's lifetime all the same. (A token revoked before a request
 * arrived is refused: whatever check the answer rests on came after the revocation.) Without it,
 * the store checks now.
 */
export type FreshSince = number;

export interface Store {
  /** The principal behind a token's SHA-256 hash (hex, hashToken), or null when the token is unknown or revoked. */
  findPrincipal(tokenHash: string, freshSince?: FreshSince): Promise<Principal | null>;

  /** The team's sessions, oldest first by createdAt, ties by id. */
  listSessions(teamId: number, skip: number, take: number, freshSince?: FreshSince): Promise<SessionPage>;

  /**
   * Deletes the team's session in one team-scoped statement: true when it existed. On return the
   * session and its delivered-id state are unreachable and its slot is free; the delivered rows are
   * purged in the background. Costs the same whatever the size of that state.
   */
  deleteSession(teamId: number, sessionId: string): Promise<boolean>;

  /** Creates an empty session unless it exists or the team already holds SESSION_SLOTS_PER_TEAM. */
  createSession(teamId: number, sessionId: string): Promise<CreateSessionOutcome>;

  /** Plain paging over the matches, id ascending. */
  searchProperties(query: PropertyQuery, skip: number, take: number, freshSince?: FreshSince): Promise<PropertyPage>;

  /**
   * One page of a cursor walk: up to `take` matches with an id above `position.afterId` and at most
   * `position.upToId`, id ascending, and whether more follow. Without a position (the walk's first
   * page) the walk is pinned to the highest property id now and resultsFound counts the matches up
   * to it; the page, read up to that id, describes the same moment. Its cost does not grow with how
   * far the walk has gone.
   */
  walkProperties(query: PropertyQuery, position: WalkPosition | null, take: number): Promise<WalkPage>;

  /**
   * The secret page cursors are signed with: 32 random bytes made by the first instance to ask and
   * kept in the store, so every instance on it signs alike and cursors outlive restarts.
   */
  pageCursorSecret(): Promise<Buffer>;

  /**
   * One atomic step of a session, serialised per session: creates it if it is new (unless the
   * team holds SESSION_SLOTS_PER_TEAM), then records and returns up to `take` matching properties
   * it has never delivered, in id order; bumps totalDelivered, and lastRequestAt when it delivered
   * any. With an idempotency key already seen on this session it returns that request's page and
   * figures again without advancing (or a conflict when the fingerprint differs). A key's page is
   * kept for at least the idempotency window, then purged; a page that delivered nothing is not
   * kept (its retry is answered afresh and cannot skip anything). Its cost does
   * not grow with the number of properties the session has already delivered for this query.
   */
  deliver(request: DeliveryRequest): Promise<DeliveryOutcome>;

  /**
   * Adds properties in one transaction, consuming the batches as they come: all of them, or none
   * when the iterable throws (the error is rethrown). Resolves with how many were added.
   */
  importProperties(batches: AsyncIterable<NewProperty[]>): Promise<number>;
  countProperties(): Promise<number>;

  createTeam(name: string): Promise<Team>;
  findTeamByName(name: string): Promise<Team | null>;
  countTeams(): Promise<number>;

  /** Stores only the hash (hex, hashToken) of a token the caller generated; the id is public, the token is not. */
  createToken(teamId: number, tokenHash: string, abilities: readonly Ability[]): Promise<TokenInfo>;
  listTokens(teamId: number): Promise<TokenInfo[]>;
  /** true when the token existed and was not already revoked. */
  revokeToken(tokenId: string): Promise<boolean>;

  /** Totals over every team, for an operator's metrics: cheap enough to read at each scrape. */
  stats(): Promise<StoreStats>;

  /** Throws when the store cannot answer (readiness). */
  ping(): Promise<void>;

  /** Stops background work and releases the database. Idempotent. */
  close(): Promise<void>;
}

// Thrown by a store when its database cannot answer. The error handler maps status 503 to the
// documented 503 with Retry-After, so the client learns to come back rather than that we broke.
export class StoreUnavailableError extends Error {
  readonly status = 503;
  readonly retryAfterSeconds: number;
  /** What an operator should be told (readiness shows it); never sent to API clients. */
  readonly detail: string | undefined;

  constructor(cause: unknown, retryAfterSeconds = 5, detail?: string) {
    super('The data store is unavailable.', { cause });
    this.retryAfterSeconds = retryAfterSeconds;
    this.detail = detail;
  }
}
