import { ApiError } from '../http/errors.js';
import { messages } from '../http/messages.js';
import { badRequest } from '../http/validation.js';
import { PAGE_CURSOR_LIFETIME_MS, readCursor, signCursor, type WalkOwner } from './page-cursor.js';
import { parseSearchQuery, queryKey, type PropertyQuery } from '../store/query.js';
import { SESSION_SLOTS_PER_TEAM, type Store, type WalkPosition } from '../store/store.js';
import { operationHandler, type SuccessBody } from './operation-handler.js';

type SearchResults = SuccessBody<'searchProperties'>['results'];
type Meta = SearchResults['meta'];

// A retry must ask for exactly the same thing to get the same page back: the query as the store
// reads it (so `phoenix, az` and `Phoenix, AZ` are one request) and the page size.
function fingerprint(query: PropertyQuery, take: number): string {
  return JSON.stringify([queryKey(query), take]);
}

/** Where a walk's next page starts, from the cursor the client sent back; null for a first page. */
function positionFrom(cursor: string | undefined, secret: Buffer, owner: WalkOwner): WalkPosition | null {
  if (cursor === undefined) return null;
  const reading = readCursor(secret, owner, cursor, Date.now());
  switch (reading.kind) {
    case 'ok':
      return reading.position;
    case 'invalid':
      throw new ApiError(400, badRequest.invalidPageCursor);
    case 'other-search':
      throw new ApiError(400, badRequest.pageCursorOtherSearch);
    case 'expired':
      throw new ApiError(400, badRequest.pageCursorExpired(PAGE_CURSOR_LIFETIME_MS / 3_600_000));
  }
}

/** `pageCursorSecret` gives the key cursors are signed with (configured, or kept in the store). */
export function searchProperties(store: Store, pageCursorSecret: () => Promise<Buffer>) {
  return operationHandler<'searchProperties'>(async ({ principal, requestId, receivedAt, body, header }) => {
    const query = parseSearchQuery(body.searchCriteria.query);
    if (!query) throw new ApiError(400, badRequest.invalidSearchQuery);
    const { take = 25, skip, searchSession, useCursorPagination = false, pageCursor } = body.options ?? {};
    const ok = { code: 200, text: 'OK' } as const;
    const page = (properties: SearchResults['properties'], resultsFound: number, extra: Partial<Meta> = {}, nextPageCursor?: string) => ({
      status: ok,
      results: {
        properties,
        ...(nextPageCursor === undefined ? {} : { nextPageCursor }),
        meta: { requestId, results: { resultsFound, resultCount: properties.length }, ...extra },
      },
    });

    if (pageCursor !== undefined && !useCursorPagination) throw new ApiError(400, badRequest.pageCursorWithoutCursorPagination);
    if (useCursorPagination) {
      if (searchSession !== undefined) throw new ApiError(400, badRequest.cursorWithSession);
      if (skip !== undefined) throw new ApiError(400, badRequest.skipWithCursor);
      const secret = await pageCursorSecret();
      const owner = { teamId: principal.teamId, queryKey: queryKey(query) };
      const walked = await store.walkProperties(query, positionFrom(pageCursor, secret, owner), take);
      const next = walked.hasMore ? signCursor(secret, owner, walked.position, Date.now()) : undefined;
      return page(walked.properties, walked.position.resultsFound, {}, next);
    }

    if (searchSession === undefined) {
      const found = await store.searchProperties(query, skip ?? 0, take, receivedAt);
      return page(found.properties, found.resultsFound);
    }
    if (skip !== undefined) throw new ApiError(400, badRequest.skipWithSession);

    const idempotencyKey = header['Idempotency-Key'];
    const outcome = await store.deliver({
      teamId: principal.teamId,
      sessionId: searchSession,
      query,
      take,
      ...(idempotencyKey ? { idempotency: { key: idempotencyKey, fingerprint: fingerprint(query, take) } } : {}),
    });
    if (outcome.kind === 'limit-reached') throw new ApiError(409, messages.sessionLimitReached(SESSION_SLOTS_PER_TEAM));
    if (outcome.kind === 'idempotency-conflict') throw new ApiError(409, messages.idempotencyKeyReused);
    return page(outcome.properties, outcome.resultsFound, {
      searchSession: {
        id: searchSession,
        isNewSession: outcome.isNewSession,
        totalDelivered: outcome.totalDeliveredBefore,
        delivered: outcome.properties.length,
      },
    });
  });
}
