import { ApiError } from '../http/api-error.js';
import { messages } from '../http/messages.js';
import { parseSearchQuery, queryKey } from '../search/parse-query.js';
import { SESSION_SLOTS_PER_TEAM, type PropertyQuery, type Store } from '../store/store.js';
import { operationHandler, type SuccessBody } from './operation-handler.js';

type SearchResults = SuccessBody<'searchProperties'>['results'];
type Meta = SearchResults['meta'];

// A retry must ask for exactly the same thing to get the same page back: the query as the store
// reads it (so `phoenix, az` and `Phoenix, AZ` are one request) and the page size.
function fingerprint(query: PropertyQuery, take: number): string {
  return JSON.stringify([queryKey(query), take]);
}

export function searchProperties(store: Store) {
  return operationHandler<'searchProperties'>(async ({ principal, requestId, body, header }) => {
    const query = parseSearchQuery(body.searchCriteria.query);
    if (!query) throw new ApiError(400, messages.invalidSearchQuery);
    const { take = 25, skip, searchSession } = body.options ?? {};
    const ok = { code: 200, text: 'OK' } as const;
    const page = (properties: SearchResults['properties'], resultsFound: number, extra: Partial<Meta> = {}) => ({
      status: ok,
      results: { properties, meta: { requestId, results: { resultsFound, resultCount: properties.length }, ...extra } },
    });

    if (searchSession === undefined) {
      const found = await store.searchProperties(query, skip ?? 0, take);
      return page(found.properties, found.resultsFound);
    }
    if (skip !== undefined) throw new ApiError(400, messages.skipWithSession);

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
