import type { components } from '../../generated/openapi.js';
import type { SessionRecord, Store } from '../store/store.js';
import { withJsonText } from '../json-text.js';
import { operationHandler } from './operation-handler.js';

type SearchSession = components['schemas']['SearchSession'];

const DAY_MS = 86_400_000;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
let lastDay = NaN;
let lastDayPrefix = '';

/**
 * Date.prototype.toISOString, in a tenth of the time: a 50-session list formats up to 100 dates, and
 * toISOString was a tenth of the list's whole cost. The date part is kept from the last call, as the
 * sessions of one list are mostly created on the same day. Years outside 0000–9999 (which
 * toISOString writes with a sign) go to toISOString.
 */
export function isoTimestamp(date: Date): string {
  const ms = date.getTime();
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    const year = date.getUTCFullYear();
    if (year < 0 || year > 9999) return date.toISOString();
    lastDay = day;
    lastDayPrefix = `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}T`;
  }
  const inDay = ms - day * DAY_MS;
  const seconds = Math.floor(inDay / 1000);
  return `${lastDayPrefix}${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}.${pad(inDay % 1000, 3)}Z`;
}

// lastRequestAt is left out until a request has delivered something: absent, never null.
function toSearchSession(session: SessionRecord): SearchSession {
  const searchSession: SearchSession = { id: session.id, totalDelivered: session.totalDelivered, createdAt: isoTimestamp(session.createdAt) };
  if (session.lastRequestAt) searchSession.lastRequestAt = isoTimestamp(session.lastRequestAt);
  return searchSession;
}

// A store may answer the same page object again while the list is unchanged (SQLite remembers
// lists): its sessions are then formatted and serialised once, not on every request.
const formatted = new WeakMap<readonly SessionRecord[], SearchSession[]>();

function searchSessions(sessions: readonly SessionRecord[]): SearchSession[] {
  let result = formatted.get(sessions);
  if (!result) {
    result = sessions.map(toSearchSession);
    if (Object.isFrozen(sessions)) formatted.set(sessions, withJsonText(result));
  }
  return result;
}

export function listSearchSessions(store: Store) {
  return operationHandler<'listSearchSessions'>(async ({ principal, requestId, receivedAt, query }) => {
    const page = await store.listSessions(principal.teamId, query.skip ?? 0, query.take ?? 50, receivedAt);
    return {
      status: { code: 200, text: 'OK' },
      results: { sessions: searchSessions(page.sessions), total: page.total, meta: { requestId } },
    };
  });
}
