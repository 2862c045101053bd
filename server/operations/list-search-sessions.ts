import type { components } from '../../generated/openapi.js';
import type { SessionRecord, Store } from '../store/store.js';
import { operationHandler } from './operation-handler.js';

type SearchSession = components['schemas']['SearchSession'];

// lastRequestAt is left out until a request has delivered something: absent, never null.
function toSearchSession(session: SessionRecord): SearchSession {
  return {
    id: session.id,
    totalDelivered: session.totalDelivered,
    createdAt: session.createdAt.toISOString(),
    ...(session.lastRequestAt ? { lastRequestAt: session.lastRequestAt.toISOString() } : {}),
  };
}

export function listSearchSessions(store: Store) {
  return operationHandler<'listSearchSessions'>(async ({ principal, requestId, query }) => {
    const page = await store.listSessions(principal.teamId, query.skip ?? 0, query.take ?? 50);
    return {
      status: { code: 200, text: 'OK' },
      results: { sessions: page.sessions.map(toSearchSession), total: page.total, meta: { requestId } },
    };
  });
}
