// The four operations every benchmark measures, each as a stream of requests for our server (real
// tokens, real sessions, real state) and a stream of the very same shape and size for the floors,
// which answer anything. Set up once on a scratch store, before anything is timed.
import { issueToken } from '../../server/admin/bootstrap.js';
import type { Store } from '../../server/store/store.js';
import { fillSessions } from '../../test/support/databases/sqlite-fixtures.js';
import { createDeletePool, type FillSessions } from '../measure/delete-pool.js';
import { importMostlyTexas } from '../measure/session-page.js';
import { benchSetup, settleStore, type BenchSetup } from '../support.js';

export const OPERATIONS = ['delete', 'list', 'search', 'page'] as const;
export type OperationKey = (typeof OPERATIONS)[number];

export interface BenchRequest {
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Operation {
  key: OperationKey;
  label: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** The next request for our server; for DELETE, a session that still exists. */
  next(): BenchRequest;
  /** The n-th request of the same shape and size, for the floors. */
  lookalike(n: number): BenchRequest;
}

export interface OperationSettings {
  /** Sessions for the DELETE pool: enough for every DELETE of the run. */
  deletePool: number;
  /** Teams whose 100 sessions each are advanced in turn, one page per request. */
  pageTeams: number;
}

const SEARCH_PATH = '/api/v1/property/search';
const SESSIONS_PER_TEAM = 100;
const SEARCH_ABILITIES = ['property-search', 'property-search-sessions'] as const;
const PLAIN_PAGES = 80;

/** A search request, JSON as a client sends it. */
const searchRequest = (token: string, options: Record<string, unknown>): BenchRequest => ({
  path: SEARCH_PATH,
  headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  body: JSON.stringify({ searchCriteria: { query: 'TX' }, options }),
});

/** Round-robin over a fixed list, for requests that can repeat forever. */
const cycle = <T>(items: T[]) => {
  let n = 0;
  return { next: () => items[n++ % items.length]!, at: (i: number) => items[i % items.length]! };
};

/**
 * The store must already hold the properties (a query of `TX` with thousands of matches). Creates
 * the teams, tokens and sessions each operation needs; `fillSessions` writes empty sessions in bulk.
 */
export async function prepareOperations(store: Store, fillSessions: FillSessions, settings: OperationSettings): Promise<Record<OperationKey, Operation>> {
  const deletes = await createDeletePool(store, fillSessions, settings.deletePool);

  // A team with a full list of 100 sessions, read 50 at a time.
  const listTeam = await store.createTeam('bench-list');
  await fillSessions(listTeam.id, 'listed-', SESSIONS_PER_TEAM);
  const listToken = (await issueToken(store, listTeam.id, ['property-search-sessions'])).token;
  const list: BenchRequest = { path: '/api/v2/property/search-sessions?take=50', headers: { Authorization: `Bearer ${listToken}` } };

  // Plain search (no session, nothing written): the query's first 2,000 matches, 25 at a time, page
  // after page, as clients browsing the first pages of a popular area would ask for them.
  const searchTeam = await store.createTeam('bench-search');
  const searchToken = (await issueToken(store, searchTeam.id, [...SEARCH_ABILITIES])).token;
  const searchCycle = cycle(Array.from({ length: PLAIN_PAGES }, (_, page) => searchRequest(searchToken, { take: 25, skip: page * 25 })));

  // Session pages as a fleet of nightly jobs asks for them: each request advances one of many
  // sessions of many teams, each team with its own token.
  const pages: BenchRequest[] = [];
  for (let team = 0; team < settings.pageTeams; team++) {
    const created = await store.createTeam(`bench-pages-${team}`);
    const token = (await issueToken(store, created.id, [...SEARCH_ABILITIES])).token;
    for (let session = 0; session < SESSIONS_PER_TEAM; session++) pages.push(searchRequest(token, { take: 25, searchSession: `nightly-${String(session).padStart(3, '0')}` }));
  }
  // Team by team in turn: session 0 of every team, then session 1 of every team…
  const interleaved = pages.map((_, i) => pages[(i % settings.pageTeams) * SESSIONS_PER_TEAM + Math.floor(i / settings.pageTeams)]!);
  const pageCycle = cycle(interleaved);

  return {
    delete: { key: 'delete', label: 'DELETE a session', method: 'DELETE', next: () => deletes.next(), lookalike: (n) => deletes.lookalike(n) },
    list: { key: 'list', label: 'GET list, take=50 of 100 sessions', method: 'GET', next: () => list, lookalike: () => list },
    search: { key: 'search', label: `POST search, take=25, no session, pages 1–${PLAIN_PAGES} in turn`, method: 'POST', next: searchCycle.next, lookalike: searchCycle.at },
    page: {
      key: 'page',
      label: `POST search, take=25, advancing one of ${interleaved.length.toLocaleString('en-US')} sessions of ${settings.pageTeams} teams`,
      method: 'POST',
      next: pageCycle.next,
      lookalike: pageCycle.at,
    },
  };
}

/**
 * A scratch store ready for one operation alone (the properties its searches read, the sessions its
 * deletes remove), settled on disk, and that operation: what the profile and the co-run drive.
 */
export async function prepareOneOperation(key: OperationKey, settings: { properties: number; deletePool: number }): Promise<{ bench: BenchSetup; operation: Operation }> {
  const bench = await benchSetup(['property-search-sessions']);
  if (key === 'search' || key === 'page') await importMostlyTexas(bench.store, settings.properties);
  const fill: FillSessions = (teamId, prefix, count) => fillSessions(bench.dbPath, teamId, prefix, count);
  const operations = await prepareOperations(bench.store, fill, { deletePool: key === 'delete' ? settings.deletePool : 100, pageTeams: 10 });
  settleStore(bench.dbPath);
  return { bench, operation: operations[key] };
}
